"""Rule-based stance coding of statements toward two targets (see docs/codebook.md).

Targets: ``intervention`` (the CSTO deployment and the authorities' operation) and
``protesters`` (the protesters and the unrest). Each statement's content is matched against
the stance lexicon (``resources/stance_lexicon.csv``): weighted cues (deployment, readiness,
restoring order, calls for restraint, questioning legitimacy, blaming outside forces,
"terrorism" labels ...) and target terms. The score of a (statement, target) pair is the sum
of the weights of the distinct cues matched, with

* lemmas: a ``match = lemma`` row is matched on the lemmas of the content's words from the
  parse and on the surface with its inflections (:func:`kzcrisis.phrases.inflected`);
* negation: a negator (لا، لم، لن، ليس، غير، عدم، دون) flips a cue and halves it (not sending
  troops is reserve, not opposition): on the parse, one attached to the cue's head or to the
  predicate it is an argument of (:mod:`kzcrisis.stance_tree`); without it, one up to two
  words before the cue;
* the cue verb: ``reject`` verbs (ندد، انتقد، رفض) flip *act* cues (what is done or proposed:
  انتقد إرسال قوات), not *label* cues that already judge (ندد بالقمع); ``deny`` verbs (نفى) flip
  both; ``endorse``/``reject``/``warn`` verbs give +0.5/-0.6/-0.4 to a target that the content
  names without any weighted cue; a negated verb withholds (لم يرحب: act cues flipped and
  halved) or takes no position (لم يندد، لم ينف);
* scope: an act cue governed by a negative judgement in the tree (without the parse: up to
  two words after it) is its object and does not count on its own (تساؤلات حول شرعية نشر
  القوات: the deployment is what is questioned);

clipped to [-1, 1]. Labels: ``support`` (score >= 0.2), ``oppose`` (score <= -0.5),
``caution`` (in between, with a negative score or a restraint/concern cue), else ``neutral``.
Every row carries its evidence: the cues matched with their weights and the matched text.
"""
from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from . import grammar, schemas
from .align import align_spans
from .codebook import Codebook, load_codebook
from .cue_lexicon import default_lexicon
from .errors import KzError, ResourceError
from .normalize import (
    CONJUNCTIONS,
    in_class,
    normalize_for_matching,
    normalize_with_map,
)
from .paths import resource
from .phrases import compile_phrases, select_longest
from .resource_files import read_resource_csv
from .stance_tree import ContentParse, content_parse, governed_by, subjects_of, tree_negated
from .syntax import Tree, sentence_trees

TARGETS = ("intervention", "protesters")
LABELS = ("support", "caution", "oppose", "neutral")
# Thresholds, weights and rule constants live in the codebook resource (codebook.yaml);
# the names below are read from it once, for the callers that import them.
_CB = load_codebook()
SUPPORT_MIN = _CB.support_min
OPPOSE_MAX = _CB.oppose_max
CAUTION_CATEGORIES = _CB.caution_categories
VERB_DEFAULT = dict(_CB.verb_default)
NEGATION_FACTOR = _CB.negation_factor
# a negated cue verb: "did not welcome" withholds support; "did not condemn/deny/warn" is
# no position
_INVERT = {"endorse": "withhold", "reject": "neutral", "deny": "neutral", "warn": "neutral",
           "doubt": "neutral", "neutral": "neutral", "withhold": "neutral"}

_WORD_RE = re.compile(r"\w+")
_CLAUSE_RE = re.compile(r"[،,.:؛;!?؟]")
_QUOTES_OPEN = '"«“'
_QUOTES_CLOSE = '"»”'
# irony markers on folded text: "ما يسمى بـ" before a cue, "المزعومة" after it
_IRONY_BEFORE = re.compile(r"(?:^|\s)ما\s+(?:ي|ت)سم(?:ى|ي|يه|يها)(?:\s|$)|(?:^|\s)ما\s+(?:ي|ت)وصف")
_IRONY_AFTER = re.compile(r"^(?:ال)?مزعوم(?:ه|ين|ون)?$")
# "رفض وصف المحتجين بالإرهابيين": the description is what is rejected
_DESCRIBE_RE = re.compile(r"(?:^|\s)[وف]?(?:ب|ل)?(?:ال)?(?:وصف|تسميه|نعت|اعتبار)\w*(?:\s|$)")
_NEG_WINDOW = _CB.negation_window
_SCOPE_WORDS = _CB.scope_words




# --------------------------------------------------------------------------- lexicon


@dataclass
class StanceLexicon:
    """The stance cue table plus, per cue row, one compiled regex on the folded surface and,
    for a ``match == "lemma"`` row, one on the lemma string of the parse (else None)."""

    table: pd.DataFrame
    patterns: list[re.Pattern]
    lemma_patterns: list[re.Pattern | None]

    @cached_property
    def rows(self) -> list[dict]:
        """The table's rows as dicts, made once (every statement's matching reads them)."""
        return self.table.to_dict("records")


MATCH_MODES = ("lemma", "surface")
#: kinds of lexicon rows; a ``predicate`` counts only for a target that is its subject in the
#: parse (:func:`kzcrisis.stance_tree.subjects_of`)
KINDS = ("act", "label", "target", "operator", "predicate")


def load_stance_lexicon(path: str | Path | None = None) -> StanceLexicon:
    """Load ``stance_lexicon.csv`` (columns cue_id, category, target, weight, fallback, kind,
    match, forms); a malformed row raises ResourceError naming file and line.

    ``match`` is ``lemma`` (the forms are lemmas, matched on the parse's lemmas and, on the
    surface, with their inflections: ``إرهابي`` matches بالإرهابيين) or ``surface`` (the
    forms are matched as written, with clitics); a file without the column is all surface.

    >>> lexicon = load_stance_lexicon()
    >>> {"cue_id", "target", "weight", "match"} <= set(lexicon.table.columns)
    True
    """
    path = Path(path) if path is not None else resource("stance_lexicon.csv")
    need = ["cue_id", "category", "target", "weight", "fallback", "kind", "forms"]
    rows, pats, lemma_pats = [], [], []
    for line, row in read_resource_csv(path, need):
        where = f"{path}: line {line}"
        row = {**row, "match": row.get("match") or "surface"}
        _check_lexicon_row(row, where)
        weight = float(row["weight"])
        by_lemma = row["match"] == "lemma"
        pats.append(compile_phrases(row["forms"], where, inflect=by_lemma))
        lemma_pats.append(compile_phrases(row["forms"], where) if by_lemma else None)
        rows.append({**row, "weight": weight})
    table = pd.DataFrame(rows, columns=[*need[:-1], "match", "forms"])
    return StanceLexicon(table, pats, lemma_pats)


