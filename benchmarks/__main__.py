"""Run every benchmarks/bench_*.py in turn (`make bench`); figures go to reports/benchmarks.csv.

``python -m benchmarks bench_pipeline --skip-memory``: run only the named benchmarks; options
(arguments starting with ``-``) are passed to each of them.
"""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
options = [a for a in sys.argv[1:] if a.startswith("-")]
names = ([a for a in sys.argv[1:] if not a.startswith("-")]
         or sorted(p.stem for p in here.glob("bench_*.py")))
failed = []
for name in names:
    print(f"== {name}", flush=True)
    sys.argv = [str(here / f"{name}.py"), *options]
    try:
        runpy.run_path(str(here / f"{name}.py"), run_name="__main__")
    except SystemExit as done:  # each benchmark ends with sys.exit(main())
        if done.code:
            failed.append(name)
if failed:
    sys.exit(f"benchmarks failed: {', '.join(failed)}")
