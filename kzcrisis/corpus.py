"""Load a corpus of Arabic articles into one documents DataFrame.

Accepted inputs: one ``.txt`` (or ``.html``) file, a folder of them with an optional
``metadata.csv``, a ``.jsonl`` file (one object per line with a ``text`` field), a table
(``.csv``, ``.parquet``, ``.xlsx``) with a ``text`` column, or a pandas DataFrame with one.
Files are only read, never modified.

Tables and DataFrames may name their columns otherwise (:class:`InputColumns`:
``text_column=``, ``id_column=``); their other columns are *extra metadata*, carried after
the declared columns to ``documents.csv`` (``schemas.DOCUMENTS_TABLE``).

Columns: ``schemas.DOCUMENTS``, then any extra metadata columns in input order. ``sha256`` is the checksum of the document text (UTF-8), so a
Windows-1256 copy of an article has the same checksum as its UTF-8 original; the run manifest
records the checksum of each input file's bytes.
"""
from __future__ import annotations

import csv
import datetime as _dt
import hashlib
import html
import io
import json
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from .errors import InputError
from .schemas import DOCUMENTS, DOCUMENTS_TABLE

METADATA_FILE = "metadata.csv"
METADATA_COLUMNS = ["doc_id", "title", "outlet", "date", "url", "language"]
TEXT_SUFFIXES = {".txt", ".html", ".htm"}
TABLE_SUFFIXES = {".csv", ".jsonl", ".parquet", ".xlsx"}
LOAD_REPORT = ["source_path", "doc_id", "status", "reason", "encoding", "file_sha256"]

# Encodings Arabic news text plausibly comes in; detection is restricted to these so that
# charset-normalizer never "explains" Arabic bytes as, say, a Cyrillic code page.
_PLAUSIBLE = ["cp1256", "iso8859_6", "utf_16", "utf_8"]
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
# Characters Arabic-language text is made of (letters, harakat, tatweel, punctuation): the
# code page's Persian/Urdu letters and symbols dominate only when bytes are decoded wrongly.
_ARABIC_LANGUAGE = frozenset(
    [chr(c) for c in range(0x0621, 0x0653)] + ["\u060c", "\u061b", "\u061f", "\u0640",
                                                "\u00a0", "\u00ab", "\u00bb", "\u200f",
                                                "\u200e", "\u2013", "\u2014", "\u2026"])
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SAFE_ID = re.compile(r"^[^\x00-\x1f/\\]+$")


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    file_sha256: str


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def text_sha256(text: str) -> str:
    """Checksum of a document's text as UTF-8."""
    return _sha256(text.encode("utf-8"))


def decode_bytes(data: bytes, name: str) -> tuple[str, str]:
    """Decode a file's bytes to text, returning (text, encoding); raise InputError if impossible."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data, "utf-8-sig", name), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes); give a text file "
                         "in UTF-8, UTF-16 or Windows-1256")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err
    undecodable = InputError(
        f"{name}: undecodable bytes (invalid UTF-8 at byte {utf8_error.start}, and not "
        "plausible Windows-1256 or ISO-8859-6 Arabic); re-save the file as UTF-8")
    # Mostly-valid UTF-8 with a few broken bytes is damaged UTF-8, not a legacy code page:
    # Arabic in Windows-1256 almost never forms valid UTF-8 multi-byte sequences.
    if len(_UTF8_MULTIBYTE.findall(data)) > data.decode("utf-8", "replace").count("\ufffd"):
        raise undecodable
    best = from_bytes(data, cp_isolation=_PLAUSIBLE).best()
    if best is None or best.encoding not in ("cp1256", "iso8859_6"):
        raise undecodable
    text = data.decode(best.encoding)
    non_ascii = [c for c in text if ord(c) > 127 and not c.isspace()]
    if non_ascii and sum(c in _ARABIC_LANGUAGE for c in non_ascii) < 0.8 * len(non_ascii):
        raise undecodable
    return text, best.encoding


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: invalid {encoding} at byte {err.start}; "
                         "re-save the file as UTF-8") from None
    return text.lstrip("\ufeff")


def read_text_file(path: Path) -> Decoded:
    """Read and decode one text file."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, expected a file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied") from None
    text, encoding = decode_bytes(data, str(path))
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    return Decoded(text, encoding, _sha256(data))


