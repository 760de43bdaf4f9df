"""Safe output: spreadsheet-formula neutralising and file names derived from doc_ids.

Spreadsheets (Excel, LibreOffice, Google Sheets) run a cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return as a formula, so a headline such as
``=HYPERLINK("http://evil", "اضغط هنا")`` in a CSV opened by a coder would become a live link
(OWASP, "CSV Injection"). :func:`neutralise_cell` prefixes such a text cell with ``'``, which
spreadsheets show as the text itself; :func:`neutralise_formulas` does it for every text
column of a table. The CSV tables (``OUT/tables/*.csv``), and any CSV or XLSX sheet written
for people to open in a spreadsheet, go through it; the Parquet tables (``OUT/parquet/``)
and the in-memory DataFrames keep the exact text, so read those for exact offsets.

File names: :func:`file_stem` (articles) and :func:`ascii_stem` (figures) turn a doc_id into
a name that stays in its folder and below :data:`MAX_STEM_BYTES`, with a hash suffix
whenever the name had to change, so two doc_ids never share a file. The run manifest keeps
the doc_id -> file mapping (``file_names``).
"""
from __future__ import annotations

import hashlib
import re

import pandas as pd

#: First characters a spreadsheet reads as the start of a formula (OWASP).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Longest file stem in UTF-8 bytes; leaves room for a prefix and ".html"/".png" under the
#: 255-byte limit of common file systems.
MAX_STEM_BYTES = 100
_FILE_UNSAFE = re.compile(r"[^\w.-]+")
_ASCII_STEM = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


def neutralise_cell(value: object) -> object:
    """``value`` with a leading ``'`` if it is text a spreadsheet would run as a formula.

    >>> neutralise_cell('=HYPERLINK("http://x", "اضغط هنا")')
    '\\'=HYPERLINK("http://x", "اضغط هنا")'
    >>> neutralise_cell("قال الرئيس"), neutralise_cell(-1.5)
    ('قال الرئيس', -1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def neutralise_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``table`` whose text cells are :func:`neutralise_cell`-ed (numbers untouched);
    ``table`` itself is returned when no cell needs it.

    >>> neutralise_formulas(pd.DataFrame({"title": ["=1+1", "بيان"], "n": [-1, 2]})).title.tolist()
    ["'=1+1", 'بيان']
    """
    fixed = None
    for col in table.columns:
        values = table[col]
        if not (pd.api.types.is_object_dtype(values) or pd.api.types.is_string_dtype(values)):
            continue  # numbers (a score of -0.5 stays a number)
        hit = values.map(lambda v: isinstance(v, str) and v.startswith(FORMULA_START))
        if hit.any():
            if fixed is None:
                fixed = table.copy()
            fixed[col] = values.where(~hit, "'" + values[hit].astype(str))
    return table if fixed is None else fixed


def _short_hash(text: str, n: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:n]


def cut_stem(stem: str, original: str, limit: int = MAX_STEM_BYTES) -> str:
    """``stem`` cut to ``limit`` UTF-8 bytes, ending in ``-<hash of original>`` when cut.

    >>> cut_stem("a" * 300, "a" * 300)[-12:]
    'a-003ef1ba9e'
    """
    if len(stem.encode("utf-8")) <= limit:
        return stem
    suffix = "-" + _short_hash(original)
    room = limit - len(suffix)
    head = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
    return head + suffix


def file_stem(doc_id: str) -> str:
    """A file name for ``doc_id`` that stays inside its folder (``../x`` -> ``x-<hash>``).

    Ids made of letters (Arabic too), digits, ``.``, ``_`` and ``-`` are kept as they are
    up to :data:`MAX_STEM_BYTES`; others are sanitised or cut and get a short hash of the
    original, so two ids never share a file.

    >>> file_stem("مقال_1"), file_stem("../x")
    ('مقال_1', 'x-72e4d01d')
    """
    raw = str(doc_id)
    name = _FILE_UNSAFE.sub("_", raw).strip("._")
    if name != raw or not name:
        name = f"{name or 'doc'}-{_short_hash(raw, 8)}"
    return cut_stem(name, raw)


def ascii_stem(doc_id: str) -> str:
    """An ASCII file-name form of a doc_id (figure names): unchanged when already safe and
    short, ``doc-<hash>`` when not ASCII, cut with a hash suffix when too long.

    >>> ascii_stem("000_e4eda7b29b88d456"), ascii_stem("مقال")
    ('000_e4eda7b29b88d456', 'doc-8102193b05')
    """
    if _ASCII_STEM.fullmatch(doc_id):
        return cut_stem(doc_id, doc_id)
    return "doc-" + _short_hash(doc_id)
