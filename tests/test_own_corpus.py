"""A researcher's own corpus: DataFrames, other column names, extra metadata, Parquet and
Excel, unresolved speakers, and the progress of a long run."""
from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import shutil
import struct
import subprocess
import sys
import termios
import time

import pandas as pd
import pytest

import kzcrisis as kz
from kzcrisis.errors import InputError
from kzcrisis.schemas import DOCUMENTS, DOCUMENTS_TABLE

# sentences written for these tests, in the styles of several outlets
BODIES = [
    "قال وزير الخارجية الروسي سيرغي لافروف إن قوات حفظ السلام ستغادر كازاخستان بعد استقرار "
    "الوضع.",
    "وقال المحلل السياسي سامر حداد إن التدخل العسكري في كازاخستان يثير القلق.",
    "وأكد الناطق باسم حزب الأمل الشعبي أن المحتجين يطالبون بحقوقهم.",
]
FRAME = pd.DataFrame({"id": ["a1", "a2", "a3"], "author": ["مراسل ألماتي", "", "Reuters"],
                      "date": ["2022-01-07", "2022-01-08", ""], "section": ["دولي", "رأي", ""],
                      "body": BODIES})


def _cli(*args: str, **kw) -> subprocess.CompletedProcess:
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, timeout=600, **kw)


@pytest.fixture(scope="module")
def cache(tmp_path_factory):
    return str(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def results(cache):
    return kz.analyze(FRAME, text_column="body", id_column="id", cache=cache)


def test_analyze_takes_a_dataframe_with_its_own_column_names(results):
    docs = results.documents
    assert docs.doc_id.tolist() == ["a1", "a2", "a3"]
    assert list(docs.columns) == DOCUMENTS_TABLE + ["author", "section"]
    assert docs.author.tolist() == ["مراسل ألماتي", "", "Reuters"]
    assert docs.date.tolist() == ["2022-01-07", "2022-01-08", ""]
    assert docs.n_chars.tolist() == [len(b) for b in BODIES]
    assert "RUS" in set(results.statements.group)
    assert results.load_report.source_path.tolist() == [f"DataFrame row {i}" for i in (1, 2, 3)]


def test_results_write_describes_the_extra_columns(results, tmp_path):
    written = results.write(tmp_path)
    assert written[-1] == tmp_path / "datapackage.json"
    pkg = json.loads(written[-1].read_text(encoding="utf-8"))
    docs = next(r for r in pkg["resources"] if r["name"] == "documents")
    header = (tmp_path / "tables" / "documents.csv").read_text(encoding="utf-8").split("\n")[0]
    assert [f["name"] for f in docs["schema"]["fields"]] == header.split(",")
    assert header.endswith(",author,section")


def test_load_corpus_frame_can_be_analysed_again(results, cache):
    docs = kz.load_corpus(FRAME, text_column="body", id_column="id")
    assert list(docs.columns) == DOCUMENTS + ["author", "section"]
    again = kz.analyze(docs, cache=cache)  # text_raw is read as the text
    pd.testing.assert_frame_equal(again.documents, results.documents)


def test_unresolved_speakers_get_their_own_comparison_row(results):
    unresolved = results.statements[results.statements.group == ""]
    assert len(unresolved) >= 1  # the analyst and the party spokesman are not in the dictionary
    cmp = results.stance_comparison
    rows = cmp[(cmp.doc_id == "ALL") & (cmp.group == "UNRESOLVED")]
    assert len(rows) >= 1
    coded = results.stance[results.stance.group == ""]
    assert rows.n_statements.sum() == coded.groupby("target").statement_id.nunique().sum()
    assert cmp.group.tolist().index("UNRESOLVED") > cmp.group.tolist().index("RUS")
    assert "UNRESOLVED" in repr(results) and "unknown speaker" in repr(results)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx", ".jsonl"])
def test_table_files_load_like_the_dataframe(tmp_path, suffix):
    path = tmp_path / f"archive{suffix}"
    if suffix == ".csv":
        FRAME.to_csv(path, index=False)
    elif suffix == ".parquet":
        FRAME.to_parquet(path, index=False)
    elif suffix == ".xlsx":
        FRAME.to_excel(path, index=False)
    else:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n"
                                for r in FRAME.to_dict("records")), encoding="utf-8")
    named = ["author", "section"] if suffix == ".jsonl" else None  # JSONL: named only
    docs = kz.load_corpus(path, text_column="body", id_column="id", metadata_columns=named)
    expected = kz.load_corpus(FRAME, text_column="body", id_column="id")
    cols = ["doc_id", "date", "text_raw", "sha256", "author", "section"]
    pd.testing.assert_frame_equal(docs[cols], expected[cols])
    assert docs.source_path[0].startswith(str(path) + ":")


def test_excel_dates_and_numbers_read_as_written(tmp_path):
    path = tmp_path / "sheet.xlsx"
    pd.DataFrame({"text": [BODIES[0]], "date": [pd.Timestamp("2022-01-07")],
                  "page": [3]}).to_excel(path, index=False)
    docs = kz.load_corpus(path)
    assert docs.date[0] == "2022-01-07" and docs.page[0] == "3"
    assert docs.doc_id[0] == "sheet-1"


