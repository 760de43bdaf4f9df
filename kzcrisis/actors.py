"""Actor dictionary and actor extraction (docs/ARCHITECTURE.md; resources/README.md).

The dictionary is data (``resources/actors.csv``, ``actor_aliases.csv``, ``actor_roles.csv``).
Matching runs on the matching-normal form of the cleaned text (``clean.normalize_with_map``)
with one Aho-Corasick automaton, so its cost does not grow with the number of aliases:

1. *Hits*: every alias (names, body and office nouns, nisba adjectives, anaphors) is found
   with its proclitics (و ف ب ل ك, and لل = ل + ال) and checked at word boundaries.
2. *Composites* are built from adjacent hits, generally, never as one-off aliases:
   head noun + nisba ("وزارة الدفاع الروسية", "قوات روسية"), head in construct + owner
   ("رئيس كازاخستان", "برلمان البلاد"), head + في/التابعة ل/ل + owner
   ("السلطات المحلية في ألماتي", "الأمين العام لمنظمة معاهدة الأمن الجماعي").
3. The longest candidate wins; ties prefer names over composites.
4. Resolution: an office resolves to its holder on the document date (``actor_roles.csv``),
   else to the office's body; a body to its curated actor, else to a derived actor
   ``{OWNER}_{SLOT}``; anaphors ("الوزارة", "المنظمة", "هذه القوات") to the last fitting
   mention; "نظيره الأميركي" to the holder of the same office in the other state; an office
   phrase next to a named person ("رئيس كازاخستان، قاسم جومارت توكايف") to that person.

Spans exclude proclitics (after لل the span starts at the article's ل).
"""
from __future__ import annotations

import bisect
import csv
import datetime as _dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import ahocorasick
import pandas as pd

from . import schemas
from .clean import normalize_for_matching, normalize_with_map
from .errors import KzError, ResourceError
from .paths import resource

__all__ = ["ActorDictionary", "ActorTables", "Match", "candidate_table", "extract_actors",
           "link_phrase", "load_actors", "mentions_from_matches", "suggest_actors"]

ACTORS_FILE = "actors.csv"
ALIASES_FILE = "actor_aliases.csv"
ROLES_FILE = "actor_roles.csv"

ACTOR_COLUMNS = ["actor_id", "name_en", "name_ar", "type", "parent_id", "group", "wikidata",
                 "slot", "note", "gender", "spelling"]
ALIAS_COLUMNS = ["kind", "target", "alias", "label_en", "parent", "default"]
ROLE_COLUMNS = ["office", "owner", "holder_id", "start", "end", "note"]
ALIAS_KINDS = {"name", "metonym", "nisba", "owner_anaphor", "body", "office", "counterpart",
               "anaphor", "office_noun", "partial", "stop"}
ACTOR_TYPES = {"state", "territory", "igo", "igo_body", "ngo", "place", "person", "presidency",
               "government", "legislature", "ministry", "prosecutor", "security_service",
               "security_council", "armed_forces", "security_forces", "police",
               "local_authority", "media", "collective", "body"}
#: actor types whose names can own bodies and offices in composites
OWNER_TYPES = {"state", "territory", "igo", "ngo", "place"}
#: groups that are organisations (targets of "المنظمة")
IGO_TYPES = {"igo", "ngo"}
#: type of a derived body actor, by slot (curated actors carry their own type)
SLOT_TYPES = {"mfa": "ministry", "mod": "ministry", "interior": "ministry",
              "health": "ministry", "emergencies": "ministry", "information": "ministry",
              "prosecutor": "prosecutor",
              "government": "government", "presidency": "presidency",
              "parliament": "legislature", "armed_forces": "armed_forces",
              "security_forces": "security_forces", "police": "police",
              "law_enforcement": "police", "authorities": "government",
              "local_authorities": "local_authority", "security_service": "security_service",
              "security_council": "security_council"}
METHODS = ("dictionary", "ner", "role", "apposition", "coreference")
DEFAULT_COUNTRY = "KAZ"

_ID_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_GROUP_RE = re.compile(r"^[A-Z]{2,12}$")
# sentence ends used by .match() for "same sentence" constraints (extract_actors uses the
# annotation's sentences for sent_id)
_SENT_END_RE = re.compile(r"[.!?؟\n]+")
# what may stand between an office phrase and the name it is in apposition with
_APPOS_GAP_RE = re.compile(r"^[\s،,:\-–—]*$")
# "former" after an office phrase ("الرئيس الكازاخي السابق"), in matching-normal form
_FORMER_RE = re.compile(r" (?:السابق|السابقه|الاسبق)(?![^\W\d_])")
_CLITIC_LETTERS = frozenset("وفبلك")
_CONJ = frozenset("وف")
_PREP = frozenset("بلك")
_AL = "ال"
# connectors between a head and its owner, in matching-normal form
_CONN_FI = "في "
_CONN_TABI = ("التابعه ", "التابع ", "التابعين ")


class Match(NamedTuple):
    """One actor mention in a text: offsets into the text given to ``match``."""

    start: int
    end: int
    actor_id: str
    surface: str
    method: str


@dataclass(frozen=True)
class _Entry:
    kind: str          # name | metonym | nisba | owner_anaphor | body | office | counterpart | anaphor
    target: str        # actor id, owner id, slot/office key, anaphor type
    form: str = "def"  # def | construct | indef (head forms)
    default: str = ""  # bare resolution of heads: "" (none), "*" (default country) or owner id
    priority: int = 0  # lower wins on equal length
    gender: str = ""   # office nouns: "f" when the first word ends in ة, else "m"
    plural: bool = False  # dual/plural office nouns (الرئيسان): never one antecedent


@dataclass(frozen=True)
class _Hit:
    start: int         # folded offset of the span (after proclitics)
    end: int
    word_start: int    # folded offset where the word with its proclitics starts
    clitics: str       # the proclitics ("", "و", "ل", "وب", ... ; لل gives "ل")
    entry: _Entry


