"""The parse of a statement's content, as stance coding reads it (issue 16).

Stance cues are matched on the *lemmas* of the content's syntactic words as well as on its
surface, and where the parse is there, two decisions follow the dependency tree instead of
word windows:

* **negation** is a negator attached to the cue's head word (لن ترسل قوات: لن is an
  ``advmod`` of ترسل), or the negating noun that governs it (عدم إرسال قوات), or the negator of
  the verb whose object the cue is (لم تقرر إرسال قوات);
* **scope**: a cue inside the subtree of a negative judgement or a rejection is its object
  (تساؤلات حول شرعية نشر القوات: نشر hangs under شرعية; إرسال قوات يثير تساؤلات: إرسال is the
  subject of يثير), not a cue of its own.

:class:`ContentParse` holds the words of the content span from the sentence trees of
:mod:`kzcrisis.syntax` (the one reading of the ``words`` table); the spans its functions
take and give are relative to the content string. Without a parse (a ``--models``
set without lemmatizer or parser, or ``kz.code_stance`` called on a bare statements table)
stance coding keeps its surface rules, and the evidence says which were used.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from . import grammar
from .normalize import ATTACHED_PREPOSITIONS, in_class, normalize_for_matching
from .syntax import Tree, Word, sentence_trees

__all__ = ["ContentParse", "content_parse", "governed_by", "subjects_of", "tree_negated"]

# relations that join a sister clause rather than an argument: a rejection does not reach
# across them (نرفض العنف ونرحب بإرسال القوات: the welcome is not rejected)
_SISTER = frozenset({"conj", "parataxis", "punct", "cc", "advcl", "root"})
# the relations through which a predicate's negator reaches a cue below it (the cue is
# its argument or a part of its noun phrase), and how many levels up it may be
_UP = frozenset({"obj", "obl", "xcomp", "nmod", "amod", "iobj", "advmod"})
_NEG_LEVELS = 2
_MAX_DEPTH = 12
#: the subject relations of a predicate
_SUBJECT = frozenset({"nsubj", "nsubj:pass", "csubj"})


@dataclass(frozen=True)
class ContentParse:
    """The words of one content span (:class:`kzcrisis.syntax.Word`, offsets in the text),
    the index in ``words`` of each word's head (-1: the root or a head outside the content),
    ``base``, the text offset of content position 0, and the lemma string (folded lemmas
    joined by spaces; ``lemma_spans[k]`` is the span of word ``k`` in it). Words are
    referred to by their index in ``words``."""

    words: tuple[Word, ...]
    heads: tuple[int, ...]
    base: int
    lemma_text: str
    lemma_spans: tuple[tuple[int, int], ...]

    def words_in(self, start: int, end: int) -> list[int]:
        """The words whose token overlaps the content span ``[start, end)``."""
        s, e = start + self.base, end + self.base
        return [k for k, w in enumerate(self.words) if w.start < e and w.end > s]

    def kids(self, k: int) -> list[int]:
        """The words whose head is word ``k``."""
        return [j for j, h in enumerate(self.heads) if h == k]

    def span_of_lemmas(self, ls: int, le: int) -> tuple[int, int]:
        """The content span of the words a lemma-string match ``[ls, le)`` covers."""
        ks = [k for k, (s, e) in enumerate(self.lemma_spans) if s < le and e > ls]
        return self.words[ks[0]].start - self.base, self.words[ks[-1]].end - self.base


def content_parse(trees: pd.DataFrame | Iterable[Tree], start: int, end: int,
                  shift: int = 0) -> ContentParse | None:
    """The parse of the content ``text[start:end]`` from a document's sentence trees
    (:func:`kzcrisis.syntax.sentence_trees`, or its ``words`` table); ``shift`` is where
    ``text[start]`` stands in the coded content (the action rows' content starts with the
    cue). None when no word with a lemma lies in the span.

    >>> rows = pd.DataFrame(dict(doc_id="d", sent_id=0, token_id=[0, 1], word_id=[1, 2],
    ...     text=["لن", "ترسل"], lemma=["لن", "أرسل"], upos=["PART", "VERB"], feats="",
    ...     head=[2, 0], deprel=["advmod", "root"], start_char=[10, 13], end_char=[12, 17]))
    >>> p = content_parse(rows, 10, 17)
    >>> p.lemma_text, p.heads, p.words_in(3, 7)
    ('لن ارسل', (1, -1), [1])
    """
    if isinstance(trees, pd.DataFrame):
        trees = sentence_trees(trees).values()
    inside = [(tree, w) for tree in trees for w in sorted(tree.words.values(), key=lambda w: w.id)
              if w.start >= start and w.end <= end]
    if not inside or not any(w.lemma for _t, w in inside):
        return None
    index = {(id(tree), w.id): k for k, (tree, w) in enumerate(inside)}
    lemmas = ["".join(normalize_for_matching(w.lemma or w.text).split()) or "_"
              for _t, w in inside]
    spans, pos = [], 0
    for lemma in lemmas:
        spans.append((pos, pos + len(lemma)))
        pos += len(lemma) + 1
    return ContentParse(tuple(w for _t, w in inside),
                        tuple(index.get((id(tree), w.head), -1) for tree, w in inside),
                        start - shift, " ".join(lemmas), tuple(spans))


@lru_cache(maxsize=1)
def _negators() -> tuple[frozenset[str], frozenset[str]]:
    return grammar.words("negator"), grammar.words("negator_parse")


def is_negator(w: Word) -> bool:
    """A negator word: a listed negator (لم، لن، لا، ليس، غير، عدم، دون، also with a
    conjunction or an attached preposition: بعدم), or ما/لما where the parse marks it
    (``Polarity=Neg``)."""
    plain, parse_only = _negators()
    for form in (normalize_for_matching(w.text), normalize_for_matching(w.lemma)):
        if in_class(form, plain) or (form[:1] in ATTACHED_PREPOSITIONS
                                     and form[1:] in plain):
            return True
        if in_class(form, parse_only) and "Polarity=Neg" in w.feats:
            return True
    return False


def head_word(parse: ContentParse, start: int, end: int) -> int | None:
    """The word of a span whose head lies outside it (the phrase's head): in «إرسال
    القوات» it is إرسال, whose nmod القوات is inside the span."""
    ks = parse.words_in(start, end)
    inside = set(ks)
    return next((k for k in ks if parse.heads[k] not in inside), ks[0] if ks else None)


def tree_negated(parse: ContentParse, start: int, end: int,
                 others: Iterable[tuple[int, int]] = ()) -> bool:
    """Whether the tree negates the cue at ``[start, end)``: a negator among the dependents
    of its head (لن ترسل) or of the predicate it belongs to (ليست قوة احتلال: ليست hangs on
    قوة; لم تقرر إرسال قوات: لم hangs on the verb whose object إرسال is), or a negating
    head over it (عدم إرسال، غير مبرر). A negator inside another cue (``others``: لن تسمح
    بزعزعة الاستقرار) belongs to that cue."""
    node = head_word(parse, start, end)
    if node is None:
        return False
    inside = set(parse.words_in(start, end))
    owned = {k for s, e in others for k in parse.words_in(s, e)} - inside

    def negates(k: int) -> bool:
        return k not in inside and k not in owned and is_negator(parse.words[k])

    depth = 0
    while True:
        if any(negates(k) for k in parse.kids(node)):
            return True
        parent = parse.heads[node]
        if parent < 0 or depth >= _NEG_LEVELS:
            return False
        if negates(parent):
            return True
        if parse.words[node].rel not in _UP:
            return False
        node, depth = parent, depth + 1


def governed_by(parse: ContentParse, inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    """Whether the phrase at ``inner`` lies in the subtree of a word of the phrase at
    ``outer``, reached through an argument, not a sister clause: in «تساؤلات حول شرعية نشر
    القوات» نشر is governed by «تساؤلات حول شرعية»; in «نرفض العنف ونرحب بإرسال القوات»
    إرسال is not governed by نرفض (ونرحب is its conj)."""
    k = head_word(parse, *inner)
    judge = set(parse.words_in(*outer))
    if k is None or not judge or k in judge:
        return False
    depth = 0
    while parse.heads[k] >= 0 and depth < _MAX_DEPTH:
        if parse.heads[k] in judge:
            return parse.words[k].rel not in _SISTER
        k, depth = parse.heads[k], depth + 1
    return False


def subjects_of(parse: ContentParse, start: int, end: int) -> set[int]:
    """The words a predicate at ``[start, end)`` says something about: its subject
    («قوات المنظمة منعت انهيار الدولة»: قوات), the subject of the copula or auxiliary it
    completes («كان التدخل ضرورياً»: التدخل), or the noun it modifies («مهمة ناجحة»: مهمة)."""
    h = head_word(parse, start, end)
    if h is None:
        return set()
    inside = set(parse.words_in(start, end))
    word, parent = parse.words[h], parse.heads[h]
    heads = {h}
    if parent >= 0 and word.rel in ("xcomp", "obj", "ccomp") \
            and parse.words[parent].upos in ("AUX", "VERB"):
        heads.add(parent)  # كان ... ضرورياً: the predicate completes كان
    out = {k for k, hd in enumerate(parse.heads) if hd in heads
           and parse.words[k].deprel in _SUBJECT and k not in inside}
    if word.deprel == "amod" and parent >= 0:
        out.add(parent)
    return out
