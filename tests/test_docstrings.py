"""The public API documents itself: an example in every docstring, and the examples run."""
from __future__ import annotations

import doctest
import importlib
import inspect
import os

import pytest

import kzcrisis as kz

# modules whose examples run here without Stanza (the others' examples are marked +SKIP
# where they need the models or a corpus)
DOCTESTED = ["corpus", "clean", "actors", "actor_dict", "actor_load", "actor_resolve", "phrases",
             "stance", "framing", "plots", "report", "schemas",
             "pipeline", "manifest", "cli", "notebooks", "layout", "normalize", "align",
             "io", "settings", "results", "aggregate", "figures", "human_codes", "codebook",
             "codebook.docs"]
# kzcrisis/nlp.py and statements.py are being reworked with the retrained models; their
# examples come with that work
PENDING: set[str] = set()


def _public() -> list[str]:
    return [n for n in kz.__all__ if n != "__version__" and not inspect.ismodule(getattr(kz, n))]


@pytest.mark.parametrize("name", _public())
def test_public_name_has_an_example(name):
    doc = inspect.getdoc(getattr(kz, name)) or ""
    if name in PENDING:
        pytest.skip(f"{name}: example pending (nlp.py/statements.py are being reworked)")
    assert ">>>" in doc, f"kz.{name}: add a short example to its docstring"


@pytest.mark.parametrize("module", DOCTESTED)
def test_docstring_examples_run(module, monkeypatch):
    from kzcrisis.paths import ROOT

    monkeypatch.chdir(ROOT)  # examples name data/raw as a user in the repository would
    mod = importlib.import_module(f"kzcrisis.{module}")
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    globs = {**vars(mod), "kz": kz}
    for test in finder.find(mod, mod.__name__, globs=globs):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} example(s) of kzcrisis.{module} failed"
    assert os.getcwd() == str(ROOT)
