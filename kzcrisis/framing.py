"""How each side names the protesters and the intervention.

:func:`framing_terms` counts the terms of ``resources/framing_terms.csv`` (terrorists,
militants, armed rioters, armed protesters, protesters; peacekeeping forces, CSTO forces,
Russian-led forces, intervention ...) in each document, attributing every occurrence to the
speaker group of the statement whose content contains it (the innermost one), or to
``NARRATOR`` when it lies outside every statement. Matching uses the phrase syntax of
:mod:`kzcrisis.phrases` (alternation groups, clitics and pronoun suffixes allowed, ``*`` = up
to two words) on the matching-normal form; overlapping terms: the longest wins.

:func:`log_odds_dirichlet` compares two groups' term counts with the weighted log-odds ratio
and informative Dirichlet prior of Monroe, Colaresi & Quinn (2008), "Fightin' Words",
*Political Analysis* 16(4), eq. 16-22.
"""
from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import schemas
from .errors import KzError, ResourceError
from .normalize import normalize_with_map
from .paths import resource
from .phrases import compile_phrases, select_longest
from .resource_files import read_resource_csv
from .stance import TARGETS

NARRATOR = "NARRATOR"
UNRESOLVED = "UNRESOLVED"


@dataclass
class FramingLexicon:
    """Framing term table plus one compiled regex per row."""

    table: pd.DataFrame
    patterns: list


def load_framing_terms(path: str | Path | None = None) -> FramingLexicon:
    """Load ``framing_terms.csv`` (term_id, term_class, target, forms).

    >>> lexicon = load_framing_terms()
    >>> sorted(set(lexicon.table.target))
    ['intervention', 'protesters']
    """
    path = Path(path) if path is not None else resource("framing_terms.csv")
    need = ["term_id", "term_class", "target", "forms"]
    rows, pats = [], []
    seen = set()
    for line, row in read_resource_csv(path, need):
        where = f"{path}: line {line}"
        if not row["term_id"] or not row["term_class"]:
            raise ResourceError(f"{where}: term_id and term_class must not be empty")
        if row["term_id"] in seen:
            raise ResourceError(f"{where}: duplicate term_id {row['term_id']!r}")
        seen.add(row["term_id"])
        if row["target"] not in TARGETS:
            raise ResourceError(f"{where}: target {row['target']!r} not in {TARGETS}")
        pats.append(compile_phrases(row["forms"], where))
        rows.append(row)
    return FramingLexicon(pd.DataFrame(rows, columns=need), pats)


@lru_cache(maxsize=2)
def _default_lexicon() -> FramingLexicon:
    return load_framing_terms()


def find_terms(text: str, lexicon: FramingLexicon | None = None) -> pd.DataFrame:
    """Framing terms in one text: term_id, term_class, target, start_char, end_char, text
    (longest non-overlapping matches; offsets index ``text``).

    >>> find_terms("وصلت قوات حفظ السلام إلى ألماتي")[["term_id", "text"]].values.tolist()
    [['peacekeeping_forces', 'قوات حفظ السلام']]
    """
    lex = lexicon or _default_lexicon()
    folded, imap = normalize_with_map(text)
    found = []
    for row, rx in zip(lex.table.to_dict("records"), lex.patterns, strict=True):
        for m in rx.finditer(folded):
            found.append((m.start(), m.end(), row))
    rows = []
    # equal lengths: the earlier start, then the term id
    for s, e, row in select_longest(found, span=lambda f: (f[0], f[1]),
                                    tiebreak=lambda f: (f[0], f[2]["term_id"])):
        rows.append({"term_id": row["term_id"], "term_class": row["term_class"],
                     "target": row["target"], "start_char": imap[s], "end_char": imap[e],
                     "text": text[imap[s]:imap[e]]})
    out = pd.DataFrame(rows, columns=["term_id", "term_class", "target", "start_char",
                                      "end_char", "text"])
    return out.sort_values("start_char", kind="stable").reset_index(drop=True)


