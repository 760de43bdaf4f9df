"""Shared benchmark helpers: a corpus generator and the results file.

``generate_corpus(n, folder)`` writes N realistic Arabic news-like documents, each a few
paragraphs of real sentences drawn (seeded) from the public corpora (ANERcorp newswire,
AQMAR Wikipedia, UD Arabic-PUD) or from any folder of Arabic ``.txt`` files. With
``distinct=K`` only K different texts are made and reused under new doc_ids, which lets a
memory benchmark stream tens of thousands of documents through every stage while Stanza
annotates only K of them (the rest come from the annotation cache).

Run ``python -m benchmarks.corpus_gen N FOLDER`` to write a corpus for your own tests.
"""
from __future__ import annotations

import argparse
import csv
import random
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

from kzcrisis.paths import CORPORA, REPORTS

RESULTS = REPORTS / "benchmarks.csv"
_NO_SPACE_BEFORE = {".", "،", ",", ":", ";", "؛", "!", "؟", "?", ")", "»", "%"}
_NO_SPACE_AFTER = {"(", "«"}


def detokenize(tokens: list[str]) -> str:
    """Join corpus tokens as running text (punctuation attached)."""
    out = ""
    for tok in tokens:
        if out and tok not in _NO_SPACE_BEFORE and out[-1] not in _NO_SPACE_AFTER:
            out += " "
        out += tok
    return out


def _token_file_sentences(path: Path) -> list[str]:
    sentences, tokens = [], []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if tokens:
                sentences.append(detokenize(tokens))
            tokens = []
            continue
        tokens.append(parts[0])
        if parts[0] in {".", "؟", "!"} and len(tokens) > 3:
            sentences.append(detokenize(tokens))
            tokens = []
    if tokens:
        sentences.append(detokenize(tokens))
    return sentences


@cache
def corpus_sentences(root: Path = CORPORA) -> tuple[str, ...]:
    """Arabic sentences of the public corpora, or of every .txt under ``root``."""
    root = Path(root)
    sentences: list[str] = []
    aner = sorted((root / "anercorp").glob("ANERCorp_*.txt"))
    aqmar = sorted((root / "aqmar").glob("*.txt"))
    for path in aner + aqmar:
        sentences += _token_file_sentences(path)
    pud = root / "ud_arabic_pud" / "ar_pud-ud-test.conllu"
    if pud.exists():
        sentences += [line[9:] for line in pud.read_text(encoding="utf-8").splitlines()
                      if line.startswith("# text = ")]
    if not sentences:  # any folder of Arabic text
        for path in sorted(root.rglob("*.txt")):
            text = path.read_text(encoding="utf-8", errors="replace")
            sentences += [s.strip() + "." for s in text.replace("\n", " ").split(".")
                          if len(s.split()) > 3]
    sentences = [s for s in sentences if 4 <= len(s.split()) <= 60]
    if not sentences:
        raise SystemExit(f"no Arabic sentences found under {root}: set KZCRISIS_CORPORA")
    return tuple(sentences)


def make_document(rng: random.Random, sentences: tuple[str, ...],
                  paragraphs: tuple[int, int] = (2, 5), per_paragraph: tuple[int, int] = (1, 3)
                  ) -> str:
    """One document: a few paragraphs of sentences picked at random."""
    paras = []
    for _ in range(rng.randint(*paragraphs)):
        paras.append(" ".join(rng.choice(sentences) for _ in range(rng.randint(*per_paragraph))))
    return "\n\n".join(paras) + "\n"


def generate_corpus(n: int, folder: Path, seed: int = 0, distinct: int | None = None,
                    root: Path = CORPORA) -> Path:
    """Write ``n`` documents ``doc-000000.txt`` ... into ``folder``; returns the folder."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    sentences = corpus_sentences(Path(root))
    pool = [make_document(rng, sentences) for _ in range(distinct)] if distinct else None
    for i in range(n):
        text = pool[i % len(pool)] if pool else make_document(rng, sentences)
        (folder / f"doc-{i:06d}.txt").write_text(text, encoding="utf-8")
    return folder


def best_of(repeat: int, fn: Callable[[], object],
            clock: Callable[[], float] = time.perf_counter) -> float:
    """The fastest of ``repeat`` timed calls (seconds of ``clock``)."""
    times = []
    for _ in range(repeat):
        start = clock()
        fn()
        times.append(clock() - start)
    return min(times)


def write_rows(rows: list[tuple[str, str, float, str]], out: Path = RESULTS) -> None:
    """Print rows and append them to ``out`` (benchmark, metric, value, unit)."""
    print(f"{'benchmark':16} {'metric':56} {'value':>12} unit")
    for bench, metric, value, unit in rows:
        print(f"{bench:16} {metric:56} {value:12.4g} {unit}")
    out.parent.mkdir(parents=True, exist_ok=True)
    new = not out.exists() or out.stat().st_size == 0
    with open(out, "a", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        if new:
            writer.writerow(["benchmark", "metric", "value", "unit"])
        for bench, metric, value, unit in rows:
            writer.writerow([bench, metric, f"{value:.4g}", unit])


def record(benchmark: str, rows: list[tuple[str, float, str]], out: Path = RESULTS) -> None:
    """``write_rows`` for rows of one benchmark."""
    write_rows([(benchmark, m, v, u) for m, v, u in rows], out)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.corpus_gen")
    ap.add_argument("n", type=int)
    ap.add_argument("folder", type=Path)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--distinct", type=int, default=None)
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    args = ap.parse_args(argv)
    generate_corpus(args.n, args.folder, args.seed, args.distinct, args.corpora)
    print(f"wrote {args.n} documents to {args.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
