"""The run manifest: what went in, what came out, with which code and models."""
from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Any

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
    """Every file an input path names: the file itself, or each file of a folder (none for a
    DataFrame given in memory)."""
    if not isinstance(path, str | os.PathLike):
        return []
    path = Path(path)
    if path.is_dir():
        return sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
    return [path]


def input_label(path: Any) -> str:
    """How the manifest names the input: the path as given, or ``DataFrame (N rows)``.

    >>> import pandas as pd
    >>> input_label("data/raw"), input_label(pd.DataFrame({"text": ["نص"]}))
    ('data/raw', 'DataFrame (1 rows)')
    """
    if isinstance(path, str | os.PathLike):
        return str(path)
    return f"{type(path).__name__} ({len(path)} rows)"


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


def build_manifest(path: str | Path, report: list[tuple], counts: dict[str, int],
                   settings: Any, flags: dict[str, str] | None = None) -> dict:
    """The manifest of one run (deterministic: no clock times, paths as given).

    ``report`` holds one tuple per file or row looked at, in ``corpus.LOAD_REPORT`` order.
    The ``documents`` entry is a generator, so that ``write_manifest`` streams it and a
    corpus of millions of documents never has its manifest in memory twice.
    """
    from .corpus import LOAD_REPORT
    from .pipeline import environment

    col = {name: i for i, name in enumerate(LOAD_REPORT)}
    encodings: dict[str, str] = {}
    loaded = skipped = 0
    for row in report:
        source = str(row[col["source_path"]])
        source = source.rsplit(":", 1)[0] if ":" in source else source
        if row[col["encoding"]]:
            encodings.setdefault(source, row[col["encoding"]])
        loaded += row[col["status"]] == "loaded"
        skipped += row[col["status"]] == "skipped"
    inputs = [{"path": str(p), "sha256": file_sha256(p), "encoding": encodings.get(str(p), "")}
              for p in input_files(path)]
    flags = flags or {}
    documents = ({"doc_id": r[col["doc_id"]], "source_path": r[col["source_path"]],
                  "status": r[col["status"]], "reason": r[col["reason"]],
                  "flags": flags.get(r[col["doc_id"]], "")} for r in report)
    return {
        "manifest_version": MANIFEST_VERSION,
        "input": input_label(path),
        "inputs": inputs,
        "documents": documents,
        "n_documents": {"loaded": int(loaded), "skipped": int(skipped)},
        "tables": counts,
        "versions": environment(),
        "models": {"spec": str(settings.models), "files": model_files(str(settings.models))},
        "settings": {k: v for k, v in asdict(settings).items() if k != "progress"},
    }


def write_manifest(manifest: dict, path: Path) -> None:
    """Write the manifest as sorted, indented UTF-8 JSON, streaming the documents list.

    The bytes are those of ``json.dumps(manifest, indent=2, sort_keys=True)``.
    """
    from .pipeline import dumps

    rest = {k: v for k, v in manifest.items() if k != "documents"}
    head = dumps(rest)  # "{\n  ...\n}\n"; "documents" sorts before every other key
    tmp = path.with_name(f".{path.name}.tmp")
    with open(tmp, "w", encoding="utf-8") as fh:
        fh.write('{\n  "documents": [')
        first = True
        for doc in manifest.get("documents", ()):
            item = json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True)
            fh.write(("\n" if first else ",\n") + "\n".join("    " + line
                                                           for line in item.split("\n")))
            first = False
        fh.write("]" if first else "\n  ]")
        fh.write("," + head[1:] if len(rest) else "\n}\n")
    tmp.replace(path)
