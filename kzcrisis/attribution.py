"""Statement attribution on the dependency parse: cues by lemma, speakers from the tree.

This is the attribution that :func:`kzcrisis.statements.extract_statements` runs when the
annotation has a parse (``kz.annotate`` with the embedded models); the surface rules of
``statements.py`` remain only for model sets without a tagger and parser, and the manifest
says which ran.

The way of textacy's ``direct_quotations`` and citron, for Arabic newswire:

* **Cues by lemma** (``resources/cues_lemma.csv``): a word whose lemma and POS fit a row,
  whatever its inflection, clitics or voice: ``وقالت``, ``يقول``, ``قالوا`` -> قال; participles
  in a reporting frame (``مضيفاً أن`` -> أضاف) and the negator attached to the cue
  (``لم يستبعد``).
* **Speaker rules**, tried in order (:data:`SPEAKER_RULES`); each is a small function over the
  tree and names itself in ``speaker_rule``: ``subject`` (nsubj of the cue, before or after
  it), ``relay`` (``نقل عن X``: X), ``kana`` (``وكان الوزير ... قد صرح``), ``topic``
  (``أما الوزارة فحذرت``), ``conj`` and ``participle`` (a cue coordinated with or depending on
  another cue shares its speaker), ``passive`` (no speaker), ``continuation`` (pro-drop: the
  latest speaker whose gender and number agree with the verb).
* **Speaker phrase**: the subject with its noun phrase (flat names, appositions, nmod,
  adjectives), offsets without proclitics: ``speaker_text``/``speaker_start``/``speaker_end``.
* **Linking** (``link_rule``): an actor mention *inside* the phrase (``inside``); a bare office
  noun (``الوزير``) to the latest earlier speaker headed by the same noun (``office``);
  otherwise none (the phrase is kept with its NER type and an empty group), never the
  nearest mention elsewhere.
* **Content**: the quotation (``direct``), the ``ccomp`` clause after أن/إن, or the object of
  the cue's frame (``دعا ... إلى``، ``حذر من``), else the rest of the clause.
* **Source markers** (``بحسب``، ``وفقاً لـ``، ``نقلاً عن``) are statements only when their object
  holds an actor mention; otherwise they become the channel of a statement of the sentence.
* **Headlines**: a sentence that is a whole short line without final punctuation is
  ``is_headline``.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import grammar
from .cue_lexicon import CUE_CLASSES, POLARITIES, load_cues  # one list for both lexicons
from .errors import ResourceError
from .layout import headline_like
from .normalize import CONJUNCTIONS, normalize_for_matching, normalize_with_map
from .paths import resource
from .resource_files import check_choice, read_resource_csv
from .syntax import Tree, Word, sentence_trees

CUE_FILE = "cues_lemma.csv"
FRAMES = ("that", "quote", "ila", "min", "ala", "an", "obj", "li", "bi", "fi")
_FRAME_PREPS = {"ila": "الي", "min": "من", "ala": "علي", "an": "عن", "li": "ل", "bi": "ب",
                "fi": "في"}
_QUOTES = {"“": "”", "«": "»", '"': '"', "‘": "’", "„": "“"}
_TRAIL = re.compile(r"[\s،,;؛.:!?؟\-–]+$")
_LEAD = re.compile(r"^[\s،,;؛:\-–]+")
#: a quotation of fewer words is a name or scare quotes, not a direct statement
QUOTE_MIN_WORDS = 3


# ------------------------------------------------------------------------ cue lexicon


@dataclass(frozen=True)
class Cue:
    """One row of the cue lexicon."""

    lemma: str
    verb: str
    pos: str
    cls: str
    polarity: str
    frames: frozenset[str]
    object: str


@lru_cache(maxsize=8)
def load_cue_lemmas(path: str | None = None) -> dict[str, list[Cue]]:
    """``folded lemma -> cue rows`` of ``resources/cues_lemma.csv`` (or ``path``)."""
    file = Path(path) if path else resource(CUE_FILE)
    out: dict[str, list[Cue]] = {}
    for line, row in read_resource_csv(file, ["lemma", "verb", "pos", "class", "polarity",
                                              "frames", "object"]):
        where = f"{file}: line {line}"
        if not row["lemma"] or not row["verb"]:
            raise ResourceError(f"{where}: lemma and verb must not be empty")
        check_choice(where, "class", row["class"], CUE_CLASSES)
        check_choice(where, "polarity", row["polarity"], POLARITIES)
        frames = frozenset(f for f in row["frames"].split("|") if f)
        if frames - set(FRAMES):
            raise ResourceError(f"{where}: unknown frame {sorted(frames - set(FRAMES))[0]!r}; "
                                f"frames are {', '.join(FRAMES)}")
        if row["object"] not in ("", "addressee", "source"):
            raise ResourceError(f"{where}: object must be empty, 'addressee' or 'source'")
        cue = Cue(row["lemma"], row["verb"], row["pos"] or "VERB", row["class"], row["polarity"],
                  frames, row["object"])
        out.setdefault(normalize_for_matching(row["lemma"]), []).append(cue)
    return out


_CLOSED_UPOS = frozenset({"ADP", "CCONJ", "SCONJ", "PART", "PRON", "DET", "PUNCT", "NUM"})


@lru_cache(maxsize=1)
def surface_forms() -> dict[str, str]:
    """``folded inflected form -> verb lemma`` of ``resources/cues.csv``: the safety net for a
    verb the lemmatizer gets wrong (``وأضاف`` lemmatized ``وأض``), used only for words tagged
    VERB."""
    out = {normalize_for_matching(f): v for v in {c.verb for rows in load_cue_lemmas().values() for c in rows
                                 if c.pos == "VERB"} for f in perfective_forms(v)}
    out.update({r.folded: r.lemma for r in load_cues().itertuples()})
    return out


def perfective_forms(verb: str) -> list[str]:
    """Third-person perfective forms of a verb lemma: ``أكد`` -> أكد، أكدت، أكدوا، أكدا،
    أكدتا; a final ى/ا (``أبدى``، ``دعا``) is dropped before ت/وا (أبدت، دعت، دعوا)."""
    stem = verb[:-1] if verb[-1:] in "ىا" else verb
    return list(dict.fromkeys([verb, stem + "ت", stem + "وا", verb + "ا" if stem == verb else verb,
                               stem + "تا"]))


def match_cue(w: Word, lexicon: dict[str, list[Cue]]) -> tuple[Cue, str] | None:
    """The cue row a word realises and how it was found (``lemma`` or ``surface``).

    ``قالت`` (lemma قال, VERB) -> قال; ``مضيفاً`` (lemma مضيف, ADJ) -> the participle row of
    أضاف; ``قول`` (NOUN) -> none (a noun is a cue only through a participle/noun row); a VERB
    whose lemma is unknown but whose form is an inflection listed in ``cues.csv`` (``تقول``)
    -> that verb, found by ``surface``."""
    lemma = normalize_for_matching(w.lemma)
    # a participle's lemma may keep the feminine ending of its form (مشيرة for مشير)
    for key in dict.fromkeys((lemma, lemma[:-1] if lemma.endswith("ه") else lemma)):
        for cue in lexicon.get(key, []):
            if cue.pos == "VERB" and w.upos in ("VERB", "AUX"):
                return cue, "lemma"
            if cue.pos != "VERB" and w.upos in ("ADJ", "NOUN", "VERB"):
                return cue, "lemma"
    form = normalize_for_matching(w.text)
    if w.upos in _CLOSED_UPOS or form in grammar.words("preposition"):
        return None  # بين "between" is no form of بيّن "clarified"
    verb = surface_forms().get(form) or (surface_forms().get(form[1:]) if form[:1] in CONJUNCTIONS
                                          else None)
    for cue in lexicon.get(normalize_for_matching(verb or ""), []):
        # a verb form the tagger missed (فحذرت tagged PROPN, left unsplit): speech verbs only,
        # since action verbs double as nouns (نقل، طلب، أمر)
        if cue.pos == "VERB" and (w.upos == "VERB" or cue.cls == "speech") and not (
                w.upos == "NOUN" and w.feat("Case") == "Gen"):
            # ... but not a noun in the genitive (عن أمل طهران: "hope", not أمل "hoped")
            return cue, "surface"
    return None


# ------------------------------------------------------------------------ the sentence


@dataclass
class Sent:
    """One parsed sentence with what the rules need around it."""

    tree: Tree
    text: str  # the document's text_clean
    start: int
    end: int
    offsets: dict[int, tuple[int, int]] = field(default_factory=dict)
    headline: bool = False
    #: the cue lexicon of the run (the package's, or with a user's file merged)
    lexicon: dict[str, list[Cue]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.offsets = word_offsets(self.tree, self.text)

    def span(self, ids: list[int]) -> tuple[int, int]:
        """Offsets of some words, proclitics and suffix pronouns of the edge tokens excluded."""
        return (min(self.offsets[i][0] for i in ids), max(self.offsets[i][1] for i in ids))


def word_offsets(tree: Tree, text: str) -> dict[int, tuple[int, int]]:
    """Offsets of each word inside its token: ``والرئيس`` = و (0-1) + الرئيس (1-7) when the
    words spell the token; otherwise every word gets the token's offsets."""
    by_token: dict[int, list[Word]] = {}
    for w in sorted(tree.words.values(), key=lambda w: w.id):
        by_token.setdefault(w.token_id, []).append(w)
    out = {}
    for ws in by_token.values():
        s, e = ws[0].start, ws[0].end
        if len(ws) > 1 and "".join(w.text for w in ws) == text[s:e]:
            pos = s
            for w in ws:
                out[w.id] = (pos, pos + len(w.text))
                pos += len(w.text)
        else:
            for w in ws:
                out[w.id] = (s, e)
    return out