def _check_lexicon_row(row: dict[str, str], where: str) -> None:
    """One-line errors for a bad lexicon row: ``line 7: kind must be act, label, ...``."""
    if not row["cue_id"]:
        raise ResourceError(f"{where}: empty cue_id")
    if row["target"] not in (*TARGETS, "any"):
        raise ResourceError(f"{where}: target {row['target']!r} not in {(*TARGETS, 'any')}")
    if row["kind"] not in KINDS:
        raise ResourceError(f"{where}: kind must be act, label, target, operator or "
                            f"predicate")
    if row["match"] not in MATCH_MODES:
        raise ResourceError(f"{where}: match must be lemma or surface, not {row['match']!r}")
    try:
        weight = float(row["weight"])
    except ValueError:
        raise ResourceError(f"{where}: weight {row['weight']!r} is not a number") from None
    if not -1 <= weight <= 1:
        raise ResourceError(f"{where}: weight {weight} outside [-1, 1]")
    if row["target"] == "any" and row["fallback"] not in (*TARGETS, "both"):
        raise ResourceError(f"{where}: a target 'any' cue needs fallback "
                            f"intervention, protesters or both")


@lru_cache(maxsize=2)
def _default_lexicon() -> StanceLexicon:
    return load_stance_lexicon()


@lru_cache(maxsize=1)
def _negators() -> frozenset[str]:
    # the surface negators: ما and لما (class negator_parse) need the parse to be one
    return grammar.words("negator")


@lru_cache(maxsize=1)
def _cue_verb_polarity() -> dict[str, str]:
    """``cue lemma -> polarity`` of the packaged cues: see :func:`cue_polarities`."""
    from .attribution import load_cue_lemmas

    return cue_polarities(load_cue_lemmas())


def cue_polarities(cue_lemmas: dict[str, list[Any]]) -> dict[str, str]:
    """``cue lemma -> polarity``: the parse rules' lexicon (``cues_lemma.csv`` as loaded by
    ``attribution.load_cue_lemmas``, or a researcher's ``--cues`` file merged over it), by
    the verb shown in ``cue_lemma`` and by its folded lemma, over the surface cue list
    (cues.csv): ``cue_polarities(load_cue_lemmas())["شكك"]`` is ``doubt``."""
    out = {info["lemma"]: info["polarity"] for info in default_lexicon().cue_info.values()}
    for key, cues in cue_lemmas.items():
        for cue in cues:
            out[cue.verb] = out[key] = cue.polarity
    return out


# --------------------------------------------------------------------------- coding


@dataclass
class _Hit:
    cue_id: str
    category: str
    target: str
    weight: float
    fallback: str
    kind: str
    start: int
    end: int
    text: str
    negated: bool


def _found(text: str, lex: StanceLexicon, parse: ContentParse | None
           ) -> list[tuple[dict, int, int]]:
    """Every match of every row as (row, start, end) on ``text``: surface matches, and
    for lemma rows the matches on the parse's lemmas (ترسل جنودا: lemmas أرسل جندي)."""
    folded, imap = normalize_with_map(text)
    found = {}
    for k, (row, rx) in enumerate(zip(lex.rows, lex.patterns, strict=True)):
        for m in rx.finditer(folded):
            found.setdefault((k, imap[m.start()], imap[m.end()]), row)
        lrx = lex.lemma_patterns[k]
        if parse is not None and lrx is not None:
            for m in lrx.finditer(parse.lemma_text):
                s, e = parse.span_of_lemmas(m.start(), m.end())
                found.setdefault((k, s, e), row)
    return [(row, s, e) for (_k, s, e), row in found.items()]


def _window_negated(text: str, s: int, taken: list[tuple[int, int]]) -> bool:
    """The surface rule: a negator up to ``negation_window`` words before the cue, in its
    clause, and not one that belongs to an earlier cue (لن نسمح بـ ...) or an exceptive
    (ليس إلا ذريعة)."""
    lo = max(0, s - 40)
    for _ts, te in taken:
        if lo < te <= s:
            lo = max(lo, te)
    clause = _CLAUSE_RE.split(normalize_for_matching(text[lo:s]))[-1]
    words = _WORD_RE.findall(clause)[-(_NEG_WINDOW + 1):]
    neg = _negators()
    return not _exceptives() & set(words) and any(in_class(w, neg) for w in words)


@lru_cache(maxsize=1)
def _exceptives() -> frozenset[str]:
    return grammar.words("exceptive")


def _exceptive_near(text: str, s: int, e: int) -> bool:
    """An exceptive (grammar class ``exceptive``) right before a cue (ليست سوى غطاء) or
    right after it (لم تكن لترسل جنوداً لولا طلب رسمي): a restriction, no negation."""
    clause = _CLAUSE_RE.split(normalize_for_matching(text[max(0, s - 40):s]))[-1]
    after = _CLAUSE_RE.split(normalize_for_matching(text[e:e + 30]))[0]
    near = _WORD_RE.findall(clause)[-(_NEG_WINDOW + 1):] + _WORD_RE.findall(after)[:2]
    return any(in_class(w, _exceptives()) for w in near)


def match_cues(text: str, lexicon: StanceLexicon | None = None,
               parse: ContentParse | None = None) -> list[_Hit]:
    """Stance cues in a text: longest non-overlapping evaluative matches (cues sharing a
    span all count) plus every target term; negation marked, by the tree when ``parse`` is
    given (:func:`kzcrisis.stance_tree.tree_negated`), else by the word window.

    >>> [(h.cue_id, h.negated) for h in match_cues("إنها لن ترسل قوات") if h.kind != "target"]
    [('deployment', True)]
    """
    lex = lexicon or _default_lexicon()
    found = _found(text, lex, parse)
    # a longer overlapping cue wins only over cues for the same target: "احترام حقوق
    # الإنسان" is human rights for the intervention and for the protesters alike; cues
    # sharing a span all count; equal lengths: the earlier start, then lexicon order
    keep = select_longest(
        (f for f in found if f[0]["kind"] != "target"), span=lambda f: (f[1], f[2]),
        tiebreak=lambda f: f[1], share_span=True,
        conflicts=lambda f, k: f[0]["target"] == k[0]["target"]
        or "any" in (f[0]["target"], k[0]["target"]))
    taken = list(dict.fromkeys((s, e) for _row, s, e in keep))
    keep += select_longest((f for f in found if f[0]["kind"] == "target"),
                           span=lambda f: (f[1], f[2]), tiebreak=lambda f: f[1],
                           share_span=True,
                           conflicts=lambda f, k: f[0]["target"] == k[0]["target"])
    hits = []
    for row, s, e in sorted(keep, key=lambda f: (f[1], f[0]["cue_id"])):
        negated = False
        if row["kind"] != "target":
            negated = (tree_negated(parse, s, e, taken) and not _exceptive_near(text, s, e)) \
                if parse is not None and parse.words_in(s, e) \
                else _window_negated(text, s, taken)
        hits.append(_Hit(row["cue_id"], row["category"], row["target"], row["weight"],
                         row["fallback"], row["kind"], s, e, text[s:e], negated))
    return hits


def label_for(score: float, caution_cue: bool, codebook: Codebook | None = None) -> str:
    """The label of a score under the codebook's thresholds: ``label_for(0.19, False)`` is
    ``neutral`` (below support_min 0.2), ``label_for(-0.25, True)`` is ``caution``."""
    return (codebook or _CB).label_for(score, caution_cue)


