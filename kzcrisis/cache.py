"""Content-addressed annotation and results cache (no pickle).

Two layers share one folder (``--cache DIR``, ``$KZCRISIS_CACHE``, else the user cache
folder, e.g. ``~/.cache/kzcrisis``):

- ``annotations/``: key = sha256 of (cleaned text, model identity, annotation schema
  version); one document's sentences, tokens and entities (the Stanza stage);
- ``results/``: key = sha256 of (input record, model identity, the package's code and
  resource files, results version); every per-document table of one document, so a warm
  run also skips actors, statements, stance and framing.

An entry is ``LAYER/ab/KEY/SHA256.parquet``: one Parquet file holding its tables in one
long table of a fixed Arrow schema, named by the sha256 of its own bytes. A file whose bytes
do not hash to its name (damaged, truncated) is removed and rebuilt. Writes go to a temporary
file in the entry's folder and are renamed into place, so several processes can share a
cache; the same content always gives the same bytes, hence the same name.

Each entry also records, in its Parquet metadata, the key it was written under and the
doc_id it belongs to; a read checks them, so a valid entry copied (or swapped) under another
document's key is rejected and rebuilt instead of silently giving that document's tables.
A cache folder that cannot be created or written (read-only, disk full) gives one warning
and the run goes on without storing new entries (entries already there are still read,
after the same checks).
"""
from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import warnings
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from platformdirs import user_cache_dir

from .manifest import environment, file_sha256, model_folder, model_paths
from .schemas import ANNOTATION, PER_DOC, column_type

#: Bump when the annotation tables change shape or meaning: old entries then miss.
SCHEMA_VERSION = "7"
#: the annotation layer's tables (the registry's NLP-stage tables) and its long table: one
#: column per distinct column name of those tables, in registry order
_TABLES = ANNOTATION
_LONG = ["table", *dict.fromkeys(c for cols in _TABLES.values() for c in cols if c != "doc_id")]
_INT = [c for c in _LONG if column_type(c) == "integer"]
_ENTRY_NAME = re.compile(r"[0-9a-f]{64}\.parquet")
_KEY, _DOC_ID = b"kzcrisis.key", b"kzcrisis.doc_id"
#: cache folders found unwritable in this process (warned about once, then left alone)
_UNWRITABLE: set[str] = set()


def _cannot_write(folder: Path, err: OSError) -> None:
    """Warn once per folder that the cache cannot be written, and stop writing to it."""
    if str(folder) in _UNWRITABLE:
        return
    _UNWRITABLE.add(str(folder))
    why = "disk full" if err.errno in (errno.ENOSPC, errno.EDQUOT) else \
        (err.strerror or type(err).__name__)
    warnings.warn(f"{folder}: cannot write to the cache ({why}); going on without caching "
                  "new results (pass --cache DIR for another folder, or --cache off)",
                  stacklevel=3)


def default_cache_dir() -> Path:
    """``$KZCRISIS_CACHE`` or the user cache folder (e.g. ~/.cache/kzcrisis)."""
    env = os.environ.get("KZCRISIS_CACHE")
    return Path(env) if env else Path(user_cache_dir("kzcrisis"))


def model_identity(models: str | Path = "embedded") -> str:
    """A checksum naming the exact model files a pipeline is built from."""
    folder = model_folder(models)
    h = hashlib.sha256(str(models if str(models) in ("embedded", "official") else "path")
                       .encode())
    for path in model_paths(folder):  # the manifest's list: the model card is left out
        h.update(path.relative_to(folder).as_posix().encode())
        h.update(file_sha256(path).encode())
    return h.hexdigest()


def cache_key(text_clean: str, model_id: str) -> str:
    """Key of one document's annotation."""
    h = hashlib.sha256()
    for part in (SCHEMA_VERSION, model_id, text_clean):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


_SCHEMA = pa.schema([("table", pa.string())]
                   + [(c, pa.int64()) if c in _INT else (c, pa.string()) for c in _LONG[1:]])


def _to_long(tables: dict[str, pd.DataFrame]) -> pa.Table:
    parts = []
    for name, columns in _TABLES.items():
        table = tables[name].loc[:, [c for c in columns if c != "doc_id"]].copy()
        table.insert(0, "table", name)
        parts.append(table.reindex(columns=_LONG))
    long = pd.concat(parts, ignore_index=True)
    arrays = [_arrow_values(long[c], pa.int64() if c in _INT else pa.string())
              for c in _LONG]
    return pa.Table.from_arrays(arrays, schema=_SCHEMA)


def _arrow_values(values: pd.Series, kind: pa.DataType) -> pa.Array:
    """An integer or text column as Arrow: None, NA and NaN become nulls."""
    cast = int if kind == pa.int64() else str
    return pa.array([None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                     else cast(v) for v in values.tolist()], kind)