def is_headline(text: str, start: int, end: int) -> bool:
    """A sentence that is a whole headline-like line (:func:`kzcrisis.layout.headline_like`:
    at most ``HEADLINE_MAX_WORDS`` words, no final punctuation) followed by more text:
    ``موسكو ترسل قوات إلى كازاخستان``."""
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    le = len(text) if le < 0 else le
    if text[ls:start].strip() or text[end:le].strip():
        return False
    return headline_like(text[ls:le]) and bool(text[le:].strip())


# ------------------------------------------------------------------------ statements


@dataclass
class Claim:
    """A statement being built; rules fill its fields."""

    sent: Sent
    cue_word: Word
    cue: Cue
    speaker_ids: list[int] = field(default_factory=list)
    speaker_rule: str = ""
    inherited: Claim | None = None
    channel: list[str] = field(default_factory=list)
    content: tuple[int, int] | None = None
    kind: str = ""
    negator: str = ""
    addressee: str = ""

    @property
    def speaker_span(self) -> tuple[int, int] | None:
        if self.speaker_ids:
            return self.sent.span(self.speaker_ids)
        if self.inherited is not None:
            return self.inherited.speaker_span
        return None

    @property
    def speaker_head(self) -> Word | None:
        if self.speaker_ids:
            heads = [self.sent.tree.words[i] for i in self.speaker_ids
                     if self.sent.tree.words[i].head not in self.speaker_ids]
            return heads[0] if heads else None
        return self.inherited.speaker_head if self.inherited is not None else None


_NOMINAL = ("NOUN", "PROPN", "X", "ADJ")


def _definite_after_definite(tree: Tree, ids: list[int], head: int) -> int | None:
    """The first word of a phrase that cannot belong to it: a definite noun attached without
    a preposition to a definite noun that already has its adjective (``الاتحاد الأوروبي
    السلطات``: a construct's first noun never takes the article, so السلطات is the verb's
    object, misattached)."""
    for i in ids:
        w = tree.words[i]
        h = tree.words.get(w.head)
        if i <= head or h is None or w.rel != "nmod" or w.upos not in ("NOUN", "PROPN"):
            continue
        if tree.kids(w.id, "case"):
            continue
        if not normalize_for_matching(w.text).startswith("ال") or h.id >= w.id:
            continue
        after_adj = normalize_for_matching(h.text).startswith("ال") and any(
            tree.words[j].upos == "ADJ" for j in range(h.id + 1, w.id) if j in tree.words)
        after_name = tree.words.get(i - 1, w).upos == "PROPN"
        if after_adj or after_name:  # تركيا | السفير الروسي: a name takes no such complement
            return i
    return None


def _phrase(sent: Sent, w: Word, stop: int | None = None) -> list[int]:
    """A speaker's noun phrase, continued through a comma apposition:
    ``وزير الخارجية الروسي، سيرغي لافروف،`` -> the office and the name (up to ``stop``)."""
    tree = sent.tree
    ids = set(tree.phrase(w.id))
    cut = _definite_after_definite(tree, sorted(ids), w.id)
    if cut is not None:
        ids = {i for i in ids if i < cut}
    while True:
        nxt = max(ids) + 1
        if nxt in tree.words and tree.words[nxt].upos == "PUNCT" and tree.words[nxt].text in "،,":
            nxt += 1
        cand = tree.words.get(nxt)
        if cand is None or (stop is not None and cand.id == stop) or cand.id == cut \
                or normalize_for_matching(cand.text) in _TIME_WORDS \
                or cand.upos not in ("PROPN", "NOUN", "X") \
                or cand.rel not in ("nsubj", "appos", "flat", "nmod", "conj") \
                or normalize_for_matching(cand.text) in grammar.words("complementizer"):
            break
        if nxt - 1 not in ids and tree.words[nxt - 1].upos != "PUNCT":
            break
        ids |= set(tree.phrase(cand.id))
    return [i for i in sorted(ids) if tree.words[i].upos != "PUNCT"] or [w.id]


# Speaker rules: each takes the claim and the claims before it in the document, fills the
# speaker and returns True when it applies.


def rule_relay(c: Claim, before: list[Claim]) -> bool:
    """``نقلت وكالة إنترفاكس عن وزارة الداخلية قولها إن ...``: the source after عن speaks, the
    relaying subject is the channel."""
    if c.cue.object != "source":
        return False
    for kid in c.sent.tree.kids(c.cue_word.id, "obl", "nmod"):
        if any(normalize_for_matching(k.lemma or k.text) == "عن" for k in c.sent.tree.kids(kid.id, "case")):
            for subj in c.sent.tree.kids(c.cue_word.id, "nsubj"):
                s, e = c.sent.span(_phrase(c.sent, subj))
                c.channel.append(c.sent.text[s:e])
            c.speaker_ids, c.speaker_rule = _phrase(c.sent, kid), "relay"
            return True
    return False


_STOP_CASES = {"في", "خلال", "عبر", "امام", "لدي", "عقب", "بعد", "قبل", "اثناء"}
#: quantifiers that open a new noun phrase (the addressee of دعا/حث)
_QUANTIFIERS = frozenset(normalize_for_matching(w) for w in ("جميع", "كل", "كافة", "مختلف", "بعض"))
#: time words that follow a speaker between commas (``توكاييف، الجمعة، أنه``)
_TIME_WORDS = frozenset(normalize_for_matching(w) for w in (
    "الجمعة", "السبت", "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس",
    "اليوم", "أمس", "مساء", "صباح", "الليلة", "غدا", "حاليا"))


def _vso_extent(c: Claim, ids: list[int]) -> list[int]:  # noqa: C901 (a listed exception)
    """A subject right after a speech verb, continued up to where the reported part starts:
    ``وقال المتحدث باسم الرئيس الأول نور سلطان نزارباييف، أيدوس أوكيباي، إن`` -> the whole
    name, whatever the parser attached ``باسم`` to. Stops at a complementizer, a colon or
    quotation mark, a channel or time phrase (``في بيان``، ``خلال``), a ل addressee
    (``للصحفيين``) and a clause-level comma; at most 16 words."""
    tree = c.sent.tree
    if c.cue.cls != "speech" or not ids or min(ids) != c.cue_word.id + 1:
        return ids
    cut = _addressee_cut(c, ids)
    if cut is not None:
        return [i for i in ids if i < cut]
    comps = grammar.words("complementizer")
    out = list(ids)
    i = max(ids) + 1
    while i in tree.words and len(out) < 16:
        w = tree.words[i]
        f = normalize_for_matching(w.text)
        if f in comps or w.text in (":", "«", '"', "“", ".", "؛", ";") or w.rel in ("ccomp", "mark"):
            break
        cases = {normalize_for_matching(k.text) for k in tree.kids(w.id, "case")}
        after_prep = i - 1 in out and tree.words[i - 1].upos == "ADP"  # في | مجلس الدوما
        if w.head == c.cue_word.id and (w.rel in ("obj", "iobj", "xcomp", "advcl") or (
                w.rel == "obl" and not cases <= {"ل", "ب"} and not after_prep)):
            break  # دعا الاتحاد الأوروبي السلطات: the cue's object is its addressee, not its subject
        frame_preps = {_FRAME_PREPS[fr] for fr in c.cue.frames if fr in _FRAME_PREPS}
        nxt_w = tree.words.get(i + 1)
        if w.upos == "ADP" and (f in _STOP_CASES or f in frame_preps) and not (
                f == "ب" and nxt_w is not None and normalize_for_matching(nxt_w.text) == "اسم") and not (
                f == "في" and nxt_w is not None and _title_place(nxt_w, c)) and not (
                f == "ل" and nxt_w is not None and _title_owner(c.sent, w, nxt_w)):
            break  # the frame's preposition (دعا ... إلى، حذر ... من), not المتحدث باسم
        if w.upos == "PUNCT":
            nxt = tree.words.get(i + 1)
            if w.text not in "،," or nxt is None or normalize_for_matching(nxt.text) in comps:
                break
            i += 1
            continue
        if _title_conj(tree, i, out):
            out.append(i)  # لمنظمة الأمن والتعاون، للسياسة الخارجية والأمنية: one name
            i += 1
            continue
        if w.upos not in ("NOUN", "PROPN", "ADJ", "X", "ADP", "NUM", "DET") or f in _TIME_WORDS \
                or f in _QUANTIFIERS:
            break  # جميع الأطراف، كل الأطراف: a quantifier opens the addressee, not the title
        prev = tree.words.get(i - 1)
        if w.upos == "NOUN" and nxt_w is not None and nxt_w.upos == "PRON" and nxt_w.token_id == w.token_id \
                and i - 1 in out and prev.upos == "PROPN":
            break  # ... في أوروبا | استعدادها: a noun with a possessive after a name is the object
        if w.upos == "NOUN" and normalize_for_matching(w.text).startswith("ال") and prev is not None and (
                (prev.upos == "ADJ" and normalize_for_matching(prev.text).startswith("ال")) or prev.upos == "PROPN"):
            break  # الاتحاد الأوروبي | السلطات, تركيا | السفير: a new definite noun
        if "li" in c.cue.frames and normalize_for_matching(w.text).startswith("لل") and (
                _media(w) or (nxt_w is not None and _media(nxt_w))):
            break  # للصحفيين: the ل addressee
        out.append(i)
        i += 1
    while len(out) > len(ids) and tree.words[out[-1]].upos == "ADP":
        out.pop()  # never end on a dangling preposition
    return sorted(out)


