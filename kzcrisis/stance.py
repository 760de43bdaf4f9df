"""Rule-based stance coding of statements toward two targets (see docs/codebook.md).

Targets: ``intervention`` (the CSTO deployment and the authorities' operation) and
``protesters`` (the protesters and the unrest). Each statement's content is matched against
the stance lexicon (``resources/stance_lexicon.csv``): weighted cues (deployment, readiness,
restoring order, calls for restraint, questioning legitimacy, blaming outside forces,
"terrorism" labels ...) and target terms. The score of a (statement, target) pair is the sum
of the weights of the distinct cues matched, with

* negation: a negator (لا، لم، لن، ليس، غير، عدم، دون) up to two words before a cue flips it
  and halves it (not sending troops is reserve, not opposition);
* the cue verb: ``reject`` verbs (ندد، انتقد، رفض) flip *act* cues (what is done or proposed:
  انتقد إرسال قوات), not *label* cues that already judge (ندد بالقمع); ``deny`` verbs (نفى) flip
  both; ``endorse``/``reject``/``warn`` verbs give +0.5/-0.6/-0.4 to a target that the content
  names without any weighted cue; a negated verb withholds (لم يرحب: act cues flipped and
  halved) or takes no position (لم يندد، لم ينف);
* scope: an act cue up to two words after a negative judgement is its object and does not
  count on its own (تساؤلات حول شرعية نشر القوات: the deployment is what is questioned);

clipped to [-1, 1]. Labels: ``support`` (score >= 0.2), ``oppose`` (score <= -0.5),
``caution`` (in between, with a negative score or a restraint/concern cue), else ``neutral``.
Every row carries its evidence: the cues matched with their weights and the matched text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from . import schemas
from .errors import KzError, ResourceError
from .paths import resource
from .resource_files import read_resource_csv

TARGETS = ("intervention", "protesters")
LABELS = ("support", "caution", "oppose", "neutral")
SUPPORT_MIN = 0.2
OPPOSE_MAX = -0.5
CAUTION_CATEGORIES = frozenset({"restraint", "concern", "human_rights"})
VERB_DEFAULT = {"endorse": 0.5, "reject": -0.6, "warn": -0.4, "withhold": -0.25}
# a negated cue verb: "did not welcome" withholds support; "did not condemn/deny/warn" is
# no position
_INVERT = {"endorse": "withhold", "reject": "neutral", "deny": "neutral", "warn": "neutral",
           "neutral": "neutral", "withhold": "neutral"}
NEGATION_FACTOR = -0.5

# Phrase matching on the matching-normal form: each word may carry proclitics (و ف ب ك ل,
# the article ال, or لل) and an attached pronoun; "*" stands for zero to two words.
_PREFIX = r"(?:[وف]?(?:لل|[بلك]?ال|[بلك])?)"
_SUFFIX = r"(?:ا|ها|هما|هم|هن|نا|كم|ه)?"  # tanwin alef or a pronoun
_GAP = r"(?:\s+[^\s،,.:؛;!?؟\"«»“”()]+){0,2}"
_WORD_RE = re.compile(r"\w+")
_CLAUSE_RE = re.compile(r"[،,.:؛;!?؟]")
_NEGATORS = ("لا", "لم", "لن", "ليس", "ليست", "ليسوا", "غير", "عدم", "دون", "بدون")
_NEG_WINDOW = 2
_SCOPE_WORDS = 2


def _fold(text: str) -> str:
    from .clean import normalize_for_matching

    return normalize_for_matching(text)


def phrase_pattern(phrase: str) -> str:
    """Regex (on folded text) for a lexicon phrase: clitics and pronoun suffixes allowed on
    each word, ``*`` = up to two intervening words."""
    parts: list[str] = []
    words = _fold(phrase).split()
    if not words or words[0] == "*" or words[-1] == "*":
        raise ValueError(f"bad phrase {phrase!r}")
    for w in words:
        if w == "*":
            parts.append(_GAP)
            continue
        if not _WORD_RE.fullmatch(w):
            raise ValueError(f"bad word {w!r} in phrase {phrase!r}")
        if parts:
            parts.append(r"\s+")
        parts.append(_PREFIX + re.escape(w) + _SUFFIX)
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


def compile_phrases(forms: str, where: str) -> re.Pattern:
    """One compiled regex for a ``|``-separated list of phrases (longest first)."""
    phrases = [f.strip() for f in forms.split("|") if f.strip()]
    if not phrases:
        raise ResourceError(f"{where}: no forms")
    try:
        pats = [phrase_pattern(p) for p in phrases]
    except ValueError as err:
        raise ResourceError(f"{where}: {err}") from None
    pats.sort(key=lambda p: -len(p))
    return re.compile("|".join(pats))


# --------------------------------------------------------------------------- lexicon


@dataclass
class StanceLexicon:
    """The stance cue table plus one compiled regex per cue row."""

    table: pd.DataFrame
    patterns: list[re.Pattern]


def load_stance_lexicon(path: str | Path | None = None) -> StanceLexicon:
    """Load ``stance_lexicon.csv`` (columns cue_id, category, target, weight, fallback, kind,
    forms); a malformed row raises ResourceError naming file and line.

    >>> lexicon = load_stance_lexicon()
    >>> {"cue_id", "target", "weight"} <= set(lexicon.table.columns)
    True
    """
    path = Path(path) if path is not None else resource("stance_lexicon.csv")
    need = ["cue_id", "category", "target", "weight", "fallback", "kind", "forms"]
    rows, pats = [], []
    for line, row in read_resource_csv(path, need):
        where = f"{path}: line {line}"
        if not row["cue_id"]:
            raise ResourceError(f"{where}: empty cue_id")
        if row["target"] not in (*TARGETS, "any"):
            raise ResourceError(f"{where}: target {row['target']!r} not in "
                                f"{(*TARGETS, 'any')}")
        if row["kind"] not in ("act", "label", "target", "operator"):
            raise ResourceError(f"{where}: kind must be act, label, target or operator")
        try:
            weight = float(row["weight"])
        except ValueError:
            raise ResourceError(f"{where}: weight {row['weight']!r} is not a number") \
                from None
        if not -1 <= weight <= 1:
            raise ResourceError(f"{where}: weight {weight} outside [-1, 1]")
        if row["target"] == "any" and row["fallback"] not in (*TARGETS, "both"):
            raise ResourceError(f"{where}: a target 'any' cue needs fallback "
                                f"intervention, protesters or both")
        pats.append(compile_phrases(row["forms"], where))
        rows.append({**row, "weight": weight})
    table = pd.DataFrame(rows, columns=need)
    return StanceLexicon(table, pats)


@lru_cache(maxsize=2)
def _default_lexicon() -> StanceLexicon:
    return load_stance_lexicon()


@lru_cache(maxsize=1)
def _negators() -> frozenset[str]:
    return frozenset(_fold(w) for w in _NEGATORS)


@lru_cache(maxsize=1)
def _cue_verb_polarity() -> dict[str, str]:
    from .statements import _default_lexicon as cue_lexicon

    return {info["lemma"]: info["polarity"] for info in cue_lexicon().cue_info.values()}


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


def match_cues(text: str, lexicon: StanceLexicon | None = None) -> list[_Hit]:
    """Stance cues in a text: longest non-overlapping evaluative matches (cues sharing a
    span all count) plus every target term; negation marked."""
    from .clean import normalize_with_map

    lex = lexicon or _default_lexicon()
    folded, imap = normalize_with_map(text)
    found = []
    for row, rx in zip(lex.table.to_dict("records"), lex.patterns, strict=True):
        for m in rx.finditer(folded):
            found.append((row, m.start(), m.end()))
    evaluative = sorted((f for f in found if f[0]["kind"] != "target"),
                        key=lambda f: (-(f[2] - f[1]), f[1]))
    taken: list[tuple[int, int]] = []
    keep = []
    for row, s, e in evaluative:
        if (s, e) in taken or not any(s < te and ts < e for ts, te in taken):
            if (s, e) not in taken:
                taken.append((s, e))
            keep.append((row, s, e))
    keep += [f for f in found if f[0]["kind"] == "target"]
    neg = _negators()
    hits = []
    for row, s, e in sorted(keep, key=lambda f: (f[1], f[0]["cue_id"])):
        lo = max(0, s - 40)
        # a negator that belongs to another cue (لن نسمح بـ ...) does not negate this one
        for _ts, te in taken:
            if lo < te <= s:
                lo = max(lo, te)
        clause = _CLAUSE_RE.split(folded[lo:s])[-1]
        words = _WORD_RE.findall(clause)[-(_NEG_WINDOW + 1):]
        negated = row["kind"] != "target" and any(
            w in neg or (w[:1] in "وف" and w[1:] in neg) for w in words)
        hits.append(_Hit(row["cue_id"], row["category"], row["target"], row["weight"],
                         row["fallback"], row["kind"], imap[s], imap[e],
                         text[imap[s]:imap[e]], negated))
    return hits


def label_for(score: float, caution_cue: bool) -> str:
    """The label of a score (thresholds in the codebook)."""
    if score >= SUPPORT_MIN:
        return "support"
    if score <= OPPOSE_MAX:
        return "oppose"
    if score < 0 or caution_cue:
        return "caution"
    return "neutral"


def code_statement(content: str, cue: str = "", cue_lemma: str = "",
                   lexicon: StanceLexicon | None = None) -> list[dict]:
    """Stance rows (target, label, score, evidence) for one statement's content."""
    hits = match_cues(content or "", lexicon)
    polarity = _cue_verb_polarity().get(cue_lemma, "neutral")
    first = _WORD_RE.findall(_fold(cue or ""))[:1]
    if first and first[0] in _negators():
        polarity = _INVERT[polarity]
    spoken = {h.target for h in hits if h.target in TARGETS}
    per: dict[str, dict[str, tuple[float, _Hit]]] = {t: {} for t in TARGETS}
    judged = [h for h in hits if h.kind == "label" and h.weight < 0 and not h.negated]
    scoped = []
    # a rejection (رفض، معارضة) flips the act that follows it (رفض إرسال قوات) and opposes a
    # target named right after it (رفض وجود القوات); a judgement after it keeps its own sign
    flipped: dict[int, _Hit] = {}
    for op in (h for h in hits if h.kind == "operator" and not h.negated):
        near = [h for h in hits if h is not op and h.kind != "operator" and h.start >= op.end
                and len(_WORD_RE.findall(content[op.end:h.start])) <= _SCOPE_WORDS]
        obj = next((h for h in near if h.kind != "target"), None) or next(iter(near), None)
        if obj is None or obj.kind == "label":
            continue
        if obj.kind == "act":
            flipped[id(obj)] = op
        else:
            spoken.add(obj.target)
            per[obj.target].setdefault(op.cue_id, (op.weight, op))
    for h in hits:
        if h.kind in ("target", "operator"):
            continue
        # an act right after a negative judgement is its object (شرعية نشر القوات)
        owner = next((j for j in judged if 0 <= h.start - j.end
                      and len(_WORD_RE.findall(content[j.end:h.start])) <= _SCOPE_WORDS), None)
        if h.kind == "act" and owner is not None:
            scoped.append((h.target, f"{h.cue_id} «{h.text}» in the scope of {owner.cue_id}"))
            continue
        if h.target == "any":
            targets = sorted(spoken) or (list(TARGETS) if h.fallback == "both"
                                         else [h.fallback])
        else:
            targets = [h.target]
        w = h.weight * NEGATION_FACTOR if h.negated else h.weight
        if id(h) in flipped:
            w = -w
            scoped.append((h.target, f"{h.cue_id} flipped by {flipped[id(h)].cue_id} "
                                     f"«{flipped[id(h)].text}»"))
        if polarity == "deny" or (polarity == "reject" and h.kind == "act"):
            w = -w
        elif polarity == "withhold" and h.kind == "act":
            w = w * NEGATION_FACTOR
        for t in targets:
            spoken.add(t)
            per[t].setdefault(h.cue_id, (w, h))
    rows = []
    for t in TARGETS:
        if t not in spoken:
            continue
        ev = []
        score = 0.0
        for cue_id, (w, h) in per[t].items():
            score += w
            neg = "NOT " if h.negated else ""
            ev.append(f"{neg}{cue_id} {w:+.2f} «{h.text}»")
        if not per[t] and polarity in VERB_DEFAULT:
            score = VERB_DEFAULT[polarity]
            ev.append(f"cue verb {cue} ({polarity}) {score:+.2f}")
        elif polarity in ("reject", "deny", "withhold") and per[t]:
            ev.append(f"cue verb {cue} ({polarity}) flips")
        ev += [note for tt, note in scoped if tt in (t, "any")]
        if not ev:
            terms = [h.text for h in hits if h.kind == "target" and h.target == t]
            ev.append("target named, no stance cue: " + "، ".join(dict.fromkeys(terms)))
        score = float(np.clip(round(score, 3), -1, 1))
        caution = any(h.category in CAUTION_CATEGORIES for _, h in per[t].values())
        rows.append({"target": t, "label": label_for(score, caution), "score": score,
                     "evidence": "; ".join(ev)})
    return rows