@dataclass(frozen=True)
class _ActIndex:
    """The codebook's acts, indexed by folded verb form and by lemma."""

    by_form: dict[str, tuple[str, str]]   # folded form -> (act, lemma)
    by_lemma: dict[str, str]              # folded lemma -> act
    objects: dict[str, re.Pattern | None]


@lru_cache(maxsize=4)
def _act_index(codebook: Codebook) -> _ActIndex:
    by_form, by_lemma, objects = {}, {}, {}
    for act in codebook.acts.values():
        for lemma, forms in act.verbs.items():
            by_lemma[normalize_for_matching(lemma)] = act.name
            for f in (lemma, *forms):
                by_form.setdefault(normalize_for_matching(f), (act.name, lemma))
        objects[act.name] = (compile_phrases("|".join(act.objects),
                                             f"{codebook.path}: acts.{act.name}")
                             if act.objects else None)
    return _ActIndex(by_form, by_lemma, objects)


def find_act(cue: str, cue_lemma: str, content: str, codebook: Codebook | None = None
             ) -> tuple[str, bool] | None:
    """The codebook act a narrated action takes, with its negation, or None.

    ``find_act("طلبت", "طلب", "الحكومة المساعدة من المنظمة")`` is ``("request", False)``;
    ``find_act("طلبت", "طلب", "من المحتجين العودة")`` is None: a request that asks for no
    help, troops or intervention is no act toward a target.
    """
    cb = codebook or _CB
    idx = _act_index(cb)
    words = _WORD_RE.findall(normalize_for_matching(cue or ""))
    negated = bool(words) and in_class(words[0], _negators())
    verb = words[-1] if words else ""
    name = None
    for form in (verb, verb[1:] if verb[:1] in CONJUNCTIONS else None):
        if form and form in idx.by_form:
            name = idx.by_form[form][0]
            break
    if name is None:
        name = idx.by_lemma.get(normalize_for_matching(cue_lemma or ""))
    if name is None:
        return None
    rx = idx.objects[name]
    if rx is not None and not rx.search(normalize_for_matching(content or "")):
        return None
    return name, negated


def _quoted(content: str, s: int, e: int) -> bool:
    """A span inside short quotation marks in the same clause (scare quotes)."""
    left = content[max(0, s - 30):s]
    right = content[e:e + 30]
    li = max(left.rfind(q) for q in _QUOTES_OPEN)
    ri = min((right.find(q) for q in _QUOTES_CLOSE if q in right), default=-1)
    if li < 0 or ri < 0:
        return False
    inside = left[li + 1:] + right[:ri]
    return not _CLAUSE_RE.search(inside) and len(_WORD_RE.findall(inside)) <= 3


def _irony_marked(folded: str, s: int, e: int) -> bool:
    """An irony marker (ما يسمى، المزعومة) right before or after a folded span."""
    before = " ".join(_WORD_RE.findall(folded[max(0, s - 25):s])[-3:])
    after = " ".join(_WORD_RE.findall(folded[e:e + 20])[:1])
    return bool(_IRONY_BEFORE.search(before) or _IRONY_AFTER.search(after))


def _no_break(text: str) -> bool:
    return not _CLAUSE_RE.search(text)


def code_statement(content: str, cue: str = "", cue_lemma: str = "",  # noqa: C901 (a listed exception)
                   lexicon: StanceLexicon | None = None, kind: str = "",
                   codebook: Codebook | None = None,
                   parse: ContentParse | None = None,
                   polarities: dict[str, str] | None = None) -> list[dict]:
    """Stance rows (target, label, score, evidence) for one statement's content; with the
    content's ``parse`` (:func:`kzcrisis.stance_tree.content_parse`) cues are also matched on
    lemmas and negation and scope follow the tree. ``polarities`` maps cue lemmas to their
    polarity (:func:`cue_polarities`; the packaged cues by default).

    ``kind="action"`` codes a narrated act (the codebook's ``acts``): ``code_statement(
    "طلبت المساعدة من المنظمة", "طلبت", "طلب", kind="action")`` gives intervention
    support, evidence ``act_request +0.50 «طلبت»``.
    """
    cb = codebook or _CB
    hits = match_cues(content or "", lexicon, parse)
    folded = normalize_for_matching(content or "")
    known = polarities if polarities is not None else _cue_verb_polarity()
    polarity = known.get(cue_lemma) or known.get(normalize_for_matching(cue_lemma), "neutral")
    first = _WORD_RE.findall(normalize_for_matching(cue or ""))[:1]
    if first and in_class(first[0], _negators()):  # ولم يرحب
        polarity = _INVERT[polarity]
    found = find_act(cue, cue_lemma, content, cb) if kind == "action" else None
    act = cb.acts[found[0]] if found else None
    act_negated = bool(found and found[1])
    if act is not None and act.mode == "reject":
        polarity = "neutral" if act_negated else "reject"
    spoken = {h.target for h in hits if h.target in TARGETS}
    per: dict[str, dict[str, tuple[float, _Hit]]] = {t: {} for t in TARGETS}
    evaluated = _evaluations(hits, parse)
    judged = [h for h in hits if h.kind == "label" and h.weight < 0 and not h.negated] + [
        p for p, _t in evaluated if p.weight < 0 and not p.negated]
    scoped = []
    if act is not None and act.mode == "fixed":
        w = act.weight * cb.negation_factor if act_negated else act.weight
        pseudo = _Hit(f"act_{act.name}", "act", act.target, w, "", "act", 0, 0,
                      (cue or "").strip(), act_negated)
        per[act.target][pseudo.cue_id] = (w, pseudo)
        spoken.add(act.target)
    # a rejection (رفض، معارضة) flips the act that follows it (رفض إرسال قوات) and opposes a
    # target named right after it (رفض وجود القوات); a judgement after it keeps its own sign
    flipped: dict[int, _Hit] = {}
    for op in (h for h in hits if h.kind == "operator" and not h.negated):
        near = _objects_of(op, hits, content, parse)
        obj = next((h for h in near if h.kind != "target"), None) or next(iter(near), None)
        if obj is None or (obj.kind == "label"
                           and obj.category not in cb.rejected_judgements):
            continue
        if obj.kind in ("act", "label"):
            flipped[id(obj)] = op
        else:
            spoken.add(obj.target)
            per[obj.target].setdefault(op.cue_id, (op.weight, op))
    # the signs of the plain (unquoted, not negated) cues per target, for scare quotes
    plain_signs: dict[str, set[float]] = {}
    for h in hits:
        if h.kind in ("act", "label") and h.weight and not h.negated \
                and not _quoted(content, h.start, h.end):
            plain_signs.setdefault(h.target, set()).add(float(np.sign(h.weight)))
    _add_evaluations(evaluated, polarity, cb, spoken, per, scoped)
    for h in hits:
        if h.kind in ("target", "operator", "predicate"):
            continue
        # an act right after a negative judgement is its object (شرعية نشر القوات), and so
        # is an act right before one in the same clause (إرسال قوات يثير تساؤلات)
        owner = _judge_of(h, judged, content, parse, cb)
        if h.kind == "act" and owner is not None:
            scoped.append((h.target, f"{h.cue_id} «{h.text}» in the scope of {owner.cue_id}"))
            continue
        if act is not None and act.mode == "fixed" and h.kind == "act" \
                and h.category in cb.act_object_categories and h.target in (act.target, "any"):
            scoped.append((act.target, f"{h.cue_id} «{h.text}» is the object of "
                                       f"act_{act.name}"))
            continue
        if h.target == "any":
            targets = sorted(spoken) or (list(TARGETS) if h.fallback == "both"
                                         else [h.fallback])
        else:
            targets = [h.target]
        w = h.weight * cb.negation_factor if h.negated else h.weight
        # irony: a cue marked as someone else's word (ما يسمى بعملية مكافحة الإرهاب،
        # الشرعية المزعومة), or in scare quotes beside a plain cue of the other sign
        # (إن "حفظ السلام" ذريعة للاحتلال), counts against what it says
        opposite = set().union(*(plain_signs.get(t, set()) for t in (*targets, "any")))
        if w and (_irony_marked(folded, *_folded_span(content, h)) or (
                _quoted(content, h.start, h.end) and -float(np.sign(w)) in opposite)):
            w = -w
            scoped.append((targets[0], f"{h.cue_id} «{h.text}» ironic (quoted or marked)"))
        # a rejected or denied description: رفض وصف المحتجين بالإرهابيين
        if polarity in ("reject", "deny") and h.kind == "label" and _rejected_description(
                folded[:_folded_span(content, h)[0]]):
            w = -w
            scoped.append((targets[0], f"{h.cue_id} «{h.text}» is a description the "
                                       f"speaker rejects"))
        if id(h) in flipped:
            w = -w
            scoped.append((h.target, f"{h.cue_id} flipped by {flipped[id(h)].cue_id} "
                                     f"«{flipped[id(h)].text}»"))
        if polarity in ("deny", "doubt") or (polarity == "reject" and h.kind == "act"):
            w = -w
        elif polarity == "withhold" and h.kind == "act":
            w = w * cb.negation_factor
        for t in targets:
            spoken.add(t)
            per[t].setdefault(h.cue_id, (w, h))
    default = cb.verb_default.get(polarity)
    if act is not None and act.mode == "reject" and not act_negated:
        default = act.weight
        if not spoken:  # فرضت عقوبات على كازاخستان: the act's own target
            spoken.add(act.target)
    rows = []
    for t in TARGETS:
        if t not in spoken:
            continue
        score, ev = _summed(per[t], cb)
        if not per[t] and default is not None:
            score = default
            by = f"act_{act.name}" if act is not None and act.mode == "reject" else "cue verb"
            ev.append(f"{by} {cue} ({polarity}) {score:+.2f}")
        elif polarity in ("reject", "deny", "doubt", "withhold") and per[t]:
            by = f"act_{act.name}" if act is not None and act.mode == "reject" else "cue verb"
            ev.append(f"{by} {cue} ({polarity}) flips")
        ev += [note for tt, note in scoped if tt in (t, "any")]
        if not ev:
            terms = [h.text for h in hits if h.kind == "target" and h.target == t]
            ev.append("target named, no stance cue: " + "، ".join(dict.fromkeys(terms)))
        score = float(np.clip(round(score, 3), -1, 1))
        caution = any(h.category in cb.caution_categories for _, h in per[t].values())
        rows.append({"target": t, "label": label_for(score, caution, cb), "score": score,
                     "evidence": "; ".join(ev)})
    return rows


