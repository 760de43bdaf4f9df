"""Run every benchmarks/bench_*.py in turn (`make bench`)."""
from __future__ import annotations

import runpy
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
names = sys.argv[1:] or sorted(p.stem for p in here.glob("bench_*.py"))
for name in names:
    print(f"== {name}", flush=True)
    runpy.run_path(str(here / f"{name}.py"), run_name="__main__")
