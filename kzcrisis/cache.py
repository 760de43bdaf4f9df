"""Content-addressed annotation cache (no pickle).

Key = sha256 of (cleaned text, model identity, annotation schema version). One Parquet file
per document holds its sentences, tokens and entities in one long table; the file's schema
metadata carries a checksum of the rows, so a damaged or truncated entry is detected, ignored
and rebuilt. Writes go to a temporary file in the same folder and are renamed into place, so
several processes can share one cache folder.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
from platformdirs import user_cache_dir

from .manifest import file_sha256
from .paths import MODELS_DIR
from .schemas import ENTITIES, SENTENCES, TOKENS

#: Bump when the annotation tables change shape or meaning: old entries then miss.
SCHEMA_VERSION = "1"
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


def _normalized(long: pd.DataFrame) -> pd.DataFrame:
    """One dtype per column whatever Parquet round-tripping did (Int64 / object)."""
    long = long.reindex(columns=_LONG).copy()
    for col in _LONG:
        if col in _INT:
            long[col] = pd.array(pd.to_numeric(long[col]), dtype="Int64")
        else:
            long[col] = long[col].astype(object).where(long[col].notna(), None)
    return long


def _rows_digest(long: pd.DataFrame) -> str:
    rows = [[None if pd.isna(v) else (int(v) if col in _INT else v)
             for col, v in zip(_LONG, row, strict=True)]
            for row in _normalized(long).itertuples(index=False)]
    payload = json.dumps(rows, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _to_long(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    parts = []
    for name, columns in _TABLES.items():
        table = tables[name].loc[:, [c for c in columns if c != "doc_id"]].copy()
        table.insert(0, "table", name)
        parts.append(table.reindex(columns=_LONG))
    return _normalized(pd.concat(parts, ignore_index=True))


def _from_long(long: pd.DataFrame, doc_id: str) -> dict[str, pd.DataFrame]:
    out = {}
    for name, columns in _TABLES.items():
        part = long[long["table"] == name].reset_index(drop=True)
        part = part.assign(doc_id=doc_id)
        for col in _INT:
            if col in columns:
                part[col] = part[col].astype("int64")
        out[name] = part.loc[:, columns]
    return out


class AnnotationCache:
    """A folder of per-document annotation entries."""

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else default_cache_dir()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.hits = self.misses = self.rebuilt = 0

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.parquet"

    def get(self, key: str, doc_id: str) -> dict[str, pd.DataFrame] | None:
        """The cached tables for ``key`` (relabelled to ``doc_id``), or None on a miss."""
        path = self._path(key)
        if not path.exists():
            self.misses += 1
            return None
        try:
            table = pq.read_table(path)
            expected = (table.schema.metadata or {}).get(_META_KEY, b"").decode()
            long = _normalized(table.to_pandas())
            if expected != _rows_digest(long):
                raise ValueError("checksum mismatch")
        except Exception:  # noqa: BLE001 - any damage means: rebuild the entry
            self.rebuilt += 1
            self.misses += 1
            path.unlink(missing_ok=True)
            return None
        self.hits += 1
        return _from_long(long, doc_id)

    def put(self, key: str, tables: dict[str, pd.DataFrame]) -> None:
        """Store one document's tables atomically."""
        long = _to_long(tables)
        table = pa.Table.from_pandas(long, preserve_index=False)
        table = table.replace_schema_metadata({_META_KEY: _rows_digest(long).encode()})
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
        os.close(fd)
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, path)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