def _media(w: Word) -> bool:
    """A noun of the media or the press (``وكالة``، ``الصحفيين``): who a speaker speaks to."""
    media, text = grammar.words("medium"), normalize_for_matching(w.text)
    return normalize_for_matching(w.lemma or "") in media or text in media or text[2:] in media \
        or text[1:] in media


def _title_owner(sent: Sent, prep: Word, nxt: Word) -> bool:
    """``الأمين العام لمنظمة معاهدة الأمن الجماعي``، ``الممثل الأعلى للسياسة الخارجية``: a ل
    phrase after a title names its owner, unless it is the medium spoken to (``لوكالة
    رويترز``، ``للصحفيين``)."""
    return nxt.upos in ("NOUN", "PROPN", "X") and not _media(nxt)


def _title_conj(tree: Tree, i: int, out: list[int]) -> bool:
    """An و inside a title's owner joins two nouns of one name: ``لمنظمة الأمن والتعاون``,
    ``للسياسة الخارجية والأمنية`` (a definite noun or adjective after it, a noun or adjective
    before it, and an owner phrase so far)."""
    w, nxt = tree.words[i], tree.words.get(i + 1)
    return (w.upos == "CCONJ" and normalize_for_matching(w.text) == "و" and nxt is not None
            and nxt.upos in ("NOUN", "ADJ") and normalize_for_matching(nxt.text).startswith("ال")
            and i - 1 in out and tree.words[i - 1].upos in ("NOUN", "ADJ") and _owner_phrase(tree, out))


def _owner_phrase(tree: Tree, ids: list[int]) -> bool:
    """Whether a speaker phrase being extended has a ل owner or a construct of names (where
    an و joins two nouns of one name: ``منظمة الأمن والتعاون``)."""
    return any(tree.words[i].upos == "ADP" and normalize_for_matching(tree.words[i].text) == "ل"
               for i in ids) or len(ids) >= 3


def _addressee_cut(c: Claim, ids: list[int]) -> int | None:
    """Where a ل addressee of the media starts inside a phrase after a cue with the li frame:
    ``المتحدث باسم الكرملين للصحفيين`` -> at للصحفيين (not at ``للسياسة`` of a title)."""
    if "li" not in c.cue.frames:
        return None
    tree, text = c.sent.tree, c.sent.text
    return next((i for i in ids if i > min(ids) and tree.words[i].start != tree.words.get(
        i - 1, tree.words[i]).start and text[tree.words[i].start:].startswith("لل")
        and (_media(tree.words[i]) or _media(tree.words.get(i + 1, tree.words[i])))), None)


def _title_place(w: Word, c: Claim) -> bool:
    """``الممثل الأعلى ... في الاتحاد الأوروبي``، ``مصدر دبلوماسي في نور سلطان``: after في, a
    name or a definite noun that is no channel or time word continues the speaker's title."""
    f = normalize_for_matching(w.lemma or w.text)
    if f in grammar.words("channel") or normalize_for_matching(w.text) in grammar.words("channel"):
        return False
    if f in {"اطار", "وقت", "يوم", "ظل", "سياق", "ختام", "بدايه", "نهايه", "مستهل", "اعقاب", "اثناء"}:
        return False
    nxt = c.sent.tree.words.get(w.id + 1)
    # في مجلس الدوما الروسي: an institution in the construct state, named by what follows
    construct = w.upos == "NOUN" and nxt is not None and nxt.head == w.id and nxt.rel == "nmod" \
        and normalize_for_matching(nxt.text).startswith("ال") and not c.sent.tree.kids(nxt.id, "case")
    return w.upos == "PROPN" or construct or (normalize_for_matching(w.text).startswith("ال")
                                              and w.upos == "NOUN")


def _quoted_subject(c: Claim, subj: Word) -> bool:
    """A subject after a colon or an opening quotation mark belongs to the quotation:
    ``وأضاف: «ندرك أن ...»`` (ندرك is no speaker)."""
    return any(c.sent.tree.words[i].text in (":", "«", "“", '"') for i in range(c.cue_word.id + 1, subj.id)
               if i in c.sent.tree.words)


def _disagreeing_object(c: Claim, subj: Word) -> bool:
    """Right after a masculine verb a feminine definite noun is its object, not its subject
    (a feminine subject next to its verb takes a feminine verb): ``ودعا الشركات الكبرى
    والأثرياء إلى ...`` -> the speaker is the one before (pro-drop)."""
    nxt = c.sent.tree.words.get(subj.id + 1)
    gender = subj.feat("Gender") or (nxt.feat("Gender") if nxt is not None and nxt.upos == "ADJ" else "")
    if not gender and subj.feat("Number") == "Plur" and normalize_for_matching(subj.text).endswith("ات"):
        gender = "Fem"  # a sound feminine plural (الشركات، السلطات)
    return (subj.id == c.cue_word.id + 1 and subj.upos == "NOUN" and c.cue_word.upos == "VERB"
            and c.cue_word.feat("Gender") == "Masc" and gender == "Fem"
            and normalize_for_matching(c.sent.text[subj.start:subj.end]).startswith("ال"))


def rule_subject(c: Claim, before: list[Claim]) -> bool:
    """``وقال وزير الخارجية التركي مولود جاووش أوغلو إن ...`` / ``الرئيس الفرنسي قال``: the
    nsubj of an active cue, with its whole noun phrase."""
    if c.cue_word.feat("Voice") == "Pass":
        return False
    subj = [w for w in c.sent.tree.kids(c.cue_word.id, "nsubj")
            if w.upos != "PRON" or w.start != c.sent.tree.words.get(w.id - 1, w).start]
    if not subj:
        return False
    # a pronoun suffix of a discourse marker (بدوره) is no subject; a noun is preferred, and
    # of two the nearest to the verb (أما بيلاروسيا فأعلنت ...، صادقت الحكومة: الحكومة)
    nominal = [w for w in subj if w.upos in _NOMINAL] or subj
    best = min(nominal, key=lambda w: (abs(w.id - c.cue_word.id), w.id))
    if _quoted_subject(c, best) or _disagreeing_object(c, best):
        return False
    head = c.sent.tree.words.get(c.cue_word.head)
    if normalize_for_matching(best.text) in grammar.words("relative") and head is not None:
        # قواتنا التي أرسلت ...: the subject is the noun the relative clause describes
        c.speaker_ids, c.speaker_rule = _phrase(c.sent, head, stop=c.cue_word.id), "relative"
        c.speaker_ids = [i for i in c.speaker_ids if i < best.id] or [head.id]
        return True
    c.speaker_ids, c.speaker_rule = _vso_extent(c, _phrase(c.sent, best)), "subject"
    return True


def rule_vso(c: Claim, before: list[Claim]) -> bool:
    """``حذر أنطونيو غوتيريش من ...`` parsed without an nsubj: a name or noun right after a
    speech verb is its subject in Arabic's verb-first order (not for actions, whose next
    noun is the object)."""
    if c.cue_word.feat("Voice") == "Pass" or (c.cue.cls != "speech" and (
            c.cue_word.upos != "VERB" or _inside_content(c, before))):
        return False  # an action verb's next noun is its subject only for a verb of its own
    nxt = c.sent.tree.words.get(c.cue_word.id + 1)
    if nxt is None or nxt.upos not in ("PROPN", "NOUN", "X") or nxt.rel in ("case", "obl") \
            or normalize_for_matching(nxt.text) in grammar.words("complementizer") \
            or _disagreeing_object(c, nxt):
        return False
    c.speaker_ids, c.speaker_rule = _vso_extent(c, _phrase(c.sent, nxt)), "vso"
    return True


def rule_kana(c: Claim, before: list[Claim]) -> bool:
    """``وكان وزير الخارجية الروسي قد صرح ...``: the subject sits on كان, the cue below it."""
    tree = c.sent.tree
    kana = [w for w in tree.ancestors(c.cue_word.id)[:1] if normalize_for_matching(w.lemma) == "كان"]
    kana += [w for w in tree.kids(c.cue_word.id, "aux", "cop") if normalize_for_matching(w.lemma) == "كان"]
    for k in kana:
        subj = tree.kids(k.id, "nsubj")
        if subj:
            c.speaker_ids, c.speaker_rule = _phrase(c.sent, subj[0]), "kana"
            return True
    return False


