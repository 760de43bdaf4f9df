"""Execute the numbered notebooks in order (``make reproduce``), on the seed corpus or another.

Every ``notebooks/NN_name.ipynb`` is run (whatever its number, so a new notebook joins without
a change here) with papermill. ``corpus=PATH`` (``make reproduce CORPUS=PATH``,
``kzcrisis notebooks --corpus PATH``) is handed to each notebook as its ``CORPUS`` parameter:
papermill puts it in a cell after the one tagged ``parameters``. Executed copies (``.ipynb``)
and HTML renderings go to the output folder; the committed notebooks under ``notebooks/`` are
never rewritten by a reproduction run.
"""
from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

from .errors import KzError, one_line_errors
from .paths import ROOT

NOTEBOOKS = ROOT / "notebooks"


def numbered_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """``NN_name.ipynb`` files in numeric order.

    >>> [p.name for p in numbered_notebooks()][:2]
    ['01_cleaning.ipynb', '02_nlp.ipynb']
    """
    return sorted(p for p in Path(folder).glob("[0-9][0-9]_*.ipynb"))


def has_parameters_cell(path: Path) -> bool:
    """Whether a notebook has a cell tagged ``parameters`` (where papermill puts CORPUS).

    >>> has_parameters_cell(NOTEBOOKS / "01_cleaning.ipynb")
    True
    """
    import nbformat

    nb = nbformat.read(path, as_version=4)
    return any("parameters" in c.get("metadata", {}).get("tags", []) for c in nb.cells)


def run_notebooks(out: str | Path, folder: Path = NOTEBOOKS, timeout: int = 1200,
                  corpus: str | Path | None = None) -> list[Path]:
    """Execute every numbered notebook; write executed copies and HTML into ``out``.

    ``corpus`` is the corpus the notebooks analyse (their ``CORPUS`` parameter); None keeps
    their own (``data/raw``). Returns the executed notebooks' paths.

    >>> run_notebooks("reports/notebooks", corpus="my_articles/")   # doctest: +SKIP
    [PosixPath('reports/notebooks/01_cleaning.ipynb'), ...]
    """
    import nbformat
    import papermill as pm
    from nbconvert import HTMLExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    parameters = {}
    if corpus is not None:
        corpus = Path(corpus)
        if not corpus.exists():
            raise KzError(f"{corpus}: no such corpus file or folder (--corpus)")
        # absolute: each notebook runs in the notebooks folder
        parameters["CORPUS"] = str(corpus.resolve())
    exporter = HTMLExporter()
    written = []
    for path in numbered_notebooks(folder):
        if parameters and not has_parameters_cell(path):
            print(f"note: {path.name} has no cell tagged 'parameters'; it runs on its own "
                  "data", file=sys.stderr, flush=True)
        target = out / path.name
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # papermill's own notices, not the notebooks'
                pm.execute_notebook(str(path), str(target), parameters=parameters,
                                    kernel_name="python3", cwd=str(path.parent),
                                    progress_bar=False, execution_timeout=timeout)
        except pm.PapermillExecutionError as err:
            raise KzError(f"{path}: cell {err.exec_count} failed: {err.ename}: "
                          f"{str(err.evalue).splitlines()[0] if err.evalue else ''}"
                          f" (the executed copy is {target})") from None
        html, _ = exporter.from_notebook_node(nbformat.read(target, as_version=4))
        (out / path.with_suffix(".html").name).write_text(html, encoding="utf-8")
        written.append(target)
        print(f"executed {path.name}" + (f" on {corpus}" if corpus else ""), flush=True)
    return written


@one_line_errors
def main(argv: list[str] | None = None) -> int:
    """``python -m kzcrisis.notebooks [--corpus PATH] [--out DIR]``; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m kzcrisis.notebooks")
    parser.add_argument("--out", default=str(ROOT / "reports" / "notebooks"))
    parser.add_argument("--corpus", default=None,
                        help="corpus the notebooks analyse instead of data/raw")
    parser.add_argument("--folder", default=str(NOTEBOOKS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    run_notebooks(args.out, folder=Path(args.folder), corpus=args.corpus)
    return 0


if __name__ == "__main__":
    sys.exit(main())