@dataclass
class _Cand:
    start: int
    end: int
    kind: str          # actor | slot | counterpart | anaphor
    target: str        # actor id, slot, anaphor type
    owner: str = ""    # owner actor id, "*" or "@state"/"@igo" (anaphoric owners)
    priority: int = 0
    method: str = "dictionary"
    office: bool = False
    fallback: str = ""  # owner used when an anaphoric owner finds no antecedent
    former: bool = False  # office followed by "السابق": the previous holder
    gender: str = ""   # coreference: the gender of the office noun ("m"/"f")


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
    _automaton: Any = field(default=None, repr=False)
    _info: dict[str, dict[str, str]] = field(default_factory=dict, repr=False)
    _bodies: dict[tuple[str, str], str] = field(default_factory=dict, repr=False)
    _holders: dict[tuple[str, str], list[tuple[str, str, str]]] = field(
        default_factory=dict, repr=False)
    _offices: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)
    _office_ar: dict[str, str] = field(default_factory=dict, repr=False)
    _treaty_orgs: set[str] = field(default_factory=set, repr=False)
    #: person -> [(owner, office, start, end)]: the offices a named person holds
    _held: dict[str, list[tuple[str, str, str, str]]] = field(default_factory=dict, repr=False)

    # --- construction -------------------------------------------------------------------

    def __post_init__(self) -> None:
        for row in self.actors.to_dict("records"):
            self._info[row["actor_id"]] = row
        for row in self._info.values():
            owner = self._owner_of(row["actor_id"])
            for slot in filter(None, row["slot"].split("|")):
                if row["type"] == "person":
                    continue
                self._bodies.setdefault((owner, slot), row["actor_id"])
        for row in self.roles.to_dict("records"):
            self._holders.setdefault((row["owner"], row["office"]), []).append(
                (row["holder_id"], row["start"], row["end"]))
            self._held.setdefault(row["holder_id"], []).append(
                (row["owner"], row["office"], row["start"], row["end"]))
        for row in self.aliases.to_dict("records"):
            if row["kind"] == "name" and self._info[row["target"]]["type"] in IGO_TYPES \
                    and "معاهده" in _fold(row["alias"]):
                self._treaty_orgs.add(row["target"])
            if row["kind"] in ("body", "office"):
                label, parent = self._offices.get(row["target"], ("", ""))
                self._offices[row["target"]] = (label or row["label_en"], parent or row["parent"])
                # the slot's first alias, as written, names derived bodies in Arabic
                self._office_ar.setdefault(row["target"], row["alias"].strip())
        self._build()

    def _owner_of(self, actor_id: str) -> str:
        """The nearest state/IGO/place at or above an actor (its owner for composites)."""
        seen = set()
        cur = actor_id
        while cur and cur not in seen:
            seen.add(cur)
            row = self._info.get(cur)
            if row is None:
                break
            if row["type"] in OWNER_TYPES:
                return cur
            cur = row["parent_id"]
        return self._info.get(actor_id, {}).get("group", "")

    def _build(self) -> None:
        auto = ahocorasick.Automaton()
        table: dict[str, _Entry] = {}

        def add(key: str, entry: _Entry) -> None:
            key = key.strip()
            if not key:
                return
            old = table.get(key)
            if old is None or entry.priority < old.priority:
                table[key] = entry

        partials: dict[str, list[str]] = defaultdict(list)
        office_words = {_fold(r["alias"]).split()[0] for r in self.aliases.to_dict("records")
                        if r["kind"] in ("office", "office_noun")}
        for row in self.aliases.to_dict("records"):
            kind, target = row["kind"], row["target"]
            folded = _fold(row["alias"])
            if kind in ("name", "metonym"):
                add(folded, _Entry(kind, target, priority=0))
            elif kind == "partial":
                partials[folded].append(target)
            elif kind == "stop":
                continue
            elif kind == "nisba":
                add(folded, _Entry("nisba", target, "def", priority=3))
                if folded.startswith(_AL):
                    indef = " ".join(w[2:] if w.startswith(_AL) else w for w in folded.split())
                    add(indef, _Entry("nisba", target, "indef", priority=3))
            elif kind == "office_noun":
                add(folded, _Entry(kind, target, "def", gender=_noun_gender(folded),
                                   priority=3))
            elif kind in ("body", "office"):
                add(folded, _Entry(kind, target, "def", row["default"], priority=1,
                                   gender=_noun_gender(folded),
                                   plural=_is_plural(folded.split()[0], office_words)))
                construct = _construct_form(folded)
                if construct:
                    add(construct, _Entry(kind, target, "construct", priority=2))
                indef = " ".join(w[2:] if w.startswith(_AL) and len(w) > 3 else w
                                 for w in folded.split())
                if kind == "body" and indef != folded and indef != construct:
                    add(indef, _Entry(kind, target, "indef", priority=2))
            else:  # owner_anaphor, counterpart, anaphor
                add(folded, _Entry(kind, target, priority=1))
        for key, targets in partials.items():
            # a partial name never displaces a full entry (a name of someone else, a noun)
            if key not in table:
                table[key] = _Entry("partial", "|".join(sorted(set(targets))), priority=5)
        for key, entry in table.items():
            auto.add_word(key, (key, entry, False))
            if key.startswith(_AL) and len(key) > 3:
                # "للرئاسة" = ل + الرئاسة: the article's alef is not written
                auto.add_word("لل" + key[2:], (key, entry, True))
        auto.make_automaton()
        self._automaton = auto

    def __repr__(self) -> str:
        return (f"ActorDictionary({len(self.actors)} actors, {len(self.aliases)} aliases, "
                f"{len(self.roles)} dated offices, default_country={self.default_country!r})")

    # --- public API ---------------------------------------------------------------------

    def info(self, actor_id: str) -> dict[str, str]:
        """Dictionary row of ``actor_id``; derived ``OWNER_SLOT`` actors get generated names."""
        row = self._info.get(actor_id)
        if row is not None:
            return row
        # a derived body named by another dictionary instance: OWNER_SLOT
        for i in range(1, len(actor_id)):
            if actor_id[i] != "_":
                continue
            owner, slot = actor_id[:i], actor_id[i + 1:].lower()
            if self._info.get(owner, {}).get("type") in OWNER_TYPES and slot in self._offices:
                if self._resolve_body(owner, slot) == actor_id:
                    return self._info[actor_id]
        raise KzError(f"unknown actor id {actor_id!r}")

    @property
    def n_patterns(self) -> int:
        """Number of strings in the automaton (with their لل variants)."""
        return len(self._automaton)

    def match(self, text: str, date: str | None = None) -> list[Match]:
        """Actor mentions in ``text`` (a cleaned text), resolved on ``date`` (ISO, may be
        partial or empty). Offsets index ``text``; the result is sorted by start."""
        if not isinstance(text, str):
            raise KzError(f"match expects str, not {type(text).__name__}")
        period = _period(date)
        folded, fmap = normalize_with_map(text)
        hits = self._hits(folded)
        cands = self._candidates(folded, hits)
        chosen = _select(cands)
        sent_ends = [m.end() for m in _SENT_END_RE.finditer(folded)]
        resolved = self._resolve(folded, chosen, period, sent_ends)
        out = []
        for c, actor_id, method in resolved:
            s, e = fmap[c.start], fmap[c.end]
            # trailing marks stripped by folding belong to the word; trailing spaces do not
            while e > s and text[e - 1].isspace():
                e -= 1
            out.append(Match(s, e, actor_id, text[s:e], method))
        return out

    # --- hits and candidates --------------------------------------------------------------

    def _hits(self, folded: str) -> list[_Hit]:
        hits = []
        n = len(folded)
        for end_idx, (key, entry, lil) in self._automaton.iter(folded):
            end = end_idx + 1
            begin = end - len(key)  # "لل" + rest has the length of "ال" + rest
            if end < n and _is_letter(folded[end]):
                continue
            if lil:
                start = begin + 1
                clitics = _clitics_before(folded, begin, allowed=_CONJ)
                if clitics is None:
                    continue
                word_start = begin - len(clitics)
                clitics += "ل"
            else:
                start = begin
                clitics = _clitics_before(folded, begin)
                if clitics is None:
                    continue
                word_start = begin - len(clitics)
            hits.append(_Hit(start, end, word_start, clitics, entry))
        return hits

    def _candidates(self, folded: str, hits: list[_Hit]) -> list[_Cand]:
        by_word_start: dict[int, list[_Hit]] = defaultdict(list)
        for h in hits:
            by_word_start[h.word_start].append(h)
        cands: list[_Cand] = []
        for h in hits:
            e = h.entry
            if e.kind in ("name", "metonym"):
                if self._info[e.target]["type"] != "place":
                    cands.append(_Cand(h.start, h.end, "actor", e.target, priority=0))
            elif e.kind == "partial":
                cands.append(_Cand(h.start, h.end, "partial", e.target, priority=5,
                                   method="coreference"))
            elif e.kind == "office_noun":
                if _modifies_previous_noun(folded, h):
                    continue
                owners = list(self._owners_after(folded, h, by_word_start))
                for owner, end, _ in owners:
                    cands.append(_Cand(h.start, end, "office_coref", e.target, owner, 3,
                                       method="coreference", gender=e.gender))
                if not owners and _coref_allowed(folded, h, by_word_start):
                    cands.append(_Cand(h.start, h.end, "office_coref", e.target, "", 4,
                                       method="coreference", gender=e.gender))
            elif e.kind in ("body", "office"):
                if _modifies_previous_noun(folded, h):
                    continue
                office = e.kind == "office"
                found = [(owner, end, 1) for owner, end, _ in
                         self._owners_after(folded, h, by_word_start)]
                if office and not found and not e.default and e.form == "def" \
                        and not e.plural and _coref_allowed(folded, h, by_word_start):
                    # an office noun alone ("وزير الخارجية", "الرئيس"): its latest holder
                    cands.append(_Cand(h.start, h.end, "office_coref", e.target, "", 4,
                                       method="coreference", gender=e.gender))
                if e.form == "def" and e.default:
                    found.append((e.default, h.end, 3))
                for _, end, nisba_form in self._owners_after(folded, h, by_word_start):
                    if nisba_form:
                        cands.extend(self._coordinated(folded, h, end, nisba_form,
                                                       by_word_start, office))
                for owner, end, priority in found:
                    former = False
                    if office:
                        m = _FORMER_RE.match(folded, end)
                        if m:
                            end, former = m.end(), True
                    cands.append(_Cand(h.start, end, "slot", e.target, owner, priority,
                                       office=office, fallback=e.default, former=former))
            elif e.kind == "counterpart":
                for owner, end, _ in self._owners_after(folded, h, by_word_start):
                    if owner in self._info:
                        cands.append(_Cand(h.start, end, "counterpart", "", owner, 1,
                                           method="role"))
            elif e.kind == "anaphor":
                cands.append(_Cand(h.start, h.end, "anaphor", e.target, priority=4,
                                   method="role"))
        return cands

    def _coordinated(self, folded: str, head: _Hit, end: int, form: str,
                     by_word_start: dict[int, list[_Hit]], office: bool) -> list[_Cand]:
        """Nisbas coordinated after a composite ("القوات الروسية والبيلاروسية"): each one
        names the same body or office of another owner; its span is the adjective."""
        out = []
        while end < len(folded) and folded[end] == " ":
            nxt = [h for h in by_word_start.get(end + 1, ())
                   if h.entry.kind == "nisba" and h.entry.form == form and h.clitics == "و"]
            if not nxt:
                break
            h = max(nxt, key=lambda h: h.end)
            out.append(_Cand(h.start, h.end, "slot", head.entry.target, h.entry.target, 2,
                             office=office))
            end = h.end
        return out

    def _owners_after(self, folded: str, head: _Hit,
                      by_word_start: dict[int, list[_Hit]]) -> Iterable[tuple[str, int, str]]:
        """(owner, end, nisba form or "") for each owner phrase that follows ``head``."""
        pos = head.end
        if pos >= len(folded) or folded[pos] != " ":
            return
        pos += 1
        form = head.entry.form
        # a feminine singular head (…ة) takes no masculine singular nisba (…ي):
        # "الخارجية الأوروبي" is part of "السياسة الخارجية الأوروبي…", not a ministry
        # (a head of several words may agree with its last noun: "رئيسة البرلمان الأوروبي")
        head_words = folded[head.start:head.end].split(" ")
        feminine = head.entry.kind in ("body", "office") and len(head_words) == 1 \
            and head_words[0].endswith("ه")
        for h in by_word_start.get(pos, ()):
            k = h.entry.kind
            if k == "nisba" and h.clitics == "" and (
                    (form == "def" and h.entry.form == "def")
                    or (form in ("indef", "construct") and h.entry.form == "indef")) \
                    and not (feminine and folded[h.end - 1] == "ي"):
                yield h.entry.target, h.end, h.entry.form
            elif form == "construct" and h.clitics == "" and self._is_owner(h):
                yield self._owner_key(h), h.end, ""
            elif form == "def" and h.clitics == "ل" and self._is_owner(h):
                yield self._owner_key(h), h.end, ""
        if form != "def":
            return
        starts = []
        if folded.startswith(_CONN_FI, pos):
            starts.append((pos + len(_CONN_FI), ""))
        for conn in _CONN_TABI:
            if folded.startswith(conn, pos):
                starts.append((pos + len(conn), "ل"))
        for at, clitic in starts:
            for h in by_word_start.get(at, ()):
                if h.clitics == clitic and self._is_owner(h):
                    yield self._owner_key(h), h.end, ""

    def _is_owner(self, h: _Hit) -> bool:
        e = h.entry
        if e.kind == "name":
            return self._info[e.target]["type"] in OWNER_TYPES
        return e.kind == "owner_anaphor" or (e.kind == "anaphor"
                                             and e.target in ("igo", "treaty"))

    @staticmethod
    def _owner_key(h: _Hit) -> str:
        e = h.entry
        if e.kind == "name":
            return e.target
        return "@" + e.target

    # --- resolution ---------------------------------------------------------------------

    def _resolve(self, folded: str, chosen: list[_Cand], period: tuple[str, str] | None,
                 sent_ends: list[int]) -> list[tuple[_Cand, str, str]]:
        out: list[tuple[_Cand, str, str]] = []
        offices: list[str] = []  # office of each resolved mention ("" if none)

        def sent_of(pos: int) -> int:
            return bisect.bisect_right(sent_ends, pos)

        for c in chosen:
            actor_id, method, office = "", c.method, ""
            owner = c.owner
            if owner.startswith("@") or owner == "*":
                owner = self._resolve_owner(owner, c, out, sent_of)
                if not owner and c.fallback:
                    owner = self._resolve_owner(c.fallback, c, out, sent_of)
            if c.kind == "actor":
                actor_id = c.target
            elif c.kind == "slot" and owner:
                if c.office:
                    office = c.target
                    actor_id, by_role = self._resolve_office(owner, c.target, period,
                                                             c.former)
                    method = "role" if by_role else "dictionary"
                else:
                    actor_id = self._resolve_body(owner, c.target)
            elif c.kind == "counterpart" and owner:
                office = self._last_office(c, out, offices, sent_of, period)
                if office:
                    actor_id, _ = self._resolve_office(owner, office, period)
                else:
                    actor_id = owner
            elif c.kind == "anaphor":
                actor_id = self._resolve_anaphor(c.target, out)
            elif c.kind == "partial":
                actor_id = self._resolve_partial(c.target, out)
            elif c.kind == "office_coref":
                actor_id, office = self._resolve_office_coref(c, out, offices, period)
            if actor_id:
                out.append((c, actor_id, method))
                offices.append(office or ("?" if c.kind == "counterpart" else ""))
        return self._appositions(folded, out, offices, sent_of)

    def _resolve_owner(self, owner: str, c: _Cand, out: list, sent_of) -> str:
        if owner == "*":
            return self.default_country
        if owner == "@state":
            for prev, actor_id, _ in reversed(out):
                if sent_of(prev.start) != sent_of(c.start):
                    break
                if self._info.get(actor_id, {}).get("type") == "state":
                    return actor_id
            return ""
        if owner in ("@igo", "@treaty"):
            return self._resolve_anaphor(owner[1:], out)
        return owner

    def _resolve_office(self, owner: str, office: str, period: tuple[str, str] | None,
                        former: bool = False) -> tuple[str, bool]:
        """(actor, resolved-to-a-person) for an office of ``owner`` in ``period``; with
        ``former``, the holder whose recorded term ended last before the period."""
        terms = self._holders.get((owner, office), ())
        if former:
            ended = sorted((e, h) for h, _, e in terms
                           if e and period is not None and e <= period[0])
            current = {h for h, s, e in terms if _overlaps(s, e, period)} if period else set()
            ended = [(e, h) for e, h in ended if h not in current]
            if ended and (len(ended) == 1 or ended[-1][0] != ended[-2][0]):
                return ended[-1][1], True
            holders: set[str] = set()
        else:
            holders = {h for h, s, e in terms if period is None or _overlaps(s, e, period)}
        if len(holders) == 1:
            return holders.pop(), True
        parent = self._offices.get(office, ("", ""))[1]
        if parent:
            return self._resolve_body(owner, parent), False
        return owner, False

    def _resolve_body(self, owner: str, slot: str) -> str:
        if slot == "state":
            return owner
        found = self._bodies.get((owner, slot))
        if found:
            return found
        row = self._info.get(owner)
        if row is not None and row["type"] == "place" and row["parent_id"]:
            return self._resolve_body(self._owner_of(row["parent_id"]), slot)
        derived = f"{owner}_{slot.upper()}"
        if derived not in self._info and row is not None:
            label = self._offices.get(slot, ("", ""))[0] or slot.replace("_", " ")
            self._info[derived] = {
                "actor_id": derived, "name_en": f"{row['name_en']}: {label}",
                "name_ar": _derived_name_ar(self._office_ar.get(slot, ""), row["name_ar"]),
                "type": SLOT_TYPES.get(slot, "body"),
                "parent_id": owner, "group": row["group"], "wikidata": "", "slot": slot,
                "note": "derived from a composite (not in actors.csv)"}
        return derived if derived in self._info else owner

    def _resolve_anaphor(self, kind: str, out: list) -> str:
        for _, actor_id, _ in reversed(out):
            row = self._info.get(actor_id, {})
            if kind in ("igo", "treaty"):
                # "المنظمة" is an organisation named as such, not one of its officials;
                # "المعاهدة" only an organisation named after a treaty
                grp = self._info.get(row.get("group", ""), {})
                if grp.get("type") in IGO_TYPES and row.get("type") != "person" and (
                        kind == "igo" or grp["actor_id"] in self._treaty_orgs):
                    return grp["actor_id"]
            elif row.get("type") == kind:
                return actor_id
        return ""

    def _resolve_partial(self, targets: str, out: list) -> str:
        """A surname or first name alone: the latest earlier mention of a person it names."""
        wanted = set(targets.split("|"))
        for _, actor_id, _ in reversed(out):
            if actor_id in wanted:
                return actor_id
        return ""

    def _resolve_office_coref(self, c: _Cand, out: list, offices: list[str],
                              period: tuple[str, str] | None) -> tuple[str, str]:
        """(actor, office) for an office noun alone ("الوزير", "المتحدثة"): the latest person
        named before it who holds one of its offices (of ``c.owner`` when a nisba follows)
        on the document date, of the noun's gender; else the owner, if any."""
        wanted = set(c.target.split("|"))
        for (_prev, actor_id, _), office in zip(reversed(out), reversed(offices), strict=True):
            row = self._info.get(actor_id, {})
            if row.get("type") != "person":
                continue
            if row.get("gender") and c.gender and row["gender"] != c.gender:
                continue
            held = {off for owner, off, s, e in self._held.get(actor_id, ())
                    if (period is None or _overlaps(s, e, period))
                    and (not c.owner or owner == c.owner)}
            if office and office != "?" and not c.owner:
                held.add(office)
            found = held & wanted
            if found:
                return actor_id, sorted(found)[0]
        return (c.owner if c.owner in self._info else ""), ""

    def _last_office(self, c: _Cand, out: list, offices: list[str], sent_of,
                     period: tuple[str, str] | None) -> str:
        """The office of the nearest earlier mention in the sentence (for "نظيره")."""
        for (prev, actor_id, _), office in zip(reversed(out), reversed(offices), strict=True):
            if sent_of(prev.start) != sent_of(c.start):
                break
            if office and office != "?":
                return office
            for (_owner, off), holders in self._holders.items():
                if any(h == actor_id and (period is None or _overlaps(s, e, period))
                       for h, s, e in holders):
                    return off
        return ""

    def _appositions(self, folded: str, out: list, offices: list[str], sent_of
                     ) -> list[tuple[_Cand, str, str]]:
        """An office phrase next to a named person takes that person ("apposition")."""
        result = list(out)
        for i, ((c, _, _), office) in enumerate(zip(out, offices, strict=True)):
            if not office:
                continue
            # the counterpart is someone else than the name before it
            for j in (i + 1,) if c.kind == "counterpart" else (i + 1, i - 1):
                if not 0 <= j < len(out):
                    continue
                other, other_id, _ = out[j]
                if other.kind != "actor" or self._info[other_id]["type"] != "person":
                    continue
                lo, hi = (c.end, other.start) if j > i else (other.end, c.start)
                gap = folded[lo:hi] if lo <= hi else "?"
                # a name before the office needs a comma ("توكايف، رئيس كازاخستان"):
                # "توكايف نظيره" or "بوتين الرئيس" are subject + another phrase
                if _APPOS_GAP_RE.match(gap) and (j > i or any(ch in gap for ch in "،,")) \
                        and sent_of(c.start) == sent_of(other.start):
                    result[i] = (c, other_id, "apposition")
                    break
        return result