#: the topic particle أما (the فـ of its predicate is a clitic, not a word to look for)
_TOPIC = frozenset({"اما"})


def rule_topic(c: Claim, before: list[Claim]) -> bool:
    """``أما وزارة الخارجية الصينية فحذرت من ...``: the noun phrase after أما."""
    tree = c.sent.tree
    for w in sorted(tree.words.values(), key=lambda w: w.id):
        if w.id >= c.cue_word.id:
            break
        if normalize_for_matching(w.text) in _TOPIC and w.id + 1 in tree.words:
            if any(b.sent is c.sent and w.id < b.cue_word.id < c.cue_word.id for b in before):
                return False  # only the first claim after أما has it as its topic
            nxt = tree.words[w.id + 1]
            ids = [i for i in tree.phrase(nxt.id) if w.id < i < c.cue_word.id]
            if ids:
                c.speaker_ids, c.speaker_rule = ids, "topic"
                return True
    return False


def _claim_of(word_id: int, c: Claim, before: list[Claim]) -> Claim | None:
    return next((b for b in reversed(before)
                 if b.sent is c.sent and b.cue_word.id == word_id), None)


def rule_conj(c: Claim, before: list[Claim]) -> bool:
    """``أعرب عن قلقه ودعا الأطراف إلى ...``: a cue coordinated with an earlier cue shares
    its speaker: attached as its conj, or a speech verb joined by و to an earlier claim of
    the same sentence (``نددت تركيا بالتدخل واعتبرته انتهاكاً``), unless a name follows it."""
    if c.cue.cls == "action":
        return False  # an act needs its own subject (ووافق مجلسا البرلمان الطاجيكي على ...)
    if c.cue_word.rel != "conj":
        prev = c.sent.tree.words.get(c.cue_word.id - 1)
        nxt = c.sent.tree.words.get(c.cue_word.id + 1)
        joined = prev is not None and prev.text == "و" and prev.token_id == c.cue_word.token_id
        same = [b for b in before if b.sent is c.sent and b.speaker_span is not None]
        if joined and same and not (nxt is not None and nxt.upos == "PROPN"):
            c.inherited, c.speaker_rule = same[-1], "conj"
            return True
        return False
    head = _claim_of(c.cue_word.head, c, before)
    if head is None or head.speaker_span is None:
        return False
    c.inherited, c.speaker_rule = head, "conj"
    return True


def rule_participle(c: Claim, before: list[Claim]) -> bool:
    """``..., مضيفاً أن ...``: a participle (or advcl cue) under a cue shares its speaker."""
    if c.cue.pos == "VERB" and c.cue_word.rel not in ("advcl", "xcomp", "acl"):
        return False
    for anc in c.sent.tree.ancestors(c.cue_word.id):
        head = _claim_of(anc.id, c, before)
        if head is not None and head.speaker_span is not None:
            c.inherited, c.speaker_rule = head, "participle"
            return True
    return False


def rule_passive(c: Claim, before: list[Claim]) -> bool:
    """``وأُعلن أن ...``: a passive cue without a source has no speaker."""
    if c.cue_word.feat("Voice") != "Pass":
        return False
    c.speaker_rule = "passive"
    return True


def _agrees(verb: Word, head: Word | None) -> bool:
    if head is None:
        return True
    for feat in ("Gender", "Number"):
        a, b = verb.feat(feat), head.feat(feat)
        if a and b and a != b and not (feat == "Number" and "Plur" in (a, b) and head.upos == "PROPN"):
            return False
    return True


def rule_continuation(c: Claim, before: list[Claim]) -> bool:
    """``وأضاف أن ...`` (no subject): the latest speaker of the document whose gender and
    number agree with the verb."""
    for b in reversed(before):
        if b.speaker_span is not None and _agrees(c.cue_word, b.speaker_head):
            c.inherited, c.speaker_rule = b, "continuation"
            return True
    return False


#: the speaker rules, in the order they are tried
SPEAKER_RULES: list[Callable[[Claim, list[Claim]], bool]] = [
    rule_relay, rule_kana, rule_topic, rule_conj, rule_subject, rule_participle, rule_passive,
    rule_vso, rule_continuation]


# ------------------------------------------------------------------------ content


def quotes(text: str) -> list[tuple[int, int]]:
    """Quotation spans (inner offsets) of a text: «...», “...”, "..." (paired in order)."""
    out, i = [], 0
    while i < len(text):
        ch = text[i]
        if ch in _QUOTES:
            close = text.find(_QUOTES[ch], i + 1)
            if close > i + 1:
                out.append((i + 1, close))
                i = close + 1
                continue
        i += 1
    return out


def _inside(pos: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= pos < e for s, e in spans)


def content_quote(c: Claim, qs: list[tuple[int, int]]) -> bool:
    """``قال: «...»`` or ``«...»، قال الوزير``: the quotation next to the cue."""
    cs, ce = c.sent.offsets[c.cue_word.id]
    for s, e in qs:
        if len(c.sent.text[s:e].split()) < QUOTE_MIN_WORDS:
            continue  # a name or scare quotes (لوكالة "سبوتنيك"، «هجوم إرهابي») is no speech
        gap = c.sent.text[ce:s - 1]
        # up to 6 words between (the speaker), or more before a colon (``قال الوزير ... في
        # مؤتمر صحفي: «...»``)
        limit = 16 if gap.rstrip().endswith(":") else 6
        after = c.sent.start <= s - 1 and ce <= s - 1 < c.sent.end and len(gap.split()) <= limit \
            and not any(normalize_for_matching(g) in grammar.words("complementizer") for g in gap.split()[:-1])
        # «...»، قال الوزير: a quotation just before a finite verb (a participle after a
        # quotation has a clause of its own: «...»، مشيرةً إلى أن ...)
        before = c.cue.pos == "VERB" and 0 <= cs - e <= 6 and c.sent.start <= e <= c.sent.end
        if after or before:
            c.content, c.kind = (s, e), "direct"
            return True
    return False


def content_ccomp(c: Claim) -> bool:
    """``أكد أن القوات ستنسحب``: the clausal complement, without its complementizer."""
    tree = c.sent.tree
    comps = grammar.words("complementizer")
    for kid in tree.kids(c.cue_word.id, "ccomp"):
        if kid.id < c.cue_word.id:
            continue
        between = [tree.words[i] for i in range(c.cue_word.id + 1, kid.id) if i in tree.words]
        if not (tree.kids(kid.id, "mark") or any(normalize_for_matching(w.text) in comps or w.text == ":"
                                                   for w in between)):
            continue  # تتابع التطورات: an object mistaken for a clause is no reported speech
        ids = tree.subtree(kid.id)
        # the complementizer and what shares its token (إنه = إن + ه) are not content
        mark_tokens = {m.token_id for m in tree.kids(kid.id, "mark")}
        ids = [i for i in ids if tree.words[i].token_id not in mark_tokens
               and i > c.cue_word.id] or ids
        c.content, c.kind = c.sent.span(ids), "indirect"
        return True
    return False


def content_frame(c: Claim) -> bool:
    """``دعا ... إلى ضبط النفس``, ``حذر من ...``, ``انتقد الخطوة``: the frame's object."""
    tree = c.sent.tree
    kids = [k for k in tree.kids(c.cue_word.id, "obl", "nmod", "obj", "xcomp")
            if k.id > c.cue_word.id and k.id not in c.speaker_ids]
    # an action's object is what it acts on (أرسلت روسيا قوات); a speech verb's prepositional
    # frame comes before a plain object, which is then its addressee (دعا السلطات إلى ...)
    order = ("obj", "prep") if c.cue.cls == "action" else ("prep", "obj")
    for want in order:
        for kid in kids:
            preps = {normalize_for_matching(k.text) for k in tree.kids(kid.id, "case")}
            if want == "prep":
                ok = any(_FRAME_PREPS[f] in preps for f in c.cue.frames
                         if f in _FRAME_PREPS and f != "li")
            else:
                ok = kid.rel == "obj" and ("obj" in c.cue.frames or c.cue.cls == "action")
            if ok:
                cases = {k.id for k in tree.kids(kid.id, "case")}
                ids = [i for i in tree.subtree(kid.id) if i not in cases] or [kid.id]
                if want == "obj" and c.cue.object == "addressee" and c.cue.cls == "speech":
                    # حثت الأمم المتحدة القوات على ضبط النفس: the object is the addressee and
                    # the content runs on to what it is asked (the frame parsed under it)
                    c.addressee = c.sent.text[slice(*c.sent.span(ids))]
                    ids = [i for i in tree.words if i >= min(ids)
                           and tree.words[i].upos != "PUNCT"]
                elif c.cue.cls == "speech" or want == "obj":
                    # the object runs on over its complements: ``أكدت الخارجية وقوف المملكة
                    # إلى جانب كازاخستان``، ``رفضت الحكومة دعوات المعارضة إلى سحب الوحدة``
                    ids = _to_clause_end(c, ids)
                if len(ids) == 1 and tree.words[ids[0]].upos == "PRON":
                    # واعتبرته انتهاكاً ...: a pronoun object stands for the earlier claim's
                    # object; the judgement is the rest of the clause
                    ids = [i for i in tree.words if i >= ids[0]
                           and tree.words[i].upos != "PUNCT"] or ids
                c.content = c.sent.span(ids)
                c.kind = "action" if c.cue.cls == "action" else "indirect"
                return True
    return False


