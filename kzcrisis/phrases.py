"""One phrase compiler and one longest-match selector, shared by every stage that matches
lexicon phrases (actors, stance cues, framing terms, the codebook's act objects).

**Phrase syntax** (resources/README.md, "Phrase syntax"). A lexicon cell holds phrases
separated by ``|``; inside a phrase, ``(a|b|c)`` is an *alternation group*: the phrase stands
for each alternative in turn, so ``(أرسل|إرسال) قوات`` is ``أرسل قوات`` and ``إرسال قوات``,
and ``متظاهر(ين|ون)`` is ``متظاهرين`` and ``متظاهرون``. An alternative may be empty
(``(ال|)قوات``) or hold several words; groups do not nest. :func:`expand` gives the
literal phrases (the actor matcher's automaton keys); :func:`compile_phrases` gives one regex
on the matching-normal form in which every word may carry proclitics (و ف ب ك ل, the article
ال, or لل, and the future س) and a pronoun suffix or tanwin alef, and ``*`` stands for zero to
two words (``إرسال * قوات`` matches ``إرسال مزيد من القوات``).

**Longest match.** :func:`select_longest` keeps the longest of overlapping matches; the
tie-break among equally long ones is the caller's explicit ``tiebreak`` key, because each
stage has its own (actors: rule priority, then position; framing: position, then term id;
stance cues: position, then lexicon order).
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from itertools import product
from typing import Any, TypeVar

from .errors import ResourceError
from .normalize import ATTACHED_PREPOSITIONS, CONJUNCTIONS, FUTURE, normalize_for_matching

__all__ = ["compile_phrases", "expand", "inflected", "phrase_pattern", "select_longest", "split_forms"]

T = TypeVar("T")

# Each word may carry proclitics (و ف ب ك ل, the article ال, or لل) and an attached pronoun;
# the future prefix س only before an imperfect verb's prefix (وسترسل، سيرسل).
_PREFIX = (f"(?:[{CONJUNCTIONS}]?(?:{FUTURE}(?=[يتنا]))?"
           f"(?:لل|[{ATTACHED_PREPOSITIONS}]?ال|[{ATTACHED_PREPOSITIONS}])?)")
_SUFFIX = r"(?:ا|ها|هما|هم|هن|نا|كم|ه)?"  # tanwin alef or a pronoun
_GAP = r"(?:\s+[^\s،,.:؛;!?؟\"«»“”()]+){0,2}"
# A lemma row's word on text with no parse (folded: ة is ه, أ is ا): an imperfect prefix
# (يرسل for أرسل, تدعم for دعم) and an inflection ending (إرهابي: إرهابيين؛ أرسل: أرسلت؛
# مشاركة: مشاركات) are allowed; broken plurals and weak verbs are written as alternatives.
_IMPERFECT = "[يتنا]"
_ENDING = r"(?:ت|تا|تم|وا|ا|ن|نا|ون|ين|ان|ات|ه|يه|يين|يون)?"
_FEM_ENDING = r"(?:ه|ات|تين|تان|تي|ت)"
_WORD_RE = re.compile(r"\w+")
_GROUP_RE = re.compile(r"\(([^()]*)\)")


def split_forms(forms: str) -> list[str]:
    """The phrases of a lexicon cell: split on ``|`` outside alternation groups.

    >>> split_forms("(أرسل|إرسال) قوات|قوات حفظ السلام")
    ['(أرسل|إرسال) قوات', 'قوات حفظ السلام']
    """
    out, depth, cur = [], 0, []
    for ch in forms:
        if ch == "|" and depth == 0:
            out.append("".join(cur))
            cur = []
            continue
        depth += (ch == "(") - (ch == ")")
        cur.append(ch)
    out.append("".join(cur))
    return [p.strip() for p in out if p.strip()]


def expand(phrase: str) -> list[str]:
    """The literal phrases an alternation phrase stands for, in the order written (spaces
    collapsed); ValueError on an unbalanced or nested group.

    >>> expand("(أرسل|إرسال) قوات")
    ['أرسل قوات', 'إرسال قوات']
    >>> expand("(ال|)قوات (الروسية|الروسيه)")
    ['القوات الروسية', 'القوات الروسيه', 'قوات الروسية', 'قوات الروسيه']
    """
    pieces = _GROUP_RE.split(phrase)
    literal = pieces[0::2]
    if any(ch in p for p in literal for ch in "()"):
        raise ValueError(f"unbalanced or nested ( ) in phrase {phrase!r}")
    choices = [[lit] for lit in literal]
    for i, group in enumerate(pieces[1::2]):
        choices.insert(2 * i + 1, group.split("|"))
    out = []
    for combo in product(*choices):
        text = " ".join("".join(combo).split())
        if text and text not in out:
            out.append(text)
    if not out:
        raise ValueError(f"phrase {phrase!r} expands to nothing")
    return out


def inflected(word: str) -> str:
    """Regex for a folded lemma with its inflections (no parse to give the lemma).

    >>> [bool(re.fullmatch(inflected("ارسل"), w)) for w in ("ارسلت", "يرسلون", "ارسال")]
    [True, True, False]
    >>> bool(re.fullmatch(inflected("مشاركه"), "مشاركات"))
    True
    """
    if word.startswith("ا") and len(word) > 2:
        head = f"(?:ا|{_IMPERFECT}){re.escape(word[1:])}"
    else:
        head = f"{_IMPERFECT}?{re.escape(word)}"
    if word.endswith("ه") and len(word) > 2:
        return head[:-1] + _FEM_ENDING
    return head + _ENDING


def phrase_pattern(phrase: str, inflect: bool = False) -> str:
    """Regex (on folded text) for one literal phrase: clitics and pronoun suffixes allowed on
    each word, ``*`` = up to two intervening words; with ``inflect`` each word is a lemma
    that may also inflect (:func:`inflected`). ValueError on a bad phrase.

    >>> bool(re.search(phrase_pattern("إرسال * قوات"), "وبارسال مزيد من القوات"))
    True
    >>> bool(re.search(phrase_pattern("إرهابي", inflect=True), "وصف المحتجين بالارهابيين"))
    True
    """
    parts: list[str] = []
    words = normalize_for_matching(phrase).split()
    if not words or words[0] == "*" or words[-1] == "*":
        raise ValueError(f"bad phrase {phrase!r}")
    for w in words:
        if w == "*":
            parts.append(_GAP)
            continue
        if not _WORD_RE.fullmatch(w):
            raise ValueError(f"bad word {w!r} in phrase {phrase!r}")
        if parts:
            parts.append(r"\s+")
        parts.append(_PREFIX + (inflected(w) if inflect else re.escape(w)) + _SUFFIX)
    return r"(?<!\w)" + "".join(parts) + r"(?!\w)"


def compile_phrases(forms: str, where: str, inflect: bool = False) -> re.Pattern:
    """One compiled regex for a lexicon cell (``|``-separated phrases, alternation groups
    expanded; the longest pattern first). A bad phrase raises ResourceError at ``where``.

    >>> rx = compile_phrases("(أرسل|إرسال) قوات", "stance_lexicon.csv: line 2")
    >>> [m.group() for m in rx.finditer("قررت ارسال قوات بعد ان ارسل قوات")]
    ['ارسال قوات', 'ارسل قوات']
    """
    try:
        phrases = [p for form in split_forms(forms) for p in expand(form)]
        if not phrases:
            raise ResourceError(f"{where}: no forms")
        pats = [phrase_pattern(p, inflect) for p in phrases]
    except ValueError as err:
        raise ResourceError(f"{where}: {err}") from None
    pats.sort(key=lambda p: -len(p))
    return re.compile("|".join(pats))


def select_longest(items: Iterable[T], span: Callable[[T], tuple[int, int]],
                   tiebreak: Callable[[T], Any], *,
                   conflicts: Callable[[T, T], bool] | None = None,
                   share_span: bool = False) -> list[T]:
    """The longest non-overlapping matches, in the order chosen (longest first).

    Items are ranked by length, then by ``tiebreak`` (ties left by it keep their input order),
    and an item is kept unless it overlaps one already kept. With ``conflicts``, only an
    overlap with a kept item for which ``conflicts(item, kept)`` holds excludes it (stance
    cues for different targets may overlap); with ``share_span``, an item with exactly the
    span of a kept one is kept too (cues sharing a span all count).

    >>> m = [(0, 9, "قوات"), (0, 15, "قوات حفظ السلام"), (10, 15, "السلام")]
    >>> [x[2] for x in select_longest(m, lambda x: (x[0], x[1]), lambda x: x[0])]
    ['قوات حفظ السلام']
    """
    ranked = sorted(items, key=lambda x: (-(span(x)[1] - span(x)[0]), tiebreak(x)))
    if conflicts is None and not share_span:
        return _select_disjoint(ranked, span)
    chosen: list[T] = []
    spans: set[tuple[int, int]] = set()
    for item in ranked:
        s, e = span(item)
        if not (share_span and (s, e) in spans) and any(
                s < ke and ks < e and (conflicts is None or conflicts(item, kept))
                for kept in chosen for ks, ke in (span(kept),)):
            continue
        spans.add((s, e))
        chosen.append(item)
    return chosen


def _select_disjoint(ranked: list[T], span: Callable[[T], tuple[int, int]]) -> list[T]:
    """Greedy choice over ranked items, one flag per character (linear in the text, not
    quadratic in the matches): "قوات حفظ السلام" taken, "السلام" inside it is skipped."""
    if not ranked:
        return []
    taken = bytearray(max(span(x)[1] for x in ranked))
    chosen = []
    for item in ranked:
        s, e = span(item)
        if any(taken[s:e]):
            continue
        taken[s:e] = b"\x01" * (e - s)
        chosen.append(item)
    return chosen