# --- helpers --------------------------------------------------------------------------------


def _fold(text: str) -> str:
    return " ".join(normalize_for_matching(text).split())


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


def _modifies_previous_noun(folded: str, h: _Hit) -> bool:
    """A one-word definite head right after a definite noun is that noun's adjective
    ("السياسة الخارجية الروسية" is a policy, not the foreign ministry)."""
    if h.clitics or h.entry.form != "def" or " " in folded[h.start:h.end]:
        return False
    if h.start < 2 or folded[h.start - 1] != " ":
        return False
    prev = folded[:h.start - 1].rsplit(None, 1)[-1] if folded[:h.start - 1].strip() else ""
    prev = prev.lstrip("وف")
    return len(prev) > 3 and prev.startswith(_AL) and prev[-1].isalpha()


#: words before an office noun that make it another office ("نائب الرئيس", "مستشار
#: الرئيس", "مكتب الرئيس"): closed-class grammar, not lexicon
_NOT_HOLDER_BEFORE = frozenset(_fold(w) for w in (
    "نائب", "نائبة", "مساعد", "مساعدة", "مستشار", "مستشارة", "مكتب", "ديوان", "زوجة", "زوج",
    "منصب", "مرشح", "مرشحة", "حرس", "موكب", "طائرة", "قصر", "مقر", "عهد", "ولاية", "سلف",
    "خليفة", "وكيل", "وكيلة", "أمين", "سكرتير", "سكرتيرة", "ابن", "ابنة", "نجل", "كبير",
    "كبيرة", "مثل", "بصفته", "بصفتها", "منصبه", "منصبها"))