def _to_clause_end(c: Claim, ids: list[int]) -> list[int]:
    """A frame object runs on to the end of its clause, whatever the parser attached the rest
    to: ``رحب ... بقرار المنظمة إرسال قوات إلى كازاخستان`` -> the whole object; it stops before
    a comma, a quotation, or a participle or verb that opens another claim
    (``...، مؤكداً أن``)."""
    tree = c.sent.tree
    lexicon = c.sent.lexicon or load_cue_lemmas()
    out = list(ids)
    i = max(ids) + 1
    while i in tree.words:
        w = tree.words[i]
        if w.upos == "PUNCT" and w.text not in "()":
            break
        found = match_cue(w, lexicon) if w.upos in ("VERB", "ADJ", "NOUN") else None
        if found is not None and (found[0].pos != "VERB" or found[0].cls == "speech"):
            break
        out.append(i)
        i += 1
    return out


def content_clause(c: Claim) -> bool:
    """Otherwise the rest of the sentence after the cue (and its speaker), when a
    complementizer or a colon opens it: ``وأضاف الوزير أن ...`` parsed without a ccomp. A cue
    followed by a plain object is no statement (``تتابع الوضع``: follows, not "went on")."""
    end_ids = [c.cue_word.id] + [i for i in c.speaker_ids if i > c.cue_word.id]
    last = max(end_ids)
    start = max(c.sent.offsets[i][1] for i in end_ids)
    if start >= c.sent.end:
        return False
    rest = c.sent.text[start:c.sent.end].lstrip()
    opener = rest[:1] == ":" or any(s == start + len(c.sent.text[start:c.sent.end]) - len(rest) + 1
                                    and (len(c.sent.text[s:e].split()) >= QUOTE_MIN_WORDS
                                         or "obj" in c.cue.frames)
                                    for s, e in quotes(c.sent.text))
    if not opener:
        # the first complementizer, or the preposition of the cue's frame (تحدث ... عن)
        openers = grammar.words("complementizer") | {
            _FRAME_PREPS[f] for f in c.cue.frames if f in _FRAME_PREPS and f != "li"}
        comp = next((w for w in sorted(c.sent.tree.words.values(), key=lambda w: w.id)
                     if w.id > last and normalize_for_matching(w.text) in openers), None)
        if comp is not None and normalize_for_matching(comp.text)[:1] == "و" and any(c.sent.tree.words[i].text in "،,;؛" for i in range(last + 1, comp.id)
                                    if i in c.sent.tree.words and c.sent.tree.words[i].upos == "PUNCT"):
            comp = None  # روما تتابع التطورات، وإن السفارة ...: the وإن after the comma is the outer cue's
        if comp is None and "obj" in c.cue.frames:
            comp = None  # انتقد ... طلب كازاخستان: a verb of judgement takes what follows
        elif comp is None or len(c.sent.text[start:c.sent.offsets[comp.id][0]].split()) > 12 \
                or re.search(r"[.؛;:!?؟]", c.sent.text[start:c.sent.offsets[comp.id][0]]):
            return False  # a name or channel between cue and إن (``ينس ستولتنبرغ في ختام ...``)
        if comp is not None:
            start = c.sent.offsets[comp.id][1 if normalize_for_matching(comp.text) not in
                                               grammar.words("complementizer") else 0]
    c.content = (start, c.sent.end)
    c.kind = "action" if c.cue.cls == "action" else "indirect"
    return True


_CHANNEL_CASES = {"في", "خلال", "عبر", "ل"}


def channel_and_addressee(c: Claim) -> None:
    """``في بيان``، ``في تصريحات لوكالة رويترز``، ``خلال قمة افتراضية`` -> channel;
    ``دعا ... السلطات إلى`` (the object of a verb with an إلى/على frame), ``قال للصحفيين``
    (ل of a verb with the li frame) -> addressee."""
    tree, text = c.sent.tree, c.sent.text
    channels = grammar.words("channel")
    content = c.content or (0, 0)
    for kid in tree.kids(c.cue_word.id, "obl", "nmod", "obj", "iobj"):
        ids = [i for i in tree.subtree(kid.id, ("acl:relcl", "ccomp", "advcl", "punct"))
               if i not in c.speaker_ids]
        if not ids:
            continue
        s, e = c.sent.span(ids)
        if s >= content[0] and e <= content[1] and c.kind != "direct":
            continue
        cases = {normalize_for_matching(k.text) for k in tree.kids(kid.id, "case")}
        head = normalize_for_matching(kid.lemma or kid.text)
        if cases & _CHANNEL_CASES and (head in channels or normalize_for_matching(kid.text) in channels):
            c.channel.append(text[s:e])
        elif kid.rel == "obj" and c.cue.frames & {"ila", "ala"} and kid.id > c.cue_word.id:
            c.addressee = c.addressee or text[s:e]
        elif "ل" in cases and "li" in c.cue.frames:
            body = [i for i in ids if i not in {k.id for k in tree.kids(kid.id, "case")}] or ids
            hs, he = c.sent.span(body)
            addressee = text[hs:he]
            # ل + ال is written لل: the word after the clitic lost its alif (لصحفيين)
            tok_s = tree.words[body[0]].start
            if text[tok_s:tok_s + 2] == "لل" and addressee.startswith("ل"):
                addressee = "ا" + addressee
            c.addressee = c.addressee or addressee


def extend_action_object(c: Claim) -> None:
    """An act's content starts right after its subject: ``واستدعت تركيا السفير الروسي
    احتجاجاً`` -> ``السفير الروسي احتجاجاً`` even when the parser hung السفير on تركيا."""
    if c.cue.cls != "action" or c.content is None:
        return
    ends = [c.sent.offsets[c.cue_word.id][1]]
    if c.speaker_ids and min(c.speaker_ids) > c.cue_word.id:
        ends.append(c.sent.span(c.speaker_ids)[1])
    start = max(ends)
    gap = c.sent.text[start:c.content[0]]
    if start < c.content[0] and gap.strip() and not re.search(r"[،,.:؛;!?؟«»\"]", gap):
        c.content = (start + len(gap) - len(gap.lstrip()), c.content[1])


@lru_cache(maxsize=1)
def _discourse_re() -> re.Pattern:
    entries = sorted((w for w in grammar.words("discourse") if len(w) > 3), key=len, reverse=True)
    return re.compile(r"[،,]\s*(?:" + "|".join(re.escape(e) for e in entries) + r")(?!\w)")


def cut_at_discourse(c: Claim) -> None:
    """A content ends where a discourse marker opens another actor's clause:
    ``فأعلنت عن نقل سرية ...، من جهتها، صادقت الحكومة الأرمينية`` -> up to the comma."""
    if c.content is None or c.kind == "direct":
        return
    s, e = c.content
    folded, imap = normalize_with_map(c.sent.text[s:e])
    m = _discourse_re().search(folded)
    if m and m.start() > 0:
        c.content = (s, s + imap[m.start()])


def cut_before_participle(c: Claim, before: list[Claim]) -> None:
    """A participle after a comma opens the speaker's next statement, so the content of the
    statement it follows ends at that comma: ``قالت الحكومة إنها «قلقة جداً» من التقارير،
    داعيةً السلطات إلى ضبط النفس`` -> قالت: ``«قلقة جداً» من التقارير``."""
    if c.cue.pos == "VERB" or not clause_participle(c.sent, c.cue_word, c.cue):
        return
    comma = c.sent.offsets[c.cue_word.id - 1][0]
    for b in before:
        if b.sent is c.sent and b.content and b.content[0] < comma < b.content[1]:
            b.content = (b.content[0], comma)