def _evaluations(hits: list[_Hit], parse: ContentParse | None) -> list[tuple[_Hit, _Hit]]:
    """(predicate, target cue) pairs: an evaluative predicate whose subject is a target
    term or act cue in the tree: «قوات المنظمة منعت انهيار الدولة» (منع of the troops),
    «نشر القوات يقوض استقلال البلاد». Without a parse there are none."""
    if parse is None:
        return []
    pairs = []
    for p in (h for h in hits if h.kind == "predicate" and parse.words_in(h.start, h.end)):
        subj = subjects_of(parse, p.start, p.end)
        t = next((h for h in hits if h.kind in ("target", "act") and h.target in TARGETS
                  and _names_subject(parse, h, subj)), None)
        if t is not None:
            pairs.append((p, t))
    return pairs


def _add_evaluations(evaluated: list[tuple[_Hit, _Hit]], polarity: str, cb: Codebook,
                     spoken: set[str], per: dict[str, dict[str, tuple[float, _Hit]]],
                     scoped: list[tuple[str, str]]) -> None:
    """Each evaluation counts for its subject's target, negated like a cue and flipped
    under a denying or doubting verb: «قوات المنظمة منعت انهيار الدولة» -> intervention
    ``evaluation_pos +0.40``."""
    for p, t in evaluated:
        w = p.weight * cb.negation_factor if p.negated else p.weight
        w = -w if polarity in ("deny", "doubt") else w
        spoken.add(t.target)
        per[t.target].setdefault(p.cue_id, (w, p))
        scoped.append((t.target, f"{p.cue_id} «{p.text}» is said of «{t.text}»"))


def _names_subject(parse: ContentParse, h: _Hit, subj: set[int]) -> bool:
    """Whether a target cue is a predicate's subject or a modifier of it («الجماعات
    المسلحة هددت»: مسلح modifies the subject جماعات)."""
    return any(k in subj or (parse.words[k].deprel in ("amod", "nmod")
                             and parse.heads[k] in subj)
               for k in parse.words_in(h.start, h.end))


def _summed(cues: dict[str, tuple[float, _Hit]], cb: Codebook) -> tuple[float, list[str]]:
    """The score of one target (the sum of its distinct cues) and their evidence. Negative
    cues of the caution categories count together no lower than ``rules.caution_floor``:
    concern plus a call to respect rights (تراقب عن كثب ... احترام حق التظاهر) is caution,
    not opposition."""
    ev, score, caution = [], 0.0, 0.0
    for cue_id, (w, h) in cues.items():
        if w < 0 and h.category in cb.caution_categories:
            caution += w
        else:
            score += w
        ev.append(f"{'NOT ' if h.negated else ''}{cue_id} {w:+.2f} «{h.text}»")
    if caution < cb.caution_floor:
        ev.append(f"caution cues {caution:+.2f} floored at {cb.caution_floor:+.2f}")
        caution = cb.caution_floor
    return score + caution, ev


def _objects_of(op: _Hit, hits: list[_Hit], content: str, parse: ContentParse | None
                ) -> list[_Hit]:
    """The cues a rejection governs: its subtree (رفض إرسال قوات؛ لن نسمح بأي تدخل أجنبي),
    or without a parse the cues up to ``scope_words`` words after it. Evaluations
    (``predicate``) are not among them: they count only for their subject's target."""
    rest = [h for h in hits if h is not op and h.kind not in ("operator", "predicate")
            and h.start >= op.end]
    if parse is not None and parse.words_in(op.start, op.end):
        return [h for h in rest if governed_by(parse, (h.start, h.end), (op.start, op.end))]
    return [h for h in rest
            if len(_WORD_RE.findall(content[op.end:h.start])) <= _SCOPE_WORDS]


