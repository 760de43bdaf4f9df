"""Run every stage on a corpus and write the tables: the engine behind ``kzcrisis analyze``."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import schemas
from .corpus import load_corpus_report
from .errors import KzError


@dataclass
class Results:
    """Every table of one analysis run (DataFrames with the columns of ``schemas``)."""

    docs: pd.DataFrame
    load_report: pd.DataFrame
    extra: dict[str, pd.DataFrame] = field(default_factory=dict)

    def documents_table(self) -> pd.DataFrame:
        docs = self.docs.copy()
        docs["n_chars"] = docs["text_raw"].str.len()
        if "text_clean" in docs:
            docs["n_chars_clean"] = docs["text_clean"].str.len()
        else:
            docs["n_chars_clean"] = pd.NA
        return schemas.conform(docs, schemas.DOCUMENTS_TABLE)

    def tables(self) -> dict[str, pd.DataFrame]:
        """Tables in the order they are written, as ``{name: DataFrame}``."""
        return {"documents": self.documents_table(), **self.extra}

    def write(self, out: str | Path) -> list[Path]:
        """Write ``out/tables/NAME.csv`` for every table; returns the paths written."""
        tables_dir = _writable_dir(Path(out) / "tables")
        written = []
        for name, table in self.tables().items():
            path = tables_dir / f"{name}.csv"
            write_csv(table, path)
            written.append(path)
        return written


def write_csv(table: pd.DataFrame, path: Path) -> None:
    """Write a table deterministically (UTF-8, LF line ends, no index) through a temp file."""
    tmp = path.with_name(f".{path.name}.tmp")
    table.to_csv(tmp, index=False, lineterminator="\n", encoding="utf-8")
    tmp.replace(path)


def _writable_dir(path: Path) -> Path:
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


def analyze(path: str | Path) -> Results:
    """Load the corpus at ``path`` and run the analysis stages on it."""
    docs, report = load_corpus_report(path)
    return Results(docs=docs, load_report=report)
