"""`kzcrisis analyze`, run as a user runs it: a subprocess of the installed console script."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pandas as pd
import pytest

from kzcrisis.paths import DATA_RAW
from kzcrisis.schemas import DOCUMENTS_TABLE


def run_cli(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def seed_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    proc = run_cli("analyze", str(DATA_RAW), "--out", str(out))
    return proc, out


def test_analyze_writes_documents_table(seed_run):
    proc, out = seed_run
    assert proc.returncode == 0, proc.stderr
    docs = pd.read_csv(out / "tables" / "documents.csv", keep_default_na=False)
    assert list(docs.columns) == DOCUMENTS_TABLE
    assert docs.doc_id.tolist() == ["000_e4eda7b29b88d456"]
    raw = (DATA_RAW / "000_e4eda7b29b88d456.txt").read_text(encoding="utf-8")
    assert docs.n_chars[0] == len(raw)


@pytest.mark.parametrize("make_input, message", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: (d / "b.txt").write_bytes(b"\x00\x01ELF" * 10) and d / "b.txt", "binary file"),
    (lambda d: (d / "x.docx").write_bytes(b"PK\x03\x04") and d / "x.docx", "unsupported"),
])
def test_bad_input_is_one_line_and_nonzero(tmp_path, make_input, message):
    path = make_input(tmp_path)
    proc = run_cli("analyze", str(path), "--out", str(tmp_path / "out"))
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr


def test_unwritable_output_folder(tmp_path):
    if os.geteuid() == 0:
        target = "/proc/kzcrisis-out"  # not writable even for root
    else:
        target = str(tmp_path / "ro" / "out")
        (tmp_path / "ro").mkdir(mode=0o500)
    proc = run_cli("analyze", str(DATA_RAW), "--out", target)
    assert proc.returncode != 0 and len(proc.stderr.strip().splitlines()) == 1
    assert "output folder" in proc.stderr


@pytest.mark.parametrize("option, message", [
    (("--chunk-size", "0"), "at least 1"),
    (("--workers", "0"), "at least 1"),
])
def test_bad_option_value_is_one_line(tmp_path, option, message):
    proc = run_cli("analyze", str(DATA_RAW), "--out", str(tmp_path / "out"), *option)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in proc.stderr


def test_uncreatable_cache_is_one_warning_and_the_run_goes_on(tmp_path):
    # issue 19: a cache that cannot be written no longer stops the run
    proc = run_cli("analyze", str(DATA_RAW), "--out", str(tmp_path / "out"), "--cache",
                   "/proc/kzcrisis-cache")
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if "warning" in line]
    assert len(warned) == 1 and "/proc/kzcrisis-cache" in warned[0], proc.stderr
    assert "going on without caching" in warned[0] and "Traceback" not in proc.stderr
    assert (tmp_path / "out" / "tables" / "documents.csv").exists()


def test_figures_come_from_the_same_pass(tmp_path, monkeypatch):
    # with the cache off, a second analysis would annotate the article again
    from kzcrisis import cli, nlp

    annotated = []
    real = nlp.annotate

    def counting(docs, *args, **kwargs):
        annotated.extend(docs["doc_id"])
        return real(docs, *args, **kwargs)

    monkeypatch.setattr(nlp, "annotate", counting)
    assert cli.main(["analyze", str(DATA_RAW), "--out", str(tmp_path), "--cache", "off",
                     "--figures"]) == 0
    assert annotated == ["000_e4eda7b29b88d456"]
    stems = {p.stem for p in (tmp_path / "figures").iterdir()}
    assert {"stance_comparison", "mentions", "cooccurrence", "framing",
            "statements_000_e4eda7b29b88d456"} <= stems
    assert {p.suffix for p in (tmp_path / "figures").iterdir()} == {".png", ".svg", ".pdf"}
    assert (tmp_path / "articles" / "000_e4eda7b29b88d456.html").exists()
