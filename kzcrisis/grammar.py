"""The closed-class words of Arabic that every stage uses, read from ``resources/grammar.csv``.

One row per word with its class (:data:`CLASSES`: complementizer, preposition, negator,
demonstrative, relative, source_marker, channel, auxiliary, topic, discourse, office ...). Every
stage reads its closed-class words from here, so a negator means the same in statements.py,
attribution.py and stance.py. Stages ask for a class as a set of folded forms (:func:`kzcrisis.normalize.normalize_for_matching`), so hamza and alef spellings
match:

>>> "ان" in words("complementizer")
True
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from .errors import ResourceError
from .normalize import normalize_for_matching
from .paths import resource
from .resource_files import check_choice, read_resource_csv

GRAMMAR_FILE = "grammar.csv"
#: the classes of grammar.csv (resources/README.md says what each is used for); a word that is
#: a negator only where the parse says so (ما، لما) has class ``negator_parse``, which the
#: surface rules (no parse) do not read
CLASSES = ("complementizer", "preposition", "negator", "negator_parse", "demonstrative",
           "relative", "source_marker", "channel", "auxiliary", "topic", "discourse", "office",
           "quote_open", "quote_close", "exceptive", "medium", "conditional", "free_relative",
           "responding")


@lru_cache(maxsize=8)
def load_entries(path: str | None = None) -> dict[str, tuple[str, ...]]:
    """``class -> words as written`` in the grammar file (default: the package's own)."""
    file = Path(path) if path else resource(GRAMMAR_FILE)
    out: dict[str, list[str]] = {}
    for line, row in read_resource_csv(file, ["word", "class"]):
        if not row["word"] or not row["class"]:
            raise ResourceError(f"{file}: line {line}: word and class must not be empty")
        check_choice(f"{file}: line {line}", "class", row["class"], CLASSES)
        out.setdefault(row["class"], []).append(row["word"])
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=8)
def load_grammar(path: str | None = None) -> dict[str, frozenset[str]]:
    """``class -> folded words`` of the grammar file (default: the package's own)."""
    return {k: frozenset(normalize_for_matching(w) for w in v)
            for k, v in load_entries(path).items()}


def words(cls: str, path: str | None = None) -> frozenset[str]:
    """The folded words of one class (empty when the file has none).

    >>> sorted(words("negator"))[:3]
    ['الا', 'بدون', 'دون']
    """
    return load_grammar(path).get(cls, frozenset())


def words_of(*classes: str, path: str | None = None) -> frozenset[str]:
    """The folded words of several classes together: ``words_of("preposition", "relative")``
    holds ``في`` and ``التي``.

    >>> "التي" in words_of("preposition", "relative")
    True
    """
    return frozenset().union(*(words(c, path) for c in classes))


def entries(cls: str, path: str | None = None) -> tuple[str, ...]:
    """The words of one class as written, in file order: ``entries("source_marker")[0]``."""
    return load_entries(path).get(cls, ())