def _coref_allowed(folded: str, h: _Hit, by_word_start: dict[int, list[_Hit]]) -> bool:
    """Whether an office noun alone can refer back to a named holder: not "المتحدث باسم
    الحكومة" (a new office), not "الرئيس التنفيذي"/"الرئيس السابق" (an unknown adjective),
    not "نائب الرئيس" (another office)."""
    pos = h.end
    if pos < len(folded) and folded[pos] == " ":
        nxt = folded[pos + 1:pos + 40].split(" ", 1)[0]
        if nxt in ("باسم", "بأسم") or (nxt.startswith(_AL) and len(nxt) > 3
                                      and not by_word_start.get(pos + 1)):
            return False
    before = folded[:h.word_start].rstrip()
    prev = before.rsplit(None, 1)[-1] if before else ""
    return prev not in _NOT_HOLDER_BEFORE


def _noun_gender(folded: str) -> str:
    """"f" for a feminine office noun (its first word ends in ة: "المتحدثة باسم الخارجية"),
    else "m"."""
    return "f" if folded.split(" ", 1)[0].endswith("ه") else "m"


def _is_plural(first: str, office_words: set[str]) -> bool:
    """A dual or plural office noun ("الرئيسان", "وزيرا الخارجية"): another office noun's
    first word plus a dual/plural ending."""
    return any(first.endswith(suffix) and first[:-len(suffix)] in office_words
               for suffix in ("ان", "ين", "ا", "ي"))


def _derived_name_ar(body_ar: str, owner_ar: str) -> str:
    """The Arabic name of a derived body, all in Arabic: the body in construct with its
    owner ("وزارة الخارجية" + "إيران" -> "وزارة خارجية إيران"), or "BODY (OWNER)" where the
    body has no construct form ("الإدارة الرئاسية (إيران)")."""
    if not body_ar:
        return owner_ar
    construct = _construct_form(body_ar)
    return f"{construct} {owner_ar}" if construct else f"{body_ar} ({owner_ar})"


def _construct_form(folded: str) -> str:
    """Head noun in construct state ("الرئيس" -> "رئيس", "وزير الخارجيه" -> "وزير خارجيه")."""
    words = folded.split()
    if len(words) == 1:
        w = words[0]
        return w[2:] if w.startswith(_AL) and len(w) > 3 else ""
    if words[0].startswith(_AL):
        return ""  # noun + adjective: no construct form
    last = words[-1]
    if last.startswith(_AL) and len(last) > 3:
        return " ".join(words[:-1] + [last[2:]])
    return ""