def code_stance(statements: pd.DataFrame, lexicon: StanceLexicon | str | Path | None = None
                ) -> pd.DataFrame:
    """Stance of every statement toward each target it speaks to (``schemas.STANCE``).

    >>> st = pd.DataFrame({"statement_id": ["d1:s001"], "doc_id": ["d1"], "group": ["CHN"],
    ...                    "content": ["ندعم جهود السلطات لاستعادة الاستقرار"]})
    >>> code_stance(st)[["target", "label", "score"]].values.tolist()
    [['intervention', 'support', 0.9]]
    """
    if not isinstance(statements, pd.DataFrame):
        raise KzError(f"code_stance expects the statements table, not "
                      f"{type(statements).__name__}")
    need = {"statement_id", "doc_id", "group", "content"}
    if not need <= set(statements.columns):
        raise KzError(f"statements lack columns {sorted(need - set(statements.columns))}")
    lex = lexicon if isinstance(lexicon, StanceLexicon) or lexicon is None \
        else load_stance_lexicon(lexicon)
    out = []
    for r in statements.to_dict("records"):
        group = r.get("group")
        group = "" if group is None or (isinstance(group, float) and np.isnan(group)) \
            else str(group)
        content = str(r.get("content") or "")
        if r.get("kind") == "action":
            # the act is the claim: "أرسلت روسيا قوات" is coded on "أرسلت ... قوات"
            content = f"{r.get('cue') or ''} {content}"
        for row in code_statement(content, str(r.get("cue") or ""),
                                  str(r.get("cue_lemma") or ""), lex):
            out.append({"statement_id": r["statement_id"], "doc_id": r["doc_id"],
                        "group": group, **row})
    return pd.DataFrame(out, columns=schemas.STANCE)


