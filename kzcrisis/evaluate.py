"""Scoring against the hand-coded gold in ``data/gold`` (see data/gold/README.md).

A plain module of functions; each stage adds its own scorer here.

Mentions
--------
A predicted mention and a gold mention *match* when they are in the same document, carry the
same key (``actor_id``, or ``group`` when scoring by group) and their spans on the cleaned text
are identical (``match="exact"``) or share at least one character (``match="overlap"``, the
default: span conventions such as including "عناصر" in "عناصر الشرطة" should not decide whether
the actor was found). Matching is one-to-one: each gold mention is used at most once, larger
overlaps first. Precision = TP / predicted, recall = TP / gold, F1 = 2TP / (2TP + FP + FN)
(their harmonic mean); an undefined ratio (0/0) is reported as NaN, not 0.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .errors import KzError
from .paths import DATA_GOLD

__all__ = ["GOLD_MENTION_COLUMNS", "evaluate_mentions", "load_gold_mentions", "match_mentions",
           "mention_scores"]

GOLD_MENTIONS_FILE = "mentions.csv"
GOLD_MENTION_COLUMNS = ["doc_id", "actor_id", "group", "surface", "start_char", "end_char"]
SCORE_COLUMNS = ["tp", "fp", "fn", "n_pred", "n_gold", "precision", "recall", "f1"]
MATCH_MODES = ("exact", "overlap")
BY_KEYS = ("actor_id", "group")


def load_gold_mentions(path: str | Path | None = None) -> pd.DataFrame:
    """The hand-coded gold mentions (``data/gold/mentions.csv`` unless ``path`` is given)."""
    p = Path(path) if path is not None else DATA_GOLD / GOLD_MENTIONS_FILE
    try:
        gold = pd.read_csv(p, dtype={"doc_id": str, "actor_id": str, "group": str,
                                     "surface": str}, keep_default_na=False)
    except FileNotFoundError:
        raise KzError(f"{p}: no gold mentions file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise KzError(f"{p}: unreadable gold mentions ({err})") from None
    _check(gold, "gold", str(p))
    return gold


def _check(df: pd.DataFrame, name: str, where: str = "") -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise KzError(f"{name} mentions must be a DataFrame, not {type(df).__name__}")
    need = ["doc_id", "actor_id", "group", "start_char", "end_char"]
    missing = [c for c in need if c not in df.columns]
    if missing:
        raise KzError(f"{where or name} mentions lack column(s) {missing}")
    for col in ("start_char", "end_char"):
        if len(df) and not pd.api.types.is_integer_dtype(
                pd.to_numeric(df[col], errors="coerce").dropna()):
            raise KzError(f"{where or name}: column {col} must hold integer offsets")
        if df[col].isna().any():
            raise KzError(f"{where or name}: column {col} has missing offsets")
    if len(df) and (df["end_char"].astype(int) <= df["start_char"].astype(int)).any():
        i = int(np.flatnonzero(df["end_char"].astype(int) <= df["start_char"].astype(int))[0])
        raise KzError(f"{where or name}: row {i} has end_char <= start_char")
    return df


def match_mentions(pred: pd.DataFrame, gold: pd.DataFrame, by: str = "actor_id",
                   match: str = "overlap") -> pd.DataFrame:
    """One row per predicted and per unmatched gold mention: ``doc_id``, key, pred/gold spans,
    ``outcome`` (tp | fp | fn). The basis of :func:`mention_scores`."""
    if by not in BY_KEYS:
        raise KzError(f"by must be one of {BY_KEYS}, not {by!r}")
    if match not in MATCH_MODES:
        raise KzError(f"match must be one of {MATCH_MODES}, not {match!r}")
    _check(pred, "predicted")
    _check(gold, "gold")
    p = pred.reset_index(drop=True)
    g = gold.reset_index(drop=True)
    pairs = []
    for (doc, key), gp in p.groupby(["doc_id", by], sort=False):
        gg = g[(g["doc_id"] == doc) & (g[by] == key)]
        for i, ps, pe in zip(gp.index, gp["start_char"].astype(int), gp["end_char"].astype(int),
                             strict=True):
            for j, gs, ge in zip(gg.index, gg["start_char"].astype(int),
                                 gg["end_char"].astype(int), strict=True):
                ov = min(pe, ge) - max(ps, gs)
                ok = (ps == gs and pe == ge) if match == "exact" else ov > 0
                if ok:
                    pairs.append((ov, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    used_p: dict[int, int] = {}
    used_g: set[int] = set()
    for _, i, j in pairs:
        if i not in used_p and j not in used_g:
            used_p[i] = j
            used_g.add(j)
    rows = []
    for i, r in p.iterrows():
        j = used_p.get(i)
        rows.append((r["doc_id"], r[by], int(r["start_char"]), int(r["end_char"]),
                     None if j is None else int(g.at[j, "start_char"]),
                     None if j is None else int(g.at[j, "end_char"]),
                     "tp" if j is not None else "fp"))
    for j, r in g.iterrows():
        if j not in used_g:
            rows.append((r["doc_id"], r[by], None, None, int(r["start_char"]),
                         int(r["end_char"]), "fn"))
    out = pd.DataFrame(rows, columns=["doc_id", by, "pred_start", "pred_end", "gold_start",
                                      "gold_end", "outcome"])
    for c in ("pred_start", "pred_end", "gold_start", "gold_end"):
        out[c] = out[c].astype("Int64")
    return out


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else float("nan")
    r = tp / (tp + fn) if tp + fn else float("nan")
    # 2TP / (2TP + FP + FN): the harmonic mean of P and R where both exist, and 0 (not NaN)
    # when nothing was predicted for a key that has gold mentions, or vice versa
    f = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return p, r, f


def mention_scores(pred: pd.DataFrame, gold: pd.DataFrame, by: str = "actor_id",
                   match: str = "overlap") -> pd.DataFrame:
    """Precision, recall and F1 of predicted mentions per ``by`` value (``actor_id`` or
    ``group``), plus a final micro-averaged row whose key is ``ALL``."""
    m = match_mentions(pred, gold, by=by, match=match)
    rows = []
    keys = sorted(set(m[by]))
    for key in keys + ["ALL"]:
        sub = m if key == "ALL" else m[m[by] == key]
        tp = int((sub["outcome"] == "tp").sum())
        fp = int((sub["outcome"] == "fp").sum())
        fn = int((sub["outcome"] == "fn").sum())
        rows.append((key, tp, fp, fn, tp + fp, tp + fn, *_prf(tp, fp, fn)))
    return pd.DataFrame(rows, columns=[by, *SCORE_COLUMNS])


def evaluate_mentions(pred: pd.DataFrame, gold: pd.DataFrame | None = None) -> pd.DataFrame:
    """Micro P/R/F1 of ``pred`` against the gold (default: ``data/gold/mentions.csv``, limited
    to the documents it codes), by actor and by group, with exact and overlap matching."""
    g = load_gold_mentions() if gold is None else gold
    _check(pred, "predicted")
    p = pred[pred["doc_id"].isin(set(g["doc_id"]))]
    rows = []
    for by in BY_KEYS:
        for match in MATCH_MODES:
            s = mention_scores(p, g, by=by, match=match).iloc[-1]
            rows.append((by, match, *(s[c] for c in SCORE_COLUMNS)))
    return pd.DataFrame(rows, columns=["by", "match", *SCORE_COLUMNS])
