"""Load a corpus of Arabic articles into one documents DataFrame.

Accepted inputs: one ``.txt`` (or ``.html``) file, a folder of them with an optional
``metadata.csv``, a ``.jsonl`` file (one object per line with a ``text`` field) or a ``.csv``
file with a ``text`` column. Files are only read, never modified.

Columns: ``schemas.DOCUMENTS``. ``sha256`` is the checksum of the document text (UTF-8), so a
Windows-1256 copy of an article has the same checksum as its UTF-8 original; the run manifest
records the checksum of each input file's bytes.
"""
from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import re
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from .errors import InputError
from .schemas import DOCUMENTS

METADATA_FILE = "metadata.csv"
METADATA_COLUMNS = ["doc_id", "title", "outlet", "date", "url", "language"]
TEXT_SUFFIXES = {".txt", ".html", ".htm"}
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


def _iter_jsonl(path: Path) -> Iterator[tuple[dict | None, dict]]:
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
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise InputError(f"{where}: each line must be an object with a string 'text'")
            doc_id = _check_doc_id(obj.get("doc_id") or f"{path.stem}-{line_no}", where)
            meta = {c: "" if obj.get(c) is None else str(obj.get(c)) for c in METADATA_COLUMNS}
            meta["date"] = _check_date(meta["date"], where)
            yield (_record(doc_id, obj["text"], where, "utf-8", meta),
                   _report_row(where, doc_id, "loaded", "", "utf-8", ""))


def _iter_csv(path: Path, text_column: str) -> Iterator[tuple[dict | None, dict]]:
    decoded = read_text_file(path)
    reader = csv.DictReader(io.StringIO(decoded.text))
    if reader.fieldnames is None or text_column not in reader.fieldnames:
        raise InputError(f"{path}: no {text_column!r} column (columns: {reader.fieldnames}); "
                         "pass text_column=")
    for line, row in enumerate(reader, start=2):
        where = f"{path}:{line}"
        doc_id = _check_doc_id(row.get("doc_id") or f"{path.stem}-{line - 1}", where)
        meta = {c: (row.get(c) or "").strip() for c in METADATA_COLUMNS}
        meta["date"] = _check_date(meta["date"], where)
        yield (_record(doc_id, row[text_column] or "", where, decoded.encoding, meta),
               _report_row(where, doc_id, "loaded", "", decoded.encoding, decoded.file_sha256))


def _iter_single(path: Path) -> Iterator[tuple[dict | None, dict]]:
    decoded = read_text_file(path)
    meta_path = path.parent / METADATA_FILE
    metadata = read_metadata(meta_path) if meta_path.exists() else {}
    yield (_record(path.stem, decoded.text, str(path), decoded.encoding,
                   metadata.get(path.stem)),
           _report_row(str(path), path.stem, "loaded", "", decoded.encoding, decoded.file_sha256))


def iter_corpus(path: str | Path, text_column: str = "text"
                ) -> Iterator[tuple[dict | None, dict]]:
    """Yield ``(record, report_row)`` per file or row, lazily; ``record`` is None if skipped.

    Raises :class:`InputError` for what makes the whole input unusable (missing path, an
    unreadable single file, duplicate doc_ids, metadata rows without a file).
    """
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if path.is_dir():
        items = _iter_folder(path)
    elif suffix == ".jsonl":
        items = _iter_jsonl(path)
    elif suffix == ".csv":
        items = _iter_csv(path, text_column)
    elif suffix in TEXT_SUFFIXES:
        items = _iter_single(path)
    else:
        raise InputError(f"{path}: unsupported file type {suffix or '(none)'}; give a .txt, "
                         ".html, .jsonl or .csv file, or a folder of .txt files")
    seen: dict[str, str] = {}
    for record, row in items:
        if record is not None:
            if record["doc_id"] in seen:
                raise InputError(f"{record['source_path']}: duplicate doc_id "
                                 f"{record['doc_id']!r} (also in {seen[record['doc_id']]})")
            seen[record["doc_id"]] = record["source_path"]
        yield record, row


def load_corpus_report(path: str | Path, text_column: str = "text"
                       ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Load a corpus and return (documents, load report).

    The report has one row per file looked at (``LOAD_REPORT`` columns): loaded, or skipped
    with its reason. A single file that cannot be read raises :class:`InputError`; in a folder
    such a file becomes a skipped row, so no document is ever dropped silently.
    """
    records, report = [], []
    for record, row in iter_corpus(path, text_column):
        report.append(row)
        if record is not None:
            records.append(record)
    docs = pd.DataFrame(records, columns=DOCUMENTS)
    return docs, pd.DataFrame(report, columns=LOAD_REPORT)


def load_corpus(path: str | Path, text_column: str = "text") -> pd.DataFrame:
    """Load a corpus (file or folder) into a documents DataFrame (``schemas.DOCUMENTS``).

    Skipped files of a folder are listed in ``docs.attrs["load_report"]`` and announced with a
    warning; use :func:`load_corpus_report` to get the report as a return value.
    """
    docs, report = load_corpus_report(path, text_column=text_column)
    skipped = report[report.status == "skipped"]
    if len(skipped):
        warnings.warn(f"{path}: skipped {len(skipped)} file(s): "
                      + "; ".join(f"{Path(p).name} ({r})" for p, r in
                                  zip(skipped.source_path, skipped.reason, strict=True)),
                      stacklevel=2)
    docs.attrs["load_report"] = report
    return docs
