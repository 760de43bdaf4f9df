"""Run one Stanza training module with an explicit torch thread count.

    python -m kzcrisis.models._launch THREADS MODULE [ARGS ...]

Why: on two shared cores ``OMP_NUM_THREADS=2`` made NER training about 8x slower than one
thread (2 s against 0.24 s a step), and Stanza's own entry points have no thread option, so
the training script starts each of them through here with ``torch.set_num_threads``.
"""
from __future__ import annotations

import runpy
import sys


def main(argv: list[str]) -> None:
    import torch  # noqa: PLC0415 (training-only import)

    from kzcrisis.nlp import float32_pretrains  # noqa: PLC0415

    threads, module, *rest = argv
    torch.set_num_threads(int(threads))
    float32_pretrains()  # the shipped vectors are float16
    sys.argv = [module, *rest]
    runpy.run_module(module, run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main(sys.argv[1:])
