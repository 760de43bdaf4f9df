"""The figures and annotated articles of one analysis, drawn from its tables."""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .io import writable_dir
from .io_safety import ascii_stem, file_stem

if TYPE_CHECKING:
    from .results import Results


def output_names(doc_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """doc_id -> the files :func:`draw_figures` names after it (recorded in the manifest).

    >>> output_names(["مقال"])
    {'مقال': {'article': 'articles/مقال.html', 'figure': 'figures/statements_doc-8102193b05'}}
    """
    return {str(d): {"article": f"articles/{file_stem(str(d))}.html",
                     "figure": f"figures/statements_{ascii_stem(str(d))}"} for d in doc_ids}



def draw_figures(results: Results, out: str | Path) -> list[Path]:
    """Draw the five figures (``out/figures``, PNG/SVG/PDF) and annotated articles
    (``out/articles``) of one analysis; returns the paths written."""
    from . import plots, report

    fig_dir = writable_dir(Path(out) / "figures")
    written: list[Path] = []
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with plots.use_style():
        drawings = {
            "stance_comparison": lambda ax: plots.plot_stance_comparison(
                results.stance_comparison, ax=ax),
            "mentions": lambda ax: plots.plot_mentions(results.actors, ax=ax),
            "cooccurrence": lambda ax: plots.plot_cooccurrence(
                results.cooccurrence, results.actors, ax=ax),
            "framing": lambda ax: plots.plot_framing(results.framing, ax=ax),
        }
        for doc_id in results.docs["doc_id"]:
            drawings[f"statements_{ascii_stem(doc_id)}"] = (
                lambda ax, d=doc_id: plots.plot_statement_sequence(
                    results.statements, results.stance, d, ax=ax, docs=results.docs,
                    actors=results.actors))
        for stem, draw in drawings.items():
            fig, ax = plt.subplots(figsize=(9, 6))
            draw(ax)
            written += plots.save_figure(fig, stem, fig_dir)
            plt.close(fig)
    written += report.write_articles(results, writable_dir(Path(out) / "articles"))
    return written


