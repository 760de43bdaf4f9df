"""Reading resource CSV files: one error format (file, line, problem) for every loader."""
from __future__ import annotations

import csv
from pathlib import Path

from .errors import ResourceError


def read_resource_csv(path: Path, required: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a resource CSV with their line numbers; a bad header raises ResourceError."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise ResourceError(f"{path}: line 1: missing columns {missing}")
            rows = []
            for row in reader:
                if None in row or any(v is None for v in row.values()):
                    raise ResourceError(f"{path}: line {reader.line_num}: wrong number of "
                                        f"fields")
                rows.append((reader.line_num, {k: (v or "").strip() for k, v in row.items()}))
            return rows
    except OSError as err:
        raise ResourceError(f"{path}: cannot read ({err.strerror})") from err
    except UnicodeDecodeError as err:
        raise ResourceError(f"{path}: not UTF-8 ({err.reason})") from err


def check_choice(where: str, field: str, value: str, allowed: tuple[str, ...]) -> None:
    """Raise ResourceError when a field's value is not one of ``allowed``:
    ``check_choice("cues.csv: line 4", "class", "talk", ("speech", "action"))``."""
    if value not in allowed:
        raise ResourceError(f"{where}: {field} {value!r} not in {allowed}")