#: The comparison's group for statements whose speaker has no group.
UNRESOLVED = "UNRESOLVED"


def compare_stance(stance: pd.DataFrame, groups: tuple[str, ...] | list[str] | None = (
        "UN", "CHN", "USA", "CSTO"), unresolved: bool = True) -> pd.DataFrame:
    """Mean stance per document, group and target, plus ``doc_id == "ALL"`` rows for the
    corpus (``schemas.STANCE_COMPARISON``); ``groups=None`` keeps every group present.

    Statements whose speaker has no group (not in the actor dictionary; see
    ``candidates.csv``) are compared as the group ``UNRESOLVED``, after the others, rather
    than silently left out; ``unresolved=False`` leaves them out.

    >>> st = pd.DataFrame({"statement_id": ["s1", "s2"], "doc_id": ["d", "d"],
    ...                    "group": ["CHN", ""], "target": ["intervention"] * 2,
    ...                    "label": ["support", "oppose"], "score": [0.7, -0.7],
    ...                    "evidence": ["ندعم", "نرفض"]})
    >>> compare_stance(st)[["doc_id", "group", "label"]].values.tolist()
    [['d', 'CHN', 'support'], ['d', 'UNRESOLVED', 'oppose'], ['ALL', 'CHN', 'support'], ['ALL', 'UNRESOLVED', 'oppose']]
    """
    if not isinstance(stance, pd.DataFrame) or not set(schemas.STANCE) <= set(stance.columns):
        raise KzError("compare_stance expects the stance table from kz.code_stance")
    df = stance.copy()
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
        score = float(round(sub["score"].astype(float).mean(), 3))
        caution = bool((sub["label"] == "caution").any())
        ev = " | ".join(f"{s.statement_id} {s.label} {float(s.score):+.2f}: {s.evidence}"
                        for s in sub.itertuples(index=False))
        rows.append({"doc_id": doc_id, "group": g, "target": t,
                     "label": label_for(score, caution), "score": score,
                     "n_statements": int(sub["statement_id"].nunique()), "evidence": ev})

    # one groupby, not a filter per document: linear in the corpus
    parts = dict(iter(df.groupby(["doc_id", "group", "target"], sort=False)))
    for doc_id, g, t in sorted(parts, key=lambda k: (k[0], rank[k[1:]])):
        summarise(doc_id, parts[(doc_id, g, t)], g, t)
    corpus = dict(iter(df.groupby(["group", "target"], sort=False)))
    for g, t in sorted(corpus, key=rank.__getitem__):
        summarise("ALL", corpus[(g, t)], g, t)
    return pd.DataFrame(rows, columns=schemas.STANCE_COMPARISON)


# --------------------------------------------------------------------------- agreement


def _overlap(a0: float, a1: float, b0: float, b1: float) -> float:
    return max(0.0, min(a1, b1) - max(a0, b0))


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
    pairs: dict[str, str] = {}
    used: set[str] = set()
    ps = pred_statements.dropna(subset=["raw_start", "raw_end"])
    for g in gold_statements.itertuples(index=False):
        cand = ps[ps["doc_id"].astype(str) == str(g.doc_id)]
        best, best_ov = None, 0.0
        for p in cand.itertuples(index=False):
            if p.statement_id in used:
                continue
            ov = _overlap(float(g.raw_start), float(g.raw_end), float(p.raw_start),
                          float(p.raw_end))
            if ov > best_ov:
                best, best_ov = p.statement_id, ov
        if best is not None:
            pairs[g.gold_id] = best
            used.add(best)
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
