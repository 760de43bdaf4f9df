"""Execute the numbered notebooks in order (``make reproduce``).

Executed copies (``.ipynb``) and HTML renderings go to the output folder; the committed
notebooks under ``notebooks/`` are never rewritten by a reproduction run.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .errors import KzError
from .paths import ROOT

NOTEBOOKS = ROOT / "notebooks"


def numbered_notebooks(folder: Path = NOTEBOOKS) -> list[Path]:
    """``NN_name.ipynb`` files in numeric order."""
    return sorted(p for p in folder.glob("[0-9][0-9]_*.ipynb"))


def run_notebooks(out: str | Path, folder: Path = NOTEBOOKS, timeout: int = 1200) -> list[Path]:
    """Execute every numbered notebook; write executed copies and HTML into ``out``."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from nbconvert import HTMLExporter

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    exporter = HTMLExporter()
    written = []
    for path in numbered_notebooks(folder):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        try:
            client.execute()
        except CellExecutionError as err:
            first = str(err).strip().splitlines()[-1] if str(err).strip() else "cell failed"
            raise KzError(f"{path}: a cell failed: {first}") from None
        nbformat.write(nb, out / path.name)
        html, _ = exporter.from_notebook_node(nb)
        (out / path.with_suffix(".html").name).write_text(html, encoding="utf-8")
        written.append(out / path.name)
        print(f"executed {path.name}", flush=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kzcrisis.notebooks")
    parser.add_argument("--out", default=str(ROOT / "reports" / "notebooks"))
    args = parser.parse_args(argv)
    try:
        run_notebooks(args.out)
    except KzError as err:
        print(f"kzcrisis: error: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
