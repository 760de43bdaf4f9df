"""Scoring against the hand-coded gold in ``data/gold`` (see data/gold/README.md).

A plain module of functions; each stage adds its own scorer here. ``python -m
kzcrisis.evaluate`` (``make eval``) prints the stance scores on the written gold claims.

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

import argparse
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from .align import align_spans
from .errors import KzError, one_line_errors
from .paths import DATA_GOLD

__all__ = ["GOLD_CLAIM_COLUMNS", "GOLD_MENTION_COLUMNS", "StanceScores", "evaluate_mentions",
           "evaluate_stance_claims", "load_gold_claims", "load_gold_mentions",
           "match_mentions", "mention_scores", "stance_scores"]

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


def _spans(df: pd.DataFrame, by: str) -> list[tuple]:
    """``((doc_id, key), start, end)`` per row; a row without a key pairs with nothing."""
    return [((d, k) if pd.notna(k) and pd.notna(d) else object(), s, e) for d, k, s, e in zip(
        df["doc_id"], df[by], df["start_char"].astype(int), df["end_char"].astype(int),
        strict=True)]


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
    paired = align_spans(_spans(g, by), _spans(p, by), order="overlap", exact=match == "exact")
    used_p = {i: j for j, i in paired.items()}
    used_g = set(paired)
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


# --------------------------------------------------------------------------- stance claims
#
# data/gold/stance_claims.csv: short texts written in the styles of many outlets (never from
# the seed article), each hand-coded for the stance of the group that speaks or acts in it
# toward each target it addresses (data/gold/README.md). The texts are analysed end to end
# (cleaning, Stanza, actors, statements, narrated acts, stance); the predicted label of an
# item, group and target is that of its comparison row, and "neutral" when the rules found
# no position (no claim of that group on that target).

GOLD_CLAIMS_FILE = "stance_claims.csv"
#: texts written after the rules were last revised and never used to change them
HELDOUT_CLAIMS_FILE = "stance_claims_heldout.csv"
SPLITS = {"dev": "the texts the rules were revised on",
          "heldout": "texts written after the last revision, never used to change the rules"}
GOLD_CLAIM_COLUMNS = ["item_id", "style", "phenomenon", "group", "target", "label", "note",
                      "text"]
STANCE_LABELS = ("support", "caution", "oppose", "neutral")


def load_gold_claims(path: str | Path | None = None) -> pd.DataFrame:
    """The hand-coded stance claims (``data/gold/stance_claims.csv`` unless ``path``)."""
    p = Path(path) if path is not None else DATA_GOLD / GOLD_CLAIMS_FILE
    try:
        gold = pd.read_csv(p, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise KzError(f"{p}: no gold claims file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as err:
        raise KzError(f"{p}: unreadable gold claims ({err})") from None
    missing = [c for c in GOLD_CLAIM_COLUMNS if c not in gold.columns]
    if missing:
        raise KzError(f"{p}: missing column(s) {missing}")
    for i, r in enumerate(gold.itertuples(index=False), start=2):
        if r.label not in STANCE_LABELS:
            raise KzError(f"{p}: line {i}: label {r.label!r} not in {STANCE_LABELS}")
        if r.target not in ("intervention", "protesters"):
            raise KzError(f"{p}: line {i}: target {r.target!r} not intervention/protesters")
    texts = gold.groupby("item_id")["text"].nunique()
    if (texts > 1).any():
        raise KzError(f"{p}: item {texts[texts > 1].index[0]!r} has different texts")
    if gold.duplicated(["item_id", "group", "target"]).any():
        dup = gold[gold.duplicated(["item_id", "group", "target"])].iloc[0]
        raise KzError(f"{p}: item {dup.item_id} codes {dup.group}/{dup.target} twice")
    return gold


@dataclass
class StanceScores:
    """Per-label precision/recall/F1, macro-F1 and the confusion matrix (rows: gold)."""

    per_label: pd.DataFrame
    macro_f1: float
    confusion: pd.DataFrame
    items: pd.DataFrame

    def __str__(self) -> str:
        lines = [self.per_label.to_string(index=False, float_format=lambda x: f"{x:.3f}"),
                 f"macro-F1 {self.macro_f1:.3f} over {len(self.items)} gold rows "
                 f"({int((~self.items['found']).sum())} with no automatic position)",
                 "confusion (rows gold, columns automatic):", self.confusion.to_string()]
        return "\n".join(lines)


def stance_scores(gold: pd.Series | list, pred: pd.Series | list) -> tuple[pd.DataFrame,
                                                                            float,
                                                                            pd.DataFrame]:
    """Per-label P/R/F1 (support, caution, oppose, neutral), their macro-F1 and the
    confusion matrix of two equally long label lists."""
    g, p = list(gold), list(pred)
    if len(g) != len(p):
        raise KzError("stance_scores: gold and predicted labels differ in length")
    rows = []
    for lab in STANCE_LABELS:
        tp = sum(a == lab and b == lab for a, b in zip(g, p, strict=True))
        fp = sum(a != lab and b == lab for a, b in zip(g, p, strict=True))
        fn = sum(a == lab and b != lab for a, b in zip(g, p, strict=True))
        prec, rec, f1 = _prf(tp, fp, fn)
        rows.append((lab, g.count(lab), p.count(lab), prec, rec, f1))
    per = pd.DataFrame(rows, columns=["label", "n_gold", "n_pred", "precision", "recall",
                                      "f1"])
    macro = float(np.nanmean(per["f1"].to_numpy(dtype=float))) if len(g) else float("nan")
    conf = pd.crosstab(pd.Categorical(g, categories=STANCE_LABELS),
                       pd.Categorical(p, categories=STANCE_LABELS), dropna=False)
    conf.index.name, conf.columns.name = "gold", "auto"
    return per, macro, conf


def evaluate_stance_claims(gold: pd.DataFrame | None = None, **settings) -> StanceScores:
    """Analyse the gold texts end to end and score the automatic stance against them.

    ``settings`` go to ``kz.analyze`` (models, cache ...). Example:
    ``print(kz.evaluate.evaluate_stance_claims())``.
    """
    from .pipeline import analyze
    from .stance import compare_stance

    g = load_gold_claims() if gold is None else gold
    corpus = g.drop_duplicates("item_id")[["item_id", "text"]].rename(
        columns={"item_id": "doc_id"})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "gold_claims.csv"
        corpus.to_csv(path, index=False)
        results = analyze(path, **settings)
    cmp_ = compare_stance(results, groups=None)
    cmp_ = cmp_[cmp_["doc_id"] != "ALL"]
    found = {(r.doc_id, r.group, r.target): r.label for r in cmp_.itertuples(index=False)}
    items = g[["item_id", "style", "phenomenon", "group", "target", "label"]].copy()
    keys = list(zip(items["item_id"], items["group"], items["target"], strict=True))
    items["found"] = [k in found for k in keys]
    items["auto"] = [found.get(k, "neutral") for k in keys]
    per, macro, conf = stance_scores(items["label"], items["auto"])
    return StanceScores(per, macro, conf, items)


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    """``python -m kzcrisis.evaluate [--out CSV]``: stance scores on the gold claims, the
    development texts and the held-out ones."""
    parser = argparse.ArgumentParser(prog="python -m kzcrisis.evaluate")
    parser.add_argument("--out", help="also write the per-item comparison to this CSV")
    parser.add_argument("--cache", default="off")
    args = parser.parse_args(argv)
    items = []
    for split, name in (("dev", GOLD_CLAIMS_FILE), ("heldout", HELDOUT_CLAIMS_FILE)):
        scores = evaluate_stance_claims(load_gold_claims(DATA_GOLD / name), cache=args.cache)
        print(f"Stance on {DATA_GOLD / name} ({SPLITS[split]}):")
        print(scores)
        by = scores.items.assign(ok=scores.items["label"] == scores.items["auto"]).groupby(
            "phenomenon")["ok"].agg(["sum", "count"])
        print("correct by phenomenon:")
        print(by.rename(columns={"sum": "correct", "count": "rows"}).to_string())
        print()
        items.append(scores.items.assign(split=split))
    if args.out:
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        pd.concat(items, ignore_index=True).to_csv(args.out, index=False, lineterminator="\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