def _judge_of(h: _Hit, judged: list[_Hit], content: str, parse: ContentParse | None,
              cb: Codebook) -> _Hit | None:
    """The negative judgement whose object an act cue is: the judgement governs it in the
    tree (تساؤلات حول شرعية نشر القوات؛ إرسال قوات يثير تساؤلات, the subject of يثير), or
    without a parse the act follows it closely or is the subject right before it."""
    if parse is not None and parse.words_in(h.start, h.end):
        return next((j for j in judged
                     if governed_by(parse, (h.start, h.end), (j.start, j.end))), None)
    owner = next((j for j in judged if 0 <= h.start - j.end
                  and len(_WORD_RE.findall(content[j.end:h.start])) <= _SCOPE_WORDS), None)
    return owner or next((j for j in judged if j.target != "protesters"
                          and 0 <= j.start - h.end and _no_break(content[h.end:j.start])
                          and len(_WORD_RE.findall(content[h.end:j.start]))
                          <= cb.subject_scope_words), None)


def _rejected_description(before: str) -> bool:
    """A description named just before a label: «رفض وصف المحتجين بالإرهابيين» (the
    description is what is rejected), but not the speaker's own words in a relative clause:
    «انتقدت ما وصفته بالاستخدام المفرط للقوة» (what it called excessive force)."""
    words = _WORD_RE.findall(before)[-4:]
    m = _DESCRIBE_RE.search(" ".join(words))
    if not m:
        return False
    k = len(_WORD_RE.findall(" ".join(words)[:m.start()]))
    return not (k and words[k - 1] in ("ما", "مما", "عما", "من"))


def _folded_span(content: str, h: _Hit) -> tuple[int, int]:
    """The folded-text span of a hit (irony markers are matched on folded text)."""
    pre = len(normalize_for_matching(content[:h.start]))
    return pre, pre + len(normalize_for_matching(h.text))


# --------------------------------------------------------------------------- acts

_ACT_CLAUSE_END = re.compile(r"[،,.:؛;!?؟\n]")
_ACT_SUBJECT_WORDS = 3  # words allowed between an act verb and its subject (أمس، اليوم)


@lru_cache(maxsize=4)
def _act_verb_regex(codebook: Codebook) -> re.Pattern:
    forms = sorted({f for f in _act_index(codebook).by_form}, key=lambda f: -len(f))
    return re.compile(rf"(?<!\w)(?P<neg>(?:[{CONJUNCTIONS}]?(?:لم|لن|لا)\s+))?"
                      rf"(?P<conj>[{CONJUNCTIONS}]?)(?P<verb>"
                      + "|".join(map(re.escape, forms)) + r")(?!\w)")


def _covered(doc_statements: list[dict], sent_id: Any, verb: str, pos: int, group: str) -> bool:
    """An act the statements table already has: same sentence and verb, or inside the
    content of a claim by the same group."""
    for st in doc_statements:
        cue_words = _WORD_RE.findall(normalize_for_matching(str(st.get("cue") or "")))
        last = cue_words[-1] if cue_words else ""
        if st.get("sent_id") == sent_id and last in (verb, "و" + verb, "ف" + verb):
            return True
        if str(st.get("group") or "") == group and \
                int(st["start_char"]) <= pos < int(st["end_char"]):
            return True
    return False


def narrated_acts(docs: pd.DataFrame, mentions: pd.DataFrame,
                  statements: pd.DataFrame | None = None,
                  codebook: Codebook | None = None) -> pd.DataFrame:
    """Narrated position-taking acts by a group that the statements table lacks, as
    ``kind == "action"`` statements (``schemas.STATEMENTS``, ids ``DOC:aNNN``).

    An act is a codebook act verb (``acts`` in codebook.yaml) with a group's mention as its
    subject: right after the verb (up to three words later, same clause: "فرضت الولايات
    المتحدة عقوبات") or right before it ("روسيا أرسلت قوات"), and the act's object in the rest
    of the clause ("طلبت الحكومة الكازاخية المساعدة"; "طلبت الحكومة من السكان البقاء في
    منازلهم" is no act). The content is the rest of the clause after the subject.

    >>> acts = narrated_acts(docs, mentions, statements)   # doctest: +SKIP
    >>> acts[["group", "cue", "content"]]                  # doctest: +SKIP
    """
    cb = codebook or _CB
    cols = [c for c in schemas.STATEMENTS if c not in ("raw_start", "raw_end")]
    if not cb.acts or mentions is None or not len(mentions):
        return schemas.empty(schemas.STATEMENTS)
    rx = _act_verb_regex(cb)
    idx = _act_index(cb)
    st_by_doc: dict[str, list[dict]] = {}
    if statements is not None and len(statements):
        for r in statements.to_dict("records"):
            st_by_doc.setdefault(str(r["doc_id"]), []).append(r)
    m_by_doc = {str(k): g.sort_values("start_char", kind="stable").to_dict("records")
                for k, g in mentions.groupby(mentions["doc_id"].astype(str))}
    rows = []
    for d in docs.itertuples(index=False):
        doc_id, text = str(d.doc_id), d.text_clean
        ments = [m for m in m_by_doc.get(doc_id, []) if str(m.get("group") or "")]
        if not isinstance(text, str) or not ments:
            continue
        folded, imap = normalize_with_map(text)
        n = 0
        for mt in rx.finditer(folded):
            vs, ve = imap[mt.start("conj")], imap[mt.end("verb")]
            subj = _act_subject(text, ments, vs, ve)
            if subj is None:
                continue
            group = str(subj["group"])
            cstart = max(ve, int(subj["end_char"]))
            stop = _ACT_CLAUSE_END.search(text, cstart)
            cend = stop.start() if stop else len(text)
            while cstart < cend and text[cstart].isspace():
                cstart += 1
            content = text[cstart:cend].rstrip()
            verb = mt.group("verb")
            cue = text[imap[mt.start()]:ve] if mt.group("neg") else text[vs:ve]
            if not content or _covered(st_by_doc.get(doc_id, []), subj.get("sent_id"), verb,
                                       vs, group):
                continue
            if find_act(cue, "", content, cb) is None:
                continue
            n += 1
            rows.append({"statement_id": f"{doc_id}:a{n:03d}", "doc_id": doc_id,
                         "sent_id": subj.get("sent_id"),
                         "speaker_actor_id": str(subj.get("actor_id") or ""),
                         "group": group, "speaker_text": str(subj.get("surface") or ""),
                         "cue": cue, "cue_lemma": idx.by_form[verb][1], "kind": "action",
                         "content": content, "start_char": cstart,
                         "end_char": cstart + len(content), "channel": "", "addressee": "",
                         "speaker_start": subj.get("start_char"),
                         "speaker_end": subj.get("end_char"), "speaker_type": "",
                         "speaker_rule": "narrated_act", "link_rule": "inside",
                         "is_headline": 0})
    table = pd.DataFrame(rows, columns=cols)
    if len(table) and "provenance" in docs.columns:
        from .clean import add_raw_offsets

        table = add_raw_offsets(table, docs)
    else:
        table["raw_start"] = pd.Series(dtype=object)
        table["raw_end"] = pd.Series(dtype=object)
    return schemas.conform(table, schemas.STATEMENTS)


