"""Fuzzing the whole CLI (hypothesis): random bytes, random JSON Lines and CSV structure.

``kzcrisis analyze`` runs in-process (the Stanza pipeline loads once) on each generated
input. Whatever the input: no traceback and no "unexpected error"; a failure is one line
naming the input file; a success has a manifest that accounts for every input (every file
of a folder, every non-blank line of a JSON Lines file, every CSV record).
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil
import tempfile
import warnings
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcrisis.cli import main

ARABIC = ["قال الرئيس توكايف إن النظام استعيد.", "ودعت الأمم المتحدة إلى ضبط النفس.",
          "وأكد الكرملين أن القوات ستغادر.", "ألماتي", "«بيان»", "٢٠٢٢"]
TEXT = st.one_of(st.text(max_size=40), st.sampled_from(ARABIC),
                 st.sampled_from(["=HYPERLINK(\"x\")", "-", "+1", "@a", "\t", "&amp;lt;",
                                  "\ud800", "Ø§Ù„", "\x00", "\r\n", "\"", ","]))
JSON_VALUE = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False),
                       TEXT, st.lists(st.integers(), max_size=2))
JSON_LINE = st.one_of(
    st.fixed_dictionaries({"text": st.lists(TEXT, max_size=4).map(" ".join)},
                          optional={"doc_id": JSON_VALUE, "title": JSON_VALUE,
                                    "date": st.sampled_from(["2022-01-07", "7/1/22", "", None]),
                                    "outlet": JSON_VALUE}).map(
        lambda o: json.dumps(o, ensure_ascii=False)),
    st.text(max_size=30),  # not JSON, or JSON of another shape
    st.just(""))
COLUMNS = ["doc_id", "text", "title", "date", "outlet", "extra"]


@st.composite
def inputs(draw) -> tuple[str, object]:
    kind = draw(st.sampled_from(["bytes", "folder", "jsonl", "csv"]))
    if kind in ("bytes", "folder"):
        return kind, draw(st.binary(max_size=300) | st.lists(TEXT, max_size=5).map(
            lambda parts: " ".join(parts).encode("utf-8", "surrogatepass")))
    if kind == "jsonl":
        return kind, draw(st.lists(JSON_LINE, min_size=1, max_size=4))
    header = draw(st.lists(st.sampled_from(COLUMNS), min_size=1, max_size=4, unique=True))
    rows = draw(st.lists(st.lists(TEXT, min_size=len(header), max_size=len(header) + 1),
                         max_size=3))
    return kind, (header, rows)


def _write(kind: str, data, root: Path) -> tuple[Path, int | None]:
    """The input path and how many inputs the manifest must account for (None: unknown)."""
    if kind == "bytes":
        path = root / "a.txt"
        path.write_bytes(data)
        return path, 1
    if kind == "folder":
        path = root / "corpus"
        path.mkdir()
        (path / "a.txt").write_bytes(data)
        (path / "b.txt").write_text(ARABIC[0], encoding="utf-8")
        (path / "c.bin").write_bytes(data)
        return path, 3
    if kind == "jsonl":
        path = root / "c.jsonl"
        path.write_bytes("\n".join(data).encode("utf-8", "surrogatepass") + b"\n")
        return path, sum(1 for line in data if line.strip())
    header, rows = data
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = root / "c.csv"
    path.write_bytes(buf.getvalue().encode("utf-8", "surrogatepass"))
    return path, None


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(inputs())
def test_cli_never_fails_without_naming_the_file(example):
    kind, data = example
    root = Path(tempfile.mkdtemp(prefix="kz-fuzz-"))
    try:
        path, n_inputs = _write(kind, data, root)
        out = root / "out"
        err = io.StringIO()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")
            code = main(["analyze", str(path), "--out", str(out), "--cache", "off"])
        message = err.getvalue()
        assert "Traceback" not in message and "unexpected error" not in message, message
        if code != 0:
            assert code == 2, message
            lines = message.strip().splitlines()
            assert len(lines) == 1 and str(path) in lines[0], message
            assert not out.exists()
            return
        manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        n = manifest["n_documents"]
        assert n["loaded"] + n["skipped"] == len(manifest["documents"])
        if n_inputs is None:  # CSV: one entry per record
            text = path.read_bytes().decode("utf-8-sig")
            n_inputs = sum(1 for _ in csv.DictReader(io.StringIO(text, newline="")))
        assert len(manifest["documents"]) == n_inputs
    finally:
        shutil.rmtree(root, ignore_errors=True)
