"""The run manifest: what went in, what came out, with which code and models."""
from __future__ import annotations

import json
import os
import platform
from dataclasses import asdict
from pathlib import Path
from typing import Any

from . import __version__
from .corpus import LOAD_REPORT
from .io import dumps
from .models import sha256
from .paths import MODELS_DIR

MANIFEST_VERSION = 1


def file_sha256(path: Path) -> str:
    """Checksum of a file's bytes, read in blocks (the one hasher, :func:`models.sha256`)."""
    return sha256(path)


def environment() -> dict[str, str]:
    """Versions that decide the numbers (recorded in the manifest, and part of the results
    cache's key).

    >>> sorted(environment())[:3]
    ['kzcrisis', 'numpy', 'pandas']
    """
    from importlib.metadata import PackageNotFoundError, version

    versions = {"kzcrisis": __version__, "python": platform.python_version()}
    for dist in ("stanza", "torch", "pandas", "numpy", "pyahocorasick"):
        try:
            versions[dist] = version(dist)
        except PackageNotFoundError:
            versions[dist] = ""
    return versions


def input_label(path: Any) -> str:
    """How the manifest names the input: the path as given, or ``DataFrame (N rows)``.

    >>> import pandas as pd
    >>> input_label("data/raw"), input_label(pd.DataFrame({"text": ["نص"]}))
    ('data/raw', 'DataFrame (1 rows)')
    """
    if isinstance(path, str | os.PathLike):
        return str(path)
    return f"{type(path).__name__} ({len(path)} rows)"


def model_folder(models: str | Path) -> Path:
    """The folder a model set's files are in: the embedded models, Stanza's own download
    (``official``, under ``$STANZA_RESOURCES_DIR``) or the folder given.

    >>> model_folder("embedded").name
    'ar'
    """
    if str(models) == "embedded":
        return MODELS_DIR
    if str(models) == "official":
        return Path(os.environ.get("STANZA_RESOURCES_DIR",
                                   Path.home() / "stanza_resources")) / "ar"
    return Path(models)


def model_paths(folder: Path) -> list[Path]:
    """The files of a model folder that decide the results, sorted: every file but the
    model card and other Markdown (editing the card changes no number, so it neither
    invalidates the cache nor counts as another model). The one list of model files, read
    by the manifest and by the cache's model identity.

    >>> "MODEL_CARD.md" in {p.name for p in model_paths(model_folder("embedded"))}
    False
    """
    return sorted(p for p in Path(folder).rglob("*") if p.is_file() and p.suffix != ".md")


def model_files(models: str) -> dict[str, str]:
    """{file name: sha256} of the model files a run uses ({} for ``official``: Stanza's
    download is Stanza's to check)."""
    if models == "official":
        return {}
    folder = model_folder(models)
    return {p.relative_to(folder).as_posix(): file_sha256(p) for p in model_paths(folder)}


def model_stages(models: str) -> dict[str, str]:
    """Which processors a model set runs and, following from it, how statements are found
    and stance is coded: ``parse`` (speakers from the dependency tree; stance cues by lemma,
    negation and scope on the tree) or ``surface`` (the regex rules and word windows, for a
    model set without a tagger and parser)."""
    from .nlp import default_processors

    procs = default_processors(models)
    parse = all(p in procs.split(",") for p in ("pos", "lemma", "depparse"))
    return {"processors": procs,
            "attribution": "parse" if parse else
            "surface (this model set has no tagger/lemmatizer/parser: regex speaker rules)",
            "stance": "parse (cues by lemma; negation and scope from the tree)" if parse else
            "surface (no parse: lexicon forms and their inflections, word-window negation "
            "and scope)"}


def build_manifest(path: str | Path, report: list[tuple], counts: dict[str, int],
                   settings: Any, flags: dict[str, str] | None = None,
                   files: dict[str, dict] | None = None,
                   file_names: dict[str, dict] | None = None) -> dict:
    """The manifest of one run (deterministic: no clock times, paths as given).

    ``report`` holds one tuple per file or row looked at, in ``corpus.LOAD_REPORT`` order.
    ``files`` is what the loader recorded of every file it read (``corpus.iter_corpus``):
    the manifest never opens an input again, so a file the loader skipped (unreadable, a
    FIFO) cannot fail or block here. ``file_names`` maps each doc_id to the output files
    named after it (cut to a safe length, see ``io_safety.file_stem``).
    The ``documents`` entry is a generator, so that ``write_manifest`` streams it and a
    corpus of millions of documents never has its manifest in memory twice.
    """
    col = {name: i for i, name in enumerate(LOAD_REPORT)}
    loaded = skipped = 0
    for row in report:
        loaded += row[col["status"]] == "loaded"
        skipped += row[col["status"]] == "skipped"
    inputs = [dict(files[k]) for k in sorted(files or {})]
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
        "models": {"spec": str(settings.models), "files": model_files(str(settings.models)),
                   **model_stages(str(settings.models))},
        "settings": {k: v for k, v in asdict(settings).items() if k != "progress"},
        **({"file_names": file_names} if file_names else {}),
    }


def write_manifest(manifest: dict, path: Path) -> None:
    """Write the manifest as sorted, indented UTF-8 JSON, streaming the documents list.

    The bytes are those of ``json.dumps(manifest, indent=2, sort_keys=True)``.
    """
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
