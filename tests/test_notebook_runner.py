"""`kzcrisis notebooks --corpus PATH`: every numbered notebook, the corpus as its parameter."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import nbformat
import pytest

from kzcrisis.notebooks import NOTEBOOKS, has_parameters_cell, numbered_notebooks

SHOW_DOCS = ("import kzcrisis as kz\nfrom kzcrisis.paths import DATA_RAW\n\n"
             "print(kz.load_corpus(CORPUS or DATA_RAW).doc_id.tolist())")


def _notebook(path, cells: list[tuple[str, list[str]]]) -> None:
    nb = nbformat.v4.new_notebook()
    for source, tags in cells:
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, path)


def _cli(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=600)


@pytest.fixture()
def other_corpus(tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "b7.txt").write_text("وقالت وزارة الخارجية التركية إنها تتابع التطورات في "
                                   "كازاخستان.", encoding="utf-8")
    return folder


def test_every_committed_notebook_takes_the_corpus_parameter():
    found = numbered_notebooks()
    assert [p.name[:2] for p in found] == sorted(p.name[:2] for p in found) and found
    assert [p.name for p in found if not has_parameters_cell(p)] == []
    for path in found:  # the parameter is used: each notebook reads CORPUS outside its cell
        nb = nbformat.read(path, as_version=4)
        assert any("CORPUS" in c.source and "parameters" not in c.metadata.get("tags", [])
                   for c in nb.cells if c.cell_type == "code"), path.name


def test_notebooks_run_on_another_corpus(tmp_path, other_corpus):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_docs.ipynb", [("CORPUS = None", ["parameters"]), (SHOW_DOCS, [])])
    # a later notebook (any number) is picked up too; one without the cell is named
    _notebook(folder / "07_later.ipynb", [("print('seven')", [])])
    (folder / "notes.ipynb").write_text("not a numbered notebook")
    out = tmp_path / "out"
    before = (folder / "01_docs.ipynb").read_bytes()
    proc = _cli("notebooks", "--corpus", str(other_corpus), "--out", str(out),
                "--folder", str(folder))
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in out.iterdir()) == [
        "01_docs.html", "01_docs.ipynb", "07_later.html", "07_later.ipynb"]
    nb = nbformat.read(out / "01_docs.ipynb", as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1 and str(other_corpus.resolve()) in injected[0].source
    assert "['b7']" in nb.cells[-1].outputs[0]["text"]
    assert "07_later.ipynb has no cell tagged 'parameters'" in proc.stderr
    assert (folder / "01_docs.ipynb").read_bytes() == before  # the source is not rewritten


def test_a_failing_notebook_is_one_line(tmp_path, other_corpus):
    folder = tmp_path / "nbs"
    folder.mkdir()
    _notebook(folder / "01_fails.ipynb", [("CORPUS = None", ["parameters"]),
                                          ("1 / 0", [])])
    proc = _cli("notebooks", "--corpus", str(other_corpus), "--out", str(tmp_path / "o"),
                "--folder", str(folder))
    lines = [ln for ln in proc.stderr.splitlines() if ln.startswith("kzcrisis:")]
    assert proc.returncode == 2 and len(lines) == 1
    assert "01_fails.ipynb" in lines[0] and "ZeroDivisionError" in lines[0]
    assert "Traceback" not in proc.stderr


def test_missing_corpus_is_one_line(tmp_path):
    proc = _cli("notebooks", "--corpus", str(tmp_path / "nowhere"), "--out", str(tmp_path),
                "--folder", str(NOTEBOOKS))
    assert proc.returncode == 2 and "no such corpus" in proc.stderr