def addressee_from_gap(c: Claim) -> None:
    """``دعا الاتحاد الأوروبي السلطات الكازاخستانية إلى ...``، ``مطالباً السلطات باحترام``،
    ``قال ... للصحفيين إن``: the noun phrase between the speaker (or the cue) and the content of
    a verb that takes an addressee or a ل addressee, when the parse attached it elsewhere."""
    if c.addressee or c.content is None or not (c.cue.object == "addressee"
                                                or c.cue.frames & {"ila", "ala", "li", "bi"}):
        return
    text = c.sent.text
    starts = [c.sent.offsets[c.cue_word.id][1]]
    if c.speaker_ids and min(c.speaker_ids) > c.cue_word.id:
        starts.append(c.sent.span(c.speaker_ids)[1])
    gap = text[max(starts):c.content[0]]
    words = re.findall(r"[^\s،,:«»\"]+", gap)
    comps, preps = grammar.words("complementizer"), {"الي", "علي", "من", "عن", "في", "ب"}
    while words and (normalize_for_matching(words[-1]) in comps or normalize_for_matching(words[-1]) in preps):
        words.pop()  # the frame's own words before the content (إلى، على، أن)
    if not 1 <= len(words) <= 6 or normalize_for_matching(words[0]) in preps | {"في", "خلال"}:
        return
    first = words[0]
    if first.startswith("ل") and "li" in c.cue.frames:
        first = "ا" + first[1:] if first.startswith("لل") else first[1:]
        c.addressee = " ".join([first, *words[1:]])
    elif c.cue.object == "addressee" or c.cue.frames & {"ila", "ala", "bi"}:
        c.addressee = " ".join(words)
        if c.cue.object == "addressee" and c.kind != "direct":
            # دعا ... السلطات إلى احترام ...: the coded content starts with the addressee
            # (data/gold/README.md), so that "who is asked to do what" stays together
            start = text.find(words[0], max(starts))
            if 0 <= start < c.content[0]:
                c.content = (start, c.content[1])


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    """Content offsets without edge punctuation and without a leading complementizer or
    frame preposition + complementizer: ``من أن الأزمة قد تتفاقم`` -> ``الأزمة قد تتفاقم``."""
    lead = _LEAD.match(text[s:e])
    s += len(lead.group()) if lead else 0
    comps, preps = grammar.words("complementizer"), {"من", "الي", "علي", "عن", "في"}
    for _ in range(2):
        m = re.match(r"(\S+)\s+", text[s:e])
        if not m:
            break
        word = normalize_for_matching(m.group(1))
        nxt = re.match(r"\S+", text[s + m.end():e])
        if word in comps or (word in preps and nxt and normalize_for_matching(nxt.group()) in comps):
            s += m.end()
        else:
            break
    trail = _TRAIL.search(text[s:e])
    e -= len(trail.group()) if trail else 0
    return s, e


def _negator(c: Claim) -> str:
    negs = grammar.words_of("negator", "negator_parse")  # the parse tells ما apart
    for kid in c.sent.tree.kids(c.cue_word.id, "advmod", "aux", "mark", "cc"):
        if normalize_for_matching(kid.text) in negs and kid.id < c.cue_word.id:
            return kid.text
    prev = c.sent.tree.words.get(c.cue_word.id - 1)
    if prev is not None and normalize_for_matching(prev.text) in negs:
        return prev.text
    return ""


# ------------------------------------------------------------------------ linking


#: the actor dictionary of the run being attributed (``attribute(dictionary=)``: a user's
#: actor base); unset, the package's own
_RUN_DICTIONARY: ContextVar[Any] = ContextVar("kzcrisis_attribution_dictionary", default=None)


@lru_cache(maxsize=1)
def _package_dictionary():
    """The package's actor dictionary, loaded once per process (0.5 s to build)."""
    from .actors import load_actors

    return load_actors()


def _dictionary():
    """The run's actor dictionary (see ``_RUN_DICTIONARY``)."""
    d = _RUN_DICTIONARY.get()
    return d if d is not None else _package_dictionary()


#: ``id(dictionary) -> (dictionary, nisba groups)``: dictionaries are not hashable, and the
#: entry holds the dictionary so its id is not reused while it is cached
_NISBA_CACHE: dict[int, tuple[Any, dict[str, str]]] = {}


def _nisba_groups() -> dict[str, str]:
    """``folded nisba word -> group`` of every state (``التركي``, ``الأرمينية`` ...)."""
    d = _dictionary()
    if id(d) not in _NISBA_CACHE:
        if len(_NISBA_CACHE) >= 4:
            _NISBA_CACHE.pop(next(iter(_NISBA_CACHE)))
        _NISBA_CACHE[id(d)] = (d, _nisba_groups_of(d))
    return _NISBA_CACHE[id(d)][1]


def _nisba_groups_of(d: Any) -> dict[str, str]:
    out: dict[str, str] = {}
    for row in d.aliases.to_dict("records"):
        if row["kind"] == "nisba" and " " not in row["alias"].strip():
            try:
                out[normalize_for_matching(row["alias"])] = d.info(row["target"])["group"]
            except Exception:  # noqa: BLE001 (an alias of an unknown target: skip it)
                continue
    return out


def _link_phrase(text: str) -> tuple[str, str, str]:
    """A speaker phrase with no mention inside, read on its own by the actor base
    (:func:`kzcrisis.actors.link_phrase`): the actor when all its matches share one group
    (``الممثل الأعلى ... في الاتحاد الأوروبي جوزيب بوريل`` -> the person, EU), else the state
    of a nisba adjective in it (``محافظ البنك المركزي التركي`` -> TUR)."""
    d = _dictionary()
    matches = [m for m in d.match(text, None) if d.info(m.actor_id)["type"] != "place"]
    groups = {d.info(m.actor_id)["group"] for m in matches}
    if len(groups) == 1 and "" not in groups:
        person = [m for m in matches if d.info(m.actor_id)["type"] == "person"]
        best = max(person or matches, key=lambda m: m.end - m.start)
        return best.actor_id, groups.pop(), "phrase"
    if not matches:
        nisbas = {_nisba_groups().get(normalize_for_matching(w)) for w in re.findall(r"\w+", text)} - {None}
        if len(nisbas) == 1:
            return "", nisbas.pop(), "nisba"
    return "", "", ""


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    actor_id: str
    group: str


def link(c: Claim, mentions: list[Mention], before: list[dict]) -> tuple[str, str, str]:
    """``(actor_id, group, link_rule)`` of a claim's speaker phrase.

    An actor mention inside the phrase (the one covering the head noun, else the longest):
    ``inside``; a bare office noun (``الوزير``) to the latest earlier speaker with the same
    head: ``office``; else ``none``."""
    span = c.speaker_span
    if span is None:
        return "", "", "none"
    s, e = span
    head = c.speaker_head
    inside = [m for m in mentions if m.start >= s and m.end <= e]
    if not inside and head is not None and c.speaker_ids:
        hs, he = c.sent.offsets[head.id]
        inside = [m for m in mentions if m.start <= hs < m.end]  # الخارجية (الأمريكية)
    if inside:
        hs = c.sent.offsets.get(head.id, (s, e))[0] if head is not None and c.speaker_ids else s
        best = sorted(inside, key=lambda m: (not (m.start <= hs < m.end), -(m.end - m.start),
                                             m.start))[0]
        return best.actor_id, best.group, "inside"
    if c.inherited is not None:
        parent = next((r for r in reversed(before) if r.get("_claim") is c.inherited), None)
        if parent is not None and parent["group"]:
            return parent["speaker_actor_id"], parent["group"], "inherited"
        return "", "", "none"
    phrase = c.sent.text[s:e]
    actor, group, how = _link_phrase(phrase)
    if group:
        return actor, group, how  # محافظ البنك المركزي التركي: the nisba names the state
    if head is not None and len(c.speaker_ids) <= 2:
        key = normalize_for_matching(head.lemma or head.text)
        for prev in reversed(before):
            if prev["_head"] == key and prev["group"]:
                return prev["speaker_actor_id"], prev["group"], "office"
    return "", "", "none"


# ------------------------------------------------------------------------ per document


def _after_marker(c: Claim) -> bool:
    """A cue right after a source marker (``بحسب ما نقلت``، ``حسبما أعلنت``، ``وفق ما ذكرت``)."""
    markers = _relay_words()
    prev = [c.sent.tree.words.get(c.cue_word.id - k) for k in (1, 2, 3)]
    prev = [w for w in prev if w is not None and w.text != "و"]
    return any(normalize_for_matching(w.text) in markers for w in prev[:2])


def _inside_content(c: Claim, before: list[Claim]) -> bool:
    """Whether a cue lies inside the content of an earlier claim of its sentence."""
    pos = c.sent.offsets[c.cue_word.id][0]
    return any(b.content and b.sent is c.sent and b.content[0] <= pos < b.content[1]
               for b in before)


def clause_participle(sent: Sent, w: Word, cue: Cue) -> bool:
    """A participle cue that opens a clause of its own after a comma (the حال of the
    speaker): ``قال إن المسلحين هاجموا المدينة، متهماً «عصابات» بالوقوف وراء ذلك`` ->
    متهماً is a second statement of the same speaker, not part of what قال reports."""
    prev = sent.tree.words.get(w.id - 1)
    return cue.pos != "VERB" and prev is not None and prev.upos == "PUNCT" and prev.text in "،,"


def _nested_without_frame(c: Claim, before: list[Claim]) -> bool:
    """A verb inside another claim's content is reported, not reporting (``قال إن روما تتابع
    التطورات``), unless it opens a clause or quotation of its own (``قال إن الوزير أكد أن``,
    ``أكد الوزير: «...»``; a short quotation in scare quotes opens nothing: ``قال إن واشنطن تدعم
    «بالكامل» المؤسسات``)."""
    if c.cue.cls == "action":
        return False  # قالت قرغيزستان إن البرلمان صادق على ...: the narrated act is a claim too
    if clause_participle(c.sent, c.cue_word, c.cue):
        return False  # ...، مؤكداً رفض بلاده: the speaker's own next statement
    pos = c.sent.offsets[c.cue_word.id][0]
    inside = any(b.content and b.sent is c.sent and b.content[0] <= pos < b.content[1]
                 for b in before)
    if not inside:
        return False
    return not _own_frame(c)


