"""Corpus loading: formats, encodings, metadata and bad input."""
from __future__ import annotations

import json
import os
import stat

import pandas as pd
import pytest

import kzcrisis as kz
from kzcrisis.corpus import html_to_text, load_corpus_report
from kzcrisis.errors import InputError
from kzcrisis.paths import DATA_RAW
from kzcrisis.schemas import DOCUMENTS

SEED = DATA_RAW / "000_e4eda7b29b88d456.txt"
ARABIC = "قال رئيس كازاخستان، قاسم جومارت توكايف، إن النظام استعيد.\n\nودعت الأمم المتحدة إلى ضبط النفس."


def test_seed_corpus_loads_with_metadata():
    docs = kz.load_corpus(DATA_RAW)
    assert list(docs.columns) == DOCUMENTS
    assert docs.doc_id.tolist() == ["000_e4eda7b29b88d456"]
    row = docs.iloc[0]
    assert row.date == "2022-01-07" and row.language == "ar" and row.encoding == "utf-8"
    assert row.text_raw == SEED.read_text(encoding="utf-8")
    assert docs.attrs["load_report"].status.tolist() == ["loaded"]


@pytest.mark.parametrize("encoding, expected", [
    ("utf-8", "utf-8"),
    ("utf-8-sig", "utf-8-sig"),
    ("utf-16", "utf-16"),
    ("cp1256", "cp1256"),
])
def test_encodings_give_identical_text(tmp_path, encoding, expected):
    original = SEED.read_text(encoding="utf-8")
    path = tmp_path / "copy.txt"
    path.write_bytes(original.encode(encoding))
    docs = kz.load_corpus(path)
    assert docs.text_raw[0] == original
    assert docs.encoding[0] == expected
    assert docs.sha256[0] == kz.load_corpus(SEED).sha256[0]


@pytest.mark.parametrize("payload, message", [
    (b"\x7fELF\x02\x01\x01\x00\x00\x00binary", "binary file"),
    ("قال الرئيس".encode() + b"\xff\xfe\xfa\x80\x81" * 3 + b"\x00", "binary file"),
    (b"\xc3\x28\xa0\xa1 caf\xe9 \x80\x81\x8d\x8f\x90", "undecodable"),
    ("قال رئيس كازاخستان".encode()[:-1] + " إن".encode(), "invalid UTF-8 at byte"),
])
def test_unreadable_single_file_raises_one_line(tmp_path, payload, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(payload)
    with pytest.raises(InputError, match=message) as err:
        kz.load_corpus(path)
    assert "\n" not in str(err.value) and str(path) in str(err.value)


def test_folder_reports_skipped_files_instead_of_dropping(tmp_path):
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "b.txt").write_bytes(b"\x00\x01\x02binary")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    with pytest.warns(UserWarning, match="skipped 2 file"):
        docs = kz.load_corpus(tmp_path)
    report = docs.attrs["load_report"]
    assert docs.doc_id.tolist() == ["a"]
    assert dict(zip(report.source_path.map(lambda p: p.rsplit("/", 1)[-1]), report.status,
                    strict=True)) == {"a.txt": "loaded", "b.txt": "skipped",
                                      "notes.pdf": "skipped"}
    assert report.reason[report.status == "skipped"].str.len().gt(0).all()


def test_metadata_is_joined_and_validated(tmp_path):
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(
        "doc_id,title,outlet,date,url,language\na,عنوان,Outlet,2022-01-08,http://x,ar\n",
        encoding="utf-8")
    docs = kz.load_corpus(tmp_path)
    assert docs.loc[0, ["title", "outlet", "date", "url", "language"]].tolist() == [
        "عنوان", "Outlet", "2022-01-08", "http://x", "ar"]


@pytest.mark.parametrize("metadata, message", [
    ("doc_id,title\nz,orphan\n", "match no file: z"),
    ("title,date\nx,2022-01-01\n", "missing column 'doc_id'"),
    ("doc_id,date\na,07/01/2022\n", r"metadata.csv:2: bad date"),
    ("doc_id,date\na,2022-02-30\n", "not a calendar date"),
    ("doc_id,date\na,\na,\n", "duplicate doc_id"),
    ("doc_id,colour\na,red\n", "unknown column"),
])
def test_bad_metadata_names_file_and_problem(tmp_path, metadata, message):
    (tmp_path / "a.txt").write_text(ARABIC, encoding="utf-8")
    (tmp_path / "metadata.csv").write_text(metadata, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        kz.load_corpus(tmp_path)


def test_jsonl_and_csv(tmp_path):
    jsonl = tmp_path / "c.jsonl"
    jsonl.write_text("\n".join(json.dumps(o, ensure_ascii=False) for o in [
        {"doc_id": "x1", "text": ARABIC, "date": "2022-01-06", "outlet": "A"},
        {"text": "نص ثان"},
    ]) + "\n", encoding="utf-8")
    docs = kz.load_corpus(jsonl)
    assert docs.doc_id.tolist() == ["x1", "c-2"]
    assert docs.text_raw.tolist() == [ARABIC, "نص ثان"]
    csv_path = tmp_path / "c.csv"
    pd.DataFrame({"doc_id": ["y"], "text": [ARABIC]}).to_csv(csv_path, index=False)
    assert kz.load_corpus(csv_path).text_raw.tolist() == [ARABIC]


@pytest.mark.parametrize("lines, message", [
    ('{"text": "a"}\n{broken\n', r"c.jsonl:2: invalid JSON"),
    ('{"doc_id": "d", "text": "a"}\n{"doc_id": "d", "text": "b"}\n', "duplicate doc_id 'd'"),
    ('{"doc_id": "../x", "text": "a"}\n', "invalid doc_id"),
    ('{"body": "a"}\n', "string 'text'"),
])
def test_bad_jsonl(tmp_path, lines, message):
    path = tmp_path / "c.jsonl"
    path.write_text(lines, encoding="utf-8")
    with pytest.raises(InputError, match=message):
        kz.load_corpus(path)


def test_missing_path_and_unsupported_type(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        kz.load_corpus(tmp_path / "nope")
    (tmp_path / "x.docx").write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported file type .docx"):
        kz.load_corpus(tmp_path / "x.docx")


def test_html_is_reduced_to_text():
    page = ("<html><head><title>t</title><style>p{}</style></head><body><script>var a='<p>';"
            "</script><p>قال &quot;زاس&quot;</p><div>دعت الأمم المتحدة</div></body></html>")
    assert html_to_text(page) == 'قال "زاس"\n\nدعت الأمم المتحدة'


def test_raw_files_are_not_modified(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(ARABIC.encode("cp1256"))
    os.chmod(path, stat.S_IRUSR)
    before = path.read_bytes(), path.stat().st_mtime_ns
    load_corpus_report(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
