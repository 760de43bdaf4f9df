"""Composing actor candidates from adjacent hits, generally, never as one-off aliases.

Head noun + nisba ("وزارة الدفاع الروسية", indefinite "قوات روسية"), head in construct + owner
("رئيس كازاخستان", "برلمان البلاد"), head + connector + owner ("السلطات المحلية في ألماتي",
"القوات التابعة لمنظمة معاهدة الأمن الجماعي"), head + ل + owner ("الأمين العام للأمم المتحدة"),
coordinated nisbas ("القوات الروسية والبيلاروسية"), office nouns alone (coreference),
counterparts ("نظيره الأميركي") and anaphors ("الوزارة"). The connectors, "former" words and
the words that make an office noun another office are rows of ``resources/composition.csv``
(:class:`kzcrisis.actor_load.Composition`). Every candidate carries its priority; the
longest wins (``kzcrisis.phrases.select_longest``), resolution is
:mod:`kzcrisis.actor_resolve`.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from .actor_load import OWNER_TYPES, Composition
from .actor_match import Hit
from .normalize import ARTICLE, CONJUNCTIONS

#: hits by the offset where their word (with proclitics) starts
HitIndex = dict[int, list[Hit]]


@dataclass
class Cand:
    """A candidate mention: "وزارة الدفاع الروسية" -> Cand(kind="slot", target="mod",
    owner="RUS"); resolution turns it into an actor id."""

    start: int
    end: int
    kind: str          # actor | slot | counterpart | anaphor | partial | office_coref
    target: str        # actor id, slot, anaphor type
    owner: str = ""    # owner actor id, "*" or "@state"/"@igo" (anaphoric owners)
    priority: int = 0
    method: str = "dictionary"
    office: bool = False
    fallback: str = ""  # owner used when an anaphoric owner finds no antecedent
    former: bool = False  # office followed by "السابق": the previous holder
    gender: str = ""   # coreference: the gender of the office noun ("m"/"f")


class Composer:
    """Candidates of one folded text from its hits, with the dictionary's actor rows
    (``info``: the types of owners) and the composition grammar.

    >>> # Composer(info, load_composition()).candidates("قالت وزاره الدفاع الروسيه", hits)
    """

    def __init__(self, info: dict[str, dict[str, str]], grammar: Composition) -> None:
        self.info = info
        self.grammar = grammar
        self.former_re = grammar.former_re

    def candidates(self, folded: str, hits: list[Hit]) -> list[Cand]:
        """Every candidate the hits allow, in hit order ("قوات روسية" gives the slot
        armed_forces of RUS; "بوتين" the actor)."""
        by_word_start: HitIndex = defaultdict(list)
        for h in hits:
            by_word_start[h.word_start].append(h)
        cands: list[Cand] = []
        for h in hits:
            kind = h.entry.kind
            if kind in ("name", "metonym"):
                if self.info[h.entry.target]["type"] != "place":
                    cands.append(Cand(h.start, h.end, "actor", h.entry.target, priority=0))
            elif kind == "partial":
                cands.append(Cand(h.start, h.end, "partial", h.entry.target, priority=5,
                                  method="coreference"))
            elif kind == "office_noun":
                cands.extend(self._office_noun(folded, h, by_word_start))
            elif kind in ("body", "office"):
                cands.extend(self._head(folded, h, by_word_start))
            elif kind == "counterpart":
                cands.extend(Cand(h.start, end, "counterpart", "", owner, 1, method="role")
                             for owner, end, _ in self._owners_after(folded, h, by_word_start)
                             if owner in self.info)
            elif kind == "anaphor":
                cands.append(Cand(h.start, h.end, "anaphor", h.entry.target, priority=4,
                                  method="role"))
        return cands

    def _office_noun(self, folded: str, h: Hit, by_word_start: HitIndex) -> list[Cand]:
        """"الوزير الروسي" (that state's holder) or "الوزير" alone (the latest holder named)."""
        e = h.entry
        if modifies_previous_noun(folded, h):
            return []
        owners = list(self._owners_after(folded, h, by_word_start))
        out = [Cand(h.start, end, "office_coref", e.target, owner, 3, method="coreference",
                    gender=e.gender) for owner, end, _ in owners]
        if not owners and self.coref_allowed(folded, h, by_word_start):
            out.append(Cand(h.start, h.end, "office_coref", e.target, "", 4,
                            method="coreference", gender=e.gender))
        return out

    def _head(self, folded: str, h: Hit, by_word_start: HitIndex) -> list[Cand]:
        """A body or office noun with each owner after it ("وزير الخارجية التركي"), its
        default owner ("الجيش" -> the default country), coordinated nisbas, or alone."""
        e = h.entry
        if modifies_previous_noun(folded, h):
            return []
        office = e.kind == "office"
        owners = list(self._owners_after(folded, h, by_word_start))
        found = [(owner, end, 1) for owner, end, _ in owners]
        out = []
        if office and not found and not e.default and e.form == "def" \
                and not e.plural and self.coref_allowed(folded, h, by_word_start):
            # an office noun alone ("وزير الخارجية", "الرئيس"): its latest holder
            out.append(Cand(h.start, h.end, "office_coref", e.target, "", 4,
                            method="coreference", gender=e.gender))
        if e.form == "def" and e.default:
            found.append((e.default, h.end, 3))
        for _, end, nisba_form in owners:
            if nisba_form:
                out.extend(self._coordinated(folded, h, end, nisba_form, by_word_start, office))
        for owner, end, priority in found:
            former = False
            if office:
                m = self.former_re.match(folded, end)
                if m:
                    end, former = m.end(), True
            out.append(Cand(h.start, end, "slot", e.target, owner, priority,
                            office=office, fallback=e.default, former=former))
        return out

    def _coordinated(self, folded: str, head: Hit, end: int, form: str,
                     by_word_start: HitIndex, office: bool) -> list[Cand]:
        """Nisbas coordinated after a composite ("القوات الروسية والبيلاروسية"): each one
        names the same body or office of another owner; its span is the adjective."""
        out = []
        while end < len(folded) and folded[end] == " ":
            nxt = [h for h in by_word_start.get(end + 1, ())
                   if h.entry.kind == "nisba" and h.entry.form == form and h.clitics == "و"]
            if not nxt:
                break
            h = max(nxt, key=lambda h: h.end)
            out.append(Cand(h.start, h.end, "slot", head.entry.target, h.entry.target, 2,
                            office=office))
            end = h.end
        return out

    def _owners_after(self, folded: str, head: Hit,
                      by_word_start: HitIndex) -> Iterable[tuple[str, int, str]]:
        """(owner, end, nisba form or "") for each owner phrase that follows ``head``:
        a nisba ("الروسية"), an owner in construct ("رئيس كازاخستان"), ل + owner
        ("الأمين العام للأمم المتحدة") or a connector + owner ("في ألماتي")."""
        pos = head.end
        if pos >= len(folded) or folded[pos] != " ":
            return
        pos += 1
        yield from self._adjacent_owners(folded, head, pos, by_word_start)
        if head.entry.form != "def":
            return
        for conn, clitic in self.grammar.connectors:
            if folded.startswith(conn, pos):
                for h in by_word_start.get(pos + len(conn), ()):
                    if h.clitics == clitic and self._is_owner(h):
                        yield self._owner_key(h), h.end, ""

    def _adjacent_owners(self, folded: str, head: Hit, pos: int, by_word_start: HitIndex
                         ) -> Iterable[tuple[str, int, str]]:
        """Owners in the word right after the head: a nisba agreeing in definiteness, an
        owner in construct, or ل + owner after a definite head."""
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

    def _is_owner(self, h: Hit) -> bool:
        e = h.entry
        if e.kind == "name":
            return self.info[e.target]["type"] in OWNER_TYPES
        return e.kind == "owner_anaphor" or (e.kind == "anaphor"
                                             and e.target in ("igo", "treaty"))

    @staticmethod
    def _owner_key(h: Hit) -> str:
        e = h.entry
        if e.kind == "name":
            return e.target
        return "@" + e.target

    def coref_allowed(self, folded: str, h: Hit, by_word_start: HitIndex) -> bool:
        """Whether an office noun alone can refer back to a named holder: not "المتحدث باسم
        الحكومة" (a new office), not "الرئيس التنفيذي"/"الرئيس السابق" (an unknown adjective),
        not "نائب الرئيس" (another office: ``other_office_before`` rows)."""
        pos = h.end
        if pos < len(folded) and folded[pos] == " ":
            nxt = folded[pos + 1:pos + 40].split(" ", 1)[0]
            if nxt in ("باسم", "بأسم") or (nxt.startswith(ARTICLE) and len(nxt) > 3
                                          and not by_word_start.get(pos + 1)):
                return False
        before = folded[:h.word_start].rstrip()
        prev = before.rsplit(None, 1)[-1] if before else ""
        return prev not in self.grammar.not_holder_before


def modifies_previous_noun(folded: str, h: Hit) -> bool:
    """A one-word definite head right after a definite noun is that noun's adjective
    ("السياسة الخارجية الروسية" is a policy, not the foreign ministry)."""
    if h.clitics or h.entry.form != "def" or " " in folded[h.start:h.end]:
        return False
    if h.start < 2 or folded[h.start - 1] != " ":
        return False
    prev = folded[:h.start - 1].rsplit(None, 1)[-1] if folded[:h.start - 1].strip() else ""
    prev = prev.lstrip(CONJUNCTIONS)
    return len(prev) > 3 and prev.startswith(ARTICLE) and prev[-1].isalpha()
