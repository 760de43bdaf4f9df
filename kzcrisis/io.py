"""Writing tables and JSON deterministically: the one CSV, Parquet and JSON writer.

Every table kzcrisis writes goes through :func:`write_csv` (UTF-8, LF line ends, no index,
spreadsheet formulas neutralised) or :func:`write_parquet_part`, and every JSON file
(manifest, data dictionary) through :func:`dumps`, so reruns are byte-identical. The name
shadows nothing: inside the package only relative imports reach it (``from .io import``);
``import io`` still means the standard library.
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pandas as pd

from . import schemas
from .errors import KzError
from .io_safety import neutralise_formulas


def write_csv(table: pd.DataFrame, path: Path, header: bool = True, append: bool = False
              ) -> None:
    """Write a table deterministically (UTF-8, LF line ends, no index).

    The CSV tables are the ones people open in a spreadsheet, so text cells a spreadsheet
    would run as a formula get a leading ``'`` (:func:`io_safety.neutralise_formulas`); the
    Parquet tables keep the exact text. ``append`` adds the rows to ``path`` (a chunk of a
    streamed table); otherwise the file is written whole through a temporary file.

    >>> write_csv(pd.DataFrame({"surface": ["لافروف"]}), Path("out/t.csv"))  # doctest: +SKIP
    """
    table = neutralise_formulas(table)
    if append:
        table.to_csv(path, mode="a", header=header, index=False, lineterminator="\n",
                     encoding="utf-8")
        return
    tmp = path.with_name(f".{path.name}.tmp")
    table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    tmp.replace(path)


def write_parquet_part(table: pd.DataFrame, folder: Path, index: int) -> None:
    """Write chunk ``index`` of a table as ``folder/part-NNNNN.parquet``; the first chunk
    removes the parts an earlier run left there.

    >>> write_parquet_part(results.mentions, Path("out/parquet/mentions"), 0)  # doctest: +SKIP
    """
    folder.mkdir(parents=True, exist_ok=True)
    if index == 0:
        for old in folder.glob("part-*.parquet"):
            old.unlink()
    table.to_parquet(folder / f"part-{index:05d}.parquet", index=False)


def writable_dir(path: Path) -> Path:
    """Create ``path`` if needed and check it can be written; one-line error otherwise.

    >>> writable_dir(Path("results/tables"))                          # doctest: +SKIP
    PosixPath('results/tables')
    """
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise KzError(f"{path}: cannot create output folder ({err.strerror})") from None
    probe = path / ".write-test"
    try:
        probe.write_text("")
        probe.unlink()
    except OSError as err:
        raise KzError(f"{path}: output folder is not writable ({err.strerror})") from None
    return path


def _json_default(value: Any) -> Any:
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    raise TypeError(type(value).__name__)


def dumps(obj: Any) -> str:
    """Deterministic JSON (sorted keys, UTF-8 kept, paths as strings).

    >>> print(dumps({"outlet": "الجزيرة", "n": 1}), end="")
    {
      "n": 1,
      "outlet": "الجزيرة"
    }
    """
    return json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True,
                      default=_json_default) + "\n"


def write_datapackage(path: Path, extra: dict[str, list[str]] | None = None) -> Path:
    """Write the data dictionary of every registered table (a Frictionless Data Package,
    :func:`schemas.data_package`) beside the tables; ``extra`` as there.

    >>> write_datapackage(Path("results/datapackage.json"))          # doctest: +SKIP
    PosixPath('results/datapackage.json')
    """
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(dumps(schemas.data_package(None, extra)), encoding="utf-8")
    tmp.replace(path)
    return path
