"""Statement attribution: who said (or did) what, with channel and addressee.

Political claims analysis codes a *claim* as claimant -> action -> object. Here a claim is
found from a cue (a reporting verb such as قال/أكدت/مشيرةً, or a position-taking action such as
صادق/أرسل/أمر) or an attribution marker (بحسب، ووفق، نقلاً عن). The cue lexicon and the markers
are data (``resources/cues.csv``, ``resources/attribution_markers.csv``); all matching runs on
the matching-normal form (:func:`kzcrisis.clean.normalize_with_map`), so diacritics, tatweel
and hamza/alef/ya/taa-marbuta spellings match, and offsets map back to ``text_clean``.

Speaker resolution, in order (first that applies):

1. verb-subject: an actor mention right after the cue (up to four words before it, no
   complementizer, preposition or punctuation in between): ``وقال زاس``, ``دعت الأمم المتحدة``;
   appositions (``رئيس كازاخستان، قاسم جومارت توكايف``) are followed to the last name;
2. subject-verb and fronted topic: a mention ending right before a cue without the
   conjunction و, at the start of its clause: ``وزارة الدفاع الروسية قالت``,
   ``أما وزارة الخارجية الصينية فحذرت``;
3. an unresolved noun phrase after the cue keeps its text (``قالت مصادر مطلعة``); a definite
   noun alone (``الوزارة``) is resolved to the latest earlier speaker or mention containing it;
4. no subject (a participle such as مضيفاً/مشيرةً, ``وأضاف أن``, ``بدوره، أكد``), or a verb
   coordinated with و in the sentence of the previous claim (``أعرب عن قلقه، ودعا جميع
   الأطراف``): the last speaker of the document.

Position-taking actions (kind ``action``) are kept only with an actor resolved by 1 or 2,
because their verbs double as nouns (نقل، أمر، طلب).

``start_char``/``end_char`` delimit the *content* (what is attributed to the speaker: the
quotation for ``direct``, the rest of the clause otherwise), so
``text_clean[start_char:end_char] == content``.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from . import grammar, schemas
from .align import align_spans
from .attribution import attribute, load_cue_lemmas
from .cue_lexicon import (  # noqa: F401 (the lexicon's API, also read from here)
    CUE_CLASSES,
    FORM_TYPES,
    MARKER_TYPES,
    POLARITIES,
    StatementLexicon,
    default_lexicon,
    load_cues,
    load_markers,
    load_statement_lexicon,
)
from .errors import KzError
from .layout import fallback_sentences
from .normalize import in_class, normalize_for_matching, normalize_with_map

_QUOTE_PAIRS = {"“": "”", "«": "»", "‘": "’", "„": "“"}
_STRAIGHT_QUOTES = ('"', "'")

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_WORD_RE = re.compile(r"\w+")
_LINK_GAP_RE = re.compile(r"[\s،,()\-–]*")
_SPACE_RE = re.compile(r"\s*")
_PUNCT_BOUNDARY = frozenset("،,;؛.:!?؟\n")
_TRAIL_RE = re.compile(r"[\s،,;؛.:!?؟\-–]+$")
_LEAD_RE = re.compile(r"^[\s،,;؛:\-–]+")
_SPACES_RE = re.compile(r"\s+")
_QUOTE_CHARS_RE = re.compile("[\"'“”«»„‘’]")
_LL_RE = re.compile(r"^ل(?=ل)")
_MAX_GAP_WORDS = 4
_MAX_NP_WORDS = 6
_MAX_LOOKAHEAD = 8
_MARKER_PREPS = ("ل", "مع", "عن", "على", "إلى", "الى", "نقلتها")


@lru_cache(maxsize=1)
def _closed() -> dict[str, frozenset[str]]:
    """The closed-class word sets of the surface rules: grammar.csv's classes (complementizers,
    prepositions, negators; a cue right after a preposition, demonstrative or relative is a
    noun (masdar) or a relative clause, not a claim) and the few words only these rules use."""
    comp, neg = grammar.words("complementizer"), grammar.words("negator")
    return {
        "comp": comp,
        "prep": grammar.words("preposition"),
        "block": grammar.words_of("preposition", "demonstrative", "relative"),
        "neg": neg,
        "softstop": frozenset(normalize_for_matching(w) for w in ("قد", "لقد", "فقد")),
        "say": frozenset(normalize_for_matching(w) for w in ("قوله", "قولها", "قولهم", "قولهما", "قولهن")),
        "opener": comp | neg | frozenset(normalize_for_matching(w) for w in (
            "قد", "لقد", "فقد", "ثم", "كما", "حيث", "عندما", "بعدما")),
    }


# --------------------------------------------------------------------------- per document


@dataclass
class _Mention:
    start: int  # folded offsets
    end: int
    actor_id: str
    group: str
    surface: str
    person: bool


@dataclass
class _Cand:
    kind_src: str  # "cue" | "marker"
    s: int  # cue/marker span (folded)
    e: int
    clitic: str
    info: dict
    neg: str = ""
    neg_start: int = -1  # folded offset of a negator before the cue
    head: int = -1  # clause head (start of SV subject, topic marker, or cue)
    top: bool = False
    boundary: int = -1  # where the previous statement's content must end
    speaker: _Mention | None = None
    speaker_span: tuple[int, int] | None = None
    how: str = ""
    hstart: int = -1  # header end = where channel/addressee/content parsing starts
    channel: list = field(default_factory=list)
    addressee: str = ""
    cstart: int = -1
    cend: int = -1
    direct: bool = False
    speaker_text: str = ""


class _Doc:
    """The folded text of one document with its tokens, quotes, sentences and mentions."""

    def __init__(self, doc_id: str, text: str, sentences: pd.DataFrame | None,
                 mentions: pd.DataFrame | None, lex: StatementLexicon,
                 person_ids: frozenset[str]):
        self.doc_id, self.text, self.lex = doc_id, text, lex
        self.F, imap = normalize_with_map(text)
        self.imap = list(imap)
        toks = [(m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(self.F)]
        self.tok_s = [t[0] for t in toks]
        self.toks = toks
        self.quotes = self._quotes()
        self.q_starts = [q[0] for q in self.quotes]
        self.sents = self._sentences(sentences)
        self.mentions = self._mentions(mentions, person_ids)

    # offsets -------------------------------------------------------------------------
    def to_f(self, c: int) -> int:
        return bisect.bisect_left(self.imap, c)

    def to_c(self, fs: int, fe: int) -> tuple[int, int]:
        cs = self.imap[fs]
        ce = self.imap[fe] if fe < len(self.imap) else len(self.text)
        while ce > cs and self.text[ce - 1].isspace():
            ce -= 1
        return cs, ce

    def clean(self, fs: int, fe: int) -> str:
        cs, ce = self.to_c(fs, fe)
        return self.text[cs:ce]

    # structure -----------------------------------------------------------------------
    def _quotes(self) -> list[tuple[int, int]]:
        spans = []
        pos = 0
        for para in self.F.split("\n"):
            stack: list[tuple[str, int]] = []
            straight: dict[str, int] = {}
            for i, ch in enumerate(para):
                if ch in _STRAIGHT_QUOTES:
                    if ch in straight:
                        spans.append((pos + straight.pop(ch), pos + i + 1))
                    elif not (ch == "'" and i and para[i - 1].isalnum()):
                        straight[ch] = i
                elif ch in _QUOTE_PAIRS and not (ch == "“" and stack and stack[-1][0] == "„"):
                    stack.append((ch, i))
                elif stack and ch == _QUOTE_PAIRS[stack[-1][0]]:
                    spans.append((pos + stack.pop()[1], pos + i + 1))
            pos += len(para) + 1
        # nested quotes: keep outermost only
        spans.sort()
        out: list[tuple[int, int]] = []
        for s, e in spans:
            if out and s < out[-1][1]:
                continue
            out.append((s, e))
        return out

    def quote_at(self, pos: int) -> tuple[int, int] | None:
        i = bisect.bisect_right(self.q_starts, pos) - 1
        if i >= 0 and self.quotes[i][0] <= pos < self.quotes[i][1]:
            return self.quotes[i]
        return None

    def _sentences(self, sentences: pd.DataFrame | None) -> list[tuple[int, int, int]]:
        out = []
        if sentences is not None and len(sentences):
            for r in sentences.sort_values("start_char").itertuples(index=False):
                out.append((int(r.sent_id), self.to_f(int(r.start_char)),
                            self.to_f(int(r.end_char))))
            return out
        # no tokenizer ran: the one punctuation fallback, passing ends inside a quotation
        return [(n, s, e) for n, (s, e) in enumerate(fallback_sentences(self.F, self.quote_at))]

    def sentence(self, pos: int) -> tuple[int, int, int]:
        for sid, s, e in self.sents:
            if s <= pos < e:
                return sid, s, e
        before = [t for t in self.sents if t[1] <= pos]
        if before:
            return before[-1]
        return (0, 0, len(self.F))

    def _mentions(self, mentions: pd.DataFrame | None, person_ids: frozenset[str]
                  ) -> list[_Mention]:
        if mentions is None or not len(mentions):
            return []
        out = []
        for r in mentions.itertuples(index=False):
            s, e = self.to_f(int(r.start_char)), self.to_f(int(r.end_char))
            if e <= s:
                continue
            aid = "" if pd.isna(r.actor_id) else str(r.actor_id)
            grp = "" if pd.isna(r.group) else str(r.group)
            out.append(_Mention(s, e, aid, grp, self.clean(s, e), aid in person_ids))
        # longest first at each start, then by start
        out.sort(key=lambda m: (m.start, -(m.end - m.start)))
        return out

    # tokens --------------------------------------------------------------------------
    def tok_index(self, pos: int) -> int:
        """Index of the first token starting at or after pos."""
        return bisect.bisect_left(self.tok_s, pos)

    def prev_token(self, pos: int) -> tuple[int, int, str] | None:
        i = self.tok_index(pos) - 1
        return self.toks[i] if i >= 0 else None

    def next_token(self, pos: int) -> tuple[int, int, str] | None:
        i = self.tok_index(pos)
        return self.toks[i] if i < len(self.toks) else None

    def iter_tokens(self, pos: int):
        """Tokens from pos on; a token cut by pos (a clitic already consumed) starts at pos."""
        return ((m.start(), m.end(), m.group()) for m in _TOKEN_RE.finditer(self.F, pos))

    def words(self, s: int, e: int) -> list[str]:
        return _WORD_RE.findall(self.F[s:e])

    def marker_at(self, pos: int, types: tuple[str, ...]) -> tuple[dict, int, int] | None:
        for t in types:
            rx = self.lex.marker_re.get(t)
            if rx is None:
                continue
            m = rx.match(self.F, pos)
            if m:
                key = _SPACES_RE.sub(" ", m.group("m"))
                return self.lex.marker_info[key], m.start(), m.end()
        return None


# --------------------------------------------------------------------------- resolution


def _gap_ok(doc: _Doc, s: int, e: int, max_words: int) -> bool:
    """True if F[s:e] holds at most max_words words and no stop word or punctuation."""
    seg = doc.F[s:e]
    if any(ch in _PUNCT_BOUNDARY or ch in _STRAIGHT_QUOTES or ch in _QUOTE_PAIRS
           or ch in _QUOTE_PAIRS.values() for ch in seg):
        return False
    words = _WORD_RE.findall(seg)
    closed = _closed()
    if len(words) > max_words:
        return False
    # a subject does not start with a preposition (بالإجراءات، للمنظمة)
    if words and words[0].startswith(("بال", "لل", "كال")):
        return False
    return not any(w in closed["comp"] or w in closed["block"] for w in words)


def _chain_forward(doc: _Doc, first: _Mention) -> list[_Mention]:
    """Follow appositions: mentions separated by commas, or a person name right after."""
    chain = [first]
    end = first.end
    for m in doc.mentions:
        if m.start < end:
            if m.start >= chain[-1].start and m.end > end and m.start >= first.start:
                # nested/overlapping mention reaching further: absorb it
                chain[-1] = m if m.start == chain[-1].start else chain[-1]
                end = max(end, m.end)
            continue
        gap = doc.F[end:m.start]
        if not _LINK_GAP_RE.fullmatch(gap):
            break
        has_comma = any(ch in "،," for ch in gap)
        if has_comma or (m.person and not chain[-1].person) or m.actor_id == chain[-1].actor_id:
            chain.append(m)
            end = m.end
            continue
        break
    return chain


def _vs_subject(doc: _Doc, after: int, limit: int) -> tuple[list[_Mention], int] | None:
    """Mention chain beginning within a short gap after position `after`."""
    for m in doc.mentions:
        if m.start < after:
            continue
        if m.start >= limit:
            break
        if doc.quote_at(m.start):
            return None
        if _gap_ok(doc, after, m.start, _MAX_GAP_WORDS):
            chain = _chain_forward(doc, m)
            return chain, chain[-1].end if chain[-1].end >= m.end else m.end
        return None
    return None


def _marker_ending(doc: _Doc, i: int, types: tuple[str, ...]) -> int | None:
    """Index of the first token of a marker that ends with token i, if any."""
    e = doc.toks[i][1]
    for j in range(max(0, i - 3), i + 1):
        mk = doc.marker_at(doc.toks[j][0], types)
        if mk and mk[2] == e:
            return j
    return None


def _walk_back(doc: _Doc, pos: int, sent_start: int, max_words: int = 0
               ) -> tuple[int, bool, int]:
    """Walk back from pos over spaces, discourse/topic/pronoun markers and up to max_words
    other words; returns (clause start, reached a boundary, boundary position)."""
    i = doc.tok_index(pos) - 1
    head = pos
    used = 0
    lex_types = ("topic", "pronoun", "discourse")
    while i >= 0:
        s, e, t = doc.toks[i]
        if s < sent_start:
            return head, True, sent_start
        if t in "،," and i > 0 and _marker_ending(doc, i - 1, lex_types) is not None:
            i -= 1  # the comma after a fronted marker (من جهتها، ...) is not the boundary
            continue
        if t in _PUNCT_BOUNDARY or t in _STRAIGHT_QUOTES or t in _QUOTE_PAIRS.values():
            return head, True, s
        hit = _marker_ending(doc, i, lex_types)
        if hit is not None:
            head = doc.toks[hit][0]
            i = hit - 1
            continue
        if used < max_words:
            used += 1
            head = s
            i -= 1
            continue
        return head, False, -1
    return head, True, sent_start


def _sv_subject(doc: _Doc, cue_s: int, sent_start: int) -> tuple[list[_Mention], int] | None:
    """Mention chain ending right before the cue, standing at the start of its clause."""
    closed = _closed()
    best = None
    for m in doc.mentions:
        if m.end > cue_s:
            break
        if m.start < sent_start or doc.quote_at(m.start):
            continue
        gap = doc.F[m.end:cue_s]
        words = _WORD_RE.findall(gap)
        if _SPACE_RE.fullmatch(gap) or (len(words) == 1 and words[0] in closed["softstop"]
                                         and not any(c in _PUNCT_BOUNDARY for c in gap)):
            if best is None or m.end > best.end or (m.end == best.end and m.start < best.start):
                best = m
    if best is None:
        return None
    chain = [best]
    # appositions before the head mention (title ، name)
    for m in reversed([x for x in doc.mentions if x.end <= chain[0].start]):
        gap = doc.F[m.end:chain[0].start]
        title = (chain[0].person and not m.person) or m.actor_id == chain[0].actor_id
        if m.start >= sent_start and _LINK_GAP_RE.fullmatch(gap) and (
                any(c in "،," for c in gap) or title):
            chain.insert(0, m)
        elif m.end <= chain[0].start and gap.strip():
            break
    prev = doc.prev_token(chain[0].start)
    if prev and prev[2] in closed["comp"]:
        return chain, chain[0].start  # an embedded clause: قالت إن البرلمان صادق ...
    head, at_boundary, _ = _walk_back(doc, chain[0].start, sent_start, max_words=2)
    if not at_boundary:
        return None
    return chain, head


def _word_run(doc: _Doc, pos: int, limit: int,
              stop: Callable[[int, int, str], bool]) -> tuple[int, int] | None:
    """The span of the words from ``pos`` up to (not including) the first token that is not
    a word, is a complementizer or preposition, lies past ``limit`` or meets ``stop(n, start,
    token)``; at most ``_MAX_NP_WORDS`` words. None when the first token stops it."""
    closed = _closed()
    s0 = e0 = -1
    for n, (s, e, t) in enumerate(doc.iter_tokens(pos)):
        if n >= _MAX_NP_WORDS or s >= limit or not _WORD_RE.fullmatch(t) \
                or t in closed["comp"] or t in closed["prep"] or stop(n, s, t):
            break
        s0 = s if s0 < 0 else s0
        e0 = e
    return (s0, e0) if s0 >= 0 else None


def _np_after(doc: _Doc, pos: int, limit: int) -> tuple[int, int] | None:
    """An unresolved noun phrase after a cue: words up to a stop word, punctuation or a
    channel/addressee/source marker (قال مسؤول كبير في بيان -> مسؤول كبير)."""
    return _word_run(doc, pos, limit,
                     lambda n, s, t: doc.marker_at(s, ("channel", "addressee", "source")))


def _np_before(doc: _Doc, cue_s: int, sent_start: int
               ) -> tuple[int, tuple[int, int]] | None:
    """A clause-initial noun phrase right before a cue (subject-verb with no known actor):
    returns (clause head, phrase span)."""
    closed = _closed()
    i = doc.tok_index(cue_s) - 1
    words: list[tuple[int, int]] = []
    while i >= 0:
        s, e, t = doc.toks[i]
        if s < sent_start or t in _PUNCT_BOUNDARY or not _WORD_RE.fullmatch(t):
            break
        if _marker_ending(doc, i, ("topic", "pronoun", "discourse")) is not None:
            break
        if t in closed["comp"] or t in closed["prep"] or doc.lex.cue_re.fullmatch(t) \
                or len(words) >= _MAX_GAP_WORDS:
            return None
        words.insert(0, (s, e))
        i -= 1
    if not words:
        return None
    head, at_boundary, _ = _walk_back(doc, words[0][0], sent_start)
    if not at_boundary:
        return None
    return head, (words[0][0], words[-1][1])


def _strip_article(word: str) -> str:
    for pre in ("وال", "فال", "بال", "لل", "ال"):
        if word.startswith(pre) and len(word) > len(pre) + 2:
            return word[len(pre):]
    return word


def _anaphor(doc: _Doc, span: tuple[int, int], before: int, history: list[_Cand]
             ) -> _Mention | None:
    """Resolve a definite noun (الوزارة، المنظمة) to the latest speaker/mention containing it."""
    words = doc.words(*span)
    if not words or len(words) > 2 or not words[0].startswith(("ال", "لل", "وال")):
        return None
    noun = _strip_article(words[0])
    for c in reversed(history):
        if c.speaker and c.speaker_span and noun in [
                _strip_article(w) for w in doc.words(*c.speaker_span)]:
            return c.speaker
    for m in reversed([m for m in doc.mentions if m.end <= before]):
        if noun in [_strip_article(w) for w in _WORD_RE.findall(doc.F[m.start:m.end])]:
            return m
    return None


def _parse_object(doc: _Doc, pos: int, after_l: bool) -> tuple[str, int]:
    """Object of a marker: a short quoted name or words up to a stop; returns (text, end)."""
    pos += len(_SPACE_RE.match(doc.F, pos).group())
    q = doc.quote_at(pos)
    if q and q[0] == pos and len(_WORD_RE.findall(doc.F[q[0]:q[1]])) <= 3:
        return doc.clean(q[0] + 1, q[1] - 1), q[1]
    closed = _closed()
    s0 = e0 = -1
    n = 0
    skip_to = -1
    for s, e, t in doc.iter_tokens(pos):
        if s < skip_to:
            continue
        if n >= _MAX_NP_WORDS:
            break
        if s0 >= 0 and (not _WORD_RE.fullmatch(t) or t in closed["comp"]
                        or t in closed["prep"]):
            qq = doc.quote_at(s) if (t in _STRAIGHT_QUOTES or t in _QUOTE_PAIRS) else None
            if qq and qq[0] == s and len(_WORD_RE.findall(doc.F[qq[0]:qq[1]])) <= 3:
                e0 = skip_to = qq[1]
                n += 1
                continue
            break
        if s0 < 0 and not _WORD_RE.fullmatch(t):
            break
        s0 = s if s0 < 0 else s0
        e0 = e
        n += 1
    if s0 < 0:
        return "", pos
    text = _QUOTE_CHARS_RE.sub("", doc.clean(s0, e0))
    if after_l and text.startswith("ل"):
        text = "ا" + text  # ل + ال written لل: restore the article
    return text, e0


def _addressee_words(doc: _Doc, pos: int, limit: int) -> tuple[int, int] | None:
    """The addressee after a channel marker; a ب-masdar (بإطلاق، بضرورة) starts the content
    after it (طالب الحكومة بإطلاق -> الحكومة)."""
    return _word_run(doc, pos, limit,
                     lambda n, s, t: n > 0 and t.startswith("ب") and len(t) > 4 and t[1] == "ا")


def _header(doc: _Doc, c: _Cand, limit: int) -> None:  # noqa: C901 (a listed exception)
    """Parse channel/addressee markers, complementizer, colon or quote after the speaker."""
    closed = _closed()
    pos = c.hstart
    takes_object = c.info.get("object") == "addressee"
    while pos < limit:
        pos += len(_LINK_GAP_RE.match(doc.F, pos).group())
        if pos >= limit:
            break
        mk = doc.marker_at(pos, ("addressee", "channel", "source"))
        skip = doc.marker_at(pos, ("pronoun", "discourse")) if not mk else None
        if skip:
            pos = skip[2]  # دعت بدورها ...
            continue
        if mk:
            info, _, mend = mk
            if info["object"]:
                obj, oend = _parse_object(doc, mend, info["folded"].endswith(" ل")
                                          or info["folded"] == "ل")
                # an apposition after the object (نظيره الأميركي، أنتوني بلينكن)
                head = next((m for m in doc.mentions if m.end == oend), None)
                if head is not None:
                    chain = _chain_forward(doc, head)
                    if chain[-1].end > oend:
                        obj = f"{obj}، {chain[-1].surface}" if len(chain) > 1 else obj
                        oend = chain[-1].end
                if info["type"] == "addressee":
                    c.addressee = c.addressee or obj
                elif obj:
                    # خلال قمة + افتراضية لـ...: keep the noun of the marker, drop its preposition
                    words = info["marker"].split()
                    if len(words) > 1 and words[-1] not in _MARKER_PREPS:
                        obj = " ".join(words[1:] + [obj])
                    c.channel.append(obj)
                pos = max(oend, mend)
            else:
                c.channel.append(info["channel"] or doc.clean(mk[1], mend))
                pos = mend
            continue
        tok = doc.next_token(pos)
        if tok is None:
            break
        s, e, t = tok
        after = doc.next_token(e)
        if t in closed["prep"] and after and after[2] in closed["comp"] \
                and not doc.F[e:after[0]].strip():
            s, e, t = after  # على أن، إلى أن: the preposition belongs to the verb
        if t in closed["comp"]:
            pos = e
            pos += len(_SPACE_RE.match(doc.F, pos).group())
            q = doc.quote_at(pos)
            after = doc.next_token(q[1]) if q and q[0] == pos else None
            if q and q[0] == pos and not (after and _WORD_RE.fullmatch(after[2])
                                          and not doc.F[q[1]:after[0]].strip()):
                c.direct, c.cstart, c.cend = True, q[0] + 1, q[1] - 1
                return
            c.cstart = pos
            return
        if t == ":":
            pos = e
            continue
        q = doc.quote_at(s)
        if q and q[0] == s:
            c.direct, c.cstart, c.cend = True, q[0] + 1, q[1] - 1
            if takes_object and not c.addressee:
                span = _addressee_words(doc, q[0] + 1, q[1] - 1)
                if span:
                    c.addressee = doc.clean(*span)
            return
        ahead = _complementizer_ahead(doc, s, limit) if not takes_object else None
        if ahead is not None:
            # وقال بيسكوف للصحفيين إن ...؛ أعلنت الوزارة، اليوم، أن ...: words before the
            # complementizer are an addressee (لـ...) or an adverbial, not content
            first = doc.next_token(s)
            if first and first[2].startswith("ل") and len(first[2]) > 3 and not c.addressee:
                c.addressee = _LL_RE.sub("ا", doc.clean(s, ahead).rstrip("،, "))
            pos = ahead
            continue
        if takes_object and not c.addressee:
            span = _addressee_words(doc, s, limit)
            if span:
                c.addressee = doc.clean(*span)
        c.cstart = s
        return
    c.cstart = min(pos, limit)


def _complementizer_ahead(doc: _Doc, pos: int, limit: int) -> int | None:
    """Start of a complementizer (إن، أن، بأن), a colon or a quotation up to eight words
    ahead, before any other punctuation than a comma and before any other cue."""
    closed = _closed()
    n = commas = 0
    for s, _e, t in doc.iter_tokens(pos):
        if s >= limit or n > _MAX_LOOKAHEAD:
            return None
        if t in closed["comp"] or t == ":" or (doc.quote_at(s) or (0, 0))[0] == s:
            return s if n else None
        if t in "،,":
            commas += 1
            continue
        # a verb is allowed only inside a parenthetical (مسؤول، طلب عدم الكشف عن هويته، إن)
        if not _WORD_RE.fullmatch(t) or (doc.lex.cue_re.fullmatch(t) and commas % 2 == 0):
            return None
        n += 1
    return None


def _clause_subject_before(doc: _Doc, pos: int) -> bool:
    """A mention chain ends right before pos and is not itself the subject or object of a
    preceding verb (انتقد بلينكن طلب كازاخستان: طلب is a noun)."""
    closed = _closed()
    before = [m for m in doc.mentions if m.end <= pos and not doc.F[m.end:pos].strip()]
    if not before:
        return False
    start = min(m.start for m in before)
    for m in sorted(doc.mentions, key=lambda x: -x.end):
        if m.end <= start and _LINK_GAP_RE.fullmatch(doc.F[m.end:start]):
            start = min(start, m.start)
    prev = doc.prev_token(start)
    while prev and _WORD_RE.fullmatch(prev[2]) and not doc.lex.cue_re.fullmatch(prev[2]) \
            and prev[2] not in closed["comp"] \
            and _marker_ending(doc, doc.tok_index(prev[0]), ("topic", "pronoun",
                                                             "discourse")) is None \
            and start - prev[0] < 40:
        start = prev[0]
        prev = doc.prev_token(start)
    return not (prev and doc.lex.cue_re.fullmatch(prev[2]))


def _find_candidates(doc: _Doc) -> list[_Cand]:
    closed = _closed()
    cands: list[_Cand] = []
    inside_markers = [(m.start("m"), m.end("m")) for t in ("source", "channel", "addressee")
                      if t in doc.lex.marker_re for m in doc.lex.marker_re[t].finditer(doc.F)]
    for m in doc.lex.cue_re.finditer(doc.F):
        s, e = m.span()
        if doc.quote_at(s) or any(ms <= s < me for ms, me in inside_markers):
            continue  # quoted, or the verb of a marker (حسبما أعلنت، بحسب ما ذكرت)
        info = doc.lex.cue_info[m.group("form")]
        prev = doc.prev_token(s)
        neg, neg_start = "", -1
        if prev and in_class(prev[2], closed["neg"]):
            neg, neg_start = doc.clean(prev[0], prev[1]), prev[0]
            prev = doc.prev_token(prev[0])
        if prev and prev[2] in closed["block"]:
            continue
        if info["class"] == "action" and not m.group("cl") and prev \
                and _WORD_RE.fullmatch(prev[2]) and prev[2] not in closed["opener"] \
                and _marker_ending(doc, doc.tok_index(prev[0]), ("topic", "pronoun",
                                                                 "discourse")) is None \
                and not _clause_subject_before(doc, s):
            # an action verb after a plain word is a noun in a construct (شرعية طلب ...),
            # unless its subject stands before it
            continue
        cands.append(_Cand("cue", s, e, m.group("cl") or "", info, neg=neg,
                           neg_start=neg_start))
    rx = doc.lex.marker_re.get("source")
    if rx is not None:
        for m in rx.finditer(doc.F):
            if doc.quote_at(m.start()):
                continue
            key = _SPACES_RE.sub(" ", m.group("m"))
            cands.append(_Cand("marker", m.start(), m.end(), m.group("cl") or "",
                               doc.lex.marker_info[key]))
    cands.sort(key=lambda c: c.s)
    return cands


def _resolve_doc(doc: _Doc) -> list[_Cand]:
    cands = _find_candidates(doc)
    # pass 1: subjects and clause heads (independent of order)
    for c in cands:
        sid, ss, se = doc.sentence(c.s)
        if c.kind_src == "marker":
            head, at_b, b = _walk_back(doc, c.s, ss, max_words=0)
            c.head, c.top = head, at_b or c.clitic == "و"
            c.boundary = b if at_b else head
            continue
        if c.info["form_type"] == "participle":
            c.head, c.hstart = c.s, c.e  # مطالباً السلطات ...: the subject is the main clause's
            _, at_b, b = _walk_back(doc, c.head, ss, max_words=0)
            c.top, c.boundary = at_b, (b if at_b else c.head)
            continue
        vs = _vs_subject(doc, c.e, se)
        sv = _sv_subject(doc, c.s, ss) if c.clitic != "و" else None
        if vs and sv and doc.words(c.e, vs[0][0].start):
            vs = None  # الأمم المتحدة دعت بدورها قوات ...: the subject stands before the verb
        if vs:
            chain, end = vs
            c.speaker, c.how = chain[-1], "verb-subject"
            first_word = doc.next_token(c.e)
            c.speaker_span = (first_word[0] if first_word else chain[0].start, end)
            c.hstart = end
        elif c.clitic != "و":
            if sv:
                chain, head = sv
                c.speaker, c.how = chain[-1], "subject-verb"
                first = head
                mk = doc.marker_at(head, ("topic", "pronoun", "discourse"))
                while mk and mk[2] <= chain[0].start:
                    first = mk[2] + len(_LINK_GAP_RE.match(doc.F, mk[2]).group())
                    mk = doc.marker_at(first, ("topic", "pronoun", "discourse"))
                c.speaker_span = (first, chain[-1].end)
                c.head = head
                c.hstart = c.e
            else:
                np_before = _np_before(doc, c.s, ss)
                if np_before:
                    c.speaker_span, c.head, c.how = np_before[1], np_before[0], "unresolved-sv"
        if c.head < 0:
            c.head = c.neg_start if c.neg else c.s
        if c.hstart < 0:
            c.hstart = c.e
        _, at_b, b = _walk_back(doc, c.head, ss, max_words=0)
        c.top = at_b or (c.clitic == "و" and c.how != "subject-verb")
        c.boundary = b if at_b else c.head
    return cands


def _relay(doc: _Doc, c: _Cand) -> None:
    """نقلت وكالة إنترفاكس عن وزارة الداخلية قولها إن ...: the source after عن is the speaker,
    the relaying subject the channel, and the claim is speech."""
    closed = _closed()
    tok = doc.next_token(c.hstart)
    if not tok or tok[2] != normalize_for_matching("عن") or doc.F[c.hstart:tok[0]].strip():
        return
    vs = _vs_subject(doc, tok[1], tok[1] + 200)
    if vs and not doc.words(tok[1], vs[0][0].start):
        chain, end = vs
        speaker, span = chain[-1], (chain[0].start, end)
    else:
        # an unnamed source: "عن مصدر دبلوماسي قوله"
        np_span = _np_after(doc, tok[1], tok[1] + 200)
        if np_span is None:
            return
        words = [w for w in _TOKEN_RE.finditer(doc.F, np_span[0], np_span[1])]
        cut = next((w.start() for w in words if w.group() in closed["say"]), np_span[1])
        span = (np_span[0], cut if cut > np_span[0] else np_span[1])
        speaker, end = None, span[1]
    if c.speaker_span:
        c.channel.append(c.speaker_text or doc.clean(*c.speaker_span))
    c.speaker, c.speaker_span, c.how = speaker, span, "relayed"
    c.speaker_text = ""
    c.info = {**c.info, "class": "speech"}
    c.hstart = end
    nxt = doc.next_token(end)
    if nxt and nxt[2] in closed["say"]:
        c.hstart = nxt[1]


def _finish(doc: _Doc, cands: list[_Cand]) -> list[_Cand]:  # noqa: C901 (a listed exception)
    """Pass 2, in text order: speakers by continuation, headers, content ends."""
    closed = _closed()
    out: list[_Cand] = []
    history: list[_Cand] = []
    tops = sorted((c.boundary, c.s) for c in cands if c.top)
    for c in cands:
        sid, ss, se = doc.sentence(c.s)
        para_end = doc.F.find("\n", c.s)
        para_end = len(doc.F) if para_end < 0 else para_end
        obj = ""
        if c.kind_src == "marker":
            if any(h.s <= c.s < h.cstart for h in history) or any(
                    h.direct and h.cstart <= c.s < h.cend for h in history):
                continue  # a source inside a claim's header or quote is its channel
            after_l = c.info["folded"].endswith(" ل")
            obj, oend = _parse_object(doc, c.e, after_l)
            if not obj:
                continue
            ostart = c.e + len(_SPACE_RE.match(doc.F, c.e).group())
            vs = _vs_subject(doc, c.e, oend + 1)
            if vs and vs[0][0].start < oend:
                c.speaker, c.how = vs[0][-1], "marker"
            else:
                c.speaker = _anaphor(doc, (ostart, oend), c.s, history)
                c.how = "marker-anaphor" if c.speaker else "marker"
            c.speaker_span = (ostart, oend)
            c.hstart = oend
        elif c.how == "unresolved-sv":
            c.speaker = _anaphor(doc, c.speaker_span, c.s, history)
            c.how = "anaphor" if c.speaker else "unresolved"
        elif c.speaker is None:
            nxt = doc.next_token(c.e)
            np_span = None
            # a verb coordinated with و inside the sentence of the previous claim shares its
            # subject; the noun phrase after it is an object (ودعا جميع الأطراف إلى ...)
            shared = c.clitic == "و" and bool(history) and history[-1].s >= ss
            if not shared and c.info["form_type"] != "participle" and nxt \
                    and _WORD_RE.fullmatch(nxt[2]) \
                    and nxt[2] not in closed["comp"] and nxt[2] not in closed["prep"] \
                    and not doc.marker_at(nxt[0], ("channel", "addressee", "source")):
                np_span = _np_after(doc, c.e, se)
            if np_span:
                c.speaker = _anaphor(doc, np_span, c.s, history)
                c.speaker_span = np_span
                c.how = "anaphor" if c.speaker else "unresolved"
                c.hstart = np_span[1]
            elif history:
                last = history[-1]
                c.speaker, c.speaker_span, c.how = last.speaker, last.speaker_span, "continuation"
                c.speaker_text = last.speaker_text
        if c.info.get("object") == "source" and c.speaker_span:
            _relay(doc, c)
        if c.info.get("class") == "action" and c.how not in ("verb-subject", "subject-verb"):
            continue
        _header(doc, c, min(se, para_end) if se > c.s else para_end)
        # content end: the next top-level clause, the sentence end (past an open quotation)
        # or the paragraph end
        end = se
        q = doc.quote_at(max(se - 1, 0))
        if q and q[0] < se <= q[1] - 1:
            end = q[1]
        end = min(max(end, c.cstart), para_end)
        for b, s in tops:
            if s > c.s and b > c.cstart:
                end = min(end, b)
                break
        if not c.direct:
            c.cend = end
        # a postposed source ("... ، بحسب الوزارة.") attributes what precedes it
        if c.kind_src == "marker" and len(doc.words(c.cstart, c.cend)) < 2:
            prev = history[-1] if history else None
            if prev is not None and prev.speaker is not None and prev.cend >= c.boundary - 2 \
                    and prev.s >= ss:
                prev.channel.append(obj)
                continue
            c.cstart = max(ss, prev.cend if prev is not None and prev.cend <= c.s else ss)
            c.cend, c.direct = c.boundary, False
        if c.cstart < 0 or c.cend <= c.cstart:
            continue
        # drop a complementizer left after a marker (ووفق الوزارة، فإن ...)
        lead = _LEAD_RE.match(doc.F, c.cstart)
        c.cstart += len(lead.group()) if lead else 0
        tok = doc.next_token(c.cstart)
        if tok and tok[0] == c.cstart and tok[2] in closed["comp"] and not c.direct:
            c.cstart = tok[1] + len(_SPACE_RE.match(doc.F, tok[1]).group())
        if c.cend <= c.cstart:
            continue
        if c.speaker_span and not c.speaker_text:
            c.speaker_text = doc.clean(*c.speaker_span)
        history.append(c)
        out.append(c)
    return out


@lru_cache(maxsize=1)
def _package_dictionary():
    """The package's actor dictionary (through the public :func:`kzcrisis.actors.load_actors`),
    for callers that pass none; None when it cannot be loaded."""
    try:
        from .actors import load_actors

        return load_actors()
    except (ImportError, KzError):
        return None


def _person_ids(actor_ids: set[str], d) -> frozenset[str]:
    """Which mentioned actors are persons (an apposition chain ends on a person's name)."""
    if d is None:
        return frozenset()
    out = set()
    for aid in actor_ids:
        try:
            if d.info(aid).get("type") == "person":
                out.add(aid)
        except KzError:
            continue
    return frozenset(out)


def has_parse(annotation) -> bool:
    """Whether an annotation carries a dependency parse (a words table with heads)."""
    words = getattr(annotation, "words", None)
    return isinstance(words, pd.DataFrame) and len(words) > 0 and bool((words["head"] >= 0).all())


def extract_statements(docs: pd.DataFrame, annotation=None, mentions: pd.DataFrame | None = None,
                       lexicon: StatementLexicon | dict | None = None,
                       cue_lemmas: str | Path | dict | None = None,
                       dictionary=None) -> pd.DataFrame:
    """Statements (claims) of each cleaned document, as table ``schemas.STATEMENTS``.

    ``docs`` needs doc_id and text_clean (from :func:`kzcrisis.clean.clean_corpus`);
    ``annotation`` (from :func:`kzcrisis.annotate`) gives the sentences and the parse;
    ``mentions`` (from :func:`kzcrisis.extract_actors`) gives the speakers. With a parse the
    rules of :mod:`kzcrisis.attribution` run (cues by lemma, speakers from the tree, every row
    naming its ``speaker_rule`` and ``link_rule``); without one (a model set without a parser,
    or no annotation) the surface rules of this module do, and ``speaker_rule`` says so
    (``surface:...``). Raw offsets are added when ``docs`` carries the cleaning provenance.
    ``dictionary`` (an :class:`kzcrisis.actors.ActorDictionary`, the one the mentions came
    from) tells the surface rules which speakers are persons; by default the package's own.

    >>> docs, _ = kz.clean_corpus(kz.load_corpus("data/raw"))          # doctest: +SKIP
    >>> ann = kz.annotate(docs)                                           # doctest: +SKIP
    >>> kz.extract_statements(docs, ann, kz.extract_actors(docs, ann).mentions)  # doctest: +SKIP
    """
    if isinstance(lexicon, dict):  # a cue-lemma lexicon (load_cue_lemmas, users' --cues)
        cue_lemmas, lexicon = lexicon, None
    if has_parse(annotation) and isinstance(docs, pd.DataFrame) \
            and {"doc_id", "text_clean"} <= set(docs.columns):
        return _from_parse(docs, annotation, mentions, cue_lemmas, dictionary)
    return _from_surface(docs, annotation, mentions, lexicon, dictionary)


def _from_parse(docs: pd.DataFrame, annotation, mentions: pd.DataFrame | None,
                cue_lemmas: str | Path | None, dictionary=None) -> pd.DataFrame:
    lex = cue_lemmas if isinstance(cue_lemmas, dict) else load_cue_lemmas(
        str(cue_lemmas) if cue_lemmas else None)
    rows = attribute(docs, annotation.words, annotation.sentences, annotation.entities,
                     mentions, lex, dictionary=dictionary)
    n: dict[str, int] = {}
    for r in rows:
        n[r["doc_id"]] = n.get(r["doc_id"], 0) + 1
        r["statement_id"] = f"{r['doc_id']}:s{n[r['doc_id']]:03d}"
        r.pop("_head", None)
        r.pop("_claim", None)
    return _finish_table(pd.DataFrame(rows, columns=[c for c in schemas.STATEMENTS
                                                     if c not in ("raw_start", "raw_end")]), docs)


def _finish_table(table: pd.DataFrame, docs: pd.DataFrame) -> pd.DataFrame:
    if "provenance" in docs.columns and len(table):
        from .clean import add_raw_offsets

        table = add_raw_offsets(table, docs)
    else:
        table["raw_start"] = pd.Series(dtype=object)
        table["raw_end"] = pd.Series(dtype=object)
    return schemas.conform(table, schemas.STATEMENTS)


def _from_surface(docs: pd.DataFrame, annotation, mentions: pd.DataFrame | None,
                  lexicon: StatementLexicon | None, dictionary=None) -> pd.DataFrame:
    """The surface rules (module docstring): used where the parse is missing."""
    if not isinstance(docs, pd.DataFrame) or not {"doc_id", "text_clean"} <= set(docs.columns):
        raise KzError("extract_statements needs the cleaned documents (doc_id, text_clean); "
                      "run kz.clean_corpus first")
    if mentions is not None and len(mentions):
        need = {"doc_id", "actor_id", "group", "start_char", "end_char"}
        if not need <= set(mentions.columns):
            raise KzError(f"mentions lack columns {sorted(need - set(mentions.columns))}")
    lex = lexicon or default_lexicon()
    persons = _person_ids(set(mentions["actor_id"].dropna().astype(str)),
                          dictionary if dictionary is not None else _package_dictionary()) \
        if mentions is not None and len(mentions) else frozenset()
    sents = getattr(annotation, "sentences", None)
    if annotation is not None and not (isinstance(sents, pd.DataFrame) and {
            "doc_id", "sent_id", "start_char", "end_char"} <= set(sents.columns)):
        raise KzError("extract_statements: annotation must be a kzcrisis.nlp.Annotation "
                      "(from kz.annotate) or None")
    # one pass over the tables, not one filter per document
    sent_by_doc = {str(k): g for k, g in sents.groupby(sents["doc_id"].astype(str))} \
        if isinstance(sents, pd.DataFrame) and len(sents) else {}
    mention_by_doc = {str(k): g for k, g in mentions.groupby(mentions["doc_id"].astype(str))} \
        if mentions is not None and len(mentions) else {}
    rows = []
    for d in docs.itertuples(index=False):
        doc_id, text = str(d.doc_id), d.text_clean
        if not isinstance(text, str) or not text:
            continue
        doc = _Doc(doc_id, text, sent_by_doc.get(doc_id), mention_by_doc.get(doc_id), lex,
                   persons)
        n = 0
        for c in _finish(doc, _resolve_doc(doc)):
            cs, ce = doc.to_c(c.cstart, c.cend)
            ce_trim = ce
            while ce_trim > cs and _TRAIL_RE.match(text[ce_trim - 1]):
                ce_trim -= 1
            if not _WORD_RE.search(text[cs:ce_trim]):
                continue  # nothing left to attribute (a cue at the end of a sentence)
            sp = c.speaker
            speaker_text = c.speaker_text
            cue = doc.clean(c.s, c.e)
            if c.neg:
                cue = f"{c.neg} {cue}"
            if c.kind_src == "marker":
                lemma = c.info["marker"]
                kind = "direct" if c.direct else "indirect"
            else:
                lemma = c.info["lemma"]
                kind = "action" if c.info["class"] == "action" else (
                    "direct" if c.direct else "indirect")
            sid = doc.sentence(c.s)[0]
            n += 1
            ss, se = doc.to_c(*c.speaker_span) if c.speaker_span else (None, None)
            rows.append({
                "statement_id": f"{doc_id}:s{n:03d}", "doc_id": doc_id, "sent_id": sid,
                "speaker_actor_id": sp.actor_id if sp else "", "group": sp.group if sp else "",
                "speaker_text": speaker_text, "speaker_start": ss, "speaker_end": se,
                "speaker_type": "", "speaker_rule": f"surface:{c.how or 'none'}",
                "link_rule": "surface", "cue": cue, "cue_lemma": lemma, "kind": kind,
                "content": text[cs:ce_trim], "start_char": cs, "end_char": ce_trim,
                "channel": "؛ ".join(dict.fromkeys(x for x in c.channel if x)),
                "addressee": c.addressee, "is_headline": 0,
            })
    table = pd.DataFrame(rows, columns=[c for c in schemas.STATEMENTS
                                        if c not in ("raw_start", "raw_end")])
    return _finish_table(table, docs)


def evaluate_statements(pred: pd.DataFrame, gold: pd.DataFrame) -> pd.DataFrame:
    """Statement detection and attribution against a hand coding (``data/gold/statements.csv``).

    Statements pair within a document by the largest overlap of their raw content spans
    (each used once). Returns one row per measure: precision and recall of statements,
    and, over the paired ones, the share with the same speaker actor, group and kind.

    >>> gold = pd.read_csv("data/gold/statements.csv", dtype=str, keep_default_na=False)  # doctest: +SKIP
    >>> evaluate_statements(results.statements, gold)  # doctest: +SKIP
    """
    need = {"doc_id", "raw_start", "raw_end", "speaker_actor_id", "group", "kind"}
    for name, df in (("pred", pred), ("gold", gold)):
        if not isinstance(df, pd.DataFrame) or not need <= set(df.columns):
            raise KzError(f"evaluate_statements: {name} needs columns {sorted(need)}")
    p = pred.dropna(subset=["raw_start", "raw_end"]).reset_index(drop=True)
    golds = list(gold.itertuples(index=False))
    paired = align_spans([(str(g.doc_id), int(g.raw_start), int(g.raw_end)) for g in golds],
                         [(str(r.doc_id), int(r.raw_start), int(r.raw_end))
                          for r in p.itertuples(index=False)])
    pairs = [(golds[j], p.iloc[i]) for j, i in sorted(paired.items())]

    def same(col: str) -> float:
        if not pairs:
            return float("nan")
        return sum(str(g._asdict()[col] or "") == str(r[col] if pd.notna(r[col]) else "")
                   for g, r in pairs) / len(pairs)

    rows = [("statements_gold", float(len(gold))), ("statements_pred", float(len(p))),
            ("matched", float(len(pairs))),
            ("precision", len(pairs) / len(p) if len(p) else float("nan")),
            ("recall", len(pairs) / len(gold) if len(gold) else float("nan")),
            ("speaker_actor_accuracy", same("speaker_actor_id")),
            ("group_accuracy", same("group")), ("kind_accuracy", same("kind"))]
    out = pd.DataFrame(rows, columns=["measure", "value"])
    out["value"] = out["value"].round(3)
    return out
