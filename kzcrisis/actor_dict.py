"""The actor dictionary: the checked actor base and its matcher, in four steps.

1. *Hits* (:mod:`kzcrisis.actor_match`): every alias with its proclitics, at word boundaries,
   from one Aho-Corasick automaton on the matching-normal form of the cleaned text.
2. *Composites* (:mod:`kzcrisis.actor_compose`): head + nisba, head in construct + owner,
   head + connector + owner, coordinated nisbas, office nouns alone, counterparts, anaphors.
3. The longest candidate wins; ties prefer the lower rule priority (names before
   composites), then the earlier start (``kzcrisis.phrases.select_longest``).
4. *Resolution* (:mod:`kzcrisis.actor_resolve`): offices on the document date, bodies,
   derived ``OWNER_SLOT`` actors, anaphors, counterparts, appositions.

Loading and checking the files is :mod:`kzcrisis.actor_load`. Spans exclude proclitics
(after لل the span starts at the article's ل).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd

from .actor_compose import Composer
from .actor_load import DEFAULT_COUNTRY, Composition, load_composition, read_actor_base
from .actor_match import build_automaton, find_hits
from .actor_resolve import Resolver, period_of
from .errors import KzError
from .layout import SENTENCE_END
from .normalize import normalize_with_map
from .phrases import select_longest

# sentence ends used by .match() for "same sentence" constraints (extract_actors uses the
# annotation's sentences for sent_id)
SENT_END_RE = SENTENCE_END  # the one sentence-end rule (kzcrisis.layout)


class Match(NamedTuple):
    """One actor mention in a text: offsets into the text given to ``match``."""

    start: int
    end: int
    actor_id: str
    surface: str
    method: str


@dataclass
class ActorDictionary:
    """The curated dictionary and its matcher. ``match`` depends only on its arguments (derived
    ``OWNER_SLOT`` actors are memoised in ``info``, which does not change any result).

    >>> d = load_actors()
    >>> [(m.surface, m.actor_id) for m in d.match("قالت وزارة الخارجية الصينية", "2022-01-07")]
    [('وزارة الخارجية الصينية', 'CHN_MFA')]
    """

    actors: pd.DataFrame
    aliases: pd.DataFrame
    roles: pd.DataFrame
    default_country: str = DEFAULT_COUNTRY
    #: every generated alias (CLDR names, capitals, nisbas, variants, partial names) with its
    #: ``status``: ``kept`` or ``dropped: <why>`` (a collision, a stop word)
    generated: Any = field(default=None, repr=False)
    #: where the user's rows replaced the package's (recorded in the run manifest)
    notes: list[str] = field(default_factory=list, repr=False)
    #: the composition grammar (``composition.csv``); None = the package's
    composition: Composition | None = field(default=None, repr=False)
    _automaton: Any = field(default=None, repr=False)
    _resolver: Any = field(default=None, repr=False)
    _composer: Any = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.composition is None:
            self.composition = load_composition()
        self._resolver = Resolver(self.actors, self.aliases, self.roles, self.default_country,
                                  self.composition.slot_types)
        self._composer = Composer(self._resolver.info, self.composition)
        self._automaton = build_automaton(self.aliases)

    def __repr__(self) -> str:
        return (f"ActorDictionary({len(self.actors)} actors, {len(self.aliases)} aliases, "
                f"{len(self.roles)} dated offices, default_country={self.default_country!r})")

    def info(self, actor_id: str) -> dict[str, str]:
        """Dictionary row of ``actor_id``; derived ``OWNER_SLOT`` actors get generated names.

        >>> load_actors().info("TJK_MOD")["name_en"]
        'Tajikistan: ministry of defence'
        """
        return self._resolver.lookup(actor_id)

    @property
    def n_patterns(self) -> int:
        """Number of strings in the automaton (with their لل variants)."""
        return len(self._automaton)

    def match(self, text: str, date: str | None = None) -> list[Match]:
        """Actor mentions in ``text`` (a cleaned text), resolved on ``date`` (ISO, may be
        partial or empty). Offsets index ``text``; the result is sorted by start.

        >>> [m.actor_id for m in load_actors().match("وصلت قوات روسية", "2022-01-07")]
        ['RUS_ARMED_FORCES']
        """
        if not isinstance(text, str):
            raise KzError(f"match expects str, not {type(text).__name__}")
        period = period_of(date)
        folded, fmap = normalize_with_map(text)
        cands = self._composer.candidates(folded, find_hits(self._automaton, folded))
        # equal lengths: the lower rule priority (names before composites), then the start
        chosen = sorted(select_longest(cands, span=lambda c: (c.start, c.end),
                                       tiebreak=lambda c: (c.priority, c.start)),
                        key=lambda c: c.start)
        sent_ends = [m.end() for m in SENT_END_RE.finditer(folded)]
        out = []
        for c, actor_id, method in self._resolver.resolve(folded, chosen, period, sent_ends):
            s, e = fmap[c.start], fmap[c.end]
            # trailing marks stripped by folding belong to the word; trailing spaces do not
            while e > s and text[e - 1].isspace():
                e -= 1
            out.append(Match(s, e, actor_id, text[s:e], method))
        return out


def load_actors(path: str | Path | None = None, aliases_path: str | Path | None = None,
                roles_path: str | Path | None = None,
                default_country: str = DEFAULT_COUNTRY, *,
                user: str | Path | None = None,
                composition_path: str | Path | None = None) -> ActorDictionary:
    """Load the actor base (packaged files unless overridden) and build its matcher.

    The base is the CLDR states (``states.csv``, ``state_facts.csv``), their nisbas
    (by rule and ``nisba_exceptions.csv``), the curated ``actors.csv``/``actor_aliases.csv``/
    ``actor_roles.csv``, spelling variants and partial names generated by rule
    (:mod:`kzcrisis.actor_base`), and, with ``user``, a researcher's own file or folder
    (resources/README.md, "Your own actors"): its rows win over the package's, and each
    override is listed in ``ActorDictionary.notes``. ``default_country`` owns bare body
    nouns marked ``*`` ("الجيش", "السلطات المحلية"). ``composition_path`` replaces the
    composition grammar (``composition.csv``: slot types, connectors). A malformed row raises
    ResourceError naming file, line and field.

    >>> d = load_actors()
    >>> [m.actor_id for m in d.match("قال وزير الخارجية الفرنسي", "2022-01-07")]
    ['JEAN_YVES_LE_DRIAN']
    """
    base = read_actor_base(path, aliases_path, roles_path, default_country, user)
    return ActorDictionary(base.actors, base.aliases, base.roles, default_country,
                           generated=base.generated, notes=base.notes,
                           composition=load_composition(composition_path))