class _TextExtractor(HTMLParser):
    _BLOCK = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "article",
              "section", "blockquote", "header", "footer"}
    _SKIP = {"script", "style", "noscript", "template", "head"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in self._SKIP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_BLANKS = re.compile(r"[ \t]*\n(?:[ \t]*\n)+")


def html_to_text(markup: str) -> str:
    """Text of an HTML page: tags, scripts and styles dropped, block elements as paragraphs."""
    parser = _TextExtractor()
    parser.feed(markup)
    parser.close()
    return _BLANKS.sub("\n\n", html.unescape("".join(parser.parts))).strip()


def _check_doc_id(doc_id: str, where: str) -> str:
    doc_id = str(doc_id).strip()
    if not doc_id or not _SAFE_ID.match(doc_id) or doc_id in (".", ".."):
        raise InputError(f"{where}: invalid doc_id {doc_id!r} (no slashes, control characters "
                         "or empty ids)")
    return doc_id


def _check_date(value: str, where: str) -> str:
    value = "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value)
    value = value.strip()
    if value and not _DATE.match(value):
        raise InputError(f"{where}: bad date {value!r}; write dates as YYYY-MM-DD")
    if value:
        try:
            pd.Timestamp(value)
        except ValueError:
            raise InputError(f"{where}: bad date {value!r}; not a calendar date") from None
    return value


def read_metadata(path: Path) -> dict[str, dict[str, str]]:
    """Read a metadata.csv into {doc_id: row}; errors name the file and line."""
    decoded = read_text_file(path)
    reader = csv.DictReader(io.StringIO(decoded.text))
    if reader.fieldnames is None or "doc_id" not in reader.fieldnames:
        raise InputError(f"{path}: missing column 'doc_id' (expected columns: "
                         f"{', '.join(METADATA_COLUMNS)})")
    unknown = [c for c in reader.fieldnames if c not in METADATA_COLUMNS]
    if unknown:
        raise InputError(f"{path}: unknown column(s) {unknown}; expected "
                         f"{', '.join(METADATA_COLUMNS)}")
    rows: dict[str, dict[str, str]] = {}
    for line, row in enumerate(reader, start=2):
        where = f"{path}:{line}"
        if None in row:
            raise InputError(f"{where}: more fields than columns")
        doc_id = _check_doc_id(row.get("doc_id") or "", where)
        if doc_id in rows:
            raise InputError(f"{where}: duplicate doc_id {doc_id!r}")
        clean = {c: (row.get(c) or "").strip() for c in METADATA_COLUMNS}
        clean["doc_id"] = doc_id
        clean["date"] = _check_date(clean["date"], where)
        rows[doc_id] = clean
    return rows


def _record(doc_id: str, text: str, source: str, encoding: str, meta: dict | None) -> dict:
    meta = meta or {}
    return {
        "doc_id": doc_id,
        "title": meta.get("title", "") or "",
        "outlet": meta.get("outlet", "") or "",
        "date": meta.get("date", "") or "",
        "url": meta.get("url", "") or "",
        "language": meta.get("language", "") or "",
        "source_path": source,
        "encoding": encoding,
        "sha256": text_sha256(text),
        "text_raw": text,
    }


def _report_row(source: str, doc_id: str, status: str, reason: str, encoding: str = "",
                file_sha256: str = "") -> dict:
    return dict(source_path=source, doc_id=doc_id, status=status, reason=reason,
                encoding=encoding, file_sha256=file_sha256)


def _iter_folder(folder: Path) -> Iterator[tuple[dict | None, dict]]:
    meta_path = folder / METADATA_FILE
    metadata = read_metadata(meta_path) if meta_path.exists() else {}
    seen: set[str] = set()
    for path in sorted(folder.iterdir()):
        if path.name.startswith(".") or path.name == METADATA_FILE:
            continue
        source = str(path)
        if path.is_dir():
            yield None, _report_row(source, "", "skipped", "sub-folder (not read)")
            continue
        if path.suffix.lower() not in TEXT_SUFFIXES:
            yield None, _report_row(source, "", "skipped",
                                    f"unsupported file type {path.suffix or '(none)'}")
            continue
        doc_id = path.stem
        seen.add(doc_id)
        try:
            decoded = read_text_file(path)
        except InputError as err:
            yield None, _report_row(source, doc_id, "skipped", str(err))
            continue
        yield (_record(doc_id, decoded.text, source, decoded.encoding, metadata.get(doc_id)),
               _report_row(source, doc_id, "loaded", "", decoded.encoding, decoded.file_sha256))
    orphans = sorted(set(metadata) - seen)
    if orphans:
        raise InputError(f"{meta_path}: metadata rows match no file: {', '.join(orphans)} "
                         "(each doc_id must be the stem of a .txt file in the folder)")


def _iter_jsonl(path: Path, cols: InputColumns) -> Iterator[tuple[dict | None, dict]]:
    # JSON Lines is UTF-8 by definition; read line by line so a large archive streams.
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            digest.update(raw)
            where = f"{path}:{line_no}"
            try:
                line = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
            except UnicodeDecodeError as err:
                raise InputError(f"{where}: invalid UTF-8 at byte {err.start} (JSON Lines "
                                 "files must be UTF-8)") from None
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as err:
                raise InputError(f"{where}: invalid JSON ({err.msg})") from None
            if not isinstance(obj, dict) or not isinstance(obj.get(cols.text), str):
                raise InputError(f"{where}: each line must be an object with a string "
                                 f"{cols.text!r}")
            # JSON objects need not share keys: only named extra metadata is carried
            yield _table_row(obj, where, f"{path.stem}-{line_no}", cols,
                             list(cols.metadata or ()), "utf-8", "")


def _iter_csv(path: Path, cols: InputColumns) -> Iterator[tuple[dict | None, dict]]:
    decoded = read_text_file(path)
    reader = csv.DictReader(io.StringIO(decoded.text))
    extras = cols.check(reader.fieldnames or [], str(path))
    for line, row in enumerate(reader, start=2):
        yield _table_row(row, f"{path}:{line}", f"{path.stem}-{line - 1}", cols, extras,
                         decoded.encoding, decoded.file_sha256)


def _iter_single(path: Path) -> Iterator[tuple[dict | None, dict]]:
    decoded = read_text_file(path)
    meta_path = path.parent / METADATA_FILE
    metadata = read_metadata(meta_path) if meta_path.exists() else {}
    yield (_record(path.stem, decoded.text, str(path), decoded.encoding,
                   metadata.get(path.stem)),
           _report_row(str(path), path.stem, "loaded", "", decoded.encoding, decoded.file_sha256))


def iter_corpus(path: str | Path | pd.DataFrame, text_column: str = "text",
                id_column: str = "doc_id", metadata_columns: Iterable[str] | None = None
                ) -> Iterator[tuple[dict | None, dict]]:
    """Yield ``(record, report_row)`` per file or row, lazily; ``record`` is None if skipped.

    ``path`` is a file, a folder or a DataFrame; ``text_column``, ``id_column`` and
    ``metadata_columns`` say which columns of a table input hold what (:class:`InputColumns`).
    Raises :class:`InputError` for what makes the whole input unusable (missing path, an
    unreadable single file, duplicate doc_ids, metadata rows without a file).

    >>> rows = iter_corpus(pd.DataFrame({"body": ["قال الرئيس إن النظام استعيد."]}),
    ...                    text_column="body")
    >>> next(rows)[0]["doc_id"]
    'row-1'
    """
    cols = InputColumns.of(text_column, id_column, metadata_columns)
    if isinstance(path, pd.DataFrame):
        items = _iter_frame(path, cols)
    else:
        items = _iter_path(_as_path(path), cols)
    seen: dict[str, str] = {}
    for record, row in items:
        if record is not None:
            if record["doc_id"] in seen:
                raise InputError(f"{record['source_path']}: duplicate doc_id "
                                 f"{record['doc_id']!r} (also in {seen[record['doc_id']]})")
            seen[record["doc_id"]] = record["source_path"]
        yield record, row


def _as_path(path: object) -> Path:
    if not isinstance(path, str | Path) and not hasattr(path, "__fspath__"):
        raise InputError(f"expected a file or folder path or a pandas DataFrame, not "
                         f"{type(path).__name__}")
    return Path(path)


def _iter_path(path: Path, cols: InputColumns) -> Iterator[tuple[dict | None, dict]]:
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if path.is_dir():
        if cols.metadata:
            raise InputError(f"{path}: metadata_columns applies to table inputs (.csv, "
                             ".jsonl, .parquet, .xlsx, DataFrame), not to a folder")
        return _iter_folder(path)
    if suffix == ".jsonl":
        return _iter_jsonl(path, cols)
    if suffix == ".csv":
        return _iter_csv(path, cols)
    if suffix == ".parquet":
        return _iter_parquet(path, cols)
    if suffix == ".xlsx":
        return _iter_xlsx(path, cols)
    if suffix in TEXT_SUFFIXES:
        return _iter_single(path)
    raise InputError(f"{path}: unsupported file type {suffix or '(none)'}; give a .txt, "
                     ".html, .jsonl, .csv, .parquet or .xlsx file, or a folder of .txt files")


def load_corpus_report(path: str | Path | pd.DataFrame, text_column: str = "text",
                       id_column: str = "doc_id", metadata_columns: Iterable[str] | None = None
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load a corpus and return (documents, load report).

    The report has one row per file looked at (``LOAD_REPORT`` columns): loaded, or skipped
    with its reason. A single file that cannot be read raises :class:`InputError`; in a folder
    such a file becomes a skipped row, so no document is ever dropped silently.

    >>> docs, report = load_corpus_report("data/raw")  # doctest: +SKIP
    >>> report.status.tolist()  # doctest: +SKIP
    ['loaded']
    """
    records, report = [], []
    for record, row in iter_corpus(path, text_column, id_column, metadata_columns):
        report.append(row)
        if record is not None:
            records.append(record)
    return documents_frame(records), pd.DataFrame(report, columns=LOAD_REPORT)


def load_corpus(path: str | Path | pd.DataFrame, text_column: str = "text",
                id_column: str = "doc_id", metadata_columns: Iterable[str] | None = None
                ) -> pd.DataFrame:
    """Load a corpus (file, folder or DataFrame) into a documents DataFrame.

    Columns: ``schemas.DOCUMENTS``, then the input's extra metadata columns. Skipped files of
    a folder are listed in ``docs.attrs["load_report"]`` and announced with a warning; use
    :func:`load_corpus_report` to get the report as a return value.

    >>> docs = load_corpus("data/raw")               # doctest: +SKIP
    >>> docs = load_corpus("archive.xlsx", text_column="body", id_column="id")  # doctest: +SKIP
    >>> load_corpus(pd.DataFrame({"text": ["ودعت الأمم المتحدة إلى ضبط النفس."],
    ...                           "author": ["مراسل"]})).author.tolist()
    ['مراسل']
    """
    docs, report = load_corpus_report(path, text_column, id_column, metadata_columns)
    skipped = report[report.status == "skipped"]
    if len(skipped):
        warnings.warn(f"{_name(path)}: skipped {len(skipped)} file(s): "
                      + "; ".join(f"{Path(p).name} ({r})" for p, r in
                                  zip(skipped.source_path, skipped.reason, strict=True)),
                      stacklevel=2)
    docs.attrs["load_report"] = report
    return docs


def _name(path: object) -> str:
    return "DataFrame" if isinstance(path, pd.DataFrame) else str(path)


# --- table inputs: CSV, JSON Lines, Parquet, Excel, DataFrame ------------------------------

#: Columns a table input cannot carry as extra metadata: kzcrisis makes them itself.
RESERVED_COLUMNS = frozenset(DOCUMENTS) | frozenset(DOCUMENTS_TABLE) | {"text_clean",
                                                                          "provenance"}


@dataclass(frozen=True)
class InputColumns:
    """Which columns of a table input hold the text, the id and the extra metadata.

    ``metadata=None`` carries every column that is not the text, the id, one of
    ``METADATA_COLUMNS`` or made by kzcrisis (``RESERVED_COLUMNS``); a tuple carries exactly
    those (``()``: none). JSON Lines objects need not share keys, so from them only named
    columns are carried. Missing cells become "".

    >>> InputColumns.of("body", "id", None).check(["id", "body", "date", "author"], "x.csv")
    ['author']
    """

    text: str = "text"
    id: str = "doc_id"
    metadata: tuple[str, ...] | None = None

    @classmethod
    def of(cls, text: str, id_: str, metadata: Iterable[str] | None) -> InputColumns:
        if isinstance(metadata, str):  # "a,b" from the command line
            metadata = [m.strip() for m in metadata.split(",") if m.strip()]
        names = tuple(str(m) for m in metadata) if metadata is not None else None
        for what, value in (("text_column", text), ("id_column", id_)):
            if not isinstance(value, str) or not value:
                raise InputError(f"{what} must be a column name, not {value!r}")
        return cls(text, id_, names)

    def check(self, columns: list, where: str) -> list[str]:
        """The extra metadata columns of a table with ``columns``; InputError when the text
        column or a named metadata column is missing, or a name is kzcrisis's own."""
        columns = [str(c) for c in columns]
        if self.text not in columns:
            raise InputError(f"{where}: no {self.text!r} column (columns: {columns}); pass "
                             "text_column= (--text-column) to name the text column")
        known = {self.text, self.id, *METADATA_COLUMNS}
        if self.metadata is None:
            return [c for c in columns if c not in known and c not in RESERVED_COLUMNS]
        missing = [c for c in self.metadata if c not in columns]
        if missing:
            raise InputError(f"{where}: metadata column(s) {missing} not found (columns: "
                             f"{columns})")
        taken = [c for c in self.metadata if c in known or c in RESERVED_COLUMNS]
        if taken:
            raise InputError(f"{where}: {taken} cannot be extra metadata (kzcrisis fills "
                             "these columns itself); rename them")
        return list(dict.fromkeys(self.metadata))


def _cell(value: object) -> str:
    """A table cell as text: missing -> "", whole floats and midnight datetimes plainly.

    >>> _cell(3.0), _cell(_dt.datetime(2022, 1, 7)), _cell(float("nan")), _cell(" كازاخستان ")
    ('3', '2022-01-07', '', ' كازاخستان ')
    """
    if value is None or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat() if value.time() == _dt.time() else value.isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _table_row(row: Mapping, where: str, default_id: str, cols: InputColumns,
               extras: list[str], encoding: str, file_sha256: str) -> tuple[dict, dict]:
    """One row of a table input as (record, report row); the record's ``metadata`` holds
    its extra columns."""
    text = row.get(cols.text)
    if text is None or (isinstance(text, float) and text != text):
        text = ""
    if not isinstance(text, str):
        raise InputError(f"{where}: the text column {cols.text!r} holds a "
                         f"{type(text).__name__}, not text")
    doc_id = _check_doc_id(_cell(row.get(cols.id)) or default_id, where)
    meta = {c: _cell(row.get(c)).strip() for c in METADATA_COLUMNS}
    meta["date"] = _check_date(meta["date"], where)
    record = _record(doc_id, text, where, encoding, meta)
    if extras:
        record["metadata"] = {c: _cell(row.get(c)) for c in extras}
    return record, _report_row(where, doc_id, "loaded", "", encoding, file_sha256)


def documents_frame(records: list[dict]) -> pd.DataFrame:
    """Records as a documents DataFrame: ``DOCUMENTS`` then the extra metadata columns.

    >>> documents_frame([]).columns.tolist() == DOCUMENTS
    True
    """
    extras = list(records[0].get("metadata", {})) if records else []
    docs = pd.DataFrame(records, columns=DOCUMENTS)
    for col in extras:
        docs[col] = [r["metadata"].get(col, "") for r in records]
    return docs


def _iter_frame(frame: pd.DataFrame, cols: InputColumns) -> Iterator[tuple[dict, dict]]:
    """Rows of a DataFrame; ``source_path`` is ``DataFrame row N`` (1-based position).

    A documents frame from :func:`load_corpus` has ``text_raw`` rather than ``text``, and is
    read as it is."""
    if cols.text == "text" and "text" not in frame.columns and "text_raw" in frame.columns:
        cols = InputColumns("text_raw", cols.id, cols.metadata)
    if frame.columns.duplicated().any():
        raise InputError(f"DataFrame: duplicate column names "
                         f"{sorted(set(frame.columns[frame.columns.duplicated()]))}")
    extras = cols.check(list(frame.columns), "DataFrame")
    for pos, row in enumerate(frame.to_dict("records"), start=1):
        yield _table_row(row, f"DataFrame row {pos}", f"row-{pos}", cols, extras, "", "")


def _file_sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _iter_parquet(path: Path, cols: InputColumns) -> Iterator[tuple[dict, dict]]:
    """Rows of a Parquet file, read in batches (an archive never sits in memory whole);
    ``source_path`` is ``FILE:N`` for the N-th row."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowException, OSError) as err:
        raise InputError(f"{path}: not a readable Parquet file ({err}); re-export it, or "
                         "give a .csv") from None
    extras = cols.check(pf.schema_arrow.names, str(path))
    digest = _file_sha256(path)
    n = 0
    for batch in pf.iter_batches(batch_size=1024):
        for row in batch.to_pylist():
            n += 1
            yield _table_row(row, f"{path}:{n}", f"{path.stem}-{n}", cols, extras, "", digest)


def _iter_xlsx(path: Path, cols: InputColumns) -> Iterator[tuple[dict, dict]]:
    """Rows of the first sheet of an Excel workbook (row 1: column names); ``source_path``
    is ``FILE:ROW`` with the spreadsheet's row number."""
    try:
        sheet = pd.read_excel(path, sheet_name=0, dtype=object, engine="openpyxl")
    except Exception as err:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise InputError(f"{path}: cannot read as an Excel workbook ({type(err).__name__}); "
                         "re-save it as .xlsx or export the sheet as .csv") from None
    extras = cols.check(list(sheet.columns), str(path))
    digest = _file_sha256(path)
    for row_no, row in enumerate(sheet.to_dict("records"), start=2):
        yield _table_row(row, f"{path}:{row_no}", f"{path.stem}-{row_no - 1}", cols, extras,
                         "", digest)


def count_documents(path: str | Path | pd.DataFrame, **_: object) -> int | None:
    """How many files or rows an input holds, counted cheaply (a progress bar's total);
    None when it cannot tell, in which case the reader itself reports the problem.

    >>> count_documents(pd.DataFrame({"text": ["نص أول", "نص ثان"]}))
    2
    """
    if isinstance(path, pd.DataFrame):
        return len(path)
    try:
        path = Path(path)
        suffix = path.suffix.lower()
        if path.is_dir():
            return sum(1 for p in path.iterdir()
                       if not p.name.startswith(".") and p.name != METADATA_FILE)
        if suffix == ".jsonl":
            with open(path, "rb") as fh:
                return sum(1 for line in fh if line.strip())
        if suffix == ".csv":
            return max(0, sum(1 for _ in csv.reader(io.StringIO(read_text_file(path).text)))
                       - 1)
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        if suffix == ".xlsx":
            from openpyxl import load_workbook

            book = load_workbook(path, read_only=True)
            try:
                return max(0, (book.worksheets[0].max_row or 1) - 1)
            finally:
                book.close()
        return 1 if path.is_file() else None
    except Exception:  # noqa: BLE001 - only a bar's total: the reader reports the real error
        return None