def _act_subject(text: str, ments: list[dict], vs: int, ve: int) -> dict | None:
    """The mention that is an act verb's subject: after it (VS) or right before it (SV)."""
    for m in ments:
        ms = int(m["start_char"])
        if ms < ve:
            continue
        gap = text[ve:ms]
        if _ACT_CLAUSE_END.search(gap) or len(_WORD_RE.findall(gap)) > _ACT_SUBJECT_WORDS:
            break
        return m
    for m in reversed(ments):
        me = int(m["end_char"])
        if me <= vs:
            return m if not text[me:vs].strip() else None
    return None


def add_narrated_acts(statements: pd.DataFrame, docs: pd.DataFrame, mentions: pd.DataFrame,
                      codebook: Codebook | None = None) -> pd.DataFrame:
    """``statements`` plus :func:`narrated_acts`, each document's rows in text order.

    >>> statements = add_narrated_acts(statements, docs, mentions)  # doctest: +SKIP
    """
    acts = narrated_acts(docs, mentions, statements, codebook)
    if not len(acts):
        return statements
    both = pd.concat([statements, acts], ignore_index=True) if len(statements) else acts
    order = {str(doc): i for i, doc in enumerate(docs["doc_id"])}
    both = both.assign(_d=both["doc_id"].astype(str).map(order),
                       _s=pd.to_numeric(both["start_char"]))
    both = both.sort_values(["_d", "_s"], kind="stable").drop(columns=["_d", "_s"])
    return schemas.conform(both, schemas.STATEMENTS)


def code_stance(statements: pd.DataFrame, lexicon: StanceLexicon | str | Path | None = None,
                codebook: Codebook | str | Path | None = None,
                words: pd.DataFrame | None = None,
                cues: dict[str, list[Any]] | None = None) -> pd.DataFrame:
    """Stance of every statement toward each target it speaks to (``schemas.STANCE``).

    ``words`` is the parse (the ``words`` table of ``kz.annotate`` / ``results.words``):
    with it, cues are matched on the lemmas of each statement's content and negation and
    scope follow the tree (:mod:`kzcrisis.stance_tree`); without it, the surface rules.
    ``cues`` is the run's cue lexicon (a researcher's ``--cues`` merged over
    ``cues_lemma.csv``), whose polarities the cue verbs take.

    ``lexicon`` and ``codebook`` take a file to try a variant (``kz.code_stance(statements,
    codebook="my_codebook.yaml")``); the packaged ones by default.

    >>> st = pd.DataFrame({"statement_id": ["d1:s001"], "doc_id": ["d1"], "group": ["CHN"],
    ...                    "content": ["ندعم جهود السلطات لاستعادة الاستقرار"]})
    >>> code_stance(st)[["target", "label"]].values.tolist()[0]
    ['intervention', 'support']
    """
    cb = codebook if isinstance(codebook, Codebook) else (
        _CB if codebook is None else load_codebook(codebook))
    if not isinstance(statements, pd.DataFrame):
        raise KzError(f"code_stance expects the statements table, not "
                      f"{type(statements).__name__}")
    need = {"statement_id", "doc_id", "group", "content"}
    if not need <= set(statements.columns):
        raise KzError(f"statements lack columns {sorted(need - set(statements.columns))}")
    lex = lexicon if isinstance(lexicon, StanceLexicon) or lexicon is None \
        else load_stance_lexicon(lexicon)
    by_doc = _trees_by_doc(words)
    polarities = cue_polarities(cues) if isinstance(cues, dict) else None
    out = []
    for r in statements.to_dict("records"):
        group = r.get("group")
        group = "" if group is None or (isinstance(group, float) and np.isnan(group)) \
            else str(group)
        content = str(r.get("content") or "")
        parse = _statement_parse(r, content, by_doc)
        if r.get("kind") == "action":
            # the act is the claim: "أرسلت روسيا قوات" is coded on "أرسلت ... قوات"
            content = f"{r.get('cue') or ''} {content}"
        for row in code_statement(content, str(r.get("cue") or ""),
                                  str(r.get("cue_lemma") or ""), lex,
                                  kind=str(r.get("kind") or ""), codebook=cb, parse=parse,
                                  polarities=polarities):
            out.append({"statement_id": r["statement_id"], "doc_id": r["doc_id"],
                        "group": group, **row})
    return pd.DataFrame(out, columns=schemas.STANCE)


def _trees_by_doc(words: pd.DataFrame | None) -> dict[str, list[Tree]]:
    """The parsed sentences of each document (:func:`kzcrisis.syntax.sentence_trees`)."""
    if words is None or not len(words) or "lemma" not in words.columns:
        return {}
    out: dict[str, list[Tree]] = {}
    for (doc_id, _sent), tree in sentence_trees(words).items():
        out.setdefault(doc_id, []).append(tree)
    return out


def _statement_parse(r: dict, content: str, by_doc: dict[str, list[Tree]]
                     ) -> ContentParse | None:
    """The parse of a statement's content span, when its offsets hold the content
    (``text[start_char:end_char] == content``); an action row's content is coded after its
    cue and a space, so its offsets shift by that much."""
    trees = by_doc.get(str(r.get("doc_id")))
    try:
        start, end = int(r["start_char"]), int(r["end_char"])
    except (KeyError, TypeError, ValueError):  # no offsets (a bare table), or NaN
        return None
    if not trees or end - start != len(content):
        return None
    shift = len(str(r.get("cue") or "")) + 1 if r.get("kind") == "action" else 0
    return content_parse(trees, start, end, shift)


def _stance_table(stance: Any) -> pd.DataFrame:
    """The stance table of a Results object (``results.stance``) or the table itself."""
    table = getattr(stance, "stance", stance) if not isinstance(stance, pd.DataFrame) \
        else stance
    if not isinstance(table, pd.DataFrame) or not set(schemas.STANCE) <= set(table.columns):
        raise KzError("compare_stance expects the stance table from kz.code_stance (or the "
                      "results of kz.analyze)")
    return table


