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

:class:`ContentParse` is built from rows of the ``words`` table (``schemas.WORDS``) that lie in
the content span; offsets are relative to the content string. Without a parse (a ``--models``
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

__all__ = ["ContentParse", "Word", "content_parse", "governed_by", "subjects_of",
           "tree_negated"]

# relations that join a sister clause rather than an argument: a rejection does not reach
# across them (نرفض العنف ونرحب بإرسال القوات: the welcome is not rejected)
_SISTER = frozenset({"conj", "parataxis", "punct", "cc", "advcl", "root"})
# the relations through which a predicate's negator reaches a cue below it (the cue is
# its argument or a part of its noun phrase), and how many levels up it may be
_UP = frozenset({"obj", "obl", "xcomp", "nmod", "amod", "iobj", "advmod"})
_NEG_LEVELS = 2
_MAX_DEPTH = 12


@dataclass(frozen=True)
class Word:
    """One syntactic word of the content: offsets relative to the content string (those of
    its token), folded lemma and surface, tag, features, and the list index of its head in
    :attr:`ContentParse.words` (-1: the root or a head outside the content)."""

    i: int
    start: int
    end: int
    text: str
    lemma: str
    upos: str
    feats: str
    head: int
    deprel: str


@dataclass(frozen=True)
class ContentParse:
    """The words of one content span and its lemma string (folded lemmas joined by spaces,
    ``lemma_spans[k]`` the lemma string span of word ``k``)."""

    words: tuple[Word, ...]
    lemma_text: str
    lemma_spans: tuple[tuple[int, int], ...]

    def words_in(self, start: int, end: int) -> list[Word]:
        """The words whose token overlaps the content span ``[start, end)``."""
        return [w for w in self.words if w.start < end and w.end > start]

    def span_of_lemmas(self, ls: int, le: int) -> tuple[int, int]:
        """The content span of the words a lemma-string match ``[ls, le)`` covers."""
        ks = [k for k, (s, e) in enumerate(self.lemma_spans) if s < le and e > ls]
        return self.words[ks[0]].start, self.words[ks[-1]].end


def content_parse(words: pd.DataFrame | Iterable[dict], start: int, end: int,
                  shift: int = 0) -> ContentParse | None:
    """The parse of the content ``text[start:end]`` from ``words`` rows (one document's
    ``words`` table, or any rows with ``sent_id``, ``word_id``, ``lemma``, ``head``, ...);
    ``shift`` is added to every offset (the action rows' content starts with the cue).
    None when no word with a lemma lies in the span.

    >>> rows = [dict(sent_id=0, word_id=1, text="لن", lemma="لن", upos="PART", feats="",
    ...              head=2, deprel="advmod", start_char=10, end_char=12),
    ...         dict(sent_id=0, word_id=2, text="ترسل", lemma="أرسل", upos="VERB", feats="",
    ...              head=0, deprel="root", start_char=13, end_char=17)]
    >>> p = content_parse(rows, 10, 17)
    >>> p.lemma_text, p.words[0].head, p.words[1].start
    ('لن ارسل', 1, 3)
    """
    rows = words.to_dict("records") if isinstance(words, pd.DataFrame) else list(words)
    inside = [r for r in rows if int(r["start_char"]) >= start and int(r["end_char"]) <= end]
    if not inside or not any(str(r.get("lemma") or "") for r in inside):
        return None
    index = {(r["sent_id"], int(r["word_id"])): k for k, r in enumerate(inside)}
    out, spans, pos = [], [], 0
    for k, r in enumerate(inside):
        lemma = normalize_for_matching(str(r.get("lemma") or r.get("text") or "")) or "_"
        lemma = "".join(lemma.split()) or "_"
        head = index.get((r["sent_id"], int(r.get("head") or 0)), -1)
        out.append(Word(k, int(r["start_char"]) - start + shift,
                        int(r["end_char"]) - start + shift,
                        normalize_for_matching(str(r.get("text") or "")), lemma,
                        str(r.get("upos") or ""), str(r.get("feats") or ""), head,
                        str(r.get("deprel") or "")))
        spans.append((pos, pos + len(lemma)))
        pos += len(lemma) + 1
    return ContentParse(tuple(out), " ".join(w.lemma for w in out), tuple(spans))


@lru_cache(maxsize=1)
def _negators() -> tuple[frozenset[str], frozenset[str]]:
    return grammar.words("negator"), grammar.words("negator_parse")


def is_negator(w: Word) -> bool:
    """A negator word: a listed negator (لم، لن، لا، ليس، غير، عدم، دون، also with a
    conjunction or an attached preposition: بعدم), or ما/لما where the parse marks it
    (``Polarity=Neg``)."""
    plain, parse_only = _negators()
    for form in (w.text, w.lemma):
        if in_class(form, plain) or (form[:1] in ATTACHED_PREPOSITIONS
                                     and form[1:] in plain):
            return True
        if in_class(form, parse_only) and "Polarity=Neg" in w.feats:
            return True
    return False


def head_word(parse: ContentParse, start: int, end: int) -> Word | None:
    """The word of a span whose head lies outside it (the phrase's head): in «إرسال
    القوات» it is إرسال, whose nmod القوات is inside the span."""
    ws = parse.words_in(start, end)
    ids = {w.i for w in ws}
    return next((w for w in ws if w.head not in ids), ws[0] if ws else None)


def tree_negated(parse: ContentParse, start: int, end: int,
                 others: Iterable[tuple[int, int]] = ()) -> bool:
    """Whether the tree negates the cue at ``[start, end)``: a negator among the dependents
    of its head (لن ترسل) or of the predicate it belongs to (ليست قوة احتلال: ليست hangs on
    قوة; لم تقرر إرسال قوات: لم hangs on the verb whose object إرسال is), or a negating
    head over it (عدم إرسال، غير مبرر). A negator inside another cue (``others``: لن تسمح
    بزعزعة الاستقرار) belongs to that cue."""
    h = head_word(parse, start, end)
    if h is None:
        return False
    inside = {w.i for w in parse.words_in(start, end)}
    owned = {w.i for s, e in others for w in parse.words_in(s, e)} - inside

    def negates(w: Word) -> bool:
        return w.i not in inside and w.i not in owned and is_negator(w)

    node, depth = h, 0
    while True:
        if any(negates(w) for w in parse.words if w.head == node.i):
            return True
        if node.head < 0 or depth >= _NEG_LEVELS:
            return False
        parent = parse.words[node.head]
        if negates(parent):
            return True
        if node.deprel.split(":")[0] not in _UP:
            return False
        node, depth = parent, depth + 1


def governed_by(parse: ContentParse, inner: tuple[int, int], outer: tuple[int, int]) -> bool:
    """Whether the phrase at ``inner`` lies in the subtree of a word of the phrase at
    ``outer``, reached through an argument, not a sister clause: in «تساؤلات حول شرعية نشر
    القوات» نشر is governed by «تساؤلات حول شرعية»; in «نرفض العنف ونرحب بإرسال القوات»
    إرسال is not governed by نرفض (ونرحب is its conj)."""
    h = head_word(parse, *inner)
    judge = {w.i for w in parse.words_in(*outer)}
    if h is None or not judge or h.i in judge:
        return False
    w, depth = h, 0
    while w.head >= 0 and depth < _MAX_DEPTH:
        parent = parse.words[w.head]
        if parent.i in judge:
            return w.deprel.split(":")[0] not in _SISTER
        w, depth = parent, depth + 1
    return False


#: the subject relations of a predicate
_SUBJECT = frozenset({"nsubj", "nsubj:pass", "csubj"})


def subjects_of(parse: ContentParse, start: int, end: int) -> set[int]:
    """The words a predicate at ``[start, end)`` says something about: its subject
    («قوات المنظمة منعت انهيار الدولة»: قوات), the subject of the copula or auxiliary it
    completes («كان التدخل ضرورياً»: التدخل), or the noun it modifies («مهمة ناجحة»: مهمة).
    Returns word indexes."""
    h = head_word(parse, start, end)
    if h is None:
        return set()
    inside = {w.i for w in parse.words_in(start, end)}
    heads = {h.i}
    if h.head >= 0 and h.deprel.split(":")[0] in ("xcomp", "obj", "ccomp") \
            and parse.words[h.head].upos in ("AUX", "VERB"):
        heads.add(h.head)  # كان ... ضرورياً: the predicate completes كان
    out = {w.i for w in parse.words if w.head in heads and w.deprel in _SUBJECT
           and w.i not in inside}
    if h.deprel == "amod" and h.head >= 0:
        out.add(h.head)
    return out