def _select(cands: list[_Cand]) -> list[_Cand]:
    """Longest candidate wins; ties by priority then position; returned in text order."""
    if not cands:
        return []
    # one flag per character: linear in the text, not quadratic in the candidates
    taken = bytearray(max(c.end for c in cands))
    chosen = []
    for c in sorted(cands, key=lambda c: (-(c.end - c.start), c.priority, c.start)):
        if any(taken[c.start:c.end]):
            continue
        taken[c.start:c.end] = b"\x01" * (c.end - c.start)
        chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _period(date: Any) -> tuple[str, str] | None:
    """(first day, last day) of an ISO date, year-month or year; None if unknown."""
    if date is None or (isinstance(date, float) and date != date):
        return None
    s = str(date).strip()
    if not s or s.lower() in ("nan", "none", "nat", "<na>"):
        return None
    m = _PARTIAL_DATE_RE.match(s)
    if not m:
        raise KzError(f"unreadable document date {s!r} (expected YYYY-MM-DD, YYYY-MM or YYYY)")
    y, mo, d = m.group(1), m.group(2), m.group(3)
    if d:
        return (f"{y}-{mo}-{d}", f"{y}-{mo}-{d}")
    if mo:
        nxt = _dt.date(int(y) + (mo == "12"), int(mo) % 12 + 1, 1) - _dt.timedelta(days=1)
        return (f"{y}-{mo}-01", nxt.isoformat())
    return (f"{y}-01-01", f"{y}-12-31")


def _overlaps(start: str, end: str, period: tuple[str, str]) -> bool:
    # an empty bound is open (not recorded); office terms include both end days
    return (not start or start <= period[1]) and (not end or end >= period[0])


# --- loading --------------------------------------------------------------------------------


