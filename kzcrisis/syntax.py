"""Dependency trees of the ``words`` table: one shared service for every stage that reads the parse.

A :class:`Tree` is one sentence of ``kz.annotate(...).words`` (CoNLL-U ids, head 0 = root).
Stages ask it for a word's children by relation, a phrase (a word with the dependents that
belong to its noun phrase) and the offsets of a set of words in ``text_clean``.

>>> import pandas as pd
>>> rows = pd.DataFrame({"doc_id": ["d"] * 3, "sent_id": [0] * 3, "token_id": [0, 1, 2],
...     "word_id": [1, 2, 3], "text": ["قال", "الوزير", "الروسي"], "lemma": ["قال", "وزير", "روسي"],
...     "upos": ["VERB", "NOUN", "ADJ"], "feats": ["", "", ""], "head": [0, 1, 2],
...     "deprel": ["root", "nsubj", "amod"], "start_char": [0, 4, 11], "end_char": [3, 10, 17]})
>>> t = sentence_trees(rows)[("d", 0)]
>>> [w.text for w in t.kids(1, "nsubj")]
['الوزير']
>>> t.span(t.phrase(2))
(4, 17)
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

#: dependents that are not part of a speaker's noun phrase (clauses, punctuation, coordination
#: markers): the rest (flat names, appositions, nmod, amod, det, nummod, case) are
PHRASE_STOP = frozenset({"punct", "cc", "parataxis", "ccomp", "advcl", "acl:relcl", "csubj",
                         "mark", "discourse", "dep", "vocative", "orphan", "reparandum"})


@dataclass(frozen=True)
class Word:
    """One syntactic word of a parsed sentence."""

    id: int
    text: str
    lemma: str
    upos: str
    feats: str
    head: int
    deprel: str
    start: int
    end: int
    token_id: int

    @property
    def rel(self) -> str:
        """The relation without its subtype (``nsubj:pass`` -> ``nsubj``)."""
        return self.deprel.split(":")[0]

    def feat(self, name: str) -> str:
        """One morphological feature: ``Gender`` of ``Gender=Fem|Number=Sing`` is ``Fem``."""
        for part in self.feats.split("|"):
            key, _, value = part.partition("=")
            if key == name:
                return value
        return ""


@dataclass
class Tree:
    """One sentence: words by id and their children."""

    doc_id: str
    sent_id: int
    words: dict[int, Word]
    children: dict[int, list[int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for w in sorted(self.words.values(), key=lambda w: w.id):
            self.children.setdefault(w.head, []).append(w.id)

    def kids(self, wid: int, *rels: str) -> list[Word]:
        """Children of a word, in text order; only those whose relation (or its base) is in
        ``rels`` when given: ``kids(verb, "nsubj")`` also returns ``nsubj:pass``."""
        out = [self.words[c] for c in sorted(self.children.get(wid, []))]
        if rels:
            out = [w for w in out if w.deprel in rels or w.rel in rels]
        return out

    def subtree(self, wid: int, stop: Iterable[str] = ()) -> list[int]:
        """Ids of a word and its descendants, skipping children attached by ``stop`` relations."""
        stop = frozenset(stop)
        out, todo = [], [wid]
        while todo:
            i = todo.pop()
            out.append(i)
            todo.extend(c for c in self.children.get(i, [])
                        if self.words[c].deprel not in stop and self.words[c].rel not in stop)
        return sorted(out)

    def phrase(self, wid: int) -> list[int]:
        """The noun phrase headed by a word, as one contiguous run of ids around it.

        ``وزير الخارجية التركي مولود جاووش أوغلو`` (head وزير, nmod, amod, appos, flat) ->
        all six words; a relative clause or punctuation is left out, and so is anything
        past a gap (a word of another phrase between)."""
        ids = set(self.subtree(wid, PHRASE_STOP))
        lo = hi = wid
        while lo - 1 in ids:
            lo -= 1
        while hi + 1 in ids:
            hi += 1
        return list(range(lo, hi + 1))

    def span(self, ids: Iterable[int]) -> tuple[int, int]:
        """Offsets in ``text_clean`` from the first to the last of some words."""
        ws = [self.words[i] for i in ids]
        return min(w.start for w in ws), max(w.end for w in ws)

    def first_after(self, wid: int) -> Word | None:
        """The next word of the sentence."""
        return self.words.get(wid + 1)

    def ancestors(self, wid: int) -> list[Word]:
        """Heads of a word up to the root."""
        out, seen = [], {wid}
        h = self.words[wid].head
        while h in self.words and h not in seen:
            seen.add(h)
            out.append(self.words[h])
            h = self.words[h].head
        return out


def sentence_trees(words: pd.DataFrame) -> dict[tuple[str, int], Tree]:
    """``(doc_id, sent_id) -> Tree`` for every parsed sentence of a ``words`` table.

    Sentences without a parse (head -1, a model set without a parser) are left out."""
    if words is None or not len(words):
        return {}
    sents: dict[tuple[str, int], dict[int, Word]] = {}
    cols = ["doc_id", "sent_id", "word_id", "text", "lemma", "upos", "feats", "head", "deprel",
            "start_char", "end_char", "token_id"]
    for (doc_id, sent_id, wid, text, lemma, upos, feats, head, deprel, s, e, tok) in \
            words[cols].itertuples(index=False, name=None):
        key = (str(doc_id), int(sent_id))
        if int(head) < 0:
            continue
        sents.setdefault(key, {})[int(wid)] = Word(
            int(wid), str(text), str(lemma or ""), str(upos or ""), str(feats or ""), int(head),
            str(deprel or ""), int(s), int(e), int(tok))
    return {key: Tree(key[0], key[1], ws) for key, ws in sents.items()}


def dependency_table(words: pd.DataFrame, doc_id: str, sent_id: int) -> pd.DataFrame:
    """One sentence's tree as a table: each word with its relation and its head's text.

    >>> dependency_table(ann.words, "000_e4eda7b29b88d456", 0)  # doctest: +SKIP
       word_id   text  lemma  upos deprel  head head_text
    0        1    قال    قال  VERB   root     0    (root)
    """
    sent = words[(words.doc_id.astype(str) == str(doc_id)) & (words.sent_id == int(sent_id))]
    by_id = dict(zip(sent.word_id, sent.text, strict=True))
    out = sent[["word_id", "text", "lemma", "upos", "feats", "deprel", "head"]].copy()
    out["head_text"] = [by_id.get(h, "(root)" if h == 0 else "") for h in out["head"]]
    return out.reset_index(drop=True)
