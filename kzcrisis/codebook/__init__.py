"""The stance codebook resource (``resources/codebook.yaml``) and docs/codebook.md.

The codebook holds what the coding rules need besides the cue lexicon: the label
thresholds, the rule constants (negation factor and window, scope), the caution categories,
the cue verbs' default scores, the bootstrap settings of the comparison, the definition of
each label per target, of each lexicon category and of each narrated act (request, dispatch,
approve, recall, condemn, sanction) with its verbs, weight and target.

``docs/codebook.md`` is checked against it: the sections between ``<!-- BEGIN GENERATED: X
-->`` and ``<!-- END GENERATED: X -->`` are rendered from the resource and the lexicon
(:func:`kzcrisis.codebook.docs.render_sections`); ``python -m kzcrisis.codebook --write``
regenerates them and ``--check`` (and tests/test_codebook.py) fails when they differ. The
rendering lives in the ``docs`` submodule because it reads the stance lexicon, and the
stance stage reads this module: the resource stays below the stage, the document above.

Example::

    >>> cb = load_codebook()
    >>> cb.support_min, cb.acts["request"].weight
    (0.2, 0.5)
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ResourceError
from ..paths import ROOT, resource

__all__ = ["Act", "Codebook", "load_codebook"]

CODEBOOK_FILE = "codebook.yaml"
DOC = ROOT / "docs" / "codebook.md"
TARGETS = ("intervention", "protesters")
LABELS = ("support", "caution", "oppose", "neutral")
ACT_MODES = ("fixed", "reject")
VERB_POLARITIES = ("endorse", "reject", "warn", "doubt", "withhold")


@dataclass(frozen=True, eq=False)
class Act:
    """A narrated position-taking act (``acts`` in the codebook): طلبت الحكومة المساعدة."""

    name: str
    definition: str
    verbs: dict[str, tuple[str, ...]]  # lemma -> surface forms
    objects: tuple[str, ...]
    target: str
    weight: float
    mode: str
    example: str


@dataclass(frozen=True, eq=False)  # hashed by identity: per-codebook caches
class Codebook:
    """The parsed codebook; every number the stance rules use comes from here."""

    path: Path
    support_min: float
    oppose_max: float
    negation_factor: float
    negation_window: int
    scope_words: int
    subject_scope_words: int
    caution_categories: frozenset[str]
    act_object_categories: frozenset[str]
    rejected_judgements: frozenset[str]
    caution_floor: float
    verb_default: dict[str, float]
    confidence_level: float
    n_resamples: int
    seed: int
    label_scores: dict[str, float]
    labels: dict[str, dict[str, str]]
    categories: dict[str, dict[str, Any]]
    acts: dict[str, Act] = field(default_factory=dict)

    def label_for(self, score: float, caution_cue: bool = False) -> str:
        """The label of a score: ``cb.label_for(0.19)`` is ``neutral``, ``0.2`` support."""
        if score >= self.support_min:
            return "support"
        if score <= self.oppose_max:
            return "oppose"
        if score < 0 or caution_cue:
            return "caution"
        return "neutral"


def _get(node: Any, key: str, where: str, kind: type | tuple[type, ...]) -> Any:
    if not isinstance(node, dict) or key not in node:
        raise ResourceError(f"{where}: missing key {key!r}")
    value = node[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise ResourceError(f"{where}: {key!r} must be a {name}, not {value!r}")
    return value


def _number(node: Any, key: str, where: str, lo: float = -1.0, hi: float = 1.0) -> float:
    value = _get(node, key, where, float)
    if not lo <= value <= hi:
        raise ResourceError(f"{where}: {key} = {value} outside [{lo}, {hi}]")
    return value


def _act(name: str, node: Any, where: str) -> Act:
    w = f"{where}: acts.{name}"
    verbs = {}
    for lemma, forms in _get(node, "verbs", w, dict).items():
        if not isinstance(forms, list) or not forms:
            raise ResourceError(f"{w}: verbs.{lemma} must be a list of forms")
        verbs[str(lemma).strip()] = tuple(str(f).strip() for f in forms if str(f).strip())
    if not verbs:
        raise ResourceError(f"{w}: no verbs")
    target = _get(node, "target", w, str)
    if target not in TARGETS:
        raise ResourceError(f"{w}: target {target!r} not in {TARGETS}")
    mode = _get(node, "mode", w, str)
    if mode not in ACT_MODES:
        raise ResourceError(f"{w}: mode {mode!r} not in {ACT_MODES}")
    return Act(name, _get(node, "definition", w, str), verbs,
               tuple(str(o).strip() for o in _get(node, "object", w, list) if str(o).strip()),
               target, _number(node, "weight", w), mode, _get(node, "example", w, str))


def _parse(data: Any, path: Path) -> Codebook:
    where = str(path)
    th = _get(data, "thresholds", where, dict)
    rules = _get(data, "rules", where, dict)
    cmp_ = _get(data, "comparison", where, dict)
    support_min = _number(th, "support_min", f"{where}: thresholds")
    oppose_max = _number(th, "oppose_max", f"{where}: thresholds")
    if not oppose_max < 0 < support_min:
        raise ResourceError(f"{where}: thresholds need oppose_max < 0 < support_min")
    verb_default = {k: float(v) for k, v in _get(rules, "verb_default", f"{where}: rules",
                                                 dict).items()}
    if set(verb_default) != set(VERB_POLARITIES):
        raise ResourceError(f"{where}: rules.verb_default needs exactly {VERB_POLARITIES}")
    label_scores = {k: float(v) for k, v in _get(cmp_, "label_scores", f"{where}: comparison",
                                                 dict).items()}
    labels = _get(data, "labels", where, dict)
    for lab in LABELS:
        node = _get(labels, lab, f"{where}: labels", dict)
        for key in ("rule", *TARGETS, "example"):
            _get(node, key, f"{where}: labels.{lab}", str)
    if set(labels) != set(LABELS) or set(label_scores) != set(LABELS):
        raise ResourceError(f"{where}: labels and comparison.label_scores need exactly "
                            f"{LABELS}")
    categories = _get(data, "categories", where, dict)
    for name, node in categories.items():
        _get(node, "definition", f"{where}: categories.{name}", str)
        _get(node, "examples", f"{where}: categories.{name}", list)
    acts = {name: _act(name, node, where)
            for name, node in _get(data, "acts", where, dict).items()}
    cb = Codebook(
        path=path, support_min=support_min, oppose_max=oppose_max,
        negation_factor=_number(rules, "negation_factor", f"{where}: rules"),
        negation_window=_get(rules, "negation_window", f"{where}: rules", int),
        scope_words=_get(rules, "scope_words", f"{where}: rules", int),
        subject_scope_words=_get(rules, "subject_scope_words", f"{where}: rules", int),
        caution_categories=frozenset(_get(rules, "caution_categories", f"{where}: rules",
                                          list)),
        act_object_categories=frozenset(_get(rules, "act_object_categories",
                                             f"{where}: rules", list)),
        rejected_judgements=frozenset(_get(rules, "rejected_judgements",
                                           f"{where}: rules", list)),
        caution_floor=_number(rules, "caution_floor", f"{where}: rules", -1.0, 0.0),
        verb_default=verb_default,
        confidence_level=_number(cmp_, "confidence_level", f"{where}: comparison", 0.5, 0.999),
        n_resamples=_get(cmp_, "n_resamples", f"{where}: comparison", int),
        seed=_get(cmp_, "seed", f"{where}: comparison", int),
        label_scores=label_scores, labels=labels, categories=categories, acts=acts)
    for lab, score in label_scores.items():
        if cb.label_for(score, lab == "caution") != lab:
            raise ResourceError(f"{where}: comparison.label_scores.{lab} = {score} does not "
                                f"have the label {lab} under the thresholds")
    return cb


def load_codebook(path: str | Path | None = None) -> Codebook:
    """Read and check the codebook (default ``resources/codebook.yaml``); a missing key or
    a value out of range raises ResourceError naming the file and the key.

    >>> load_codebook().support_min  # doctest: +SKIP
    0.2
    """
    import yaml

    p = Path(path) if path is not None else resource(CODEBOOK_FILE)
    if path is None:
        return _default()
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except OSError as err:
        raise ResourceError(f"{p}: cannot read ({err.strerror})") from None
    except yaml.YAMLError as err:
        raise ResourceError(f"{p}: not valid YAML ({str(err).splitlines()[0]})") from None
    return _parse(data, p)


@lru_cache(maxsize=1)
def _default() -> Codebook:
    return load_codebook(resource(CODEBOOK_FILE))
