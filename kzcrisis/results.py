"""The results of one analysis in memory: every table, a summary, and writing them out."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from . import schemas
from .io import writable_dir, write_csv, write_datapackage
from .schemas import PER_DOC, TABLE_ORDER
from .settings import Settings


@dataclass
class Results:
    """Every table of one analysis run, in memory (for notebooks and small corpora).

    ``results.NAME`` is a table (``results.statements``); ``print(results)`` and Jupyter
    show a summary (:meth:`summary`).

    >>> results = kz.analyze("data/raw")                         # doctest: +SKIP
    >>> results                                                  # doctest: +SKIP
    kzcrisis Results: 1 documents (0 skipped), 98 actor mentions of 31 actors, 19 statements
    """

    docs: pd.DataFrame
    load_report: pd.DataFrame
    tables_: dict[str, pd.DataFrame] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)

    def __getattr__(self, name: str) -> pd.DataFrame:
        tables = self.__dict__.get("tables_", {})
        if name in tables:
            return tables[name]
        raise AttributeError(name)

    @property
    def annotation(self):
        from .nlp import Annotation

        return Annotation(sentences=self.sentences, tokens=self.tokens, words=self.words,
                          entities=self.entities)

    def summary(self, top: int = 8) -> dict[str, Any]:
        """The figures ``repr`` and ``_repr_html_`` show: documents, mentions, statements,
        groups and the top of the corpus comparison.

        >>> results = kz.analyze("data/raw")                   # doctest: +SKIP
        >>> results.summary()["n_statements"]                  # doctest: +SKIP
        19
        """
        report = self.load_report
        statements = self.tables_.get("statements", schemas.empty(schemas.STATEMENTS))
        mentions = self.tables_.get("mentions", schemas.empty(schemas.MENTIONS))
        groups = statements["group"].fillna("").replace("", "(unresolved)").value_counts()
        cmp = self.tables_.get("stance_comparison",
                               schemas.empty(schemas.STANCE_COMPARISON))
        corpus = cmp[cmp["doc_id"] == "ALL"]
        corpus = corpus.assign(_n=corpus["n_statements"].astype(float)).sort_values(
            ["_n", "group", "target"], ascending=[False, True, True], kind="stable")
        return {
            "n_documents": len(self.tables_.get("documents", self.docs)),
            "n_skipped": int((report["status"] == "skipped").sum()) if len(report) else 0,
            "n_mentions": len(mentions),
            "n_actors": int(mentions["actor_id"].nunique()) if len(mentions) else 0,
            "n_statements": len(statements),
            "n_unresolved": unresolved_count(statements),
            "groups": {str(k): int(v) for k, v in groups.sort_index().items()},
            "comparison": corpus[["group", "target", "label", "score", "n_statements"]]
            .head(top).reset_index(drop=True),
            "n_comparison": len(corpus),
        }

    def __repr__(self) -> str:
        s = self.summary()
        lines = [f"kzcrisis Results: {s['n_documents']} documents ({s['n_skipped']} skipped), "
                 f"{s['n_mentions']} actor mentions of {s['n_actors']} actors, "
                 f"{s['n_statements']} statements"]
        if s["n_unresolved"]:
            lines.append(f"  {unresolved_note(s['n_unresolved'])}")
        if s["groups"]:
            lines.append("  statements by speaker group: " + ", ".join(
                f"{g} {n}" for g, n in s["groups"].items()))
        if len(s["comparison"]):
            lines.append(f"  stance comparison, whole corpus (top {len(s['comparison'])} of "
                         f"{s['n_comparison']} rows by statements):")
            for r in s["comparison"].itertuples(index=False):
                lines.append(f"    {r.group:<12} {r.target:<14} {r.label:<8} "
                             f"{float(r.score):+.2f}  n={r.n_statements}")
        lines.append("  tables: " + ", ".join(n for n in TABLE_ORDER if n in self.tables_)
                     + " (results.NAME; results.write(DIR) writes the CSVs and datapackage.json)")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        import html

        s = self.summary()
        esc = html.escape
        head = (f"<p dir=\"ltr\"><b>kzcrisis Results</b>: {s['n_documents']} documents "
                f"({s['n_skipped']} skipped), {s['n_mentions']} actor mentions of "
                f"{s['n_actors']} actors, {s['n_statements']} statements")
        if s["n_unresolved"]:
            head += f"; {esc(unresolved_note(s['n_unresolved']))}"
        head += "</p>"
        groups = ", ".join(f"<bdi>{esc(g)}</bdi> {n}" for g, n in s["groups"].items())
        rows = "".join(
            "<tr>" + "".join(f'<td dir="auto">{esc(str(v))}</td>' for v in (
                r.group, r.target, r.label, f"{float(r.score):+.2f}", r.n_statements))
            + "</tr>" for r in s["comparison"].itertuples(index=False))
        table = ("<table><thead><tr><th>group</th><th>target</th><th>label</th><th>score</th>"
                 f"<th>n_statements</th></tr></thead><tbody>{rows}</tbody></table>"
                 if rows else "")
        return (f'<div class="kz-results" dir="ltr">{head}'
                + (f"<p>statements by speaker group: {groups}</p>" if groups else "")
                + (f"<p>stance comparison, whole corpus (top {len(s['comparison'])} of "
                   f"{s['n_comparison']} rows):</p>{table}" if table else "")
                + "<p>tables: " + ", ".join(f"<code>{n}</code>" for n in TABLE_ORDER
                                            if n in self.tables_) + "</p></div>")

    def tables(self) -> dict[str, pd.DataFrame]:
        """Tables in the order they are written, as ``{name: DataFrame}``."""
        return {name: self.tables_[name] for name in TABLE_ORDER}

    def write(self, out: str | Path) -> list[Path]:
        """Write ``out/tables/NAME.csv`` for every table and their data dictionary
        ``out/datapackage.json``; returns the paths written.

        >>> kz.analyze("data/raw").write("results/")[-1]            # doctest: +SKIP
        PosixPath('results/datapackage.json')
        """
        tables_dir = writable_dir(Path(out) / "tables")
        written = []
        for name, table in self.tables().items():
            path = tables_dir / f"{name}.csv"
            write_csv(table, path)
            written.append(path)
        documents = self.tables_["documents"]
        extra = [c for c in documents.columns if c not in PER_DOC["documents"]]
        written.append(write_datapackage(Path(out) / "datapackage.json", {"documents": extra}))
        return written



def unresolved_count(statements: pd.DataFrame) -> int:
    """Statements whose speaker has no group (unknown to the actor dictionary)."""
    return int((statements["group"].fillna("") == "").sum()) if len(statements) else 0


def unresolved_note(n: int) -> str:
    """The run summary's line about unresolved speakers ("" when there are none).

    >>> unresolved_note(3)
    '3 statements had an unknown speaker; see candidates.csv'
    """
    if not n:
        return ""
    return f"{n} statement{'s' if n != 1 else ''} had an unknown speaker; see candidates.csv"


