"""Scoring statement attribution on hand-coded sentences (``make eval``).

* :func:`score_styles` runs the whole pipeline on each item of ``data/gold/statements_styles.csv``
  (sentences written in the styles of many outlets, see data/gold/README.md) and scores
  precision, recall and F1 of the (group, cue lemma) pairs of each item, and the overlap of
  the speaker spans of the statements paired by cue lemma (character F1 of the two spans;
  a pair "matches" at 0.5 or more);
* :func:`score_anercorp` scores the speaker span on reported-speech sentences of the ANERcorp
  *train* split (real newswire whose speakers no dictionary holds): a sentence counts when a
  statement's speaker span overlaps a gold PER or ORG entity of that sentence.

    python -m kzcrisis.eval_attribution [--gold data/gold/statements_styles.csv]
"""
from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import pandas as pd

from .errors import KzError, one_line_errors
from .normalize import normalize_for_matching
from .paths import CORPORA, DATA_GOLD

STYLES_FILE = "statements_styles.csv"


def _lemma(row) -> str:
    """The folded cue lemma of a statement row (a gold row may leave it empty)."""
    return normalize_for_matching(row.cue_lemma or "")


def documents_from_texts(texts: dict[str, str]) -> pd.DataFrame:
    """A corpus table (``kz.load_corpus`` shape) from ``{doc_id: text}``."""
    from . import schemas

    rows = [{"doc_id": k, "title": "", "outlet": "", "date": "", "url": "", "language": "ar",
             "source_path": "", "encoding": "utf-8", "sha256": "", "text_raw": v}
            for k, v in texts.items()]
    return pd.DataFrame(rows, columns=schemas.DOCUMENTS)


def statements_of(texts: dict[str, str], models: str = "embedded") -> tuple[pd.DataFrame, pd.DataFrame]:
    """Cleaned documents and statements of some texts, through every stage."""
    from .actors import extract_actors
    from .clean import clean_corpus
    from .nlp import annotate, load_pipeline
    from .statements import extract_statements

    docs, _log = clean_corpus(documents_from_texts(texts))
    ann = annotate(docs, pipeline=load_pipeline(models), progress=False)
    mentions = extract_actors(docs, ann).mentions
    return docs, extract_statements(docs, ann, mentions)


