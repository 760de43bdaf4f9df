"""Actor extraction over a corpus, and the public import point of the actor stage
(docs/ARCHITECTURE.md; resources/README.md, "The actor base").

The dictionary is data (``resources/actors.csv``, ``actor_aliases.csv``, ``actor_roles.csv``,
``composition.csv``) and lives in four modules, imported from here:

* :mod:`kzcrisis.actor_load`: reading and checking the files (``load_composition``);
* :mod:`kzcrisis.actor_match`: the Aho-Corasick automaton of every alias and its hits;
* :mod:`kzcrisis.actor_compose`: composites from adjacent hits ("وزارة الدفاع الروسية",
  "رئيس كازاخستان", "السلطات المحلية في ألماتي");
* :mod:`kzcrisis.actor_resolve`: offices on the document date, bodies, anaphors, appositions;
* :mod:`kzcrisis.actor_dict`: ``ActorDictionary`` (the four steps) and ``load_actors``.

This module runs the dictionary over documents (``extract_actors``), links NER entities,
builds the actor and co-occurrence tables, and turns unlinked names into a reviewable user
actors file (``candidate_table``, ``suggest_actors``).
"""
from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from . import schemas
from .actor_dict import ActorDictionary, Match, load_actors
from .actor_load import (
    ACTOR_COLUMNS,
    ACTOR_TYPES,
    ACTORS_FILE,
    ALIAS_COLUMNS,
    ALIAS_KINDS,
    ALIASES_FILE,
    COMPOSITION_FILE,
    DEFAULT_COUNTRY,
    IGO_TYPES,
    OWNER_TYPES,
    ROLE_COLUMNS,
    ROLES_FILE,
    USER_OPTIONAL,
    Composition,
    load_composition,
)
from .actor_match import fold as _fold
from .errors import KzError
from .layout import fallback_sentences

__all__ = ["ACTOR_COLUMNS", "ACTOR_TYPES", "ACTORS_FILE", "ALIAS_COLUMNS", "ALIAS_KINDS",
           "ALIASES_FILE", "COMPOSITION_FILE", "DEFAULT_COUNTRY", "IGO_TYPES", "METHODS",
           "OWNER_TYPES", "ROLE_COLUMNS", "ROLES_FILE", "USER_OPTIONAL", "ActorDictionary",
           "ActorTables", "Composition", "Match", "actor_table", "candidate_table",
           "cooccurrence", "extract_actors", "link_phrase", "load_actors", "load_composition",
           "mentions_from_matches", "suggest_actors"]

METHODS = ("dictionary", "ner", "role", "apposition", "coreference")


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
    starts = [s for s, _ in fallback_sentences(text)] or [0]
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

