"""Line layout of scraped pages: which line breaks lie inside a sentence, which end a headline.

Pages copied from the web break sentences over lines (``وأضاف الوزير في تصريح`` / ``أن القوات
ستنسحب``) and put headlines on lines of their own without final punctuation (``موسكو ترسل قوات
إلى كازاخستان``). Stanza's tokenizer treats one line break as a space and two as a paragraph
end, so the first case is cut in two when a blank line follows, and a headline is glued to the
next sentence when only one line break follows it. :func:`layout` decides each line break from
the two lines around it:

- ``join``: the line before ends open (a comma, a preposition or a complementizer) or the line
  after opens with a complementizer (أن، إن، بأن ...): the break is inside a sentence, and
  the tokenizer sees spaces there;
- ``break``: the line before opens its block of lines (the text's first line, or one after a
  blank line or after a sentence end), is headline-like (at most ``HEADLINE_MAX_WORDS`` words,
  no final punctuation, no complementizer) and does not end open: a sentence ends there,
  whatever the tokenizer would do;
- otherwise the tokenizer decides.

The text itself is never changed: offsets stay those of the cleaned text, and the sentences
table shows the original line breaks inside a joined sentence.

>>> lay = layout("وأضاف الوزير في تصريح\\n\\nأن القوات ستنسحب.")
>>> lay.joined, lay.segments
([21], [(0, 40)])
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import grammar
from .normalize import normalize_for_matching

#: a line that ends a sentence: final punctuation or a closing quote
FINAL = re.compile(r"[.!?؟:…»”\"]\s*$")
#: the longest line read as a headline (news headlines run to about a dozen words)
HEADLINE_MAX_WORDS = 14
_BREAK = re.compile(r"[^\S\n]*\n\s*")
_OPEN_END = re.compile(r"[،,؛;\-–—(«“]\s*$")
_WORD = re.compile(r"[\w\u0600-\u06FF]+")
_LETTER_END = re.compile(r"[^\W\d_]\s*$")


def headline_like(line: str) -> bool:
    """A line of at most ``HEADLINE_MAX_WORDS`` words without final punctuation.

    >>> headline_like("موسكو ترسل قوات إلى كازاخستان"), headline_like("قال الوزير إن القوات وصلت.")
    (True, False)
    """
    line = line.strip()
    return bool(line) and len(line.split()) <= HEADLINE_MAX_WORDS and not FINAL.search(line)


def _last_word(line: str) -> str:
    found = _WORD.findall(line)
    return normalize_for_matching(found[-1]) if found else ""


def _first_word(line: str) -> str:
    found = _WORD.findall(line)
    return normalize_for_matching(found[0]) if found else ""


def ends_open(line: str) -> bool:
    """The line cannot end a sentence: a comma or an opening bracket, or a last word that is
    a preposition or a complementizer (``... في تصريح أدلى به إلى``, ``قال الوزير،``).

    >>> ends_open("وقال المتحدث باسم الوزارة في"), ends_open("موسكو ترسل قوات")
    (True, False)
    """
    if _OPEN_END.search(line):
        return True
    if not _LETTER_END.search(line):  # a closing bracket or a digit ends it: (أ ف ب)
        return False
    last = _last_word(line)
    return last in grammar.words("preposition") or last in grammar.words("complementizer")


def opens_continuation(line: str) -> bool:
    """The line goes on a sentence: it opens with a complementizer (أن، إن، بأن، أنه ...).

    >>> opens_continuation("أن القوات ستنسحب قريبا."), opens_continuation("وقال الوزير")
    (True, False)
    """
    return _first_word(line) in grammar.words("complementizer")


@dataclass
class Layout:
    """The tokenizer's view of one text (same length), its segments and the decided breaks."""

    text: str
    segments: list[tuple[int, int]] = field(default_factory=list)
    joined: list[int] = field(default_factory=list)
    breaks: list[int] = field(default_factory=list)


def _has_complementizer(line: str) -> bool:
    """``وقالت الوزارة إن وحدات المظليين`` is a cut sentence, not a headline."""
    comp = grammar.words("complementizer")
    return any(normalize_for_matching(w) in comp for w in _WORD.findall(line))


def _decide(before: str, after: str, block_start: bool) -> str:
    """``join``, ``break`` or ``""`` (the tokenizer decides) for the break between two lines;
    ``block_start``: the line before opens its block (first line, after a blank line or
    after a line with final punctuation), where headlines stand."""
    if not before.strip() or not after.strip() or FINAL.search(before):
        return ""
    if ends_open(before) or opens_continuation(after):
        return "join"
    if block_start and headline_like(before) and not _has_complementizer(before):
        return "break"
    return ""


def layout(text: str) -> Layout:
    """Decide every line break of ``text`` (see the module docstring).

    ``Layout.text`` is ``text`` with the joined breaks turned into spaces (same length, so
    offsets hold); ``segments`` are the stretches between forced breaks, each annotated on
    its own; ``joined``/``breaks`` the offsets of the decided line breaks.
    """
    chars = list(text)
    out = Layout(text=text)
    cut = line_start = 0
    # the line before each break opens its block when it is the text's first line, follows a
    # blank line or follows a sentence end (kept as state: no rescan of the text before it)
    block_start, seen_text = True, False
    for m in _BREAK.finditer(text):
        line_end = text.find("\n", m.end())
        before = text[line_start:m.start()]
        after = text[m.end():len(text) if line_end < 0 else line_end]
        decision = _decide(before, after, block_start)
        if decision == "join":
            chars[m.start():m.end()] = " " * (m.end() - m.start())
            out.joined.append(m.start())
        elif decision == "break":
            out.breaks.append(m.start())
            out.segments.append((cut, m.start()))
            cut = m.end()
        seen_text = seen_text or bool(before.strip())
        block_start = (not seen_text or m.group().count("\n") > 1
                       or bool(FINAL.search(before)))
        line_start = m.end()
    out.segments.append((cut, len(text)))
    out.segments = [(s, e) for s, e in out.segments if text[s:e].strip()]
    out.text = "".join(chars)
    return out


#: a sentence end where no tokenizer ran: final punctuation before a space, or line breaks
#: (``3.5 مليون`` and ``U.S.`` inside a sentence are no ends)
SENTENCE_END = re.compile(r"[.!?؟]+(?=\s)|\n+")


def fallback_sentences(text: str, skip: Callable[[int], object] | None = None
                       ) -> list[tuple[int, int]]:
    """Sentence spans by punctuation, for text the tokenizer did not split (the one fallback
    of every stage); an end where ``skip(position)`` is true (inside a quotation) is passed.

    >>> fallback_sentences("قال الوزير إن النمو بلغ 3.5 بالمئة. وأضاف أن الوضع مستقر.")
    [(0, 35), (35, 57)]
    """
    out, start = [], 0
    for m in SENTENCE_END.finditer(text):
        if skip is not None and skip(m.start()):
            continue
        if text[start:m.end()].strip():
            out.append((start, m.end()))
        start = m.end()
    if text[start:].strip():
        out.append((start, len(text)))
    return out