def apply_codes(stance: pd.DataFrame, codes: pd.DataFrame,
                codebook: Codebook | None = None) -> pd.DataFrame:
    """The stance table with human codes in place of the automatic labels.

    ``codes`` is :func:`kzcrisis.coding.read_codes`'s table; several coders of one item are
    resolved by :func:`kzcrisis.coding.human_labels` (majority). A human label equal to the
    automatic one keeps the automatic score; another label takes the codebook's
    ``label_scores`` (a coder gives a label, not a score); ``none`` drops the item; an item
    the rules did not code is added. A ``checked`` column (bool) marks the coded rows, and
    the evidence starts with ``human: LABEL (coders)``.

    >>> apply_codes(results.stance, kz.read_codes("codes/amal.xlsx", results))  # doctest: +SKIP
    """
    from .human_codes import human_labels

    cb = codebook or _CB
    human = human_labels(codes)
    st = stance.copy()
    st["checked"] = False
    if not len(human):
        return st
    key = list(zip(st["statement_id"].astype(str), st["target"].astype(str), strict=True))
    pos = {k: i for i, k in enumerate(key)}
    drop, extra = [], []
    for h in human.itertuples(index=False):
        k = (str(h.statement_id), str(h.target))
        note = f"human: {h.code} ({h.coders})"
        i = pos.get(k)
        if h.code == "none":
            if i is not None:
                drop.append(i)
            continue
        if i is None:
            extra.append({"statement_id": k[0], "doc_id": str(h.doc_id), "group": str(h.group),
                          "target": k[1], "label": h.code,
                          "score": cb.label_scores[h.code], "evidence": note,
                          "checked": True})
            continue
        if st.at[st.index[i], "label"] != h.code:
            st.at[st.index[i], "score"] = cb.label_scores[h.code]
            st.at[st.index[i], "label"] = h.code
        st.at[st.index[i], "evidence"] = f"{note}; auto: {st.at[st.index[i], 'evidence']}"
        st.at[st.index[i], "checked"] = True
    st = st.drop(index=st.index[drop])
    if extra:
        st = pd.concat([st, pd.DataFrame(extra)], ignore_index=True)
    return st.reset_index(drop=True)


def bootstrap_interval(scores: np.ndarray, key: str, codebook: Codebook | None = None
                       ) -> tuple[float, float]:
    """Percentile bootstrap interval of the mean of ``scores`` (scipy.stats.bootstrap).

    Seeded from the codebook's seed and ``key`` (the row's doc, group and target), so an
    interval is the same on every run and whatever other rows the table has. One score has
    no interval (NaN, NaN); equal scores give (x, x).
    ``bootstrap_interval(np.array([0.5, 0.5, -0.25]), "ALL|UN|intervention")``
    """
    from scipy.stats import bootstrap

    cb = codebook or _CB
    x = np.asarray(scores, dtype=float)
    if len(x) < 2:
        return float("nan"), float("nan")
    if np.all(x == x[0]):
        return float(x[0]), float(x[0])
    rng = np.random.default_rng([cb.seed, zlib.crc32(key.encode("utf-8"))])
    res = bootstrap((x,), np.mean, confidence_level=cb.confidence_level,
                    n_resamples=cb.n_resamples, method="percentile", random_state=rng)
    ci = res.confidence_interval
    return float(round(ci.low, 3)), float(round(ci.high, 3))


def certainty(n: int, label: str, low: float, high: float,
              codebook: Codebook | None = None) -> str:
    """``single`` (one statement: no interval), ``firm`` (the interval has the label's
    own score range) or ``wide`` (the interval reaches another label's range)."""
    cb = codebook or _CB
    if n < 2:
        return "single"
    if label == "support":
        inside = low >= cb.support_min
    elif label == "oppose":
        inside = high <= cb.oppose_max
    else:
        inside = low > cb.oppose_max and high < cb.support_min
    return "firm" if inside else "wide"


#: The comparison's group for statements whose speaker has no group.
UNRESOLVED = "UNRESOLVED"


def compare_stance(stance: Any, groups: tuple[str, ...] | list[str] | None = (
        "UN", "CHN", "USA", "CSTO"), codes: pd.DataFrame | None = None,
        codebook: Codebook | None = None, unresolved: bool = True) -> pd.DataFrame:
    """Mean stance per document, group and target, plus ``doc_id == "ALL"`` rows for the
    corpus (``schemas.STANCE_COMPARISON``); ``groups=None`` keeps every group present.

    ``stance`` is the stance table or the results of ``kz.analyze``. Each row has the number
    of statements, the mean score with its bootstrap interval (``ci_low``, ``ci_high``; see
    :func:`bootstrap_interval`) and its ``certainty`` (``single`` for one statement, whose
    label is a single claim's, not a group's position). With ``codes`` (from
    ``kz.read_codes``) human codes replace the automatic labels where present
    (:func:`apply_codes`) and ``n_checked`` counts the statements checked by hand.

    Statements whose speaker has no group (not in the actor dictionary; see
    ``candidates.csv``) are compared as the group ``UNRESOLVED``, after the others, rather
    than silently left out; ``unresolved=False`` leaves them out.

    ``kz.compare_stance(results, codes=kz.read_codes(["coder_a.xlsx", "coder_b.xlsx"]))``

    >>> compare_stance(kz.analyze("data/raw"))[["group", "label", "n_statements"]]  # doctest: +SKIP
    """
    cb = codebook or _CB
    df = _stance_table(stance).copy()
    if codes is not None:
        df = apply_codes(df, codes, cb)
    elif "checked" not in df.columns:
        df["checked"] = False
    df["group"] = df["group"].fillna("").astype(str)
    df["group"] = df["group"].where(df["group"] != "", UNRESOLVED if unresolved else "")
    df = df[df["group"] != ""]
    order = list(groups) if groups is not None else sorted(set(df["group"]) - {UNRESOLVED})
    if unresolved and UNRESOLVED not in order:
        order.append(UNRESOLVED)
    df = df[df["group"].isin(order)]
    df["doc_id"] = df["doc_id"].astype(str)
    rank = {(g, t): (i, j) for i, g in enumerate(order) for j, t in enumerate(TARGETS)}
    df = df[pd.Series([(g, t) in rank for g, t in zip(df["group"], df["target"], strict=True)],
                      index=df.index, dtype=bool)]
    rows = []

    def summarise(doc_id: str, sub: pd.DataFrame, g: str, t: str) -> None:
        scores = sub["score"].astype(float).to_numpy()
        score = float(round(scores.mean(), 3))
        caution = bool((sub["label"] == "caution").any())
        label = label_for(score, caution, cb)
        low, high = bootstrap_interval(scores, f"{doc_id}|{g}|{t}", cb)
        n = int(sub["statement_id"].nunique())
        ev = " | ".join(f"{s.statement_id} {s.label} {float(s.score):+.2f}: {s.evidence}"
                        for s in sub.itertuples(index=False))
        rows.append({"doc_id": doc_id, "group": g, "target": t, "label": label,
                     "score": score, "ci_low": low, "ci_high": high, "n_statements": n,
                     "n_checked": int(sub.loc[sub["checked"].astype(bool),
                                              "statement_id"].nunique()),
                     "certainty": certainty(n, label, low, high, cb), "evidence": ev})

    # one groupby, not a filter per document: linear in the corpus
    parts = dict(iter(df.groupby(["doc_id", "group", "target"], sort=False)))
    for doc_id, g, t in sorted(parts, key=lambda k: (k[0], rank[k[1:]])):
        summarise(doc_id, parts[(doc_id, g, t)], g, t)
    corpus = dict(iter(df.groupby(["group", "target"], sort=False)))
    for g, t in sorted(corpus, key=rank.__getitem__):
        summarise("ALL", corpus[(g, t)], g, t)
    out = pd.DataFrame(rows, columns=schemas.STANCE_COMPARISON)
    for col in ("ci_low", "ci_high", "score"):
        out[col] = out[col].astype(float)
    return out