def _span_f1(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    if not inter:
        return 0.0
    p, r = inter / (b[1] - b[0]), inter / (a[1] - a[0])
    return 2 * p * r / (p + r)


def load_styles(path: str | Path | None = None) -> pd.DataFrame:
    p = Path(path) if path else DATA_GOLD / STYLES_FILE
    if not p.exists():
        raise KzError(f"{p} not found (hand-coded statements, see data/gold/README.md)")
    return pd.read_csv(p, dtype=str, keep_default_na=False)


def score_styles(path: str | Path | None = None, models: str = "embedded") -> dict[str, float]:
    """(group, cue lemma) P/R/F1 and speaker-span agreement on the style gold."""
    gold = load_styles(path)
    texts = dict(zip(gold.item_id, gold.text, strict=True))
    docs, pred = statements_of(texts, models)
    clean = dict(zip(docs.doc_id, docs.text_clean, strict=True))
    tp = n_pred = n_gold = 0
    overlaps: list[float] = []
    outside = 0
    for item, g in gold.groupby("item_id", sort=True):
        g = g[g.kind != "none"]
        p = pred[pred.doc_id == item]
        gp = Counter((row.group, _lemma(row)) for row in g.itertuples())
        pp = Counter((row.group, _lemma(row)) for row in p.itertuples())
        tp += sum((gp & pp).values())
        n_pred += sum(pp.values())
        n_gold += sum(gp.values())
        outside += int((~p.link_rule.isin(["inside", "office", "phrase", "nisba", "inherited", "none",
                                           "surface"])).sum())
        text = clean[item]
        used: set[int] = set()
        for row in g.itertuples():
            if not row.speaker_text:
                continue
            gs = text.find(row.speaker_text)
            if gs < 0:
                continue
            cand = [r for r in p.itertuples() if r.Index not in used
                    and _lemma(r) == _lemma(row)]
            if not cand:
                overlaps.append(0.0)
                continue
            best = cand[0]
            used.add(best.Index)
            ps = text.find(best.speaker_text) if best.speaker_text else -1
            overlaps.append(_span_f1((gs, gs + len(row.speaker_text)),
                                     (ps, ps + len(best.speaker_text))) if ps >= 0 else 0.0)
    prec = tp / n_pred if n_pred else float("nan")
    rec = tp / n_gold if n_gold else float("nan")
    f1 = 2 * tp / (n_pred + n_gold) if n_pred + n_gold else float("nan")
    return {"items": float(gold.item_id.nunique()), "gold statements": float(n_gold),
            "predicted statements": float(n_pred), "(group, cue) precision": prec,
            "(group, cue) recall": rec, "(group, cue) F1": f1,
            "speaker span overlap (mean char F1)": sum(overlaps) / len(overlaps) if overlaps else float("nan"),
            "speaker spans matching (char F1 >= 0.5)": (sum(o >= 0.5 for o in overlaps) / len(overlaps)
                                                        if overlaps else float("nan")),
            "links to a mention outside the phrase": float(outside)}


def anercorp_items(corpora: Path, limit: int = 200) -> list[tuple[str, list[tuple[int, int]]]]:
    """Detokenized ANERcorp *train* sentences with a reporting verb (قال، أكد، أضاف ... by their
    surface forms) and their gold PER/ORG character spans."""
    from .models.train import detokenize, read_bio

    cues = {normalize_for_matching(w) for w in ("قال", "وقال", "قالت", "وقالت", "أكد", "وأكد", "أكدت", "وأكدت",
                               "أضاف", "وأضاف", "أعلن", "وأعلن", "أعلنت", "وأعلنت", "صرح", "وصرح",
                               "أوضح", "وأوضح", "ذكر", "وذكر", "ذكرت", "وذكرت", "حذر", "وحذر",
                               "دعا", "ودعا", "أشار", "وأشار")}
    out = []
    for sent in read_bio(corpora / "anercorp" / "ANERCorp_CamelLab_train.txt", {"PERS": "PER"}):
        toks = [t for t, _ in sent]
        if not any(normalize_for_matching(t) in cues for t in toks):
            continue
        text, _space = detokenize(toks)
        spans, pos, cur = [], 0, None
        for tok, tag in sent:
            start = text.index(tok, pos)
            pos = start + len(tok)
            kind = tag.split("-")[-1]
            if tag.startswith("B-") and kind in ("PER", "ORG"):
                cur = [start, pos]
                spans.append(cur)
            elif tag.startswith("I-") and cur is not None and kind in ("PER", "ORG"):
                cur[1] = pos
            else:
                cur = None
        if spans:
            out.append((text, [tuple(s) for s in spans]))
        if len(out) >= limit:
            break
    return out


def score_anercorp(corpora: Path = CORPORA, limit: int = 200, models: str = "embedded") -> dict[str, float]:
    """Share of reported-speech ANERcorp train sentences whose speaker span is a gold PER/ORG."""
    items = anercorp_items(corpora, limit)
    texts = {f"a{i:04d}": t for i, (t, _) in enumerate(items)}
    docs, pred = statements_of(texts, models)
    found = hit = 0
    for i, (_text, spans) in enumerate(items):
        doc_id = f"a{i:04d}"
        clean = docs.loc[docs.doc_id == doc_id, "text_clean"].iloc[0]
        p = pred[(pred.doc_id == doc_id) & (pred.speaker_text != "")]
        if not len(p):
            continue
        found += 1
        for r in p.itertuples():
            s = clean.find(r.speaker_text)
            if s >= 0 and any(min(e, s + len(r.speaker_text)) > max(b, s) for b, e in spans):
                hit += 1
                break
    n = len(items)
    return {"sentences": float(n), "with a speaker found": float(found),
            "speaker span is a gold PER/ORG (of all)": hit / n if n else float("nan"),
            "speaker span is a gold PER/ORG (of those with a speaker)": hit / found if found else float("nan")}


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kzcrisis.eval_attribution")
    ap.add_argument("--gold", default=None)
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--anercorp", type=int, default=200, help="sentences (0 to skip)")
    a = ap.parse_args(argv)
    for k, v in score_styles(a.gold).items():
        print(f"styles gold   {k:44} {v:8.3f}")
    if a.anercorp and (a.corpora / "anercorp").exists():
        for k, v in score_anercorp(a.corpora, a.anercorp).items():
            print(f"ANERcorp train {k:56} {v:8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
