"""Benchmark of the NLP stage (``make bench``; not a test).

* model load time of the embedded pipeline (first ``kz.load_pipeline()``);
* ``kz.annotate`` against calling the same ``stanza.Pipeline`` directly (``bulk_process`` on
  the same texts, same batches): the overhead of building the tables, in %;
* batched (``batch_size`` documents per Stanza call) against one call per document;
* documents per second of tokenize+NER against the full pipeline with tagger, lemmatizer
  and parser, and the load time of each;
* stance coding per document: cues by lemma with negation and scope on the tree against the
  surface rules kept for model sets without a parser;
* statement attribution per document: the rules on the parse against the surface rules kept
  for model sets without a parser (same documents, same mentions);
* peak resident memory of the process (``resource.getrusage``).

Documents: ANERcorp test sentences (detokenized, four per document) from the public corpora
(``$KZCRISIS_CORPORA`` or ``../shared/corpora``). Prints a table and appends rows
(benchmark, metric, value, unit) to ``reports/benchmarks.csv``.

    .venv/bin/python benchmarks/bench_nlp.py [--docs 200] [--repeat 3] [--batch-size 32]
"""
from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

import kzcrisis as kz
from kzcrisis.models import train as tr
from kzcrisis.paths import CORPORA, REPORTS

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus_gen import best_of, write_rows  # noqa: E402


def documents(n: int, per_doc: int = 4) -> pd.DataFrame:
    path = CORPORA / "anercorp" / "ANERCorp_CamelLab_test.txt"
    if not path.exists():
        sys.exit(f"bench_nlp: {path} not found (set KZCRISIS_CORPORA)")
    sents = [tr.detokenize([t for t, _ in s])[0] for s in tr.read_bio(path)]
    texts = [" ".join(sents[i:i + per_doc]) for i in range(0, per_doc * n, per_doc)]
    texts = [t for t in texts if t][:n]
    return pd.DataFrame({"doc_id": [f"b{i:04d}" for i in range(len(texts))],
                         "text_clean": texts})



def parser_cost(docs: pd.DataFrame, full, batch_size: int) -> list[tuple]:
    """Rows: docs/s of tokenize+NER vs the full pipeline; attribution ms/doc, parse vs surface."""
    from kzcrisis import nlp
    from kzcrisis.statements import _from_parse, _from_surface

    t0 = time.perf_counter()
    small = nlp._load("embedded", "tokenize,mwt,ner", None)
    small_load = time.perf_counter() - t0
    n = len(docs)
    t_small = best_of(1, lambda: kz.annotate(docs, pipeline=small, batch_size=batch_size,
                                             progress=False))
    ann = kz.annotate(docs, pipeline=full, batch_size=batch_size, progress=False)
    t_full = best_of(1, lambda: kz.annotate(docs, pipeline=full, batch_size=batch_size,
                                            progress=False))
    clean = docs.assign(text_raw=docs.text_clean)
    mentions = kz.extract_actors(clean, ann).mentions
    t_parse = best_of(3, lambda: _from_parse(clean, ann, mentions, None))
    t_surface = best_of(3, lambda: _from_surface(clean, ann, mentions, None))
    statements = _from_parse(clean, ann, mentions, None)
    t_stance_tree = best_of(3, lambda: kz.code_stance(statements, words=ann.words))
    t_stance_surface = best_of(3, lambda: kz.code_stance(statements))
    return [
        ("nlp_parse", "load time tokenize+mwt+ner", small_load, "s"),
        ("nlp_parse", f"tokenize+ner, {n} docs", n / t_small, "docs/s"),
        ("nlp_parse", f"full pipeline with pos, lemma, depparse, {n} docs", n / t_full, "docs/s"),
        ("nlp_parse", "full pipeline time / tokenize+ner time", t_full / t_small, "x"),
        ("statements", "attribution on the parse", 1000 * t_parse / n, "ms/doc"),
        ("statements", "surface rules (no parser)", 1000 * t_surface / n, "ms/doc"),
        ("stance", "cues by lemma, negation and scope on the parse", 1000 * t_stance_tree / n,
         "ms/doc"),
        ("stance", "surface rules (no parse)", 1000 * t_stance_surface / n, "ms/doc"),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--out", type=Path, default=REPORTS / "benchmarks.csv")
    a = ap.parse_args(argv)

    import stanza  # the direct baseline calls Stanza itself

    docs = documents(a.docs)
    texts = docs.text_clean.tolist()
    n_chars = sum(len(t) for t in texts)

    t0 = time.perf_counter()
    pipe = kz.load_pipeline("embedded")
    load_s = time.perf_counter() - t0

    def direct() -> None:
        for i in range(0, len(texts), a.batch_size):
            pipe.bulk_process([stanza.Document([], text=t) for t in texts[i:i + a.batch_size]])

    def wrapped() -> None:
        kz.annotate(docs, pipeline=pipe, batch_size=a.batch_size, progress=False)

    def one_by_one() -> None:
        for t in texts:
            kz.annotate(t, pipeline=pipe)

    kz.annotate(docs.head(4), pipeline=pipe, progress=False)  # warm-up
    # interleave the two measured variants so machine load affects both alike
    # CPU time as well as wall time: on a shared machine the wall clock mostly measures
    # the neighbours, the process's own CPU time much less so
    t_direct, t_wrapped, c_direct, c_wrapped = [], [], [], []
    for _ in range(a.repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        direct()
        t_direct.append(time.perf_counter() - t0)
        c_direct.append(time.process_time() - c0)
        c0, t0 = time.process_time(), time.perf_counter()
        wrapped()
        t_wrapped.append(time.perf_counter() - t0)
        c_wrapped.append(time.process_time() - c0)
    direct_s, wrapped_s = min(t_direct), min(t_wrapped)
    direct_cpu, wrapped_cpu = min(c_direct), min(c_wrapped)
    single_s = best_of(1, one_by_one)
    parse_rows = parser_cost(docs, pipe, a.batch_size)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rows = [
        ("nlp_load", "embedded pipeline load time", load_s, "s"),
        ("nlp_direct", f"stanza bulk_process, {len(texts)} docs", direct_s, "s"),
        ("nlp_annotate", f"kz.annotate batch_size={a.batch_size}, {len(texts)} docs", wrapped_s, "s"),
        ("nlp_annotate", "overhead vs direct stanza (wall)", 100 * (wrapped_s - direct_s) / direct_s, "%"),
        ("nlp_annotate", "overhead vs direct stanza (CPU time)",
         100 * (wrapped_cpu - direct_cpu) / direct_cpu, "%"),
        ("nlp_annotate", "throughput (batched)", n_chars / wrapped_s, "chars/s"),
        ("nlp_one_per_doc", f"kz.annotate one call per doc, {len(texts)} docs", single_s, "s"),
        ("nlp_one_per_doc", "batched speed-up", single_s / wrapped_s, "x"),
        *parse_rows,
        ("nlp_memory", "peak RSS", peak_mb, "MB"),
    ]
    write_rows(rows, a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
