"""Whole-pipeline benchmark: `kzcrisis analyze` as a user runs it (a subprocess).

Measures, on generated corpora (benchmarks/corpus_gen.py):
- annotation throughput, documents/s, serial and with ``--workers 2`` (cold cache);
- warm versus cold cache (the same run twice), and the fixed start-up cost of a warm run
  (a one-document corpus), from which the ratio for any corpus size follows;
- peak RSS of the main process and of each Dask worker (psutil, sampled every 0.1 s);
- bounded memory: peak RSS streaming 2,000 and 20,000 documents. These corpora reuse 200
  distinct texts under new doc_ids, so every document still goes through cleaning, actors,
  statements, stance, framing and the table writers, while Stanza annotates only the 200
  (the rest are annotation-cache hits; their new doc_ids miss the results cache, so the
  analysis itself runs for every document): what is measured is whether memory grows with
  the corpus.

Figures go to reports/benchmarks.csv. Run with ``make bench`` or
``python -m benchmarks bench_pipeline`` (about 16 minutes on 2 cores: 4 for the
throughput part, 12 for memory; ``--skip-memory`` or ``--skip-throughput`` runs one).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.corpus_gen import generate_corpus, record  # noqa: E402


class PeakRSS:
    """Sample a process tree's resident memory until it exits."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.per_process: dict[int, tuple[str, int]] = {}
        self.total = 0
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while True:
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for proc in procs:
                try:
                    rss = proc.memory_info().rss
                    name = " ".join(proc.cmdline()[1:4])
                except psutil.Error:
                    continue
                total += rss
                if rss > self.per_process.get(proc.pid, ("", 0))[1]:
                    self.per_process[proc.pid] = (name, rss)
            self.total = max(self.total, total)
            time.sleep(0.1)

    def join(self) -> None:
        self._thread.join(timeout=5)


def analyze(corpus: Path, out: Path, cache: Path, *extra: str) -> tuple[float, PeakRSS]:
    cmd = [sys.executable, "-m", "kzcrisis", "analyze", str(corpus), "--out", str(out),
           "--cache", str(cache), *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    sampler = PeakRSS(proc.pid)
    _, err = proc.communicate()
    elapsed = time.perf_counter() - start
    sampler.join()
    if proc.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed: {err.strip()}")
    return elapsed, sampler


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="bench_pipeline")
    ap.add_argument("--docs", type=int, default=1000,
                    help="documents for throughput and the warm/cold cache comparison")
    ap.add_argument("--small", type=int, default=2000)
    ap.add_argument("--large", type=int, default=20000)
    ap.add_argument("--skip-memory", action="store_true", help="only the throughput part")
    ap.add_argument("--skip-throughput", action="store_true", help="only the memory part")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="kz-bench-") as tmp:
        tmp = Path(tmp)
        if not args.skip_throughput:
            throughput(args, tmp)
        if args.skip_memory:
            return 0
        memory(args, tmp)
    return 0


def throughput(args: argparse.Namespace, tmp: Path) -> None:
    """Annotation speed serial and with workers, warm and cold cache, peak RSS."""
    mib = 1024 * 1024
    corpus = generate_corpus(args.docs, tmp / "corpus", seed=1)
    cold, rss = analyze(corpus, tmp / "o1", tmp / "cache1")
    warm, _ = analyze(corpus, tmp / "o2", tmp / "cache1")
    single = generate_corpus(1, tmp / "single", seed=1)  # its one text is in cache1
    startup = min(analyze(single, tmp / f"o-single{i}", tmp / "cache1")[0] for i in range(3))
    dask_cold, dask_rss = analyze(corpus, tmp / "o3", tmp / "cache2", "--workers", "2")
    # worker processes: every process of the tree but the CLI itself that held a model
    workers = [r for pid, (_name, r) in dask_rss.per_process.items()
               if pid != dask_rss.root.pid and r > 200 * mib]
    rows = [
        ("documents", args.docs, "docs"),
        ("serial cold: documents per second", args.docs / cold, "docs/s"),
        ("workers=2 cold: documents per second", args.docs / dask_cold, "docs/s"),
        ("workers=2 speed-up over serial", cold / dask_cold, "x"),
        ("cold cache: seconds", cold, "s"),
        ("warm cache: seconds", warm, "s"),
        ("warm vs cold cache speed-up", cold / warm, "x"),
        ("warm run start-up (one-document corpus): seconds", startup, "s"),
        ("warm cache: milliseconds per document after start-up",
         1000 * (warm - startup) / args.docs, "ms"),
        ("serial peak RSS", rss.total / mib, "MiB"),
        ("workers=2 peak RSS, whole tree", dask_rss.total / mib, "MiB"),
    ]
    if workers:
        rows.append(("workers=2 peak RSS per worker (max)", max(workers) / mib, "MiB"))
    record("pipeline", rows)


def memory(args: argparse.Namespace, tmp: Path) -> None:
    """Peak RSS streaming a small and a ten times larger corpus."""
    mib = 1024 * 1024
    pool_cache = tmp / "cache3"
    peaks = {}
    for n in (args.small, args.large):
        folder = generate_corpus(n, tmp / f"c{n}", seed=2, distinct=200)
        if not peaks:  # warm the cache with the 200 distinct texts
            analyze(generate_corpus(200, tmp / "warm", seed=2, distinct=200),
                    tmp / "ow", pool_cache)
        seconds, sampler = analyze(folder, tmp / f"o{n}", pool_cache)
        peaks[n] = sampler.total
        record("memory", [(f"{n} documents: peak RSS", sampler.total / mib, "MiB"),
                          (f"{n} documents: seconds", seconds, "s")])
    record("memory", [(f"peak RSS ratio {args.large} / {args.small} documents",
                       peaks[args.large] / peaks[args.small], "x")])


if __name__ == "__main__":
    raise SystemExit(main())
