"""Loading and checking the actor base (resources/README.md, "The actor base").

Reads ``actors.csv``, ``actor_aliases.csv``, ``actor_roles.csv``, the generated state rows
(:mod:`kzcrisis.actor_base`), a researcher's own actors (``user=``) and the composition
grammar (``composition.csv``: slot types, connectors, "former", words that make an office
noun another office). Every malformed row raises ResourceError naming the file, the line and
the field. Nothing here matches text: :mod:`kzcrisis.actor_dict` builds the matcher.
"""
from __future__ import annotations

import csv
import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from .actor_match import fold
from .errors import KzError, ResourceError
from .paths import resource
from .phrases import expand

_fold = fold

ACTORS_FILE = "actors.csv"
ALIASES_FILE = "actor_aliases.csv"
ROLES_FILE = "actor_roles.csv"
COMPOSITION_FILE = "composition.csv"

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
DEFAULT_COUNTRY = "KAZ"

_ID_RE = re.compile(r"^[A-Z][A-Z0-9_]*$")
_QID_RE = re.compile(r"^Q[1-9][0-9]*$")
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_GROUP_RE = re.compile(r"^[A-Z]{2,12}$")


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




class ActorBase(NamedTuple):
    """The checked actor base: the tables ``ActorDictionary`` is built from."""

    actors: pd.DataFrame
    aliases: pd.DataFrame
    roles: pd.DataFrame
    generated: pd.DataFrame
    notes: list[str]


def read_actor_base(path: str | Path | None = None, aliases_path: str | Path | None = None,
                    roles_path: str | Path | None = None,
                    default_country: str = DEFAULT_COUNTRY,
                    user: str | Path | None = None) -> ActorBase:
    """Read, merge and check the actor base (the files of ``load_actors``): "روسيا" comes
    from states.csv, "وزارة الدفاع الروسية" is composed later from its alias rows."""
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
    alias_rows = _expand_aliases([(w, {**r, "source": "curated"})
                                  for w, r in _read_csv(l_path, ALIAS_COLUMNS)])
    role_rows = _read_csv(r_path, ROLE_COLUMNS)
    if user is not None:
        u_actors, u_aliases, u_roles = _read_user_actors(Path(user))
        actor_rows, alias_rows, role_rows = _merge_user(
            actor_rows, alias_rows, role_rows, u_actors, _expand_aliases(u_aliases), u_roles,
            notes)
    actors = _check_actors(list(actor_rows.values()))
    ids = {r["actor_id"]: r for r in actors}
    aliases = _check_aliases(alias_rows, ids)
    roles = _check_roles(role_rows, ids, aliases)
    if default_country not in ids or ids[default_country]["type"] != "state":
        raise KzError(f"default_country {default_country!r} is not a state in {a_path}")
    translit = {a for a, r in ids.items() if r["spelling"] == "translit"}
    persons = {a for a, r in ids.items() if r["type"] == "person"}
    generated = (state_aliases + ab.nisba_rows(state_actors, nisba_exc)
                 + ab.variant_rows(aliases + state_aliases, translit))
    kept, report = ab.resolve_claims(aliases, generated)
    # partial names come from the curated and user names (not from generated variants)
    kept2, report2 = ab.resolve_claims(aliases + kept, ab.partial_rows(aliases, persons))
    return ActorBase(pd.DataFrame(actors, columns=ACTOR_COLUMNS),
                     pd.DataFrame(aliases + kept + kept2, columns=[*ALIAS_COLUMNS, "source"]),
                     pd.DataFrame(roles, columns=ROLE_COLUMNS),
                     pd.DataFrame(report + report2, columns=[*ALIAS_COLUMNS, "source", "status"]),
                     notes)