def _own_frame(c: Claim) -> bool:
    """Whether a cue opens reported speech of its own before the next comma: a
    complementizer, a colon, or the preposition of its frame (``قال إن السفارات نصحت رعاياها
    بالبقاء``: نصح ... بـ; but ``إن روما تتابع الأنباء، وإن ...``: the وإن is the outer cue's)."""
    tree = c.sent.tree
    preps = {_FRAME_PREPS[f] for f in c.cue.frames if f in _FRAME_PREPS and f != "li"}
    if c.cue.pos != "VERB" or c.cue.object != "addressee" or not tree.kids(c.cue_word.id, "obj"):
        preps = set()  # the frame counts for a verb that addresses someone (نصحت رعاياها بـ),
        # not for يهدد بإغراق ("risks") or a verbal noun (دعوته الأطراف إلى)
    for k in range(1, 10):
        w = tree.words.get(c.cue_word.id + k)
        if w is None or (w.upos == "PUNCT" and w.text in "،,.؛;"):
            return False
        f = normalize_for_matching(w.text)
        if f in grammar.words("complementizer") or w.text == ":":
            return True
        if w.upos == "ADP" and f in preps and w.head in tree.words and tree.words[w.head].head == c.cue_word.id:
            return True
    return False


def _in_channel(sent: Sent, w: Word) -> bool:
    """A cue in a relative clause on a channel noun (``في بيان نقلته الوكالة``)."""
    head = sent.tree.words.get(w.head)
    return (w.rel == "acl" and head is not None
            and normalize_for_matching(head.lemma or head.text) in grammar.words("channel"))


def _participle_frame(sent: Sent, w: Word, cue: Cue) -> bool:
    """A participle or verbal noun is a cue only in a reporting frame: followed by أن/إن
    (``مضيفاً أن``), a clause, or the preposition of its frame (``مطالباً السلطات باحترام``)."""
    tree = sent.tree
    if tree.kids(w.id, "ccomp", "mark"):
        return True
    nxt = tree.first_after(w.id)
    if "obj" in cue.frames and clause_participle(sent, w, cue) and nxt is not None and (
            nxt.upos in ("NOUN", "PROPN", "X") or nxt.text in ("«", "“", '"')):
        return True  # ...، متهماً «عصابات إرهابية» بـ ...: the participle's object
    if nxt is not None and normalize_for_matching(nxt.text) in grammar.words("complementizer"):
        return True
    preps = {_FRAME_PREPS[f] for f in cue.frames if f in _FRAME_PREPS and f != "li"}
    return any(normalize_for_matching(k.text) in preps for kid in tree.kids(w.id, "obl", "nmod", "obj")
               for k in tree.kids(kid.id, "case"))


#: ``طالباً عدم كشف اسمه``: the words of a source's request to stay anonymous
_ANONYMITY = re.compile(r"(?:اسم|هوي[ةت])(?:ه|ها|هم|هما)(?!\w)")


def skip_relative_act(c: Claim) -> bool:
    """An act in a relative clause on its object narrates background, not a position:
    ``الطلب الذي وجهته السلطات إلى المنظمة``، ``أي مساعدة يطلبها الجانب الكازاخستاني``."""
    return c.cue.cls == "action" and c.cue_word.rel == "acl" and c.speaker_rule != "relative"


def skip_free_relative(c: Claim) -> bool:
    """A speech verb in a free relative clause attributes a label, it reports no claim of its
    own: ``على من وصفهم بالإرهابيين``، ``سخر مما وصفه بـ"المهمة الإنسانية"``، ``انتقدت ما
    وصفته بالاستخدام المفرط للقوة`` (the label is part of the outer claim); but ``وفق ما
    أعلنته الوزارة`` after a source marker is the source's statement."""
    tree, w = c.sent.tree, c.cue_word
    head, prev = tree.words.get(w.head), tree.words.get(w.id - 1)
    on_relative = w.rel.startswith("acl") and head is not None \
        and normalize_for_matching(head.text) in grammar.words("free_relative")
    # the parser may also hang the pronoun on the verb (من as its mark)
    after_relative = prev is not None and prev.head == w.id \
        and normalize_for_matching(prev.text) in grammar.words("free_relative")
    rel = prev if after_relative else head
    before = tree.words.get(rel.id - 1) if rel is not None else None
    # وفق ما أعلنته: a source marker before the pronoun (not a plain preposition: على من)
    sourced = before is not None and normalize_for_matching(before.text) in _marker_words()
    return c.cue.cls == "speech" and (on_relative or after_relative) and not sourced


def skip_conditional(c: Claim) -> bool:
    """A cue under إذا/لو is hypothetical: ``أن تمدد المهمة إذا طلبت السلطات ذلك``."""
    return any(normalize_for_matching(k.text) in grammar.words("conditional") for k in c.sent.tree.kids(c.cue_word.id, "mark"))


def skip_formula(c: Claim) -> bool:
    """The writer's background formula (``يذكر أن``، ``يشار إلى أن``: grammar class discourse)
    and a source's request for anonymity (``طالباً عدم كشف اسمه``، ``مفضلاً عدم ذكر هويته``)
    are no statements."""
    tree, text = c.sent.tree, c.sent.text
    start = tree.words[c.cue_word.id].start
    here = normalize_for_matching(text[start:start + 30])
    here = here[1:] if here[:1] in CONJUNCTIONS and not here.startswith("يذ") else here
    if any(here.startswith(d + " ") or here == d for d in grammar.words("discourse")
           if " " in d and d.split()[0] not in grammar.words("preposition")):
        return True
    tail = text[c.sent.offsets[c.cue_word.id][1]:c.sent.end]
    clause = re.split(r"[،,.؛;:]", tail, maxsplit=1)[0]
    return len(clause.split()) <= 5 and bool(_ANONYMITY.search(clause))


def skip_no_comment(c: Claim) -> bool:
    """A negated verb of responding reports silence: ``ولم تعلق وزارة الخارجية على هذه
    التقارير`` (no statement), unlike ``لم يستبعد أن`` (a statement)."""
    lemma = normalize_for_matching(c.cue.verb)
    return lemma in grammar.words("responding") and bool(c.negator) and c.kind != "direct" and not c.sent.tree.kids(
        c.cue_word.id, "ccomp")


def _build(c: Claim, qs: list[tuple[int, int]]) -> bool:
    """The negator and content of a claim whose speaker is found; False when it is no
    statement after all (:data:`SKIP_RULES`, or no content: ``تتابع الوضع``)."""
    if any(rule(c) for rule in SKIP_RULES):
        return False
    c.negator = _negator(c)
    return bool(content_quote(c, qs) or content_ccomp(c) or content_frame(c)
                or content_clause(c)) and not skip_no_comment(c)


#: cues that are no statement, whatever their content (each names its Arabic case)
SKIP_RULES: list[Callable[[Claim], bool]] = [skip_relative_act, skip_free_relative,
                                              skip_conditional, skip_formula]


def _claims(sent: Sent, lexicon: dict[str, list[Cue]], qs: list[tuple[int, int]],
            before: list[Claim]) -> list[Claim]:
    out = []
    for w in sorted(sent.tree.words.values(), key=lambda w: w.id):
        found = match_cue(w, lexicon)
        if found is None or _inside(sent.offsets[w.id][0], qs):
            continue
        cue, _how = found
        if cue.pos != "VERB" and not _participle_frame(sent, w, cue):
            continue  # مضيف as a noun ("host"), not مضيفاً أن
        if _in_channel(sent, w):
            continue  # في بيان نقلته الخدمة الصحفية: the verb belongs to the channel
        c = Claim(sent, w, cue)
        if _nested_without_frame(c, before + out):
            continue
        for rule in SPEAKER_RULES:
            if rule(c, before + out):
                break
        if _after_marker(c) and out and out[-1].cue.cls == "speech":
            # وأضاف توكاييف، بحسب ما نقلته الخدمة الصحفية، ...: the relaying verb and its
            # subject are the source of the sentence's claim, not a second claim (after a
            # narrated act, وفق ما أعلنته الوزارة is the ministry's own statement)
            if c.speaker_span is not None:
                out[-1].channel.append(c.sent.text[slice(*c.speaker_span)])
            continue
        if cue.cls == "action" and c.speaker_rule not in ("subject", "kana", "topic", "vso"):
            continue  # action verbs double as nouns: keep them with an explicit subject
        if not _build(c, qs):
            continue
        cut_at_discourse(c)
        cut_before_participle(c, before + out)
        extend_action_object(c)
        channel_and_addressee(c)
        addressee_from_gap(c)
        out.append(c)
    return out


@lru_cache(maxsize=1)
def _marker_entries() -> tuple[str, ...]:
    """The source markers of the grammar file as written, longest first."""
    return tuple(sorted(set(grammar.entries("source_marker")), key=lambda w: -len(w)))


