"""The matching-normal form of Arabic text, in one place (docs/ARCHITECTURE.md, "Offsets").

Every look-up of the package (actor names, cues, grammar words, boilerplate patterns, stance
phrases) runs on the *folded* text of :func:`normalize_for_matching`. What folds to what is
data: ``resources/charmap_matching.json`` (a character map in the way of CAMeL Tools'
``charmaps/``), read by :func:`load_charmap`; a researcher can try another map with
``load_charmap(path=...)`` and ``text.translate(fold_table(path))``.

Three folds, one name each:

* :func:`normalize_for_matching` -- the folded text (``"الأَمْنِ" -> "الامن"``);
* :func:`normalize_key` -- the folded text with its whitespace runs squashed to one space, the
  key of a dictionary entry (``" الأمن  الجماعي " -> "الامن الجماعي"``);
* :func:`normalize_with_map` -- the folded text plus, per folded character, its index in the
  input, so a match on the folded text gives back the input span.

The proclitics (the one-letter words written attached to the next word) are listed once
here too: :data:`CONJUNCTIONS` (و ف), :data:`ATTACHED_PREPOSITIONS` (ب ل ك) and
:data:`FUTURE` (س); :data:`PROCLITICS` is their union.

>>> normalize_for_matching("الأَمْنِ الجَمَاعِيِّ")
'الامن الجماعي'
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

from .errors import KzError, ResourceError
from .paths import resource

__all__ = [
    "ARABIC_INDIC_DIGITS", "ARTICLE", "ATTACHED_PREPOSITIONS", "CHARMAP_FILE", "CONJUNCTIONS", "CONTROLS",
    "DIACRITICS", "FOLD_TABLE", "FUTURE", "OTHER_SPACES", "PRESENTATION_MAP", "PROCLITICS",
    "PROCLITICS_RE", "TATWEEL", "Charmap", "fold_table", "in_class", "load_charmap", "normalize_for_matching",
    "normalize_key", "normalize_with_map", "strip_conjunction",
]

CHARMAP_FILE = "charmap_matching.json"

# --- proclitics ------------------------------------------------------------------------------

#: the conjunctions written attached to the next word (وقال، فإن)
CONJUNCTIONS = "وف"
#: the prepositions written attached to the next word (بالتدخل، لوكالة، كدولة)
ATTACHED_PREPOSITIONS = "بلك"
#: the future prefix (سيقول، ستنسحب)
FUTURE = "س"
#: the definite article, written attached (الروسي)
ARTICLE = "ال"
#: every proclitic letter
PROCLITICS = frozenset(CONJUNCTIONS + ATTACHED_PREPOSITIONS + FUTURE)
#: a run of proclitics before a word: a conjunction, then a preposition (وب، فل، ك)
PROCLITICS_RE = re.compile(f"[{CONJUNCTIONS}]?[{ATTACHED_PREPOSITIONS}]?")


def in_class(word: str, words: frozenset[str] | set[str]) -> bool:
    """Whether a folded word, or the word after its leading conjunction (و/ف), is one of
    ``words`` (a closed class: ``grammar.words("negator")``).

    >>> in_class("ولم", frozenset({"لم"})), in_class("فلن", frozenset({"لم"}))
    (True, False)
    """
    return word in words or (word[:1] in CONJUNCTIONS and word[1:] in words)


def strip_conjunction(word: str) -> str:
    """The word without one leading conjunction (و/ف), for looking it up in a closed class.

    >>> strip_conjunction("ولم"), strip_conjunction("لم")
    ('لم', 'لم')
    """
    return word[1:] if word[:1] in CONJUNCTIONS else word


# --- the character map ----------------------------------------------------------------------

_CP_RE = re.compile(r"U\+([0-9A-Fa-f]{4,6})(?:-U\+([0-9A-Fa-f]{4,6}))?")


class Charmap:
    """A loaded character map: named code-point groups and the letter folds.

    ``delete`` and ``space`` map a group name (diacritics, tatweel, controls, other_spaces) to
    its code points; ``digits`` the digit blocks (each run of ten folds to 0-9); ``letters``
    one character to its folded string; ``presentation`` the presentation-form code points,
    folded to their NFKC.
    """

    def __init__(self, delete: dict[str, list[int]], space: dict[str, list[int]],
                 digits: list[int], letters: dict[str, str], presentation: list[int]) -> None:
        self.delete, self.space, self.digits = delete, space, digits
        self.letters, self.presentation = letters, presentation


def _code_points(where: str, specs: object) -> list[int]:
    if not isinstance(specs, list):
        raise ResourceError(f"{where}: expected a list of code points (U+XXXX or U+XXXX-U+YYYY)")
    out: list[int] = []
    for spec in specs:
        m = _CP_RE.fullmatch(spec) if isinstance(spec, str) else None
        if m is None:
            raise ResourceError(f"{where}: {spec!r} is not U+XXXX or U+XXXX-U+YYYY")
        lo = int(m.group(1), 16)
        hi = int(m.group(2), 16) if m.group(2) else lo
        if hi < lo:
            raise ResourceError(f"{where}: range {spec!r} ends before it starts")
        out.extend(range(lo, hi + 1))
    return out


def _groups(file: Path, data: dict, key: str) -> dict[str, list[int]]:
    groups = data.get(key, {})
    if not isinstance(groups, dict):
        raise ResourceError(f"{file}: {key!r} must map group names to code-point lists")
    return {name: _code_points(f"{file}: {key}.{name}", v) for name, v in groups.items()}


@lru_cache(maxsize=4)
def load_charmap(path: str | Path | None = None) -> Charmap:
    """The character map of the matching-normal form (default: the package's own).

    >>> load_charmap().letters["أ"]
    'ا'
    """
    file = Path(path) if path is not None else resource(CHARMAP_FILE)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except OSError as err:
        raise ResourceError(f"{file}: cannot read ({err.strerror})") from err
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise ResourceError(f"{file}: not a UTF-8 JSON character map ({err})") from err
    if not isinstance(data, dict):
        raise ResourceError(f"{file}: expected a JSON object with a charMap")
    letters = data.get("charMap", {})
    if not isinstance(letters, dict) or not all(
            isinstance(k, str) and len(k) == 1 and isinstance(v, str) for k, v in letters.items()):
        raise ResourceError(f"{file}: charMap must map single characters to strings")
    digits = [cp for cps in _groups(file, data, "digits").values() for cp in cps]
    if len(digits) % 10:
        raise ResourceError(f"{file}: digits must list whole blocks of ten")
    return Charmap(_groups(file, data, "delete"), _groups(file, data, "space"), digits, letters,
                   _code_points(f"{file}: presentation_forms", data.get("presentation_forms", [])))


def _presentation_map(cps: Sequence[int]) -> dict[str, str]:
    out = {}
    for cp in cps:
        ch = chr(cp)
        nf = unicodedata.normalize("NFKC", ch)
        if nf == ch:
            continue
        # an isolated harakah form (U+FE70 ...) is "space + mark" under NFKC: the space is an
        # artefact of the compatibility decomposition, not of the text
        if nf[0] == " " and len(nf) > 1 and all(unicodedata.category(c) == "Mn" for c in nf[1:]):
            nf = nf[1:]
        out[ch] = nf
    return out


@lru_cache(maxsize=4)
def fold_table(path: str | Path | None = None) -> dict[int, str | None]:
    """The ``str.translate`` table of a character map (default: the package's own).

    >>> "أمـن".translate(fold_table())
    'امن'
    """
    cm = load_charmap(path)
    table: dict[int, str | None] = {cp: None for cps in cm.delete.values() for cp in cps}
    table.update({cp: " " for cps in cm.space.values() for cp in cps})
    table.update({ord(c): dst for c, dst in cm.letters.items()})
    for i, cp in enumerate(cm.digits):
        table[cp] = str(i % 10)
    base = dict(table)
    for ch, nf in _presentation_map(cm.presentation).items():
        table[ord(ch)] = nf.translate(base)
    return table


_CHARMAP = load_charmap()
#: harakat, tanwin, shadda, sukun, hamza marks, superscript alef, Quranic annotation marks
DIACRITICS: list[int] = _CHARMAP.delete["diacritics"]
TATWEEL: int = _CHARMAP.delete["tatweel"][0]
#: removed by the ``controls`` cleaning step and by normalize_for_matching
CONTROLS: list[int] = _CHARMAP.delete["controls"]
#: Unicode space separators other than " " (folded to " " for matching)
OTHER_SPACES: list[int] = _CHARMAP.space["other_spaces"]
ARABIC_INDIC_DIGITS: list[int] = _CHARMAP.digits
#: presentation-form character -> its NFKC (isolated harakah forms without the space)
PRESENTATION_MAP: dict[str, str] = _presentation_map(_CHARMAP.presentation)
#: str.translate table of normalize_for_matching (character-local by construction)
FOLD_TABLE: dict[int, str | None] = fold_table()

# output length per code point, for the offset map of normalize_with_map
_FOLD_LEN = np.ones(0x110000, dtype=np.int8)
for _cp, _out in FOLD_TABLE.items():
    _FOLD_LEN[_cp] = len(_out) if _out else 0
# code point -> single folded code point (0 = deleted); valid when no character expands
_FOLD_CP = np.arange(0x110000, dtype=np.uint32)
for _cp, _out in FOLD_TABLE.items():
    if _out is None or len(_out) == 1:
        _FOLD_CP[_cp] = ord(_out) if _out else 0
_NUMPY_FOLD_MIN = 4096  # below this, str.translate is faster than the numpy path

# --- the folds -------------------------------------------------------------------------------


def normalize_for_matching(text: str) -> str:
    """The folded form used for dictionary look-ups.

    Strips diacritics (harakat, tanwin, shadda, sukun, superscript alef, Quranic marks),
    tatweel and bidi/zero-width/control characters; folds alef variants (أ إ آ ٱ -> ا), alef
    maqsura and Farsi yeh (ى ی -> ي), taa marbuta (ة -> ه), hamza carriers to their carrier
    letter (ؤ -> و, ئ -> ي; bare ء is kept; so مسؤول and مسئول stay distinct and dictionaries
    should list both), Farsi kaf (ک -> ك), Arabic-Indic digits to ASCII, other Unicode spaces to
    " ", and presentation forms to their NFKC (``resources/charmap_matching.json``). One input
    character gives zero or one output characters, except presentation-form ligatures, which
    may expand.

    >>> normalize_for_matching("الأَمْنِ الجَمَاعِيِّ")
    'الامن الجماعي'
    """
    if not isinstance(text, str):
        raise KzError(f"normalize_for_matching expects str, not {type(text).__name__}")
    return text.translate(FOLD_TABLE)


def normalize_key(text: str) -> str:
    """The folded form with whitespace runs squashed to one space and the ends stripped: the
    key of a dictionary entry, so that a stray double space in a resource row still matches.

    >>> normalize_key(" الأمن  الجماعي ")
    'الامن الجماعي'
    """
    return " ".join(normalize_for_matching(text).split())


def fold_lengths(text: str) -> tuple[str, np.ndarray]:
    """Folded text and the folded length of each character of ``text`` (vectorised).

    >>> fold_lengths("أمـن")[1].tolist()
    [1, 1, 0, 1]
    """
    n = len(text)
    if n < _NUMPY_FOLD_MIN:
        lens = _FOLD_LEN[np.fromiter(map(ord, text), dtype=np.int64, count=n)]
        return text.translate(FOLD_TABLE), lens
    cps = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    lens = _FOLD_LEN[cps]
    out = _FOLD_CP[cps]
    expand = np.flatnonzero(lens > 1)
    if not len(expand):
        folded = out[lens == 1].tobytes().decode("utf-32-le", "surrogatepass")
        return folded, lens
    # ligatures that expand are rare: fold the stretches between them in bulk
    pieces, pos = [], 0
    for i in expand.tolist():
        chunk = out[pos:i]
        pieces.append(chunk[lens[pos:i] == 1].tobytes().decode("utf-32-le", "surrogatepass"))
        pieces.append(FOLD_TABLE[int(cps[i])])
        pos = i + 1
    chunk = out[pos:]
    pieces.append(chunk[lens[pos:] == 1].tobytes().decode("utf-32-le", "surrogatepass"))
    return "".join(pieces), lens


def folded_to_text(lens: np.ndarray) -> Callable[[Sequence[int]], list[int]]:
    """Folded index -> index of the text character it came from (len(text) past the end).

    Same as ``searchsorted(cumsum(lens), f, side="right")``, but only the characters whose
    folded length is not 1 (few) are summed, which keeps long texts fast.

    >>> folded_to_text(fold_lengths("أمـن")[1])([0, 2, 3])
    [0, 3, 4]
    """
    n = len(lens)
    irr = np.flatnonzero(lens != 1)
    if not len(irr):
        return lambda fs: [min(int(f), n) for f in fs]
    ends = irr + 1 + np.cumsum(lens[irr].astype(np.int64) - 1)  # folded end of each one

    def convert(fs: Sequence[int]) -> list[int]:
        f = np.asarray(fs, dtype=np.int64)
        k = np.searchsorted(ends, f, side="right") - 1
        after = np.where(k >= 0, irr[np.maximum(k, 0)] + 1 + f - ends[np.maximum(k, 0)], f)
        nxt = np.where(k + 1 < len(irr), irr[np.minimum(k + 1, len(irr) - 1)], n)
        return np.minimum(np.minimum(after, nxt), n).tolist()

    return convert


def _fold_with_map(text: str) -> tuple[str, np.ndarray]:
    folded, lens = fold_lengths(text)
    n = len(text)
    index = np.arange(n + 1, dtype=np.int64)
    if bool((lens == 1).all()):
        return folded, index
    return folded, np.append(np.repeat(index[:-1], lens), n)


def normalize_with_map(text: str) -> tuple[str, list[int]]:
    """``normalize_for_matching(text)`` plus, for each folded character, its index in ``text``.

    The map has ``len(folded) + 1`` entries, the last being ``len(text)``; a match
    ``folded[i:j]`` corresponds to ``text[m[i]:m[j]]`` (trailing stripped marks included).

    >>> normalize_with_map("أمـن")
    ('امن', [0, 1, 3, 4])
    """
    if not isinstance(text, str):
        raise KzError(f"normalize_with_map expects str, not {type(text).__name__}")
    folded, fmap = _fold_with_map(text)
    return folded, fmap.tolist()