@pytest.mark.parametrize("source, kwargs, message", [
    (FRAME, {}, "no 'text' column"),
    (FRAME, {"text_column": "body", "metadata_columns": ["colour"]}, r"\['colour'\] not found"),
    (FRAME.assign(n_chars=1), {"text_column": "body", "metadata_columns": ["n_chars"]},
     "cannot be extra"),
    (FRAME.assign(body=[1, 2, 3]), {"text_column": "body"}, "DataFrame row 1: the text column"),
    (42, {}, "expected a file or folder path or a pandas DataFrame, not int"),
])
def test_bad_table_input_is_one_clear_error(source, kwargs, message):
    with pytest.raises(InputError, match=message) as err:
        kz.load_corpus(source, **kwargs)
    assert "\n" not in str(err.value)


def test_cli_text_id_and_metadata_columns(tmp_path, cache):
    path = tmp_path / "archive.csv"
    FRAME.to_csv(path, index=False)
    out = tmp_path / "out"
    proc = _cli("analyze", str(path), "--out", str(out), "--cache", cache, "--text-column",
                "body", "--id-column", "id", "--metadata-columns", "section")
    assert proc.returncode == 0, proc.stderr
    docs = pd.read_csv(out / "tables" / "documents.csv", keep_default_na=False)
    assert list(docs.columns) == DOCUMENTS_TABLE + ["section"]
    assert docs.section.tolist() == ["دولي", "رأي", ""]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    n = manifest["unresolved_speakers"]["n_statements"]
    assert n >= 1 and manifest["unresolved_speakers"]["note"] == \
        f"{n} statements had an unknown speaker; see candidates.csv" if n > 1 else True
    assert manifest["input_columns"] == {"text_column": "body", "id_column": "id",
                                         "metadata_columns": ["section"]}
    assert "unknown speaker; see candidates.csv" in proc.stdout
    assert re.search(r"3 document\(s\) analysed, 0 skipped in [\d.]+ s \([\d.]+ documents/s\)",
                     proc.stdout)
    cmp = pd.read_csv(out / "tables" / "stance_comparison.csv", keep_default_na=False)
    assert "UNRESOLVED" in set(cmp.group)


def test_cli_missing_text_column_is_one_line(tmp_path):
    path = tmp_path / "archive.csv"
    FRAME.to_csv(path, index=False)
    proc = _cli("analyze", str(path), "--out", str(tmp_path / "out"))
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode == 2 and len(lines) == 1
    assert "no 'text' column" in lines[0] and "--text-column" in lines[0]


# --- progress ---------------------------------------------------------------------------

# ten short texts, reused under 300 ids: Stanza annotates ten, the cache serves the rest
SHORT = [f"وقال مسؤول في {city} إن الوضع هادئ اليوم بعد {n} أيام من الاحتجاجات."
         for city, n in zip(["ألماتي", "أستانا", "شيمكنت", "أكتاو", "جاناوزن", "تاراز",
                             "كاراغاندا", "أتيراو", "بافلودار", "أكتوبي"], range(2, 12),
                            strict=True)]


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("long") / "archive.jsonl"
    path.write_text("".join(json.dumps({"doc_id": f"d{i:03d}", "text": SHORT[i % 10]},
                                       ensure_ascii=False) + "\n" for i in range(300)),
                    encoding="utf-8")
    return path


def _run_on_pty(args: list[str], timeout: float = 300) -> tuple[int, str, str]:
    """Run the CLI with stderr on a terminal (as a user at a shell); returns rc, out, err."""
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    proc = subprocess.Popen([*cmd, *args], stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.5)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    out = proc.communicate(timeout=60)[0].decode()
    os.close(master)
    return proc.returncode, out, b"".join(chunks).decode(errors="replace")


def test_a_300_document_run_shows_one_bar_with_total_and_eta(long_corpus, tmp_path, cache):
    rc, out, err = _run_on_pty(["analyze", str(long_corpus), "--out", str(tmp_path / "o"),
                                "--cache", cache, "--chunk-size", "50"])
    assert rc == 0, err
    frames = [f.strip() for f in re.split(r"[\r\n]+", err) if f.strip()]
    bars = [f for f in frames if re.search(r"\d+/\d+", f)]
    # every frame drawn is the same one bar: "kzcrisis" over all 300 documents, no other
    # bar (no per-chunk or per-stage bars) in between
    assert bars and all(re.match(r"kzcrisis: +\d+%\|.*\| *\d+/300 \[", b) for b in bars), frames
    assert len(bars) == len(frames)
    assert "300/300" in bars[-1] and "100%" in bars[-1]
    counts = [int(re.search(r"(\d+)/300", b).group(1)) for b in bars]
    assert counts == sorted(counts) and len(set(counts)) >= 3  # it moved during the run
    assert any(re.search(r"\[\d\d:\d\d<\d\d:\d\d", b) for b in bars[1:-1])  # elapsed<ETA
    assert re.search(r"300 document\(s\) analysed, 0 skipped in [\d.]+ s \([\d.]+ "
                     r"documents/s\)", out)


def test_quiet_run_prints_nothing_and_pipe_gets_no_bar(long_corpus, tmp_path, cache):
    proc = _cli("analyze", str(long_corpus), "--out", str(tmp_path / "q"), "--cache", cache,
                "--quiet")
    assert proc.returncode == 0 and proc.stdout == "" and "kzcrisis:" not in proc.stderr
    proc = _cli("analyze", str(long_corpus), "--out", str(tmp_path / "p"), "--cache", cache)
    assert proc.returncode == 0 and "%|" not in proc.stderr  # not a terminal: no bar
    proc = _cli("analyze", str(long_corpus), "--out", str(tmp_path / "f"), "--cache", cache,
                "--progress")
    assert "300/300" in proc.stderr
