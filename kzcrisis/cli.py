"""Command line: ``kzcrisis analyze PATH --out DIR``, ``kzcrisis code export|import`` and
``kzcrisis notebooks``."""
from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from collections.abc import Sequence

from . import __version__
from .errors import KzError

#: ``kzcrisis analyze``'s arguments: (flag, argparse keywords), one row per option
_ANALYZE_OPTIONS: list[tuple[str, dict]] = [  # one line an option (long lines: E501 is off)
    ("path", {"help": "a .txt/.html/.jsonl/.csv file or a folder of .txt files"}),
    ("--out", {"required": True, "help": "output folder"}),
    ("--models", {"default": os.environ.get("KZCRISIS_MODELS", "embedded"), "help": "'embedded' (default, offline), 'official' (downloads Stanza's models) or a folder of Stanza models with a checksums.sha256"}),
    ("--trust-models", {"action": "store_true", "help": "load model files even if their sha256 differs from the release record (embedded) or the folder's checksums.sha256 is missing"}),
    ("--cache", {"default": None, "help": "cache folder for annotations and per-document results (default: $KZCRISIS_CACHE or the user cache dir); 'off' disables it"}),
    ("--workers", {"type": int, "default": 1, "help": "Dask local cluster with N single-threaded workers"}),
    ("--scheduler", {"default": None, "help": "address of an existing Dask scheduler (tcp://host:8786)"}),
    ("--chunk-size", {"type": int, "default": None, "help": "documents per chunk (default 128; 16 with --workers/--scheduler, so the load spreads); tables do not depend on it"}),
    ("--max-chars", {"type": int, "default": 1_000_000, "help": "skip (and report) documents longer than this"}),
    ("--figures", {"action": "store_true", "help": "also draw the figures (OUT/figures) and annotated articles (OUT/articles)"}),
    ("--actors", {"default": None, "metavar": "PATH", "help": "your own actors (a CSV in the actors.csv format, or a folder of actors.csv/actor_aliases.csv/actor_roles.csv), merged over the package's"}),
    ("--cues", {"default": None, "metavar": "PATH", "help": "your own reporting cues (cues_lemma.csv format), merged over the package's"}),
    ("--lexicon", {"default": None, "metavar": "PATH", "help": "your own stance cues (stance_lexicon.csv format)"}),
    ("--framing", {"default": None, "metavar": "PATH", "help": "your own framing terms (framing_terms.csv format)"}),
    ("--text-column", {"default": "text", "help": "column (or JSON key) holding the article text in a .csv, .jsonl, .parquet or .xlsx input (default: text)"}),
    ("--id-column", {"default": "doc_id", "help": "column holding the document ids (default: doc_id; else FILE-ROW)"}),
    ("--metadata-columns", {"default": None, "help": "comma-separated extra columns to carry to documents.csv (default: every other column of a .csv/.parquet/.xlsx; '' for none)"}),
    ("--progress", {"action": "store_true", "help": "show the progress bar even when stderr is not a terminal"}),
    ("--quiet", {"action": "store_true", "help": "no progress bar and no summary line (errors are still printed)"}),
    ("--debug", {"action": "store_true", "help": "show tracebacks on errors"}),
]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzcrisis", description="Analyse Arabic news coverage of the January 2022 "
        "Kazakhstan crisis.")
    parser.add_argument("--version", action="version", version=f"kzcrisis {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    an = sub.add_parser("analyze", help="analyse a corpus and write tables under --out",
                        description="Writes OUT/tables/NAME.csv, OUT/parquet/NAME/ and "
                        "OUT/manifest.json.")
    for flag, kwargs in _ANALYZE_OPTIONS:
        an.add_argument(flag, **kwargs)
    nb = sub.add_parser("notebooks", help="execute the numbered notebooks (on another "
                        "corpus with --corpus)",
                        description="Executes every notebooks/NN_*.ipynb with papermill and "
                        "writes the executed copies and HTML to --out.")
    nb.add_argument("--corpus", default=None,
                    help="corpus the notebooks analyse instead of data/raw (their "
                    "'parameters' cell)")
    nb.add_argument("--out", default=None, help="output folder (default reports/notebooks)")
    nb.add_argument("--folder", default=None, help=argparse.SUPPRESS)  # tests: other notebooks
    nb.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    _code_parser(sub)
    return parser


def _one_line_warning(message, category, filename, lineno, line=None) -> str:  # noqa: ANN001
    """Warnings as one line each (``kzcrisis: warning: ...``), without the source line."""
    return f"kzcrisis: warning: {message}\n"


