"""The run manifest: what went in, what came out, with which code and models."""
from __future__ import annotations

import hashlib
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pandas as pd

from .paths import MODELS_DIR

MANIFEST_VERSION = 1


def file_sha256(path: Path) -> str:
    """Checksum of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def input_files(path: str | Path) -> list[Path]:
    """Every file an input path names: the file itself, or each file of a folder."""
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    return [path]


def model_files(models: str) -> dict[str, str]:
    """{file name: sha256} of the model files a run uses ({} where none are local)."""
    if models == "embedded":
        folder = MODELS_DIR
    elif models == "official":
        return {}
    else:
        folder = Path(models)
    return {p.relative_to(folder).as_posix(): file_sha256(p)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_manifest(path: str | Path, report: pd.DataFrame, counts: dict[str, int],
                   settings: Any, flags: dict[str, str] | None = None) -> dict:
    """The manifest of one run (deterministic: no clock times, paths as given)."""
    from .pipeline import environment

    encodings: dict[str, str] = {}
    for row in report.itertuples():
        source = str(row.source_path).rsplit(":", 1)[0] if ":" in str(row.source_path) \
            else str(row.source_path)
        if row.encoding:
            encodings.setdefault(source, row.encoding)
    inputs = [{"path": str(p), "sha256": file_sha256(p), "encoding": encodings.get(str(p), "")}
              for p in input_files(path)]
    flags = flags or {}
    documents = [{"doc_id": r.doc_id, "source_path": r.source_path, "status": r.status,
                  "reason": r.reason, "flags": flags.get(r.doc_id, "")}
                 for r in report.itertuples()]
    return {
        "manifest_version": MANIFEST_VERSION,
        "input": str(path),
        "inputs": inputs,
        "documents": documents,
        "n_documents": {"loaded": int((report.status == "loaded").sum()) if len(report) else 0,
                        "skipped": int((report.status == "skipped").sum()) if len(report) else 0},
        "tables": counts,
        "versions": environment(),
        "models": {"spec": str(settings.models), "files": model_files(str(settings.models))},
        "settings": {k: v for k, v in asdict(settings).items() if k != "progress"},
    }


def write_manifest(manifest: dict, path: Path) -> None:
    """Write the manifest as sorted, indented UTF-8 JSON."""
    from .pipeline import dumps

    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dumps(manifest), encoding="utf-8")
    tmp.replace(path)