def split_long(parts: list[tuple[str, pa.Table]]) -> dict[str, pd.DataFrame]:
    """Turn per-document long tables ``[(doc_id, table), ...]`` into the annotation tables."""
    if not parts:
        return {name: pd.DataFrame(columns=cols) for name, cols in _TABLES.items()}
    long = pa.concat_tables([t.replace_schema_metadata(None).append_column(
        "doc_id", pa.array([doc_id] * t.num_rows, pa.string())) for doc_id, t in parts])
    out = {}
    for name, columns in _TABLES.items():
        part = long.filter(pc.equal(long["table"], name)).select(columns).to_pandas()
        for col in columns:
            if col in _INT:
                part[col] = part[col].astype("int64")
            else:
                part[col] = part[col].astype(object).where(part[col].notna(), "")
        out[name] = part
    return out


class _EntryStore:
    """One cache layer: a folder of Parquet entries in one fixed Arrow schema."""

    layer = "annotations"
    schema: pa.Schema = _SCHEMA

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = (Path(folder) if folder else default_cache_dir()) / self.layer
        self.root = self.folder.parent
        self.hits = self.misses = self.rebuilt = 0
        if self.writable:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                _cannot_write(self.root, err)

    @property
    def writable(self) -> bool:
        """False once writing failed (read-only, full): entries are then only read."""
        return str(self.root) not in _UNWRITABLE

    def _dir(self, key: str) -> Path:
        return self.folder / key[:2] / key

    def get_long(self, key: str, doc_id: str | None = None) -> pa.Table | None:
        """The verified cached long table for ``key``, or None on a miss or damage.

        Verified: the bytes hash to the file name, the schema is this layer's, and the
        entry's own record of its key (and of its doc_id, when ``doc_id`` is given) agrees.
        """
        folder = self._dir(key)
        try:
            names = sorted(n for n in os.listdir(folder) if _ENTRY_NAME.fullmatch(n))
        except OSError:
            names = []
        for name in names:
            path = folder / name
            try:
                data = path.read_bytes()
                if hashlib.sha256(data).hexdigest() != name[:64]:
                    raise ValueError("checksum mismatch")
                # one small file: a thread pool costs more than it saves
                table = pq.ParquetFile(pa.BufferReader(data)).read(use_threads=False)
                if not table.schema.equals(self.schema):
                    raise ValueError("schema mismatch")
                meta = table.schema.metadata or {}
                if meta.get(_KEY) != key.encode():
                    raise ValueError("entry written under another key")
                if doc_id is not None and meta.get(_DOC_ID) != doc_id.encode("utf-8"):
                    raise ValueError("entry of another document")
            except Exception:  # noqa: BLE001 - any damage means: rebuild the entry
                self.rebuilt += 1
                try:
                    path.unlink(missing_ok=True)
                except OSError:  # a read-only cache: leave it, just do not trust it
                    pass
                continue
            self.hits += 1
            return table.replace_schema_metadata(None)
        self.misses += 1
        return None

    def put_long(self, key: str, long: pa.Table, doc_id: str = "") -> pa.Table:
        """Store one long table atomically (temp file + rename), its key and doc_id in its
        metadata; returns it. A cache that cannot be written is warned about once and
        skipped: the table is returned all the same."""
        long = long.replace_schema_metadata(None)
        if not self.writable:
            return long
        try:
            self._write(key, long.replace_schema_metadata(
                {_KEY: key.encode(), _DOC_ID: doc_id.encode("utf-8", "surrogatepass")}))
        except OSError as err:
            _cannot_write(self.root, err)
        return long

    def _write(self, key: str, long: pa.Table) -> None:
        sink = pa.BufferOutputStream()
        pq.write_table(long, sink)
        data = sink.getvalue().to_pybytes()
        folder = self._dir(key)
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".parquet")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            target = folder / f"{hashlib.sha256(data).hexdigest()}.parquet"
            try:
                os.replace(tmp, target)
            except PermissionError:
                # Windows cannot replace a file another process has open; the name is the
                # content's checksum, so the entry already there is this one
                if not target.exists():
                    raise
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)


class AnnotationCache(_EntryStore):
    """Per-document annotation entries (sentences, tokens, entities)."""

    def get(self, key: str, doc_id: str) -> dict[str, pd.DataFrame] | None:
        """The cached tables for ``key`` (labelled ``doc_id``), or None on a miss."""
        table = self.get_long(key)
        return None if table is None else split_long([(doc_id, table)])

    def put(self, key: str, tables: dict[str, pd.DataFrame], doc_id: str = "") -> pa.Table:
        """Store one document's tables atomically; returns the stored long table.

        The annotation key is the cleaned text's (two documents with the same text share
        it), so reads check the recorded key; ``doc_id`` is recorded for the reader."""
        return self.put_long(key, _to_long(tables), doc_id)


# --- analysis results ------------------------------------------------------------------
#
# The annotation cache removes the Stanza stage only. Cleaning, actors, statements, stance
# and framing cost about a quarter of a cold run, so a warm run could never be much more
# than 4x faster. The results layer stores every per-document table of one document, keyed
# by everything that decides them: the input record, the models, the resource files and
# the package's own code. Editing a lexicon or a rule therefore misses (and recomputes);
# the annotation layer below still spares Stanza.

