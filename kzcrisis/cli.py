"""Command line: ``kzcrisis analyze PATH --out DIR``."""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from . import __version__
from .errors import KzError


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kzcrisis", description=__doc__)
    parser.add_argument("--version", action="version", version=f"kzcrisis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    an = sub.add_parser("analyze", help="analyse a corpus and write tables under --out")
    an.add_argument("path", help="a .txt/.html/.jsonl/.csv file or a folder of .txt files")
    an.add_argument("--out", required=True, help="output folder (tables/ is written inside)")
    an.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kzcrisis`` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    try:
        from .pipeline import analyze

        results = analyze(args.path)
        written = results.write(args.out)
    except KzError as err:
        if args.debug:
            raise
        print(f"kzcrisis: error: {err}", file=sys.stderr)
        return 2
    except Exception as err:  # noqa: BLE001 - the CLI promises one line, --debug shows all
        if args.debug:
            raise
        print(f"kzcrisis: unexpected error: {type(err).__name__}: {err} "
              "(rerun with --debug for the traceback)", file=sys.stderr)
        return 1
    print(f"kzcrisis: wrote {len(written)} tables to {args.out}/tables")
    return 0


if __name__ == "__main__":
    sys.exit(main())
