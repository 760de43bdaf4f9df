"""Speed of ``kz.clean_text`` on ~10 MB of Arabic text, as a ratio to one ``re.sub`` pass.

The text is built from the public corpora (``kzcrisis.paths.CORPORA``): the sentences that
``benchmarks.corpus_gen.corpus_sentences`` reads from ANERcorp, AQMAR and UD Arabic-PUD, one
per line, five lines a paragraph (blank line between), repeated in a shuffled order until the
size is reached.
The reference pass is ``re.sub(r"\\s+", " ", text)`` (collapsing whitespace) over the same
text; the aim is ``clean_text`` at no more than 5x its time. It is measured twice: on the
corpus text as is, and with scraped-page boilerplate (footer, e-mail artefact, read-also,
follow-us and URL lines) every ~5 KB. Prints a table and appends rows
(benchmark, metric, value, unit) to ``reports/benchmarks.csv``.

    .venv/bin/python benchmarks/bench_clean.py [--mb 10] [--repeat 5]
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from pathlib import Path

from kzcrisis.clean import clean_text
from kzcrisis.paths import CORPORA, REPORTS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus_gen import corpus_sentences, write_rows  # noqa: E402

WHITESPACE = re.compile(r"\s+")


def build_text(root: Path, megabytes: float, seed: int = 0) -> str:
    lines = list(corpus_sentences(Path(root)))  # exits with a message when there are none
    rng = random.Random(seed)
    target = int(megabytes * 1_000_000)
    paras, size = [], 0
    while size < target:
        order = lines[:]
        rng.shuffle(order)
        for i in range(0, len(order), 5):
            para = "\n".join(order[i:i + 5])
            paras.append(para)
            size += len(para.encode("utf-8")) + 2
            if size >= target:
                break
    return "\n\n".join(paras)


NOISE = [
    "اقرأ أيضاً: روسيا ترسل قوات إلى كازاخستان",
    "تابعونا على تلغرام",
    "https://example.com/news/2022/01/kazakhstan",
    "استعمال المضامين بموجب بند 27 أ لقانون الحقوق الأدبية لسنة 2007، يرجى ارسال رسالة الى:",
    "[email\xa0protected]",
]


def with_scraped_noise(text: str, article_bytes: int = 5000) -> str:
    """The same text cut into ~5 KB "articles", each with a read-also line, a follow-us line,
    a URL and a licence footer with the e-mail artefact, as scraped news pages have."""
    paras = text.split("\n\n")
    out, size = [], 0
    for p in paras:
        out.append(p)
        size += len(p.encode("utf-8"))
        if size >= article_bytes:
            out.extend(NOISE)
            size = 0
    return "\n\n".join(out)


def best_of_interleaved(repeat: int, *fns) -> list[float]:
    """Best time of each function, the runs interleaved so that both see the same machine load."""
    best = [float("inf")] * len(fns)
    for _ in range(repeat):
        for i, fn in enumerate(fns):
            t0 = time.perf_counter()
            fn()
            best[i] = min(best[i], time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=10.0)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--out", type=Path, default=REPORTS / "benchmarks.csv")
    a = ap.parse_args(argv)

    rows = []
    base = build_text(a.corpora, a.mb)
    for label, text in (("corpus text", base), ("with scraped boilerplate", with_scraped_noise(base))):
        mb = len(text.encode("utf-8")) / 1e6
        cleaned = clean_text(text)  # warm-up (loads the patterns)
        clean_s, resub_s = best_of_interleaved(a.repeat, lambda text=text: clean_text(text),
                                               lambda text=text: WHITESPACE.sub(" ", text))
        rows += [
            ("clean_text", f"{label}: input ({len(cleaned.log):,} log rows)", mb, "MB"),
            ("clean_text", f"{label}: throughput", mb / clean_s, "MB/s"),
            ("clean_re_sub", rf"{label}: re.sub(\s+, ' ') throughput", mb / resub_s, "MB/s"),
            ("clean_text", f"{label}: time / one re.sub pass (aim <= 5)", clean_s / resub_s, "x"),
        ]
    write_rows(rows, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
