"""Actor matching: the Aho-Corasick automaton of every alias and the hits it finds.

Every alias (names, body and office nouns with their construct and indefinite forms, nisba
adjectives, anaphors, partial names) is one automaton key in matching-normal form, so the
cost does not grow with the number of aliases. A hit is checked at word boundaries and takes
its proclitics (و ف ب ل ك, and لل = ل + ال: "للرئاسة"); its span excludes them. Composing hits
into mentions is :mod:`kzcrisis.actor_compose`'s job.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import ahocorasick
import pandas as pd

from .normalize import ARTICLE, ATTACHED_PREPOSITIONS, CONJUNCTIONS, normalize_key

_CLITIC_LETTERS = frozenset(CONJUNCTIONS + ATTACHED_PREPOSITIONS)
_CONJ = frozenset(CONJUNCTIONS)
_PREP = frozenset(ATTACHED_PREPOSITIONS)


#: the actor stages' matching form, spaces collapsed ("وزارةُ  الدفاع" -> "وزاره الدفاع"):
#: the dictionary-key fold of kzcrisis.normalize
fold = normalize_key
_fold = fold


@dataclass(frozen=True)
class Entry:
    """What an automaton key is: "الروسيه" -> Entry("nisba", "RUS", "def", priority=3)."""

    kind: str          # name | metonym | nisba | owner_anaphor | body | office | counterpart | anaphor
    target: str        # actor id, owner id, slot/office key, anaphor type
    form: str = "def"  # def | construct | indef (head forms)
    default: str = ""  # bare resolution of heads: "" (none), "*" (default country) or owner id
    priority: int = 0  # lower wins on equal length
    gender: str = ""   # office nouns: "f" when the first word ends in ة, else "m"
    plural: bool = False  # dual/plural office nouns (الرئيسان): never one antecedent


@dataclass(frozen=True)
class Hit:
    """One key found in folded text: "وبالرئيس" -> the span of "الرئيس", clitics "وب"."""

    start: int         # folded offset of the span (after proclitics)
    end: int
    word_start: int    # folded offset where the word with its proclitics starts
    clitics: str       # the proclitics ("", "و", "ل", "وب", ... ; لل gives "ل")
    entry: Entry


def _indefinite(folded: str, min_len: int = 0) -> str:
    """The words without their article ("القوات الروسيه" -> "قوات روسيه"); ``min_len`` keeps
    short words such as "الى" (bodies use min_len=3)."""
    return " ".join(w[2:] if w.startswith(ARTICLE) and len(w) > min_len else w
                    for w in folded.split())


class _Table(dict):
    """Automaton key -> entry; of two entries for one key the lower priority wins."""

    def add(self, key: str, entry: Entry) -> None:
        key = key.strip()
        if not key:
            return
        old = self.get(key)
        if old is None or entry.priority < old.priority:
            self[key] = entry


def _add_head(table: _Table, kind: str, row: dict, folded: str, office_words: set[str]) -> None:
    """A body or office noun in its definite, construct and (bodies) indefinite forms:
    "وزارة الدفاع", "وزارة دفاع" (+ owner), "قوات" (+ indefinite nisba: "قوات روسية")."""
    target = row["target"]
    table.add(folded, Entry(kind, target, "def", row["default"], priority=1,
                             gender=_noun_gender(folded),
                             plural=_is_plural(folded.split()[0], office_words)))
    construct = construct_form(folded)
    if construct:
        table.add(construct, Entry(kind, target, "construct", priority=2))
    indef = _indefinite(folded, 3)
    if kind == "body" and indef != folded and indef != construct:
        table.add(indef, Entry(kind, target, "indef", priority=2))


def alias_entries(aliases: pd.DataFrame) -> dict[str, Entry]:
    """Every automaton key with its entry: "الروسية" (nisba, def) and "روسية" (nisba, indef),
    "الرئيس" (office), "بوتين" (name), partial names last (they never displace an entry)."""
    table = _Table()
    partials: dict[str, list[str]] = defaultdict(list)
    records = aliases.to_dict("records")
    office_words = {_fold(r["alias"]).split()[0] for r in records
                    if r["kind"] in ("office", "office_noun")}
    for row in records:
        kind, target = row["kind"], row["target"]
        folded = _fold(row["alias"])
        if kind in ("name", "metonym"):
            table.add(folded, Entry(kind, target, priority=0))
        elif kind == "partial":
            partials[folded].append(target)
        elif kind == "stop":
            continue
        elif kind == "nisba":
            table.add(folded, Entry("nisba", target, "def", priority=3))
            if folded.startswith(ARTICLE):
                table.add(_indefinite(folded), Entry("nisba", target, "indef", priority=3))
        elif kind == "office_noun":
            table.add(folded, Entry(kind, target, "def", gender=_noun_gender(folded),
                                     priority=3))
        elif kind in ("body", "office"):
            _add_head(table, kind, row, folded, office_words)
        else:  # owner_anaphor, counterpart, anaphor
            table.add(folded, Entry(kind, target, priority=1))
    for key, targets in partials.items():
        # a partial name never displaces a full entry (a name of someone else, a noun)
        if key not in table:
            table[key] = Entry("partial", "|".join(sorted(set(targets))), priority=5)
    return dict(table)


def build_automaton(aliases: pd.DataFrame) -> Any:
    """The Aho-Corasick automaton of every alias key and its لل spelling ("للرئاسة")."""
    auto = ahocorasick.Automaton()
    for key, entry in alias_entries(aliases).items():
        auto.add_word(key, (key, entry, False))
        if key.startswith(ARTICLE) and len(key) > 3:
            # "للرئاسة" = ل + الرئاسة: the article's alef is not written
            auto.add_word("لل" + key[2:], (key, entry, True))
    auto.make_automaton()
    return auto


def find_hits(automaton: Any, folded: str) -> list[Hit]:
    """Every alias occurrence at word boundaries with its proclitics: in "وللرئاسة" the hit
    is "لرئاسة" (the article's ل) with clitics "ول"."""
    hits = []
    n = len(folded)
    for end_idx, (key, entry, lil) in automaton.iter(folded):
        end = end_idx + 1
        begin = end - len(key)  # "لل" + rest has the length of "ال" + rest
        if end < n and _is_letter(folded[end]):
            continue
        clitics = _clitics_before(folded, begin, allowed=_CONJ if lil else None)
        if clitics is None:
            continue
        word_start = begin - len(clitics)
        if lil:
            clitics += "ل"
        hits.append(Hit(begin + 1 if lil else begin, end, word_start, clitics, entry))
    return hits


def _is_letter(ch: str) -> bool:
    return ch.isalpha()


def _clitics_before(folded: str, begin: int, allowed: frozenset[str] | None = None) -> str | None:
    """The proclitics glued before ``begin`` ("" at a word start), or None mid-word."""
    if begin == 0 or not _is_letter(folded[begin - 1]):
        return ""
    # at most: one conjunction then one preposition (وب, فل, ...), then a word boundary
    for n in (1, 2):
        b = begin - n
        if b < 0:
            return None
        chunk = folded[b:begin]
        if any(ch not in _CLITIC_LETTERS for ch in chunk):
            return None
        if allowed is not None and any(ch not in allowed for ch in chunk):
            return None
        if n == 2 and not (chunk[0] in _CONJ and chunk[1] in _PREP):
            return None
        if b == 0 or not _is_letter(folded[b - 1]):
            return chunk
    return None



def _noun_gender(folded: str) -> str:
    """"f" for a feminine office noun (its first word ends in ة: "المتحدثة باسم الخارجية"),
    else "m"."""
    return "f" if folded.split(" ", 1)[0].endswith("ه") else "m"


def _is_plural(first: str, office_words: set[str]) -> bool:
    """A dual or plural office noun ("الرئيسان", "وزيرا الخارجية"): another office noun's
    first word plus a dual/plural ending."""
    return any(first.endswith(suffix) and first[:-len(suffix)] in office_words
               for suffix in ("ان", "ين", "ا", "ي"))



def construct_form(folded: str) -> str:
    """Head noun in construct state ("الرئيس" -> "رئيس", "وزير الخارجيه" -> "وزير خارجيه")."""
    words = folded.split()
    if len(words) == 1:
        w = words[0]
        return w[2:] if w.startswith(ARTICLE) and len(w) > 3 else ""
    if words[0].startswith(ARTICLE):
        return ""  # noun + adjective: no construct form
    last = words[-1]
    if last.startswith(ARTICLE) and len(last) > 3:
        return " ".join(words[:-1] + [last[2:]])
    return ""