def _expand_aliases(rows: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    """One row per literal alias: an alternation group in the alias column
    ("(وزارة الدفاع|وزارة الدفاع الوطني)") gives one row per alternative (kzcrisis.phrases)."""
    out = []
    for where, r in rows:
        if "(" not in r["alias"] and ")" not in r["alias"]:
            out.append((where, r))
            continue
        try:
            forms = expand(r["alias"])
        except ValueError as err:
            raise ResourceError(f"{where}: {err}") from None
        out.extend((where, {**r, "alias": form}) for form in forms)
    return out


# --- the composition grammar (composition.csv) ------------------------------------------------

COMPOSITION_COLUMNS = ["rule", "form", "value", "note"]
#: what each rule of composition.csv says (resources/README.md, "composition.csv")
COMPOSITION_RULES = ("connector", "former", "other_office_before", "slot")
_SLOT_RE = re.compile(r"^[a-z][a-z_]*$")


@dataclass(frozen=True)
class Composition:
    """The composition grammar: how heads and owners combine ("السلطات المحلية في ألماتي").

    ``slot_types``: slot -> type of a derived ``OWNER_SLOT`` actor; ``connectors``: (folded
    connector with its trailing space, the proclitic the owner then carries), in file order;
    ``former``: folded words after an office meaning "former"; ``not_holder_before``: folded
    words before an office noun that make it another office ("نائب الرئيس")."""

    slot_types: dict[str, str]
    connectors: tuple[tuple[str, str], ...]
    former: tuple[str, ...]
    not_holder_before: frozenset[str]
    path: str = ""

    @property
    def former_re(self) -> re.Pattern:
        """" السابق" after an office phrase, on folded text (a whole word)."""
        return re.compile(" (?:" + "|".join(re.escape(f) for f in self.former)
                          + r")(?![^\W\d_])")


def load_composition(path: str | Path | None = None) -> Composition:
    """Load ``composition.csv`` (rule, form, value, note); a bad row raises ResourceError
    with the file, the line and the fix.

    >>> grammar = load_composition()
    >>> grammar.slot_types["mod"], grammar.connectors[0]
    ('ministry', ('في ', ''))
    """
    p = Path(path) if path is not None else resource(COMPOSITION_FILE)
    slots: dict[str, str] = {}
    connectors: list[tuple[str, str]] = []
    former: list[str] = []
    blockers: list[str] = []
    for where, r in _read_csv(p, COMPOSITION_COLUMNS):
        rule, form, value = r["rule"], r["form"], r["value"]
        if rule == "slot":
            slots[_check_slot_row(where, form, value, slots)] = value
            continue
        forms = _composition_forms(where, rule, form)
        if rule == "connector":
            if value not in ("", "ل", "ب", "ك"):
                raise ResourceError(f"{where}: connector value {value!r} must be the proclitic "
                                    "the owner carries (ل, ب, ك) or empty")
            connectors.extend((f + " ", value) for f in forms)
        elif rule == "former":
            former.extend(forms)
        else:
            blockers.extend(forms)
    return Composition(slots, tuple(dict.fromkeys(connectors)), tuple(dict.fromkeys(former)),
                       frozenset(blockers), str(p))


def _check_slot_row(where: str, slot: str, actor_type: str, seen: dict[str, str]) -> str:
    """A ``slot`` row: ``slot,mod,ministry`` (the slot key, the type of its derived actors)."""
    if not _SLOT_RE.match(slot):
        raise ResourceError(f"{where}: slot {slot!r} must be a lower-case key (a-z, _), "
                            "the target of its body rows in actor_aliases.csv")
    if actor_type not in ACTOR_TYPES:
        raise ResourceError(f"{where}: slot {slot}: value {actor_type!r} must be an actor "
                            f"type (one of {', '.join(sorted(ACTOR_TYPES))})")
    if slot in seen:
        raise ResourceError(f"{where}: duplicate slot {slot!r}: keep one row per slot")
    return slot


def _composition_forms(where: str, rule: str, form: str) -> list[str]:
    """The folded literal forms of a word row ("(التابعة|التابع)" -> التابعه, التابع)."""
    if rule not in COMPOSITION_RULES:
        raise ResourceError(f"{where}: unknown rule {rule!r}: use one of "
                            f"{', '.join(COMPOSITION_RULES)} (resources/README.md, "
                            "composition.csv)")
    if not form:
        raise ResourceError(f"{where}: {rule} needs an Arabic word or phrase in form")
    try:
        forms = [_fold(f) for f in expand(form)]
    except ValueError as err:
        raise ResourceError(f"{where}: {err}") from None
    if not all(forms):
        raise ResourceError(f"{where}: {rule} needs an Arabic word or phrase in form")
    return forms


def _unique_ids(rows: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
    seen: dict[str, str] = {}
    for where, r in rows:
        aid = r["actor_id"]
        if aid in seen:
            raise ResourceError(f"{where}: duplicate actor_id {aid!r} (first at "
                                f"{seen[aid].rsplit(': ', 1)[-1]})")
        seen[aid] = where
    return rows


def _state_rows(rows: list, state_ids: set[str], check: Callable[[str, dict], None]
                ) -> dict[str, dict]:
    """``actor_id -> row`` of a file keyed by states (state_facts.csv, nisba_exceptions.csv):
    each actor_id must be a state of states.csv, and ``check(where, row)`` raises on a bad
    field."""
    out = {}
    for where, r in rows:
        if r["actor_id"] not in state_ids:
            raise ResourceError(f"{where}: actor_id {r['actor_id']!r} is not in states.csv")
        check(where, r)
        out[r["actor_id"]] = r
    return out


def _fact_fields(where: str, r: dict) -> None:
    """``metonym`` yes/no and a well-formed Wikidata QID (Q159), or none."""
    if r["metonym"] not in ("yes", "no"):
        raise ResourceError(f"{where}: metonym must be yes or no, not {r['metonym']!r}")
    if r["wikidata"] and not _QID_RE.match(r["wikidata"]):
        raise ResourceError(f"{where}: bad Wikidata QID {r['wikidata']!r}")


def _nisba_fields(where: str, r: dict) -> None:
    """``mode`` add/replace/none and nisbas written masculine definite (الروسي)."""
    if r["mode"] not in ("add", "replace", "none"):
        raise ResourceError(f"{where}: mode must be add, replace or none")
    for form in filter(None, r["nisba"].split("|")):
        if not all(w.startswith("ال") and w.endswith("ي") for w in form.split()):
            raise ResourceError(f"{where}: nisba {form!r} must be masculine definite "
                                "(ال…ي)")


def _check_facts(rows: list, state_ids: set[str]) -> dict[str, dict]:
    return _state_rows(rows, state_ids, _fact_fields)


def _check_nisba_exceptions(rows: list, state_ids: set[str]) -> dict[str, dict]:
    return _state_rows(rows, state_ids, _nisba_fields)


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


def _check_aliases(rows: list, ids: dict) -> list[dict[str, str]]:  # noqa: C901 (a listed exception)
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