#: Bump when the per-document tables change shape or meaning.
RESULTS_VERSION = "1"
#: Input record fields that reach the tables (source_path does not: moving a corpus
#: folder keeps its cache).
RECORD_FIELDS = ("doc_id", "title", "outlet", "date", "url", "language", "encoding",
                 "text_raw")
#: every per-document table of the registry
RESULT_TABLES = PER_DOC


def _slots(columns: list[str]) -> dict[str, str]:
    """Column -> slot of the results long table: the table's text columns fill s0, s1 ...,
    its integer columns i0, i1 ..., its float columns f0 ... in declared order. A narrow
    long table reads several times faster than one with a column per distinct name."""
    slots, used = {}, {"s": 0, "i": 0, "f": 0}
    for col in columns:
        kind = {"integer": "i", "number": "f"}.get(column_type(col), "s")
        slots[col] = f"{kind}{used[kind]}"
        used[kind] += 1
    return slots


_RESULT_SLOTS = {name: _slots(cols) for name, cols in RESULT_TABLES.items()}
_SLOT_TYPES = {"s": pa.string(), "i": pa.int64(), "f": pa.float64()}
_RESULTS_SCHEMA = pa.schema(
    [("table", pa.string())]
    + [(f"{kind}{n}", _SLOT_TYPES[kind]) for kind in "sif"
       for n in range(max(sum(slot[0] == kind for slot in slots.values())
                          for slots in _RESULT_SLOTS.values()))])


def analysis_identity(models: str | Path = "embedded", model_id: str | None = None,
                      user_resources: tuple[tuple[str, str], ...] = ()) -> str:
    """A checksum of what decides the analysis tables besides the input: model files,
    package code and resource files, and the versions that can change a result (Python and
    its Unicode tables, which NFKC folding and regex classes follow; pandas, numpy,
    pyahocorasick, stanza, torch). ``model_id`` spares re-hashing the model files when the
    caller already has :func:`model_identity`. ``user_resources`` are (kind, sha256) of the
    user's own resource files (``--actors``, ``--cues`` ...): a changed file changes the key,
    so its old results are not served."""
    import unicodedata

    from .paths import PACKAGE_DIR

    h = hashlib.sha256()
    versions = sorted(environment().items())
    for part in (RESULTS_VERSION, unicodedata.unidata_version, repr(versions),
                 model_id or model_identity(models)):
        h.update(part.encode() + b"\x00")
    for kind, sha in user_resources:
        h.update(f"user:{kind}:{sha}".encode() + b"\x00")
    files = [*PACKAGE_DIR.rglob("*.py"), *(PACKAGE_DIR / "resources").rglob("*")]
    for path in sorted(p for p in files if p.is_file() and "__pycache__" not in p.parts):
        h.update(path.relative_to(PACKAGE_DIR).as_posix().encode() + b"\x00")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def results_key(record: dict, analysis_id: str) -> str:
    """Key of one document's analysis tables."""
    h = hashlib.sha256(analysis_id.encode())
    for name in RECORD_FIELDS:
        value = record.get(name)
        h.update(b"\x01" if value is None or value != value else  # None or NaN
                 b"\x02" + str(value).encode("utf-8", "surrogatepass"))
        h.update(b"\x00")
    return h.hexdigest()


class ResultsCache(_EntryStore):
    """Per-document analysis tables (every per-document table of one document)."""

    layer = "results"
    schema = _RESULTS_SCHEMA

    def put(self, key: str, tables: dict[str, pd.DataFrame]) -> pa.Table:
        """Store one document's typed tables; returns the stored long table."""
        parts = []
        for name, slots in _RESULT_SLOTS.items():
            frame = tables[name]
            columns = {"table": pa.array([name] * len(frame), pa.string())}
            for col, slot in slots.items():
                kind = _SLOT_TYPES[slot[0]]
                columns[slot] = (pa.array(frame[col].to_numpy(dtype=float), kind)
                                 if kind == pa.float64() else _arrow_values(frame[col], kind))
            arrays = [columns.get(f.name, pa.nulls(len(frame), f.type)) for f in self.schema]
            parts.append(pa.Table.from_arrays(arrays, schema=self.schema))
        doc_ids = tables["documents"]["doc_id"]
        doc_id = str(doc_ids.iat[0]) if len(doc_ids) else ""
        return self.put_long(key, pa.concat_tables(parts).combine_chunks(), doc_id)


def split_results(parts: list[pa.Table]) -> dict[str, pd.DataFrame]:
    """Concatenate per-document results (in order) and split them into the tables."""
    long = pa.concat_tables(parts) if parts else _RESULTS_SCHEMA.empty_table()
    out = {}
    for name, slots in _RESULT_SLOTS.items():
        # select first: the filter then copies only this table's columns
        part = long.select(list(slots.values())).filter(pc.equal(long["table"], name))
        out[name] = part.rename_columns(list(slots)).to_pandas(
            types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    return out
