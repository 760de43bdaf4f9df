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

import contextlib
import csv
import datetime as _dt
import errno
import hashlib
import io
import json
import os
import re
import stat
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
from charset_normalizer import from_bytes

from .errors import InputError
from .models import sha256 as file_sha256
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
    """Decode a file's bytes to text, returning (text, encoding); raise InputError if impossible.

    UTF-8 (with or without BOM), UTF-16 (with a BOM, or without one when the NUL-byte
    pattern of Arabic and ASCII code points shows it), Windows-1256 and ISO-8859-6. Arabic
    that was garbled by a wrong code page and saved again (mojibake such as ``Ø§Ù„``) is
    repaired when its bytes come back exactly, and refused otherwise (:func:`repair_mojibake`).

    >>> decode_bytes("قال".encode("utf-16-le"), "a.txt")
    ('قال', 'utf-16-le')
    """
    if data.startswith(b"\xef\xbb\xbf"):
        return _repaired(_strict(data, "utf-8-sig", name), "utf-8-sig", name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", name), "utf-16"
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data:
        raise InputError(f"{name}: binary file (contains NUL bytes); give a text file "
                         "in UTF-8, UTF-16 or Windows-1256")
    try:
        return _repaired(data.decode("utf-8"), "utf-8", name)
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
    if _arabic_share(text) < 0.8:
        raise undecodable
    return text, best.encoding


def _arabic_share(text: str) -> float:
    """Share of the non-ASCII, non-space characters that Arabic-language text is made of
    (1.0 when there are none)."""
    non_ascii = [c for c in text if ord(c) > 127 and not c.isspace()]
    if not non_ascii:
        return 1.0
    return sum(c in _ARABIC_LANGUAGE for c in non_ascii) / len(non_ascii)


# Code points UTF-16 text of an Arabic article is made of: ASCII, Latin-1, Arabic and its
# presentation forms, general punctuation. The same bytes read in the wrong byte order (or
# binary data read as UTF-16) fall in CJK and other blocks instead.
_UTF16_PLAUSIBLE = re.compile(
    "[\t\n\r\x20-\x7e\u00a0-\u00ff\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff"
    "\u2000-\u206f\ufb50-\ufdff\ufe70-\ufeff]")


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """(text, encoding) for UTF-16 without a byte-order mark, else None.

    Arabic code points are U+06xx and ASCII ones U+00xx, so every second byte of such a
    file is 0x06 or 0x00: the odd bytes in little-endian, the even ones in big-endian.

    >>> _utf16_without_bom("قال الرئيس".encode("utf-16-be"))
    ('قال الرئيس', 'utf-16-be')
    """
    if len(data) < 2 or len(data) % 2:
        return None
    for encoding, high in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if (high.count(0) + high.count(6)) < 0.6 * len(high):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text or not text:
            continue
        plausible = len(_UTF16_PLAUSIBLE.findall(text))
        if plausible >= 0.95 * len(text):
            return text, encoding
    return None


# --- mojibake ---------------------------------------------------------------------------
#
# An editor or a web scraper that reads Arabic bytes in a Western code page and saves the
# result again as UTF-8 turns قال into "Ù‚Ø§Ù„" (UTF-8 read as cp1252), "ŸÇÿßŸÑ" (UTF-8 read
# as Mac Roman) or "ÞÇá" (Windows-1256 read as cp1252). Decision: where encoding the text
# back in that code page gives bytes that decode *exactly* (strict UTF-8, or Windows-1256)
# into Arabic, the file is repaired and the manifest says so; where some bytes were lost on
# the way (replaced by "?" or U+FFFD), it is refused with the encoding named and the fix.
_WESTERN = ("cp1252", "mac_roman")
_C1 = re.compile("[\x80-\x9f]")
_CP1252_ONLY = re.compile("[\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
                          "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a"
                          "\u20ac\u2122]")
_LATIN_HIGH = re.compile("[\u00c0-\u00ff\u0178\u2044]")
_ARABIC_WORD = re.compile("[\u0600-\u06ff]+")
_MIXED_WORD = re.compile("\\w*[\u0600-\u06ff]\\w*")


def _encode_western(text: str, codec: str, errors: str = "strict") -> bytes:
    """``text`` in a Western code page; C1 controls (U+0080-U+009F) stand for the bytes
    cp1252 leaves undefined (Windows passes 0x81, 0x8D, 0x8F, 0x90, 0x9D through)."""
    if codec != "cp1252":
        return text.encode(codec, errors)
    out = bytearray()
    for piece in re.split("([\x80-\x9f])", text):
        if len(piece) == 1 and "\x80" <= piece <= "\x9f":
            out.append(ord(piece))
        elif piece:
            out += piece.encode("cp1252", errors)
    return bytes(out)


def _codec_name(text: str, codec: str) -> str:
    if codec == "mac_roman":
        return "Mac Roman"
    if _CP1252_ONLY.search(text):
        return "Windows-1252"
    return "Latin-1 (ISO-8859-1)" if _C1.search(text) else "Latin-1 / Windows-1252"


def _looks_arabic(text: str) -> bool:
    """Repaired text reads as Arabic: Arabic words, not Latin words with stray letters."""
    words = _MIXED_WORD.findall(text)
    arabic = [w for w in words if _ARABIC_WORD.fullmatch(w)]
    return (len(arabic) >= 1 and sum(map(len, arabic)) >= 3
            and len(arabic) >= 0.9 * len(words) and _arabic_share(text) >= 0.8)


def repair_mojibake(text: str, name: str) -> tuple[str, str]:
    """``(text, how)``: Arabic mojibake repaired, ``how`` naming it ('' when none was found).

    Raises :class:`InputError` naming the code page when the text is mojibake whose bytes
    cannot be recovered exactly.

    >>> repair_mojibake("قال".encode().decode("latin-1"), "a.txt")
    ('قال', 'UTF-8 read as Latin-1 (ISO-8859-1)')
    """
    # the search is fast; the share is only computed for text with Latin-1 letters in it
    if not _LATIN_HIGH.search(text) or _arabic_share(text) >= 0.5:
        return text, ""
    letters = [c for c in text if c.isalpha()]
    dense = sum(ord(c) > 127 for c in letters) >= 0.5 * max(1, len(letters))
    for codec in _WESTERN:
        try:
            raw = _encode_western(text, codec)
        except UnicodeEncodeError:
            continue
        try:
            fixed = raw.decode("utf-8")
            if _looks_arabic(fixed):
                return fixed, f"UTF-8 read as {_codec_name(text, codec)}"
        except UnicodeDecodeError:
            pass
        fixed = raw.decode("cp1256", "replace")
        if dense and "\ufffd" not in fixed and _looks_arabic(fixed):
            return fixed, f"Windows-1256 read as {_codec_name(text, codec)}"
    for codec in _WESTERN:
        raw = _encode_western(text, codec, "replace")
        for inner, label in (("utf-8", "UTF-8"), ("cp1256", "Windows-1256")):
            if inner == "cp1256" and not dense:
                continue
            if _looks_arabic(raw.decode(inner, "replace").replace("\ufffd", "")):
                fix = ("use the original UTF-8 file instead" if inner == "utf-8" else
                       "open the original file as Windows-1256 (Arabic) and save it as UTF-8")
                raise InputError(
                    f"{name}: Arabic garbled by a wrong encoding ({label} read as "
                    f"{_codec_name(text, codec)} and saved again as UTF-8), with bytes lost on "
                    f"the way, so it cannot be repaired exactly: {fix}, or re-export it from "
                    "its source")
    return text, ""


def _repaired(text: str, encoding: str, name: str) -> tuple[str, str]:
    fixed, how = repair_mojibake(text, name)
    return (fixed, f"{encoding}; repaired mojibake ({how})") if how else (text, encoding)


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as err:
        raise InputError(f"{name}: invalid {encoding} at byte {err.start}; "
                         "re-save the file as UTF-8") from None
    return text.lstrip("\ufeff")


def read_regular_file(path: Path) -> bytes:
    """The bytes of a regular file; a FIFO, socket, device or folder is refused unopened
    (opening a FIFO would block), and every error names the file.

    >>> read_regular_file(Path("/dev/null"))
    Traceback (most recent call last):
    kzcrisis.errors.InputError: /dev/null: a device file, not a regular file: not read
    """
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind:
            raise InputError(f"{path}: {kind}, not a regular file: not read")
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, open won't hang
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)
                     | getattr(os, "O_BINARY", 0))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except PermissionError:
        raise InputError(f"{path}: permission denied (make the file readable, e.g. "
                         "chmod u+r)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    try:
        kind = _kind(os.fstat(fd).st_mode)
        if kind:
            raise InputError(f"{path}: {kind}, not a regular file: not read")
        with os.fdopen(fd, "rb", closefd=False) as fh:
            return fh.read()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    finally:
        os.close(fd)


def _kind(mode: int) -> str:
    """'' for a regular file, else what the file is."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    return "a special file"


def read_text_file(path: Path, files: dict | None = None) -> Decoded:
    """Read and decode one text file; ``files`` (if given) records its sha256 and encoding."""
    data = read_regular_file(path)
    try:
        text, encoding = decode_bytes(data, str(path))
    except InputError:
        _note_file(files, path, _sha256(data), "")
        raise
    if path.suffix.lower() in (".html", ".htm"):
        text = html_to_text(text)
    decoded = Decoded(text, encoding, _sha256(data))
    _note_file(files, path, decoded.file_sha256, encoding)
    return decoded


def _note_file(files: dict | None, path: Path | str, sha256: str, encoding: str) -> None:
    """Record a file the loader read (the manifest lists these, never re-reading them)."""
    if files is not None:
        files[str(path)] = {"path": str(path), "sha256": sha256, "encoding": encoding}


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
    # convert_charrefs=True has already unescaped the entities once: "&amp;lt;" stays "&lt;"
    return _BLANKS.sub("\n\n", "".join(parser.parts)).strip()


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


def read_metadata(path: Path, files: dict | None = None) -> dict[str, dict[str, str]]:
    """Read a metadata.csv into {doc_id: row}; errors name the file and line."""
    decoded = read_text_file(path, files)
    reader = _csv_rows(decoded.text, path)
    if reader.fieldnames is None or "doc_id" not in reader.fieldnames:
        raise InputError(f"{path}: missing column 'doc_id' (expected columns: "
                         f"{', '.join(METADATA_COLUMNS)})")
    unknown = [c for c in reader.fieldnames if c not in METADATA_COLUMNS]
    if unknown:
        raise InputError(f"{path}: unknown column(s) {unknown}; expected "
                         f"{', '.join(METADATA_COLUMNS)}")
    rows: dict[str, dict[str, str]] = {}
    for line, row in reader:
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


def _entry_problem(path: Path, root: Path) -> str:
    """Why a folder entry is not read ('' for a regular file inside the corpus folder),
    found with lstat/stat only: nothing is opened, and a symlink is never followed out."""
    if path.name.startswith("."):
        return "hidden file (name starts with '.'): not read; rename it to include it"
    try:
        mode = os.lstat(path).st_mode
        if stat.S_ISLNK(mode):
            try:
                target = path.resolve(strict=True)
            except RuntimeError:  # Python < 3.13 reports a loop so
                return "symlink loop: not followed"
            except OSError as err:
                if err.errno == errno.ELOOP:
                    return "symlink loop: not followed"
                return f"broken symlink ({err.strerror}): not followed"
            if not (target == root or root in target.parents):
                return f"symlink to {target}, outside the corpus folder: not followed"
            mode = os.stat(target).st_mode
    except OSError as err:
        return f"cannot inspect the file ({err.strerror})"
    if stat.S_ISDIR(mode):
        return "sub-folder (not read)"
    kind = _kind(mode)
    if kind:
        return f"{kind}, not a regular file: not read"
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return f"unsupported file type {path.suffix or '(none)'}"
    return ""


def _iter_folder(folder: Path, files: dict | None = None
                 ) -> Iterator[tuple[dict | None, dict]]:
    meta_path = folder / METADATA_FILE
    metadata = (read_metadata(meta_path, files) if os.path.lexists(meta_path) else {})
    root = folder.resolve()
    try:
        names = sorted(os.listdir(folder))
    except OSError as err:
        raise InputError(f"{folder}: cannot list the folder ({err.strerror})") from None
    seen: set[str] = set()
    for name in names:
        if name == METADATA_FILE:
            continue
        path = folder / name
        source = str(path)
        problem = _entry_problem(path, root)
        if problem:
            yield None, _report_row(source, "", "skipped", problem)
            continue
        doc_id = path.stem
        seen.add(doc_id)
        try:
            decoded = read_text_file(path, files)
        except InputError as err:
            yield None, _report_row(source, doc_id, "skipped", str(err))
            continue
        yield (_record(doc_id, decoded.text, source, decoded.encoding, metadata.get(doc_id)),
               _report_row(source, doc_id, "loaded", _repair_note(decoded.encoding),
                           decoded.encoding, decoded.file_sha256))
    orphans = sorted(set(metadata) - seen)
    if orphans:
        raise InputError(f"{meta_path}: metadata rows match no file: {', '.join(orphans)} "
                         "(each doc_id must be the stem of a .txt file in the folder)")


def _repair_note(encoding: str) -> str:
    """The manifest note of a repaired file: ``mojibake repaired: UTF-8 read as Mac Roman``."""
    marker = "; repaired mojibake ("
    return ("mojibake repaired: " + encoding.split(marker, 1)[1][:-1]) if marker in encoding \
        else ""


def _json_id(obj: dict, where: str, generated: str, key: str = "doc_id") -> tuple[str, str]:
    """(doc_id, note): a JSON id kept as a string whatever its type (``0`` -> ``"0"``,
    ``false`` -> ``"false"``); null, missing or empty generate ``generated`` with a note."""
    value = obj.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        why = "missing" if key not in obj else "null" if value is None else "empty"
        return generated, f"{key} {why}: generated {generated!r}"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return _check_doc_id(text, where), ""


def _check_unicode(obj: dict, where: str) -> None:
    """Refuse lone surrogates (an unpaired ``\\ud8xx`` JSON escape): no UTF-8 can hold them."""
    for key, value in obj.items():
        if not isinstance(value, str):
            value = json.dumps(value, ensure_ascii=False)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as err:
            raise InputError(
                f"{where}: field {key!r} holds a lone surrogate "
                f"\\u{ord(value[err.start]):04x} (an unpaired \\u escape) at character "
                f"{err.start}; fix or drop that escape") from None


def _iter_jsonl(path: Path, cols: InputColumns, files: dict | None = None
                 ) -> Iterator[tuple[dict | None, dict]]:
    # JSON Lines is UTF-8 by definition; read line by line so a large archive streams.
    digest = hashlib.sha256()
    read_regular_file_check(path)
    try:
        fh = open(path, "rb")  # noqa: SIM115 - closed below, also when the caller stops
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    with fh:
        for line_no, raw in enumerate(_lines(fh, path), start=1):
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
            except RecursionError:
                raise InputError(f"{where}: JSON nested too deeply") from None
            if not isinstance(obj, dict) or not isinstance(obj.get(cols.text), str):
                raise InputError(f"{where}: each line must be an object with a string "
                                 f"{cols.text!r}")
            _check_unicode(obj, where)
            doc_id, note = _json_id(obj, where, f"{path.stem}-{line_no}", cols.id)
            text, how = repair_mojibake(obj[cols.text], where)
            encoding = f"utf-8; repaired mojibake ({how})" if how else "utf-8"
            note = "; ".join(n for n in (note, _repair_note(encoding)) if n)
            row = {k: (v if isinstance(v, str) or v is None else json.dumps(v, ensure_ascii=False))
                   for k, v in obj.items()}
            row[cols.text], row[cols.id] = text, doc_id
            # JSON objects need not share keys: only named extra metadata is carried
            yield _table_row(row, where, doc_id, cols, list(cols.metadata or ()), encoding, "",
                             note)
    _note_file(files, path, digest.hexdigest(), "utf-8")


def read_regular_file_check(path: Path) -> None:
    """Refuse, unopened, a path that is not a regular file (a FIFO would block)."""
    try:
        kind = _kind(os.stat(path).st_mode)
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None
    if kind:
        raise InputError(f"{path}: {kind}, not a regular file: not read")


def _lines(fh, path: Path) -> Iterator[bytes]:
    try:
        yield from fh
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror})") from None


@contextlib.contextmanager
def _big_fields() -> Iterator[None]:
    """Let the csv module read fields of any length (its default stops at 131,072
    characters): a long article is then loaded, and skipped by --max-chars with a reason."""
    old = csv.field_size_limit()
    csv.field_size_limit(2**31 - 1)
    try:
        yield
    finally:
        csv.field_size_limit(old)


class _csv_rows:  # noqa: N801 - used like a function
    """A DictReader over ``text`` whose iteration yields ``(line, row)``; csv errors
    name the file and line."""

    def __init__(self, text: str, path: Path) -> None:
        self.path = path
        self.reader = csv.DictReader(io.StringIO(text, newline=""))
        with _big_fields():
            try:
                self.fieldnames = self.reader.fieldnames
            except csv.Error as err:
                raise InputError(f"{path}:{self.reader.line_num or 1}: bad CSV ({err})") from None

    def __iter__(self) -> Iterator[tuple[int, dict]]:
        rows = []
        with _big_fields():
            try:
                for line, row in enumerate(self.reader, start=2):
                    rows.append((line, row))
            except csv.Error as err:
                raise InputError(f"{self.path}:{self.reader.line_num}: bad CSV ({err})") from None
        return iter(rows)



def _iter_csv(path: Path, cols: InputColumns, files: dict | None = None
              ) -> Iterator[tuple[dict | None, dict]]:
    decoded = read_text_file(path, files)
    reader = _csv_rows(decoded.text, path)
    extras = cols.check(list(reader.fieldnames or []), str(path))
    for line, row in reader:
        where = f"{path}:{line}"
        generated = f"{path.stem}-{line - 1}"
        given = _cell(row.get(cols.id)).strip()
        note = "" if given or cols.id not in (reader.fieldnames or []) else \
            f"{cols.id} empty: generated {generated!r}"
        note = "; ".join(n for n in (note, _repair_note(decoded.encoding)) if n)
        yield _table_row(row, where, generated, cols, extras, decoded.encoding,
                         decoded.file_sha256, note)


def _iter_single(path: Path, files: dict | None = None) -> Iterator[tuple[dict | None, dict]]:
    decoded = read_text_file(path, files)
    meta_path = path.parent / METADATA_FILE
    metadata = read_metadata(meta_path, files) if meta_path.is_file() else {}
    yield (_record(path.stem, decoded.text, str(path), decoded.encoding,
                   metadata.get(path.stem)),
           _report_row(str(path), path.stem, "loaded", _repair_note(decoded.encoding),
                       decoded.encoding, decoded.file_sha256))


def iter_corpus(path: str | Path | pd.DataFrame, text_column: str = "text",
                id_column: str = "doc_id", metadata_columns: Iterable[str] | None = None,
                files: dict | None = None
                ) -> Iterator[tuple[dict | None, dict]]:
    """Yield ``(record, report_row)`` per file or row, lazily; ``record`` is None if skipped.

    ``path`` is a file, a folder or a DataFrame; ``text_column``, ``id_column`` and
    ``metadata_columns`` say which columns of a table input hold what (:class:`InputColumns`).
    Raises :class:`InputError` for what makes the whole input unusable (missing path, an
    unreadable single file, duplicate doc_ids, metadata rows without a file). ``files``, if
    given, is filled with ``{path: {"path", "sha256", "encoding"}}`` for every file read, so
    the manifest never opens an input again.

    >>> rows = iter_corpus(pd.DataFrame({"body": ["قال الرئيس إن النظام استعيد."]}),
    ...                    text_column="body")
    >>> next(rows)[0]["doc_id"]
    'row-1'
    """
    cols = InputColumns.of(text_column, id_column, metadata_columns)
    if isinstance(path, pd.DataFrame):
        items = _iter_frame(path, cols)
    else:
        items = _iter_path(_as_path(path), cols, files)
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


def _iter_path(path: Path, cols: InputColumns, files: dict | None = None
               ) -> Iterator[tuple[dict | None, dict]]:
    try:
        is_dir = path.is_dir()
        exists = is_dir or path.exists()
    except OSError as err:  # a symlink loop, a name too long
        raise InputError(f"{path}: cannot open ({err.strerror})") from None
    if not exists:
        raise InputError(f"{path}: no such file or folder")
    suffix = path.suffix.lower()
    if is_dir:
        if cols.metadata:
            raise InputError(f"{path}: metadata_columns applies to table inputs (.csv, "
                             ".jsonl, .parquet, .xlsx, DataFrame), not to a folder")
        return _iter_folder(path, files)
    if suffix == ".jsonl":
        return _iter_jsonl(path, cols, files)
    if suffix == ".csv":
        return _iter_csv(path, cols, files)
    if suffix in (".parquet", ".xlsx"):
        read_regular_file_check(path)
        _note_file(files, path, file_sha256(path), "")
        return _iter_parquet(path, cols) if suffix == ".parquet" else _iter_xlsx(path, cols)
    if suffix in TEXT_SUFFIXES:
        return _iter_single(path, files)
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
               extras: list[str], encoding: str, file_sha256: str, note: str = ""
               ) -> tuple[dict, dict]:
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
    return record, _report_row(where, doc_id, "loaded", note, encoding, file_sha256)


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
    digest = file_sha256(path)
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
    digest = file_sha256(path)
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
