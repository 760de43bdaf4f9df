"""Content-addressed annotation cache (no pickle).

Key = sha256 of (cleaned text, model identity, annotation schema version). One Parquet file
per document holds its sentences, tokens and entities in one long table; the file's schema
metadata carries a checksum of the rows, so a damaged or truncated entry is detected, ignored
and rebuilt. Writes go to a temporary file in the same folder and are renamed into place, so
several processes can share one cache folder.
"""
from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from platformdirs import user_cache_dir

from .manifest import file_sha256
from .paths import MODELS_DIR
from .schemas import ENTITIES, SENTENCES, TOKENS

#: Bump when the annotation tables change shape or meaning: old entries then miss.
SCHEMA_VERSION = "2"
_TABLES = {"sentences": SENTENCES, "tokens": TOKENS, "entities": ENTITIES}
_LONG = ["table", "sent_id", "token_id", "ent_id", "text", "type", "start_char", "end_char",
         "words"]
_INT = ["sent_id", "token_id", "ent_id", "start_char", "end_char"]
_META_KEY = b"kzcrisis_rows_sha256"


def default_cache_dir() -> Path:
    """``$KZCRISIS_CACHE`` or the user cache folder (e.g. ~/.cache/kzcrisis/annotations)."""
    env = os.environ.get("KZCRISIS_CACHE")
    return Path(env) if env else Path(user_cache_dir("kzcrisis")) / "annotations"


def model_identity(models: str | Path = "embedded") -> str:
    """A checksum naming the exact model files a pipeline is built from."""
    if str(models) == "embedded":
        folder = MODELS_DIR
    elif str(models) == "official":
        folder = Path(os.environ.get("STANZA_RESOURCES_DIR",
                                     Path.home() / "stanza_resources")) / "ar"
    else:
        folder = Path(models)
    h = hashlib.sha256(str(models if str(models) in ("embedded", "official") else "path")
                       .encode())
    # model files only: editing the model card must not invalidate cached annotations
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix != ".md"):
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


def _digest(table: pa.Table) -> str:
    """Checksum of a long table's rows (its Arrow IPC form, metadata stripped)."""
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, _SCHEMA) as writer:
        writer.write_table(table.replace_schema_metadata(None).cast(_SCHEMA))
    return hashlib.sha256(sink.getvalue().to_pybytes()).hexdigest()


def _to_long(tables: dict[str, pd.DataFrame]) -> pa.Table:
    parts = []
    for name, columns in _TABLES.items():
        table = tables[name].loc[:, [c for c in columns if c != "doc_id"]].copy()
        table.insert(0, "table", name)
        parts.append(table.reindex(columns=_LONG))
    long = pd.concat(parts, ignore_index=True)
    arrays = [pa.array([None if pd.isna(v) else int(v) for v in long[c]], pa.int64())
              if c in _INT else
              pa.array([None if v is None or (isinstance(v, float) and pd.isna(v)) else str(v)
                        for v in long[c]], pa.string())
              for c in _LONG]
    return pa.Table.from_arrays(arrays, schema=_SCHEMA)


def split_long(parts: list[tuple[str, pa.Table]]) -> dict[str, pd.DataFrame]:
    """Turn per-document long tables ``[(doc_id, table), ...]`` into the three tables."""
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


class AnnotationCache:
    """A folder of per-document annotation entries."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hits = self.misses = self.rebuilt = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.parquet"

    def get_long(self, key: str) -> pa.Table | None:
        """The verified cached long table for ``key``, or None on a miss or damage."""
        path = self._path(key)
        if not path.exists():
            self.misses += 1
            return None
        try:
            table = pq.read_table(path, schema=_SCHEMA)
            expected = (pq.read_schema(path).metadata or {}).get(_META_KEY, b"").decode()
            if expected != _digest(table):
                raise ValueError("checksum mismatch")
        except Exception:  # noqa: BLE001 - any damage means: rebuild the entry
            self.rebuilt += 1
            self.misses += 1
            path.unlink(missing_ok=True)
            return None
        self.hits += 1
        return table

    def get(self, key: str, doc_id: str) -> dict[str, pd.DataFrame] | None:
        """The cached tables for ``key`` (labelled ``doc_id``), or None on a miss."""
        table = self.get_long(key)
        return None if table is None else split_long([(doc_id, table)])

    def put(self, key: str, tables: dict[str, pd.DataFrame]) -> pa.Table:
        """Store one document's tables atomically; returns the stored long table."""
        long = _to_long(tables)
        stored = long.replace_schema_metadata({_META_KEY: _digest(long).encode()})
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
        os.close(fd)
        try:
            pq.write_table(stored, tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return long