@lru_cache(maxsize=1)
def _marker_words() -> frozenset[str]:
    """Folded words that open a source marker: the single-word markers and the distinctive
    first word of the others (نقلا of نقلا عن, not على of على لسان)."""
    preps = grammar.words("preposition")
    return frozenset(m.split()[0] for m in grammar.words("source_marker")
                     if " " not in m or m.split()[0] not in preps)


@lru_cache(maxsize=1)
def _relay_words() -> frozenset[str]:
    """Folded first words of every source marker, and حسبما: a cue right after one relays."""
    return frozenset({m.split()[0] for m in grammar.words("source_marker")}
                     | {normalize_for_matching("حسبما"), normalize_for_matching("بحسبما")})


def _marker_entry(text: str, start: int) -> str:
    """The grammar entry a source marker spells at ``start`` (a leading و/ف dropped), the
    longest first: ``ووفقاً لـ`` -> ``وفقاً لـ``; ``وبحسب`` -> ``بحسب``."""
    entries = _marker_entries()
    here = normalize_for_matching(text[start:start + 40])
    for cand in (here, here[1:] if here[:1] in CONJUNCTIONS else here):
        for entry in entries:
            key = normalize_for_matching(entry)
            if cand.startswith(key) or (key.endswith(" ل") and cand.startswith(key[:-2] + " ل")):
                return entry
    return text[start:start + 10].split()[0]


def _marker_claims(sent: Sent, mentions: list[Mention], claims: list[Claim]) -> list[dict]:
    """Source markers of a sentence: a statement when their object names an actor, else the
    channel of a statement of the same sentence. Returns the marker statements."""
    tree, out = sent.tree, []
    markers = _marker_words()
    for w in sorted(tree.words.values(), key=lambda w: w.id):
        if normalize_for_matching(w.text) not in markers:
            continue
        obj = next((tree.words[i] for i in range(w.id + 1, w.id + 3) if i in tree.words
                    and tree.words[i].upos in ("NOUN", "PROPN")), None)
        if obj is None or any(tree.words[i].upos == "VERB" for i in range(w.id + 1, obj.id)
                              if i in tree.words):
            continue  # حسبما أعلنت الوزارة: the verb after the marker is the claim
        ids = [i for i in tree.phrase(obj.id) if i > w.id]
        s, e = sent.span(ids)
        ms, _ = sent.offsets[w.id]
        inside = [m for m in mentions if m.start >= s and m.end <= e]
        same = [c for c in claims if c.sent is sent]
        for c in same:  # the source of the sentence's own claims (وحسب وكالة شينخوا، فإن ...)
            c.channel.append(sent.text[ms:e])
        if not inside:
            continue  # بحسب الدستور: no speaking actor, no statement
        before_txt = sent.text[sent.start:ms].strip(" ،,")
        after_txt = sent.text[e:sent.end]
        content = (e, sent.end) if len(after_txt.split()) >= 2 else (sent.start, ms)
        if len(before_txt.split()) < 2 and content == (sent.start, ms):
            continue
        m = sorted(inside, key=lambda m: -(m.end - m.start))[0]
        tok_s = sent.tree.words[w.id].start
        out.append({"speaker": (s, e), "actor": m, "content": content,
                    "cue": sent.text[tok_s:sent.offsets[w.id][1]],
                    "lemma": _marker_entry(sent.text, tok_s)})
    return out


def attribute_document(doc_id: str, text: str, trees: list[Tree], mentions: list[Mention],
                       entities: list[tuple[int, int, str]], lexicon: dict[str, list[Cue]],
                       sentence_bounds: dict[int, tuple[int, int]]) -> list[dict]:
    """The statement rows of one document (columns of ``schemas.STATEMENTS`` but
    ``statement_id`` and the raw offsets)."""
    qs = quotes(text)
    rows: list[dict] = []
    claims: list[Claim] = []
    for tree in trees:
        s, e = sentence_bounds.get(tree.sent_id, (min(w.start for w in tree.words.values()),
                                                  max(w.end for w in tree.words.values())))
        sent = Sent(tree, text, s, e, lexicon=lexicon)
        sent.headline = is_headline(text, s, e)
        new = _claims(sent, lexicon, qs, claims)
        markers = _marker_claims(sent, mentions, new)
        for c in new:
            claims.append(c)
            actor, group, link_rule = link(c, mentions, rows)
            rows.append(_row(doc_id, text, c, actor, group, link_rule, entities))
            rows[-1]["_claim"] = c
        for m in markers:
            cs, ce = _trim(text, *m["content"])
            if ce <= cs:
                continue
            rows.append({"doc_id": doc_id, "sent_id": tree.sent_id,
                         "speaker_actor_id": m["actor"].actor_id, "group": m["actor"].group,
                         "speaker_text": text[m["speaker"][0]:m["speaker"][1]],
                         "speaker_start": m["speaker"][0], "speaker_end": m["speaker"][1],
                         "speaker_type": _ner_type(m["speaker"], entities),
                         "speaker_rule": "marker", "link_rule": "inside",
                         "cue": m["cue"], "cue_lemma": m["lemma"], "kind": "indirect",
                         "content": text[cs:ce], "start_char": cs, "end_char": ce,
                         "channel": "", "addressee": "", "is_headline": int(sent.headline),
                         "_head": ""})
    return rows


def _ner_type(span: tuple[int, int] | None, entities: list[tuple[int, int, str]]) -> str:
    if span is None:
        return ""
    s, e = span
    hits = [t for es, ee, t in entities if es < e and ee > s]
    return hits[0] if hits else ""


def _row(doc_id: str, text: str, c: Claim, actor: str, group: str, link_rule: str,
         entities: list[tuple[int, int, str]]) -> dict:
    span = c.speaker_span
    cs, ce = _trim(text, *c.content)
    head = c.speaker_head
    cue_s, cue_e = c.sent.offsets[c.cue_word.id]
    cue = text[c.sent.tree.words[c.cue_word.id].start:cue_e]
    return {"doc_id": doc_id, "sent_id": c.sent.tree.sent_id, "speaker_actor_id": actor,
            "group": group, "speaker_text": text[span[0]:span[1]] if span else "",
            "speaker_start": span[0] if span else None, "speaker_end": span[1] if span else None,
            "speaker_type": _ner_type(span, entities), "speaker_rule": c.speaker_rule or "none",
            "link_rule": link_rule, "cue": f"{c.negator} {cue}" if c.negator else cue,
            "cue_lemma": c.cue.verb, "kind": c.kind, "content": text[cs:ce], "start_char": cs,
            "end_char": ce, "channel": "؛ ".join(dict.fromkeys(x for x in c.channel if x)),
            "addressee": c.addressee, "is_headline": int(c.sent.headline),
            "_head": normalize_for_matching(head.lemma or head.text) if head is not None and c.speaker_ids else ""}


def attribute(docs: pd.DataFrame, words: pd.DataFrame, sentences: pd.DataFrame | None,
              entities: pd.DataFrame | None, mentions: pd.DataFrame | None,
              lexicon: dict[str, list[Cue]] | None = None, dictionary: Any = None) -> list[dict]:
    """Statement rows of every document from the parse (see the module docstring);
    ``dictionary``: the run's actor dictionary (``kz.load_actors(user=...)``) that links
    speaker phrases with no mention inside (default: the package's)."""
    token = _RUN_DICTIONARY.set(dictionary)
    try:
        return _attribute(docs, words, sentences, entities, mentions, lexicon)
    finally:
        _RUN_DICTIONARY.reset(token)


def _attribute(docs: pd.DataFrame, words: pd.DataFrame, sentences: pd.DataFrame | None,
               entities: pd.DataFrame | None, mentions: pd.DataFrame | None,
               lexicon: dict[str, list[Cue]] | None) -> list[dict]:
    lexicon = lexicon if lexicon is not None else load_cue_lemmas()
    trees = sentence_trees(words)
    by_doc: dict[str, list[Tree]] = {}
    for (doc_id, _sid), t in sorted(trees.items(), key=lambda kv: (kv[0][0], kv[0][1])):
        by_doc.setdefault(doc_id, []).append(t)

    def group(df: pd.DataFrame | None) -> dict[str, pd.DataFrame]:
        if df is None or not len(df):
            return {}
        return {str(k): g for k, g in df.groupby(df["doc_id"].astype(str))}

    ments, ents, sents = group(mentions), group(entities), group(sentences)
    rows = []
    for d in docs.itertuples(index=False):
        doc_id, text = str(d.doc_id), d.text_clean
        if not isinstance(text, str) or doc_id not in by_doc:
            continue
        m = ments.get(doc_id)
        mlist = [Mention(int(r.start_char), int(r.end_char), str(r.actor_id), str(r.group))
                 for r in m.itertuples(index=False)] if m is not None else []
        en = ents.get(doc_id)
        elist = [(int(r.start_char), int(r.end_char), str(r.type))
                 for r in en.itertuples(index=False)] if en is not None else []
        sb = sents.get(doc_id)
        bounds = {int(r.sent_id): (int(r.start_char), int(r.end_char))
                  for r in sb.itertuples(index=False)} if sb is not None else {}
        rows += attribute_document(doc_id, text, by_doc[doc_id], mlist, elist, lexicon, bounds)
    return rows