def _read_csv(path: Path, columns: list[str], optional: tuple[str, ...] | None = None
              ) -> list[tuple[str, dict[str, str]]]:
    """Rows of a resource CSV as (``"FILE: line N"``, row). With ``optional`` (user files),
    the header may leave out those columns (they read as empty) and name them in any
    order; otherwise it must be exactly ``columns``."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            reader = csv.reader(fh)
            header = [h.strip() for h in next(reader, None) or []]
            if optional is None:
                if header != columns:
                    raise ResourceError(f"{path}: line 1: header must be {','.join(columns)}")
            else:
                need = [c for c in columns if c not in optional]
                missing = [c for c in need if c not in header]
                unknown = [c for c in header if c not in columns]
                if missing or unknown or len(set(header)) != len(header):
                    raise ResourceError(
                        f"{path}: line 1: header needs {','.join(need)} (optional: "
                        f"{','.join(optional)})" + (f"; unknown {unknown}" if unknown else "")
                        + (f"; missing {missing}" if missing else ""))
            rows = []
            for row in reader:
                line = reader.line_num
                if not row or all(not c.strip() for c in row):
                    continue
                if len(row) != len(header):
                    raise ResourceError(f"{path}: line {line}: expected {len(header)} fields, "
                                        f"got {len(row)}")
                values = dict(zip(header, (c.strip() for c in row), strict=True))
                rows.append((f"{path}: line {line}", {c: values.get(c, "") for c in columns}))
            return rows
    except FileNotFoundError:
        raise ResourceError(f"{path}: no such resource file") from None
    except IsADirectoryError:
        raise ResourceError(f"{path}: is a folder, not a CSV file") from None
    except UnicodeDecodeError as err:
        raise ResourceError(f"{path}: not UTF-8 ({err.reason})") from None
    except csv.Error as err:
        raise ResourceError(f"{path}: malformed CSV ({err})") from None


def load_actors(path: str | Path | None = None, aliases_path: str | Path | None = None,
                roles_path: str | Path | None = None,
                default_country: str = DEFAULT_COUNTRY, *,
                user: str | Path | None = None) -> ActorDictionary:
    """Load the actor base (packaged files unless overridden) and build its matcher.

    The base is the CLDR states (``states.csv``, ``state_facts.csv``), their nisbas
    (by rule and ``nisba_exceptions.csv``), the curated ``actors.csv``/``actor_aliases.csv``/
    ``actor_roles.csv``, spelling variants and partial names generated by rule
    (:mod:`kzcrisis.actor_base`), and, with ``user``, a researcher's own file or folder
    (resources/README.md, "Your own actors"): its rows win over the package's, and each
    override is listed in ``ActorDictionary.notes``. ``default_country`` owns bare body
    nouns marked ``*`` ("الجيش", "السلطات المحلية"). A malformed row raises ResourceError
    naming file, line and field.

    >>> d = load_actors()
    >>> [m.actor_id for m in d.match("قال وزير الخارجية الفرنسي", "2022-01-07")]
    ['JEAN_YVES_LE_DRIAN']
    """
    from . import actor_base as ab

    a_path = Path(path) if path is not None else resource(ACTORS_FILE)
    l_path = Path(aliases_path) if aliases_path is not None else resource(ALIASES_FILE)
    r_path = Path(roles_path) if roles_path is not None else resource(ROLES_FILE)
    s_path, f_path, n_path = (resource(n) for n in (ab.STATES_FILE, ab.FACTS_FILE,
                                                    ab.NISBA_FILE))
    states = _read_csv(s_path, ab.STATE_COLUMNS)
    state_ids = {r["actor_id"] for _, r in states}
    facts = _check_facts(_read_csv(f_path, ab.FACT_COLUMNS), state_ids)
    nisba_exc = _check_nisba_exceptions(_read_csv(n_path, ab.NISBA_COLUMNS), state_ids)
    state_actors, state_aliases = ab.state_rows(states, facts, s_path)
    notes: list[str] = []
    # actors: generated states, then the curated file (a curated row replaces a state's)
    curated = _unique_ids(_read_csv(a_path, ACTOR_COLUMNS))
    actor_rows: dict[str, tuple[str, dict]] = {r["actor_id"]: (f"{s_path}", r)
                                               for r in state_actors}
    actor_rows.update({r["actor_id"]: (w, r) for w, r in curated})
    alias_rows = [(w, {**r, "source": "curated"}) for w, r in _read_csv(l_path, ALIAS_COLUMNS)]
    role_rows = _read_csv(r_path, ROLE_COLUMNS)
    if user is not None:
        u_actors, u_aliases, u_roles = _read_user_actors(Path(user))
        actor_rows, alias_rows, role_rows = _merge_user(
            actor_rows, alias_rows, role_rows, u_actors, u_aliases, u_roles, notes)
    actors = _check_actors(list(actor_rows.values()))
    ids = {r["actor_id"]: r for r in actors}
    aliases = _check_aliases(alias_rows, ids)
    roles = _check_roles(role_rows, ids, aliases)
    if default_country not in ids or ids[default_country]["type"] != "state":
        raise KzError(f"default_country {default_country!r} is not a state in {a_path}")
    translit = {a for a, r in ids.items() if r["spelling"] == "translit"}
    persons = {a for a, r in ids.items() if r["type"] == "person"}
    named = aliases + state_aliases
    generated = (state_aliases + ab.nisba_rows(state_actors, nisba_exc)
                 + ab.variant_rows(named, translit))
    kept, report = ab.resolve_claims(aliases, generated)
    # partial names come from the curated and user names (not from generated variants)
    partials = ab.partial_rows(aliases, persons)
    kept2, report2 = ab.resolve_claims(aliases + kept, partials)
    all_aliases = aliases + kept + kept2
    return ActorDictionary(pd.DataFrame(actors, columns=ACTOR_COLUMNS),
                           pd.DataFrame(all_aliases, columns=[*ALIAS_COLUMNS, "source"]),
                           pd.DataFrame(roles, columns=ROLE_COLUMNS), default_country,
                           generated=pd.DataFrame(report + report2,
                                                  columns=[*ALIAS_COLUMNS, "source", "status"]),
                           notes=notes)


def _unique_ids(rows: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    seen: dict[str, str] = {}
    for where, r in rows:
        aid = r["actor_id"]
        if aid in seen:
            raise ResourceError(f"{where}: duplicate actor_id {aid!r} (first at "
                                f"{seen[aid].rsplit(': ', 1)[-1]})")
        seen[aid] = where
    return rows


def _check_facts(rows: list, state_ids: set[str]) -> dict[str, dict]:
    out = {}
    for where, r in rows:
        if r["actor_id"] not in state_ids:
            raise ResourceError(f"{where}: actor_id {r['actor_id']!r} is not in states.csv")
        if r["metonym"] not in ("yes", "no"):
            raise ResourceError(f"{where}: metonym must be yes or no, not {r['metonym']!r}")
        if r["wikidata"] and not _QID_RE.match(r["wikidata"]):
            raise ResourceError(f"{where}: bad Wikidata QID {r['wikidata']!r}")
        out[r["actor_id"]] = r
    return out


def _check_nisba_exceptions(rows: list, state_ids: set[str]) -> dict[str, dict]:
    out = {}
    for where, r in rows:
        if r["actor_id"] not in state_ids:
            raise ResourceError(f"{where}: actor_id {r['actor_id']!r} is not in states.csv")
        if r["mode"] not in ("add", "replace", "none"):
            raise ResourceError(f"{where}: mode must be add, replace or none")
        for form in filter(None, r["nisba"].split("|")):
            if not all(w.startswith("ال") and w.endswith("ي") for w in form.split()):
                raise ResourceError(f"{where}: nisba {form!r} must be masculine definite "
                                    "(ال…ي)")
        out[r["actor_id"]] = r
    return out


#: columns a user actors file may leave out (resources/README.md, "Your own actors")
USER_OPTIONAL = ("parent_id", "wikidata", "slot", "note", "gender", "spelling", "aliases")


def _read_user_actors(path: Path) -> tuple[list, list, list]:
    """A user's actors: a CSV file in the actors.csv format (optional columns may be left
    out, and an ``aliases`` column lists Arabic names, ``|``-separated), or a folder with
    any of actors.csv, actor_aliases.csv, actor_roles.csv."""
    if path.is_dir():
        files = {n: path / n for n in (ACTORS_FILE, ALIASES_FILE, ROLES_FILE)}
        if not any(p.exists() for p in files.values()):
            raise ResourceError(f"{path}: folder has none of {ACTORS_FILE}, {ALIASES_FILE}, "
                                f"{ROLES_FILE}")
        actors = (_read_csv(files[ACTORS_FILE], [*ACTOR_COLUMNS, "aliases"], USER_OPTIONAL)
                  if files[ACTORS_FILE].exists() else [])
        aliases = (_read_csv(files[ALIASES_FILE], ALIAS_COLUMNS,
                             ("label_en", "parent", "default"))
                   if files[ALIASES_FILE].exists() else [])
        roles = (_read_csv(files[ROLES_FILE], ROLE_COLUMNS, ("start", "end", "note"))
                 if files[ROLES_FILE].exists() else [])
    else:
        actors = _read_csv(path, [*ACTOR_COLUMNS, "aliases"], USER_OPTIONAL)
        aliases, roles = [], []
    out_aliases = [(w, {**r, "source": "user"}) for w, r in aliases]
    for where, r in actors:
        names = [r["name_ar"], *r.pop("aliases").split("|")]
        for name in dict.fromkeys(n.strip() for n in names if n.strip()):
            out_aliases.append((f"{where}: aliases", {
                "kind": "name", "target": r["actor_id"], "alias": name, "label_en": "",
                "parent": "", "default": "", "source": "user"}))
    return _unique_ids(actors), out_aliases, roles


def _merge_user(actor_rows: dict, alias_rows: list, role_rows: list, u_actors: list,
                u_aliases: list, u_roles: list, notes: list[str]) -> tuple[dict, list, list]:
    """User rows win: an actor row replaces the package's row with its id, a name replaces
    the package's use of that name for another actor, a role row replaces the package's
    row for the same office, owner and holder."""
    for where, r in u_actors:
        if r["actor_id"] in actor_rows:
            notes.append(f"{where}: actor {r['actor_id']} replaces the package's row")
        actor_rows[r["actor_id"]] = (where, r)
    user_names = {_fold(r["alias"]): (w, r["target"]) for w, r in u_aliases
                  if r["kind"] in ("name", "metonym")}
    kept = []
    for where, r in alias_rows:
        hit = user_names.get(_fold(r["alias"])) if r["kind"] in ("name", "metonym") else None
        if hit and hit[1] != r["target"]:
            notes.append(f"{hit[0]}: name {r['alias']!r} now names {hit[1]}, not "
                         f"{r['target']} (package)")
            continue
        kept.append((where, r))
    user_roles = {(r["office"], r["owner"], r["holder_id"]) for _, r in u_roles}
    roles = []
    for where, r in role_rows:
        if (r["office"], r["owner"], r["holder_id"]) in user_roles:
            notes.append(f"role {r['office']} of {r['owner']} held by {r['holder_id']}: the "
                         "user's row replaces the package's")
            continue
        roles.append((where, r))
    return actor_rows, kept + u_aliases, roles + u_roles


def _check_actors(rows: list) -> list[dict[str, str]]:
    seen = {r["actor_id"] for _, r in rows}
    for where, r in rows:
        aid = r["actor_id"]
        if not _ID_RE.match(aid):
            raise ResourceError(f"{where}: bad actor_id {aid!r} (A-Z, 0-9, _)")
        if not r["name_en"] or not r["name_ar"] or not r["type"]:
            raise ResourceError(f"{where}: {aid}: name_en, name_ar and type are required")
        if r["type"] not in ACTOR_TYPES:
            raise ResourceError(f"{where}: {aid}: unknown type {r['type']!r} (one of "
                                f"{', '.join(sorted(ACTOR_TYPES))})")
        if not _GROUP_RE.match(r["group"]):
            raise ResourceError(f"{where}: {aid}: bad group {r['group']!r} (2-12 capital "
                                "letters: an ISO alpha-3 code or an organisation)")
        if r["wikidata"] and not _QID_RE.match(r["wikidata"]):
            raise ResourceError(f"{where}: {aid}: bad Wikidata QID {r['wikidata']!r}")
        if r["gender"] not in ("", "m", "f"):
            raise ResourceError(f"{where}: {aid}: gender must be m, f or empty")
        if r["spelling"] not in ("", "translit"):
            raise ResourceError(f"{where}: {aid}: spelling must be translit or empty")
        if r["parent_id"] and r["parent_id"] not in seen:
            raise ResourceError(f"{where}: {aid}: unknown parent_id {r['parent_id']!r}")
    return [r for _, r in rows]


def _check_aliases(rows: list, ids: dict) -> list[dict[str, str]]:
    names: dict[str, tuple[str, str]] = {}
    owners = {a for a, r in ids.items() if r["type"] in OWNER_TYPES}
    offices = {r["target"] for _, r in rows if r["kind"] == "office"}
    out = []
    for where, r in rows:
        kind, target, alias = r["kind"], r["target"], r["alias"]
        if kind not in ALIAS_KINDS:
            raise ResourceError(f"{where}: unknown kind {kind!r} "
                                f"(one of {', '.join(sorted(ALIAS_KINDS))})")
        if not _fold(alias):
            raise ResourceError(f"{where}: empty alias")
        if kind in ("name", "metonym"):
            if target not in ids:
                raise ResourceError(f"{where}: unknown actor {target!r}")
            key = _fold(alias)
            if key in names and names[key][0] != target:
                raise ResourceError(f"{where}: alias {alias!r} already names "
                                    f"{names[key][0]} ({names[key][1].rsplit(': ', 1)[-1]})")
            names.setdefault(key, (target, where))
        elif kind == "nisba" and target not in owners:
            raise ResourceError(f"{where}: nisba target {target!r} is not a state or IGO")
        elif kind in ("body", "office"):
            if not re.fullmatch(r"[a-z][a-z_]*", target):
                raise ResourceError(f"{where}: bad slot/office key {target!r}")
            d = r["default"]
            if d and d != "*" and d not in owners:
                raise ResourceError(f"{where}: default {d!r} is neither '*' nor an owner id")
        elif kind == "office_noun":
            bad = [o for o in target.split("|") if o not in offices]
            if bad:
                raise ResourceError(f"{where}: office_noun target has unknown office(s) "
                                    f"{bad}")
        elif kind == "anaphor" and not target:
            raise ResourceError(f"{where}: anaphor needs a target type")
        out.append(r)
    return out


def _check_roles(rows: list, ids: dict, aliases: list) -> list[dict[str, str]]:
    offices = {r["target"] for r in aliases if r["kind"] == "office"}
    for where, r in rows:
        if r["office"] not in offices:
            raise ResourceError(f"{where}: office {r['office']!r} has no alias in "
                                f"{ALIASES_FILE}")
        if r["owner"] not in ids:
            raise ResourceError(f"{where}: unknown owner {r['owner']!r}")
        if ids.get(r["holder_id"], {}).get("type") != "person":
            raise ResourceError(f"{where}: holder {r['holder_id']!r} is not a person actor")
        for col in ("start", "end"):
            v = r[col]
            if v:
                if not _DATE_RE.match(v):
                    raise ResourceError(f"{where}: {col} {v!r} is not YYYY-MM-DD")
                try:
                    _dt.date.fromisoformat(v)
                except ValueError:
                    raise ResourceError(f"{where}: {col} {v!r} is not a calendar date") from None
        if r["start"] and r["end"] and r["end"] < r["start"]:
            raise ResourceError(f"{where}: end {r['end']} is before start {r['start']}")
    return [r for _, r in rows]



# --- extraction over a corpus -----------------------------------------------------------


@dataclass
class ActorTables:
    """Result of :func:`extract_actors` (columns: ``schemas.MENTIONS``, ``ACTORS``,
    ``COOCCURRENCE``, ``CANDIDATES``).

    >>> tables = extract_actors(docs, annotation)        # doctest: +SKIP
    >>> tables.mentions[["surface", "actor_id", "method"]]  # doctest: +SKIP
    """

    mentions: pd.DataFrame
    actors: pd.DataFrame
    cooccurrence: pd.DataFrame
    candidates: pd.DataFrame

    def __repr__(self) -> str:
        return (f"ActorTables({len(self.mentions)} mentions, {len(self.actors)} actors, "
                f"{len(self.cooccurrence)} pairs, {len(self.candidates)} candidates)")


def _by_doc(table: Any) -> dict[str, pd.DataFrame]:
    """The rows of an annotation table per document (one pass, not one filter per doc)."""
    if not isinstance(table, pd.DataFrame) or not len(table):
        return {}
    return {k: g for k, g in table.groupby("doc_id", sort=False)}


def _sentence_index(sents: pd.DataFrame | None, text: str) -> tuple[list[int], list[int]]:
    """(starts, sent_ids) of a document's sentences (the annotation's, else punctuation)."""
    if sents is not None and len(sents):
        d = sents.sort_values("start_char")
        return [int(x) for x in d["start_char"]], [int(x) for x in d["sent_id"]]
    starts = [0] + [m.end() for m in _SENT_END_RE.finditer(text) if m.end() < len(text)]
    return starts, list(range(len(starts)))


def _sent_id(starts: list[int], ids: list[int], pos: int) -> int:
    i = bisect.bisect_right(starts, pos) - 1
    return ids[max(i, 0)]


def mentions_from_matches(doc_id: str, matches: list[Match], dictionary: ActorDictionary,
                          sent_starts: list[int], sent_ids: list[int]) -> pd.DataFrame:
    """A mentions table (without raw offsets) from ``ActorDictionary.match`` results."""
    rows = [(doc_id, _sent_id(sent_starts, sent_ids, m.start), m.actor_id,
             dictionary.info(m.actor_id)["group"], m.surface, m.start, m.end, m.method)
            for m in matches]
    return pd.DataFrame(rows, columns=["doc_id", "sent_id", "actor_id", "group", "surface",
                                       "start_char", "end_char", "method"])


def extract_actors(docs: pd.DataFrame, annotation: Any = None,
                   dictionary: ActorDictionary | None = None) -> ActorTables:
    """Actor mentions, actor table, sentence co-occurrence and unlinked NER candidates.

    ``docs`` has ``doc_id``, ``text_clean`` and optionally ``date`` (roles are resolved on
    it) and ``provenance`` (from ``clean_corpus``; gives raw offsets, else they are missing).
    ``annotation`` is a ``kzcrisis.nlp.Annotation`` (sentences give ``sent_id``; PER/ORG/LOC
    entities are linked to actors, unmatched ones become ``candidates``); None skips NER.

    >>> docs, _ = kz.clean_corpus(kz.load_corpus("data/raw"))    # doctest: +SKIP
    >>> tables = extract_actors(docs, kz.annotate(docs))          # doctest: +SKIP
    >>> tables.mentions.groupby("group").size()                   # doctest: +SKIP
    """
    if not isinstance(docs, pd.DataFrame):
        raise KzError(f"extract_actors expects a documents DataFrame, not {type(docs).__name__}")
    missing = [c for c in ("doc_id", "text_clean") if c not in docs.columns]
    if missing:
        raise KzError(f"extract_actors: documents lack column(s) {missing} "
                      "(run kz.clean_corpus first)")
    d = dictionary if dictionary is not None else _default_dictionary()
    ents = getattr(annotation, "entities", None)
    if annotation is not None and not isinstance(ents, pd.DataFrame):
        raise KzError("extract_actors: annotation must be a kzcrisis.nlp.Annotation")
    sents_by_doc = _by_doc(getattr(annotation, "sentences", None))
    ents_by_doc = _by_doc(ents)
    mention_frames, cand_rows = [], []
    for row in docs.to_dict("records"):
        doc_id, text = row["doc_id"], row["text_clean"]
        if not isinstance(text, str):
            raise KzError(f"extract_actors: document {doc_id!r} has no cleaned text")
        starts, ids = _sentence_index(sents_by_doc.get(doc_id), text)
        matches = d.match(text, row.get("date"))
        if doc_id in ents_by_doc:
            matches, cands = _link_entities(d, text, matches, ents_by_doc[doc_id])
            cand_rows.extend((doc_id, *c) for c in cands)
        matches.sort(key=lambda m: (m.start, m.end))
        mention_frames.append(mentions_from_matches(doc_id, matches, d, starts, ids))
    mentions = (pd.concat(mention_frames, ignore_index=True) if mention_frames
                else schemas.empty([c for c in schemas.MENTIONS if not c.startswith("raw_")]))
    candidates = pd.DataFrame(cand_rows, columns=["doc_id", "sent_id", "text", "type",
                                                  "start_char", "end_char"])
    mentions = _with_raw(mentions, docs)
    candidates = _with_raw(candidates, docs)
    return ActorTables(
        mentions=schemas.conform(mentions, schemas.MENTIONS),
        actors=actor_table(mentions, d),
        cooccurrence=cooccurrence(mentions),
        candidates=schemas.conform(candidates, schemas.CANDIDATES))


_DEFAULT: list[ActorDictionary] = []


def _default_dictionary() -> ActorDictionary:
    if not _DEFAULT:
        _DEFAULT.append(load_actors())
    return _DEFAULT[0]


def _link_entities(d: ActorDictionary, text: str, matches: list[Match],
                   ents: pd.DataFrame) -> tuple[list[Match], list[tuple]]:
    """Link PER/ORG/LOC entities: overlap with a mention, else the entity text alone names
    one actor ("ner"); the rest (except known places) are candidates."""
    out = list(matches)
    cands = []
    spans = [(m.start, m.end) for m in matches]
    for e in ents.sort_values("start_char").to_dict("records"):
        if e["type"] not in ("PER", "ORG", "LOC"):
            continue
        s, t = int(e["start_char"]), int(e["end_char"])
        if any(s < me and ms < t for ms, me in spans):
            continue
        linked = _link_one(d, text, s, t)
        if linked is None:
            if not _is_known_place(d, text[s:t]):
                cands.append((int(e["sent_id"]), e["text"], e["type"], s, t))
            continue
        out.append(Match(s, t, linked, text[s:t], "ner"))
        spans.append((s, t))
    return out, cands


def _link_one(d: ActorDictionary, text: str, s: int, t: int) -> str | None:
    """The actor the entity's text alone names (e.g. a name glued to the previous word in
    the text, which fails the word-boundary check there), if exactly one."""
    inner = [m for m in d.match(text[s:t]) if m.method == "dictionary"]
    if len(inner) == 1 and d.info(inner[0].actor_id)["type"] != "place":
        return inner[0].actor_id
    return None


def _is_known_place(d: ActorDictionary, surface: str) -> bool:
    folded = _fold(surface)
    for _, (key, entry, _lil) in d._automaton.iter(folded):
        if entry.kind == "name" and d.info(entry.target)["type"] == "place" \
                and len(key) >= len(folded) - 2:
            return True
    return False


def _with_raw(table: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    if "provenance" in docs.columns and len(table):
        from .clean import add_raw_offsets
        return add_raw_offsets(table, docs)
    out = table.copy()
    out["raw_start"] = pd.array([pd.NA] * len(out), dtype="Int64")
    out["raw_end"] = pd.array([pd.NA] * len(out), dtype="Int64")
    return out


def actor_table(mentions: pd.DataFrame, d: ActorDictionary) -> pd.DataFrame:
    """One row per actor mentioned: dictionary names, mention count, first sentence."""
    rows = []
    if len(mentions):
        for actor_id, grp in mentions.groupby("actor_id", sort=False):
            info = d.info(actor_id)
            rows.append((actor_id, info["name_en"], info["name_ar"], info["group"],
                         info["wikidata"], len(grp), int(grp["sent_id"].iloc[0])))
    table = pd.DataFrame(rows, columns=schemas.ACTORS)
    table = table.sort_values(["n_mentions", "actor_id"], ascending=[False, True])
    return table.reset_index(drop=True)


def cooccurrence(mentions: pd.DataFrame) -> pd.DataFrame:
    """Actor pairs named in the same sentence, weighted by the number of such sentences."""
    weights: dict[tuple[str, str], int] = defaultdict(int)
    if len(mentions):
        for _, grp in mentions.groupby(["doc_id", "sent_id"], sort=False):
            ids = sorted(set(grp["actor_id"]))
            for i, a in enumerate(ids):
                for b in ids[i + 1:]:
                    weights[(a, b)] += 1
    rows = sorted(((a, b, w) for (a, b), w in weights.items()),
                  key=lambda r: (-r[2], r[0], r[1]))
    return pd.DataFrame(rows, columns=schemas.COOCCURRENCE)


# --- linking phrases, candidates and suggestions --------------------------------------------


def link_phrase(text: str, dictionary: ActorDictionary | None = None,
                date: str | None = None) -> tuple[str, str, str]:
    """The one actor a phrase names on its own: ``(actor_id, group, rule)``, where rule is
    the mention method (``dictionary``, ``role``, ``apposition`` ...); ``("", "", "")`` when
    it names none or several. A hook for the statement stage: a speaker phrase such as
    "وزير الخارجية الفرنسي" links to its state through the nisba without a named person.

    >>> link_phrase("وزير الخارجية الفرنسي", date="2022-01-07")
    ('JEAN_YVES_LE_DRIAN', 'FRA', 'role')
    >>> link_phrase("مصادر مطلعة")
    ('', '', '')
    """
    d = dictionary if dictionary is not None else _default_dictionary()
    matches = [m for m in d.match(text, date) if d.info(m.actor_id)["type"] != "place"]
    if not matches or len({m.actor_id for m in matches}) != 1:
        return "", "", ""
    best = max(matches, key=lambda m: m.end - m.start)
    return best.actor_id, d.info(best.actor_id)["group"], best.method


CANDIDATE_TABLE = ["text", "type", "n", "n_docs", "doc_id", "sent_id", "example"]


def candidate_table(results: Any, dictionary: ActorDictionary | None = None) -> pd.DataFrame:
    """Unlinked PER/ORG entities and unlinked speaker phrases, counted across the corpus,
    with the first sentence each occurs in (``CANDIDATE_TABLE`` columns, most frequent
    first). ``results`` is a :class:`kzcrisis.Results` (or anything with ``candidates``,
    ``statements`` and ``sentences`` tables). Spellings that fold alike count together.

    >>> # kz.candidate_table(kz.analyze("data/raw")).head()
    """
    d = dictionary if dictionary is not None else _default_dictionary()
    cands = getattr(results, "candidates", None)
    stmts = getattr(results, "statements", None)
    sents = getattr(results, "sentences", None)
    rows = []
    if isinstance(cands, pd.DataFrame) and len(cands):
        for r in cands[cands["type"].isin(["PER", "ORG"])].to_dict("records"):
            rows.append((r["text"], r["type"], r["doc_id"], r["sent_id"]))
    if isinstance(stmts, pd.DataFrame) and len(stmts):
        loose = stmts[(stmts["speaker_actor_id"].fillna("") == "")
                      & (stmts["speaker_text"].fillna("") != "")]
        for r in loose.to_dict("records"):
            if not link_phrase(r["speaker_text"], d)[0]:
                rows.append((r["speaker_text"], "SPEAKER", r["doc_id"], r["sent_id"]))
    sent_text = {}
    if isinstance(sents, pd.DataFrame) and len(sents):
        sent_text = {(str(k[0]), int(k[1])): v for k, v in
                     sents.set_index(["doc_id", "sent_id"])["text"].items()}
    # one row per folded text: an entity and a speaker phrase with the same words count
    # together, under the entity's type
    groups: dict[str, list[tuple]] = defaultdict(list)
    for text, typ, doc_id, sent_id in rows:
        groups[_fold(text)].append((text, typ, str(doc_id), int(sent_id)))
    rank = {"PER": 0, "ORG": 1, "SPEAKER": 2}
    out = []
    doc_rank = {doc: i for i, doc in enumerate(dict.fromkeys(str(r[2]) for r in rows))}
    for occ in groups.values():
        occ = sorted(occ, key=lambda o: (doc_rank[o[2]], o[3]))  # first document, sentence
        surface = max({o[0] for o in occ}, key=lambda t: (sum(o[0] == t for o in occ), t))
        typ = min((o[1] for o in occ), key=rank.__getitem__)
        _, _, doc_id, sent_id = occ[0]
        # an entity and a speaker phrase of one sentence are one occurrence
        out.append((surface, typ, len({(o[2], o[3]) for o in occ}), len({o[2] for o in occ}),
                    doc_id, sent_id, sent_text.get((doc_id, sent_id), "")))
    table = pd.DataFrame(out, columns=CANDIDATE_TABLE)
    return table.sort_values(["n", "n_docs", "text"], ascending=[False, False, True],
                             kind="stable").reset_index(drop=True)


#: columns of a user actors file (resources/README.md, "Your own actors")
USER_ACTOR_COLUMNS = [*ACTOR_COLUMNS, "aliases"]


def suggest_actors(results: Any, path: str | Path, min_count: int = 1,
                   dictionary: ActorDictionary | None = None) -> pd.DataFrame:
    """Write the candidates as a user actors file for review (``--actors`` format) and
    return it. Each row has a provisional ``actor_id`` (``NEW_PER_001`` ...), the Arabic
    text as ``name_ar``, other spellings in ``aliases`` and counts and an example in
    ``note``; ``name_en`` and ``group`` are left empty on purpose: the file loads only once
    a researcher has filled them in (and deleted the rows that are no actors).

    >>> # kz.suggest_actors(kz.analyze("my_corpus"), "my_actors.csv")
    """
    table = candidate_table(results, dictionary)
    table = table[table["n"] >= min_count]
    # a one-word person candidate that starts or ends a longer one is that person's surname or
    # first name: the partial-name rule finds it once the full name is an actor
    full = [t.split() for t, typ in zip(table["text"], table["type"], strict=True)
            if typ == "PER" and len(t.split()) > 1]
    parts = {_fold(w) for words in full for w in (words[0], words[-1])}
    table = table[~((table["type"] == "PER") & (table["text"].map(
        lambda t: len(t.split()) == 1 and _fold(t) in parts)))]
    kinds = {"PER": "person", "ORG": "", "SPEAKER": ""}
    counter: dict[str, int] = defaultdict(int)
    rows = []
    for r in table.to_dict("records"):
        counter[r["type"]] += 1
        example = " ".join(r["example"].split())[:160]
        rows.append({
            "actor_id": f"NEW_{r['type'][:3]}_{counter[r['type']]:03d}", "name_en": "",
            "name_ar": r["text"], "type": kinds[r["type"]], "parent_id": "", "group": "",
            "wikidata": "", "slot": "", "gender": "",
            "spelling": "translit" if r["type"] == "PER" else "", "aliases": "",
            "note": f"{r['type']} seen {r['n']} time(s) in {r['n_docs']} document(s); "
                    f"e.g. {r['doc_id']} sentence {r['sent_id']}: {example}"})
    out = pd.DataFrame(rows, columns=USER_ACTOR_COLUMNS)
    out.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")
    return out