# --------------------------------------------------------------------------- agreement


def align_stance(pred: pd.DataFrame, gold: pd.DataFrame, pred_statements: pd.DataFrame,
                 gold_statements: pd.DataFrame) -> pd.DataFrame:
    """Pair predicted and hand-coded (statement, target) items.

    Statements are aligned within a document by the largest overlap of their content spans
    in the raw text (``raw_start``/``raw_end``); a statement on one side only, or a target
    coded on one side only, is paired with the label ``none``.
    Columns: doc_id, gold_id, statement_id, group_gold, group_pred, target, gold, pred,
    gold_score, pred_score.

    >>> items = align_stance(stance, gold_stance, statements, gold_statements)  # doctest: +SKIP
    >>> items[items.gold != items.pred]                                        # doctest: +SKIP
    """
    for name, df, cols in (("pred_statements", pred_statements, ["statement_id", "raw_start",
                                                                   "raw_end", "doc_id"]),
                           ("gold_statements", gold_statements, ["gold_id", "raw_start",
                                                                 "raw_end", "doc_id"]),
                           ("gold", gold, ["gold_id", "target", "label", "score"]),
                           ("pred", pred, ["statement_id", "target", "label", "score"])):
        if not isinstance(df, pd.DataFrame) or not set(cols) <= set(df.columns):
            raise KzError(f"align_stance: {name} needs columns {cols}")
    ps = list(pred_statements.dropna(subset=["raw_start", "raw_end"]).itertuples(index=False))
    gs = list(gold_statements.itertuples(index=False))
    paired = align_spans([(str(g.doc_id), float(g.raw_start), float(g.raw_end)) for g in gs],
                         [(str(p.doc_id), float(p.raw_start), float(p.raw_end)) for p in ps])
    pairs = {gs[j].gold_id: ps[i].statement_id for j, i in paired.items()}
    used = set(pairs.values())
    gmap = {g.gold_id: g for g in gold_statements.itertuples(index=False)}
    pmap = {p.statement_id: p for p in pred_statements.itertuples(index=False)}
    gl = {(r.gold_id, r.target): r for r in gold.itertuples(index=False)}
    pl = {(r.statement_id, r.target): r for r in pred.itertuples(index=False)}
    rows = []
    units = [(gid, pairs.get(gid)) for gid in gmap] + [
        (None, sid) for sid in pmap if sid not in used]
    for gid, sid in units:
        for t in TARGETS:
            g = gl.get((gid, t)) if gid else None
            p = pl.get((sid, t)) if sid else None
            if g is None and p is None:
                continue
            doc = gmap[gid].doc_id if gid else pmap[sid].doc_id
            rows.append({"doc_id": doc, "gold_id": gid or "", "statement_id": sid or "",
                         "group_gold": str(gmap[gid].group) if gid else "",
                         "group_pred": str(pmap[sid].group) if sid else "",
                         "target": t, "gold": g.label if g is not None else "none",
                         "pred": p.label if p is not None else "none",
                         "gold_score": float(g.score) if g is not None else np.nan,
                         "pred_score": float(p.score) if p is not None else np.nan})
    return pd.DataFrame(rows, columns=["doc_id", "gold_id", "statement_id", "group_gold",
                                       "group_pred", "target", "gold", "pred", "gold_score",
                                       "pred_score"])


def cohen_kappa(a: list[str], b: list[str]) -> float:
    """Cohen's kappa of two nominal codings of the same items."""
    if len(a) != len(b) or not a:
        raise KzError("cohen_kappa needs two equally long, non-empty codings")
    cats = sorted(set(a) | set(b))
    n = len(a)
    po = sum(x == y for x, y in zip(a, b, strict=True)) / n
    pe = sum((a.count(c) / n) * (b.count(c) / n) for c in cats)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


def _alpha(a: list, b: list, level: str) -> float:
    import krippendorff

    if level == "nominal":
        cats = {c: i for i, c in enumerate(sorted(set(a) | set(b)))}
        data = np.array([[cats[x] for x in a], [cats[x] for x in b]], dtype=float)
    else:
        data = np.array([a, b], dtype=float)
    if len(np.unique(data[~np.isnan(data)])) < 2:
        return float("nan")
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement=level))


def stance_agreement(pred: pd.DataFrame, gold: pd.DataFrame,
                     pred_statements: pd.DataFrame | None = None,
                     gold_statements: pd.DataFrame | None = None) -> pd.DataFrame:
    """Agreement between the rules and a hand coding, as a table (level, measure, value, n).

    ``statement`` level (needs both statement tables): labels per aligned (statement,
    target), ``none`` where one side did not code it; Cohen's kappa and Krippendorff's alpha
    (nominal, from the ``krippendorff`` package) and percent agreement. ``group`` level:
    :func:`compare_stance` of both sides per (doc_id, group, target): label agreement and
    Krippendorff's alpha (interval) on the mean scores.

    >>> kz.stance_agreement(stance, gold_stance, statements, gold_statements)  # doctest: +SKIP
    """
    out = []
    if pred_statements is not None and gold_statements is not None:
        items = align_stance(pred, gold, pred_statements, gold_statements)
        a, b = list(items["gold"]), list(items["pred"])
        if a:
            n = len(a)
            out += [("statement", "items", float(n), n),
                    ("statement", "percent_agreement",
                     float(np.mean([x == y for x, y in zip(a, b, strict=True)])), n),
                    ("statement", "cohen_kappa", cohen_kappa(a, b), n),
                    ("statement", "krippendorff_alpha_nominal", _alpha(a, b, "nominal"), n)]
    gold_s = gold.copy()
    if "statement_id" not in gold_s.columns and "gold_id" in gold_s.columns:
        gold_s["statement_id"] = gold_s["gold_id"]
    for col in ("evidence",):
        if col not in gold_s.columns:
            gold_s[col] = ""
    cg = compare_stance(gold_s[schemas.STANCE], groups=None)
    cp = compare_stance(pred[schemas.STANCE], groups=None)
    cg, cp = cg[cg.doc_id != "ALL"], cp[cp.doc_id != "ALL"]
    m = cg.merge(cp, on=["doc_id", "group", "target"], how="outer", suffixes=("_g", "_p"))
    if len(m):
        a = list(m["label_g"].fillna("none"))
        b = list(m["label_p"].fillna("none"))
        n = len(m)
        out += [("group", "items", float(n), n),
                ("group", "percent_agreement",
                 float(np.mean([x == y for x, y in zip(a, b, strict=True)])), n),
                ("group", "cohen_kappa", cohen_kappa(a, b), n),
                ("group", "krippendorff_alpha_interval_score",
                 _alpha(list(m["score_g"]), list(m["score_p"]), "interval"), n)]
    res = pd.DataFrame(out, columns=["level", "measure", "value", "n"])
    res["value"] = res["value"].round(3)
    return res