def _code_parser(sub: argparse._SubParsersAction) -> None:
    """``kzcrisis code export|import``: the hand-coding workflow (kzcrisis.coding)."""
    code = sub.add_parser("code", help="export a coding sheet for human coders, or import "
                          "filled sheets (agreement, comparison with human codes)")
    csub = code.add_subparsers(dest="code_command", required=True)
    ex = csub.add_parser("export", help="write a coding sheet (one row per statement and "
                         "target) from the output folder of `kzcrisis analyze`")
    ex.add_argument("results", help="output folder of `kzcrisis analyze` (with tables/)")
    ex.add_argument("--out", required=True, help="sheet path: .xlsx, .csv, or no suffix for "
                    "both")
    ex.add_argument("--coded-only", action="store_true",
                    help="only the targets the rules coded (default: every target)")
    ex.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    im = csub.add_parser("import", help="read filled sheets; write codes, agreement, "
                         "confusion matrices and the comparison with human codes")
    im.add_argument("sheets", nargs="+", help="filled coding sheets (.csv or .xlsx), one "
                    "per coder")
    im.add_argument("--results", required=True, help="the output folder the sheets were "
                    "exported from")
    im.add_argument("--out", required=True, help="folder for codes.csv, agreement.csv, "
                    "confusion.csv, stance_comparison_coded.csv")
    im.add_argument("--debug", action="store_true", help="show tracebacks on errors")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``kzcrisis`` console script; returns the exit status."""
    args = _parser().parse_args(argv)
    if argv is None:  # the console script; in-process callers keep their own formatting
        warnings.formatwarning = _one_line_warning
    if args.command == "notebooks":
        return _notebooks(args)
    try:
        if args.command == "analyze" and (args.workers < 1 or (
                args.chunk_size is not None and args.chunk_size < 1)):
            raise KzError("--workers and --chunk-size must be at least 1")
        if args.command == "code":
            from .coding import run_code_command

            for line in run_code_command(args):
                print(line)
            return 0
        from .pipeline import run

        # --figures draws from the same pass, so nothing is annotated or read twice
        # the bar is on by default where someone watches (a terminal), off with --quiet
        progress = not args.quiet and (args.progress or sys.stderr.isatty())
        started = time.perf_counter()
        manifest = run(args.path, args.out, figures=args.figures, models=args.models,
                       cache=args.cache, workers=args.workers, scheduler=args.scheduler,
                       chunk_size=args.chunk_size, progress=progress,
                       max_chars=args.max_chars, trust_models=args.trust_models,
                       actors=args.actors, cues=args.cues,
                       stance_lexicon=args.lexicon, framing_terms=args.framing,
                       text_column=args.text_column, id_column=args.id_column,
                       metadata_columns=args.metadata_columns)
        elapsed = time.perf_counter() - started
    except KzError as err:
        if args.debug:
            raise
        print(f"kzcrisis: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("kzcrisis: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # noqa: BLE001 - the CLI promises one line, --debug shows all
        if args.debug:
            raise
        print(f"kzcrisis: unexpected error: {type(err).__name__}: {err} "
              "(rerun with --debug for the traceback)", file=sys.stderr)
        return 1
    if not args.quiet:
        print(summary_line(manifest, elapsed, args.out))
    return 0


def summary_line(manifest: dict, elapsed: float, out: str) -> str:
    """The one line printed at the end of a run.

    >>> summary_line({"n_documents": {"loaded": 300, "skipped": 1},
    ...               "unresolved_speakers": {"note": ""}}, 12.0, "out")
    'kzcrisis: 300 document(s) analysed, 1 skipped in 12.0 s (25.0 documents/s); tables in out/tables, manifest out/manifest.json'
    """
    n = manifest["n_documents"]
    rate = n["loaded"] / elapsed if elapsed > 0 else 0.0
    note = manifest.get("unresolved_speakers", {}).get("note", "")
    return (f"kzcrisis: {n['loaded']} document(s) analysed, {n['skipped']} skipped in "
            f"{elapsed:.1f} s ({rate:.1f} documents/s); "
            + (f"{note}; " if note else "")
            + f"tables in {out}/tables, manifest {out}/manifest.json")


def _notebooks(args: argparse.Namespace) -> int:
    """``kzcrisis notebooks [--corpus PATH] [--out DIR]``."""
    from .notebooks import main as notebooks_main

    argv = [*(["--corpus", args.corpus] if args.corpus else []),
            *(["--out", args.out] if args.out else []),
            *(["--folder", args.folder] if args.folder else [])]
    try:
        return notebooks_main(argv)
    except KzError as err:
        if args.debug:
            raise
        print(f"kzcrisis: error: {err}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