def framing_terms(docs: pd.DataFrame, statements: pd.DataFrame | None = None,
                  mentions: pd.DataFrame | None = None,
                  lexicon: FramingLexicon | None = None) -> pd.DataFrame:
    """Framing term counts per document and speaker group (``schemas.FRAMING``).

    ``statements`` (from :func:`kzcrisis.extract_statements`) decide who speaks: a term
    inside a statement's content counts for its group (``UNRESOLVED`` when the speaker is
    not a known actor), anything else for ``NARRATOR``. ``mentions`` is accepted so the
    pipeline can pass every stage's tables alike; attribution needs only the statements.

    >>> framing = framing_terms(docs, statements, mentions)        # doctest: +SKIP
    >>> framing.groupby("speaker_group")["n"].sum()                # doctest: +SKIP
    """
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text_clean"} <= set(docs.columns):
        raise KzError("framing_terms needs the cleaned documents (doc_id, text_clean)")
    if statements is not None and len(statements) and not {
            "doc_id", "group", "start_char", "end_char"} <= set(statements.columns):
        raise KzError("framing_terms: statements need doc_id, group, start_char, end_char")
    by_doc = {str(k): g for k, g in statements.groupby(statements["doc_id"].astype(str))} \
        if statements is not None and len(statements) else {}
    counts: dict[tuple, int] = {}
    info: dict[str, tuple[str, str]] = {}
    for d in docs.itertuples(index=False):
        doc_id, text = str(d.doc_id), d.text_clean
        if not isinstance(text, str) or not text:
            continue
        spans = []
        mine = by_doc.get(doc_id)
        if mine is not None:
            for s in mine.itertuples(index=False):
                g = s.group if isinstance(s.group, str) and s.group else UNRESOLVED
                spans.append((int(s.start_char), int(s.end_char), g))
        for t in find_terms(text, lexicon).itertuples(index=False):
            inside = [sp for sp in spans if sp[0] <= t.start_char and t.end_char <= sp[1]]
            group = min(inside, key=lambda sp: sp[1] - sp[0])[2] if inside else NARRATOR
            key = (doc_id, group, t.term_id)
            counts[key] = counts.get(key, 0) + 1
            info[t.term_id] = (t.term_class, t.target)
    rows = [{"doc_id": k[0], "speaker_group": k[1], "term_id": k[2],
             "term_class": info[k[2]][0], "target": info[k[2]][1], "n": n}
            for k, n in counts.items()]
    out = pd.DataFrame(rows, columns=schemas.FRAMING)
    return out.sort_values(["doc_id", "speaker_group", "target", "term_id"],
                           kind="stable").reset_index(drop=True)


def _as_counts(x: Mapping | pd.Series, name: str) -> dict[str, float]:
    if isinstance(x, pd.Series):
        x = x.to_dict()
    if not isinstance(x, Mapping):
        raise KzError(f"log_odds_dirichlet: {name} must be a mapping or Series of counts")
    out = {}
    for k, v in x.items():
        try:
            v = float(v)
        except (TypeError, ValueError):
            raise KzError(f"log_odds_dirichlet: {name}[{k!r}] is not a number") from None
        if v < 0 or math.isnan(v):
            raise KzError(f"log_odds_dirichlet: {name}[{k!r}] is negative or missing")
        out[str(k)] = v
    return out


def log_odds_dirichlet(counts_a: Mapping | pd.Series, counts_b: Mapping | pd.Series,
                       prior: float | Mapping | pd.Series | None = None) -> pd.DataFrame:
    """Weighted log-odds ratio with informative Dirichlet prior (Monroe et al. 2008).

    For each term w with counts y_a, y_b, totals n_a, n_b, prior alpha_w and
    alpha_0 = sum(alpha): delta = log((y_a+a_w)/(n_a+a_0-y_a-a_w))
    - log((y_b+a_w)/(n_b+a_0-y_b-a_w)), var ~ 1/(y_a+a_w) + 1/(y_b+a_w), z = delta/sqrt(var).
    ``prior``: None = the pooled counts a+b (informative prior from both groups); a number =
    the same alpha for every term; a mapping = alpha per term (all must be > 0).
    Returns term, n_a, n_b, alpha, delta, var, z, sorted by z (most typical of a first).

    >>> out = log_odds_dirichlet({"إرهابيين": 5, "متظاهرين": 1}, {"إرهابيين": 1, "متظاهرين": 5},
    ...                          prior=0.5)
    >>> out.set_index("term")["z"].round(2).to_dict()
    {'إرهابيين': 2.82, 'متظاهرين': -2.82}
    """
    a, b = _as_counts(counts_a, "counts_a"), _as_counts(counts_b, "counts_b")
    terms = sorted(set(a) | set(b))
    if not terms:
        raise KzError("log_odds_dirichlet: no terms to compare")
    if prior is None:
        alpha = {w: a.get(w, 0) + b.get(w, 0) for w in terms}
    elif isinstance(prior, int | float):
        alpha = {w: float(prior) for w in terms}
    else:
        p = _as_counts(prior, "prior")
        alpha = {w: p.get(w, 0.0) for w in terms}
    bad = [w for w in terms if not alpha[w] > 0]
    if bad:
        raise KzError(f"log_odds_dirichlet: prior must be > 0 for every term; not for {bad[:3]}")
    n_a, n_b, a0 = sum(a.values()), sum(b.values()), sum(alpha.values())
    rows = []
    for w in terms:
        ya, yb, aw = a.get(w, 0.0), b.get(w, 0.0), alpha[w]
        da, db = n_a + a0 - ya - aw, n_b + a0 - yb - aw
        if da <= 0 or db <= 0:
            raise KzError(f"log_odds_dirichlet: term {w!r} holds every count; add other "
                          "terms or a larger prior")
        delta = math.log((ya + aw) / da) - math.log((yb + aw) / db)
        var = 1 / (ya + aw) + 1 / (yb + aw)
        rows.append({"term": w, "n_a": ya, "n_b": yb, "alpha": aw, "delta": delta,
                     "var": var, "z": delta / math.sqrt(var)})
    out = pd.DataFrame(rows, columns=["term", "n_a", "n_b", "alpha", "delta", "var", "z"])
    return out.sort_values(["z", "term"], ascending=[False, True],
                           kind="stable").reset_index(drop=True)
