"""Resolving composed candidates to actors (resources/README.md, actor_roles.csv).

An office resolves to its holder on the document date (``actor_roles.csv``), else to the
office's body; a body to its curated actor, else to a derived actor ``{OWNER}_{SLOT}`` (its
type from the ``slot`` rows of ``composition.csv``); anaphors ("الوزارة", "المنظمة",
"هذه القوات") to the last fitting mention; "نظيره الأميركي" to the holder of the same office
in the other state; an office phrase next to a named person ("رئيس كازاخستان، قاسم جومارت
توكايف") to that person (``apposition``).
"""
from __future__ import annotations

import bisect
import datetime as _dt
import re
from typing import Any

import pandas as pd

from .actor_compose import Cand
from .actor_load import IGO_TYPES, OWNER_TYPES
from .actor_match import construct_form, fold
from .errors import KzError

_PARTIAL_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
# what may stand between an office phrase and the name it is in apposition with
_APPOS_GAP_RE = re.compile(r"^[\s،,:\-–—]*$")

#: a resolved mention: (candidate, actor id, method)
Resolved = tuple[Cand, str, str]
Period = tuple[str, str] | None


class Resolver:
    """The dictionary's indexes (actor rows, bodies by owner and slot, office holders) and
    the rules that resolve candidates with them.

    >>> # Resolver(actors, aliases, roles, "KAZ", slot_types).resolve(folded, chosen, ...)
    """

    def __init__(self, actors: pd.DataFrame, aliases: pd.DataFrame, roles: pd.DataFrame,
                 default_country: str, slot_types: dict[str, str]) -> None:
        self.default_country = default_country
        self.slot_types = slot_types
        self.info: dict[str, dict[str, str]] = {r["actor_id"]: r
                                                for r in actors.to_dict("records")}
        self.bodies: dict[tuple[str, str], str] = {}
        for row in self.info.values():
            owner = self.owner_of(row["actor_id"])
            for slot in filter(None, row["slot"].split("|")):
                if row["type"] != "person":
                    self.bodies.setdefault((owner, slot), row["actor_id"])
        self.holders: dict[tuple[str, str], list[tuple[str, str, str]]] = {}
        #: person -> [(owner, office, start, end)]: the offices a named person holds
        self.held: dict[str, list[tuple[str, str, str, str]]] = {}
        for row in roles.to_dict("records"):
            self.holders.setdefault((row["owner"], row["office"]), []).append(
                (row["holder_id"], row["start"], row["end"]))
            self.held.setdefault(row["holder_id"], []).append(
                (row["owner"], row["office"], row["start"], row["end"]))
        self._index_aliases(aliases)

    def _index_aliases(self, aliases: pd.DataFrame) -> None:
        """Office labels and parents, the Arabic name of each slot, treaty organisations
        ("منظمة معاهدة الأمن الجماعي" is what "المعاهدة" refers to)."""
        self.offices: dict[str, tuple[str, str]] = {}
        self.office_ar: dict[str, str] = {}
        self.treaty_orgs: set[str] = set()
        for row in aliases.to_dict("records"):
            if row["kind"] == "name" and self.info[row["target"]]["type"] in IGO_TYPES \
                    and "معاهده" in fold(row["alias"]):
                self.treaty_orgs.add(row["target"])
            if row["kind"] in ("body", "office"):
                label, parent = self.offices.get(row["target"], ("", ""))
                self.offices[row["target"]] = (label or row["label_en"], parent or row["parent"])
                # the slot's first alias, as written, names derived bodies in Arabic
                self.office_ar.setdefault(row["target"], row["alias"].strip())

    def owner_of(self, actor_id: str) -> str:
        """The nearest state/IGO/place at or above an actor (its owner for composites):
        RUS for RUS_MFA's spokesperson."""
        seen = set()
        cur = actor_id
        while cur and cur not in seen:
            seen.add(cur)
            row = self.info.get(cur)
            if row is None:
                break
            if row["type"] in OWNER_TYPES:
                return cur
            cur = row["parent_id"]
        return self.info.get(actor_id, {}).get("group", "")

    def lookup(self, actor_id: str) -> dict[str, str]:
        """The row of ``actor_id``; a derived ``OWNER_SLOT`` id ("TJK_MOD") is derived here."""
        row = self.info.get(actor_id)
        if row is not None:
            return row
        for i in range(1, len(actor_id)):
            if actor_id[i] != "_":
                continue
            owner, slot = actor_id[:i], actor_id[i + 1:].lower()
            if self.info.get(owner, {}).get("type") in OWNER_TYPES and slot in self.offices:
                if self.resolve_body(owner, slot) == actor_id:
                    return self.info[actor_id]
        raise KzError(f"unknown actor id {actor_id!r}")

    def resolve(self, folded: str, chosen: list[Cand], period: Period,  # noqa: C901 (a listed exception)
                 sent_ends: list[int]) -> list[Resolved]:
        """(candidate, actor, method) for each chosen candidate in text order that resolves:
        "وزير الخارجية الفرنسي" on 2022-01-07 -> JEAN_YVES_LE_DRIAN by ``role``; a partial
        name or anaphor without an antecedent resolves to nothing and is left out."""
        out: list[Resolved] = []
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
                    actor_id = self.resolve_body(owner, c.target)
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

    def _resolve_owner(self, owner: str, c: Cand, out: list, sent_of) -> str:
        if owner == "*":
            return self.default_country
        if owner == "@state":
            for prev, actor_id, _ in reversed(out):
                if sent_of(prev.start) != sent_of(c.start):
                    break
                if self.info.get(actor_id, {}).get("type") == "state":
                    return actor_id
            return ""
        if owner in ("@igo", "@treaty"):
            return self._resolve_anaphor(owner[1:], out)
        return owner

    def _resolve_office(self, owner: str, office: str, period: Period,
                        former: bool = False) -> tuple[str, bool]:
        """(actor, resolved-to-a-person) for an office of ``owner`` in ``period``; with
        ``former``, the holder whose recorded term ended last before the period."""
        terms = self.holders.get((owner, office), ())
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
        parent = self.offices.get(office, ("", ""))[1]
        if parent:
            return self.resolve_body(owner, parent), False
        return owner, False

    def resolve_body(self, owner: str, slot: str) -> str:
        if slot == "state":
            return owner
        found = self.bodies.get((owner, slot))
        if found:
            return found
        row = self.info.get(owner)
        if row is not None and row["type"] == "place" and row["parent_id"]:
            return self.resolve_body(self.owner_of(row["parent_id"]), slot)
        derived = f"{owner}_{slot.upper()}"
        if derived not in self.info and row is not None:
            label = self.offices.get(slot, ("", ""))[0] or slot.replace("_", " ")
            self.info[derived] = {
                "actor_id": derived, "name_en": f"{row['name_en']}: {label}",
                "name_ar": _derived_name_ar(self.office_ar.get(slot, ""), row["name_ar"]),
                "type": self.slot_types.get(slot, "body"),
                "parent_id": owner, "group": row["group"], "wikidata": "", "slot": slot,
                "note": "derived from a composite (not in actors.csv)"}
        return derived if derived in self.info else owner

    def _resolve_anaphor(self, kind: str, out: list) -> str:
        for _, actor_id, _ in reversed(out):
            row = self.info.get(actor_id, {})
            if kind in ("igo", "treaty"):
                # "المنظمة" is an organisation named as such, not one of its officials;
                # "المعاهدة" only an organisation named after a treaty
                grp = self.info.get(row.get("group", ""), {})
                if grp.get("type") in IGO_TYPES and row.get("type") != "person" and (
                        kind == "igo" or grp["actor_id"] in self.treaty_orgs):
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

    def _resolve_office_coref(self, c: Cand, out: list, offices: list[str],
                              period: Period) -> tuple[str, str]:
        """(actor, office) for an office noun alone ("الوزير", "المتحدثة"): the latest person
        named before it who holds one of its offices (of ``c.owner`` when a nisba follows)
        on the document date, of the noun's gender; else the owner, if any."""
        wanted = set(c.target.split("|"))
        for (_prev, actor_id, _), office in zip(reversed(out), reversed(offices), strict=True):
            row = self.info.get(actor_id, {})
            if row.get("type") != "person":
                continue
            if row.get("gender") and c.gender and row["gender"] != c.gender:
                continue
            held = {off for owner, off, s, e in self.held.get(actor_id, ())
                    if (period is None or _overlaps(s, e, period))
                    and (not c.owner or owner == c.owner)}
            if office and office != "?" and not c.owner:
                held.add(office)
            found = held & wanted
            if found:
                return actor_id, sorted(found)[0]
        return (c.owner if c.owner in self.info else ""), ""

    def _last_office(self, c: Cand, out: list, offices: list[str], sent_of,
                     period: Period) -> str:
        """The office of the nearest earlier mention in the sentence (for "نظيره")."""
        for (prev, actor_id, _), office in zip(reversed(out), reversed(offices), strict=True):
            if sent_of(prev.start) != sent_of(c.start):
                break
            if office and office != "?":
                return office
            for (_owner, off), holders in self.holders.items():
                if any(h == actor_id and (period is None or _overlaps(s, e, period))
                       for h, s, e in holders):
                    return off
        return ""

    def _appositions(self, folded: str, out: list, offices: list[str], sent_of
                     ) -> list[Resolved]:
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
                if other.kind != "actor" or self.info[other_id]["type"] != "person":
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


def _derived_name_ar(body_ar: str, owner_ar: str) -> str:
    """The Arabic name of a derived body, all in Arabic: the body in construct with its
    owner ("وزارة الخارجية" + "إيران" -> "وزارة خارجية إيران"), or "BODY (OWNER)" where the
    body has no construct form ("الإدارة الرئاسية (إيران)")."""
    if not body_ar:
        return owner_ar
    construct = construct_form(body_ar)
    return f"{construct} {owner_ar}" if construct else f"{body_ar} ({owner_ar})"



def period_of(date: Any) -> tuple[str, str] | None:
    """(first day, last day) of an ISO date, year-month or year; None if unknown:
    ``period_of("2022-01")`` is ``("2022-01-01", "2022-01-31")``."""
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

