"""kzcrisis: Arabic news coverage of the January 2022 Kazakhstan crisis.

The public API is re-exported here lazily, so that ``import kzcrisis`` stays cheap
(stanza and torch load only when the NLP stage is first used).
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# public name -> module that defines it
_EXPORTS: dict[str, str] = {
    # corpus
    "load_corpus": "corpus",
    "load_corpus_report": "corpus",
    # cleaning
    "Cleaned": "clean",
    "clean_text": "clean",
    "clean_corpus": "clean",
    "normalize_for_matching": "normalize",
    "normalize_with_map": "normalize",
    "add_raw_offsets": "clean",
    "load_boilerplate": "clean",
    "rules_table": "clean",
    # NLP (the only stage that imports stanza)
    "load_pipeline": "nlp",
    "annotate": "nlp",
    "Annotation": "nlp",
    # actors
    "load_actors": "actors",
    "ActorDictionary": "actors",
    "extract_actors": "actors",
    "ActorTables": "actors",
    "link_phrase": "actors",
    "candidate_table": "actors",
    "suggest_actors": "actors",
    # statements, stance, framing
    "extract_statements": "statements",
    "evaluate_statements": "statements",
    "load_cues": "cue_lexicon",
    "align_stance": "stance",
    "load_stance_lexicon": "stance",
    "load_framing_terms": "framing",
    "find_terms": "framing",
    "code_stance": "stance",
    "compare_stance": "stance",
    "stance_agreement": "stance",
    "narrated_acts": "stance",
    "add_narrated_acts": "stance",
    "apply_codes": "stance",
    "load_codebook": "codebook",
    # the coding workflow
    "coding_sheet": "coding",
    "read_codes": "coding",
    "agreement": "coding",
    "human_labels": "human_codes",
    "neutralise_cell": "io_safety",
    "coding": "coding",
    "framing_terms": "framing",
    "log_odds_dirichlet": "framing",
    # evaluation, figures, article view
    "evaluate": "evaluate",
    "ar_label": "plots",
    "plots": "plots",
    "save_figure": "plots",
    "use_style": "plots",
    "plot_stance_comparison": "plots",
    "plot_mentions": "plots",
    "plot_cooccurrence": "plots",
    "plot_statement_sequence": "plots",
    "plot_framing": "plots",
    "report": "report",
    "show_article": "report",
    "bidi_html": "report",
    "use_bidi_tables": "report",
    "ArticleHTML": "report",
    "write_article_html": "report",
    "write_articles": "report",
    # whole pipeline
    "analyze": "pipeline",
    "run": "pipeline",
    "Results": "results",
}

__all__ = sorted(_EXPORTS) + ["__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'kzcrisis' has no attribute {name!r}")
    mod = importlib.import_module(f"kzcrisis.{module}")
    # `kz.evaluate`, `kz.plots`, `kz.report` are the modules themselves
    value = mod if name == module else getattr(mod, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
