"""Arabic text cleaning with a provenance map (docs/ARCHITECTURE.md, "Offsets").

Cleaning is a sequence of small named steps. Each step is also available as a plain
``str -> str`` function (``remove_tatweel(text)``), but inside :func:`clean_text` every step
returns *edits* (start, end, replacement) on the current text, and applying them updates a
per-character map back to the raw input. So every character of ``Cleaned.text`` knows the raw
characters it came from, and every raw character that did not survive is accounted for by a
row of ``Cleaned.log``.

Default steps (``DEFAULT_STEPS``, in order):

``presentation_forms``
    NFKC on Arabic presentation forms only (U+FB50-FDFF, U+FE70-FEFF; text copied from PDFs):
    one character at a time, so other text is never touched. An isolated harakah form
    (U+FE70 ...), whose NFKC is "space + mark", becomes the bare mark: the space is an artefact
    of the compatibility decomposition, not of the text.
``controls``
    Removes bidi controls (LRM, RLM, ALM, embeddings, overrides, isolates), zero-width
    characters (ZWSP, word joiner, BOM/ZWNBSP, soft hyphen) and C0/C1 control characters.
    ZWNJ and ZWJ are removed too: in Arabic they only change glyph joining, carry no meaning,
    and break dictionary look-ups (Persian/Urdu use ZWNJ morphologically; leave out this step
    for such text).
``tatweel``
    Removes tatweel/kashida (U+0640), which is pure justification (so "هـ" becomes "ه").
``digits``
    Arabic-Indic (U+0660-0669) and Extended Arabic-Indic (U+06F0-06F9) digits to ASCII; the
    log keeps the original digits.
``glued_digits``
    Separates digits glued to Arabic words: "12شرطياً" -> "12 شرطياً", "عام2022" -> "عام 2022".
    Two documented exceptions, both kept glued: a one-letter suffix after a number, which is an
    abbreviation (era "2022م", Hijri "1443هـ" -> "1443ه", "500ق.م"), and proclitics before a
    number ("بـ5" -> "ب5", "و5", "لـ2022" -> "ل2022", "وب5"): splitting them would leave a
    one-letter "word".
``whitespace``
    NBSP and every other Unicode space -> " "; CRLF/CR and other line breaks -> "\\n"; runs of
    spaces -> one space; a line break with only spaces/1 newline around it stays "\\n"; two or
    more line breaks (any whitespace between) -> exactly one blank line "\\n\\n" (U+2029
    counts as two); leading and trailing whitespace stripped.
``boilerplate``
    Removes the patterns of ``resources/boilerplate.yaml`` (licence/copyright footers, contact
    lines, e-mail addresses and the "[email protected]" artefact, URLs, "read also",
    follow-us and share lines). Patterns are matched on ``normalize_for_matching`` of the text,
    so diacritics, tatweel, alef/hamza spellings and digit forms do not defeat them. A removed
    span inside a line becomes one space if it sat between two non-spaces; afterwards the
    whitespace around removals is tidied (logged as ``whitespace``), and so are digits that a
    removal left glued to a word. Repeated (later rounds look only at the lines around what
    changed) until nothing matches, so the result is stable. Line rules are tried at the start
    of each line.

Diacritics stay in the display text; :func:`normalize_for_matching` folds them away for look-ups.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from kzcrisis import schemas
from kzcrisis.errors import InputError, KzError, ResourceError
from kzcrisis.normalize import (  # noqa: F401 (the character tables, also read from here)
    ARABIC_INDIC_DIGITS,
    CONTROLS,
    DIACRITICS,
    FOLD_TABLE,
    OTHER_SPACES,
    PRESENTATION_MAP,
    PROCLITICS_RE,
    TATWEEL,
    fold_lengths,
    folded_to_text,
    normalize_for_matching,
    normalize_with_map,
)
from kzcrisis.normalize import folded_to_text as _folded_to_text  # noqa: F401
from kzcrisis.paths import resource

__all__ = [
    "DEFAULT_STEPS", "STEPS", "BoilerplateRule", "Cleaned", "add_raw_offsets", "clean_corpus",
    "clean_text", "load_boilerplate", "normalize_for_matching", "normalize_with_map",
    "rules_table", "fold_presentation_forms", "remove_controls", "remove_tatweel",
    "ascii_digits", "split_glued_digits", "normalize_whitespace", "remove_boilerplate",
]

LOG_COLUMNS = ["rule", "raw_start", "raw_end", "removed", "replacement"]
BOILERPLATE_FILE = "boilerplate.yaml"

# --- character classes of the cleaning steps (the tables themselves: kzcrisis.normalize) ---


_AR_LETTERS = "\u0621-\u063a\u0641-\u064a\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_AR_MARKS = "\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06dc\u06df-\u06e8\u06ea-\u06ed"
_ALL_DIGITS = "0-9\u0660-\u0669\u06f0-\u06f9"


def _class(cps: list[int]) -> str:
    return "".join(re.escape(chr(cp)) for cp in cps)


_PRESENTATION_RE = re.compile("[" + _class([ord(c) for c in PRESENTATION_MAP]) + "]")
_CONTROLS_RE = re.compile("[" + _class(CONTROLS) + "]+")
_TATWEEL_RE = re.compile("\u0640+")
_DIGITS_RE = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
_DIGITS_TABLE = {cp: str(i % 10) for i, cp in enumerate(ARABIC_INDIC_DIGITS)}
_DIGIT_RUN_RE = re.compile(f"[{_ALL_DIGITS}]+")
_WORD_RE = re.compile(f"[{_AR_LETTERS}][{_AR_LETTERS}{_AR_MARKS}]*")
_LETTER_SET = frozenset(re.findall(f"[{_AR_LETTERS}]", "".join(map(chr, range(0x600, 0x700)))))
_WORD_SET = _LETTER_SET | frozenset(re.findall(f"[{_AR_MARKS}]",
                                               "".join(map(chr, range(0x600, 0x700)))))
_MARKS_TABLE = {cp: None for cp in (*DIACRITICS, TATWEEL)}
# a whitespace character other than " " and "\n", or a pair that cannot be canonical: each
# hit is grown to its whole whitespace run (runs at either end of the text are checked apart)
_ODD_SPACES = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c not in " \n")
_WS_BAD_RE = re.compile(f"[{re.escape(_ODD_SPACES)}]|  | \n|\n |\n\n\n")
_LINE_BREAK_RE = re.compile("\r\n|[\n\r\x0b\x0c\x1c-\x1e\x85\u2028]")

# --- provenance-keeping edit machinery ---------------------------------------------------

Edit = tuple[int, int, str, str]  # (start, end, replacement, rule) on the current text


class _State:
    """The text being cleaned, the raw range of each of its characters, and the log."""

    __slots__ = ("text", "starts", "ends", "rows", "n_raw")

    def __init__(self, raw: str) -> None:
        n = len(raw)
        self.text = raw
        dtype = np.int32 if n < 2**31 - 1 else np.int64  # half the memory traffic
        self.starts = np.arange(n, dtype=dtype)
        self.ends = np.arange(1, n + 1, dtype=dtype)
        self.rows: list[list[Any]] = []
        self.n_raw = n

    def apply(self, edits: list[Edit]) -> None:
        """Apply sorted, non-overlapping edits; log each (adjacent edits of a rule merged)."""
        if not edits:
            return
        text, st, en = self.text, self.starts, self.ends
        n = len(text)
        same_shape = all(e - s == 1 and len(r) == 1 for s, e, r, _ in edits)
        deletions = not same_shape and all(not r for _, _, r, _ in edits)
        keep = np.ones(n, dtype=bool) if deletions else None
        pieces: list[str] = []
        sp: list[np.ndarray] = []
        ep: list[np.ndarray] = []
        pos = 0
        last_end = -1
        rows = self.rows
        first_row = len(rows)
        for s, e, rep, rule in edits:
            if e > s:
                a, b = int(st[s]), int(en[e - 1])
            else:  # an insertion sits just before the next character
                a = b = int(st[s]) if s < n else (int(en[n - 1]) if n else self.n_raw)
            pieces.append(text[pos:s])
            pieces.append(rep)
            if deletions:
                keep[s:e] = False
            elif not same_shape:
                sp.append(st[pos:s])
                ep.append(en[pos:s])
                if rep:
                    sp.append(np.full(len(rep), a, dtype=st.dtype))
                    ep.append(np.full(len(rep), b, dtype=st.dtype))
            prev = rows[-1] if len(rows) > first_row else None
            if prev is not None and s == last_end and prev[0] == rule and prev[2] == a:
                prev[2] = b
                prev[3] += text[s:e]
                prev[4] += rep
            else:
                rows.append([rule, a, b, text[s:e], rep])
            last_end = e
            pos = e
        pieces.append(text[pos:])
        self.text = "".join(pieces)
        if deletions:
            self.starts = st[keep]
            self.ends = en[keep]
        elif not same_shape:
            sp.append(st[pos:])
            ep.append(en[pos:])
            self.starts = np.concatenate(sp)
            self.ends = np.concatenate(ep)


def _apply_to_str(text: str, run: Callable[[_State], None]) -> str:
    if not isinstance(text, str):
        raise KzError(f"cleaning steps expect str, not {type(text).__name__}")
    state = _State(text)
    run(state)
    return state.text


# --- steps -----------------------------------------------------------------------------


def _edits_presentation(text: str) -> list[Edit]:
    return [(m.start(), m.end(), PRESENTATION_MAP[m.group()], "presentation_forms")
            for m in _PRESENTATION_RE.finditer(text)]


def _edits_controls(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "", "controls") for m in _CONTROLS_RE.finditer(text)]


def _edits_tatweel(text: str) -> list[Edit]:
    return [(m.start(), m.end(), "", "tatweel") for m in _TATWEEL_RE.finditer(text)]


def _edits_digits(text: str) -> list[Edit]:
    return [(m.start(), m.end(), m.group().translate(_DIGITS_TABLE), "digits")
            for m in _DIGITS_RE.finditer(text)]


def _letters(word: str) -> str:
    """The letters of a word (diacritics and tatweel dropped)."""
    return word.translate(_MARKS_TABLE)


def _edits_glued_digits(text: str) -> list[Edit]:
    # scanning digit runs (rare) is much faster than a look-behind at every position
    n = len(text)
    at: set[int] = set()
    for m in _DIGIT_RUN_RE.finditer(text):
        s, e = m.span()
        if e < n and text[e] in _LETTER_SET:
            word = _WORD_RE.match(text, e).group()
            if len(_letters(word)) > 1:  # one letter after a number is an abbreviation
                at.add(e)
        if s > 0 and text[s - 1] in _WORD_SET:
            j = s - 1
            while j > 0 and text[j - 1] in _WORD_SET:
                j -= 1
            # a run that starts with a mark is not a word of its own
            if text[j] in _LETTER_SET and not PROCLITICS_RE.fullmatch(_letters(text[j:s])):
                at.add(s)
    return [(p, p, " ", "glued_digits") for p in sorted(at)]


def _edits_whitespace(text: str) -> list[Edit]:
    n = len(text)
    runs: list[tuple[int, int]] = []
    if n and text[0].isspace():
        runs.append((0, 0))
    runs += [m.span() for m in _WS_BAD_RE.finditer(text)]
    if n and text[-1].isspace():
        runs.append((n - 1, n))
    edits: list[Edit] = []
    done = 0
    for a, b in runs:
        if a < done:
            continue
        while a > 0 and text[a - 1].isspace():
            a -= 1
        while b < n and text[b].isspace():
            b += 1
        done = b
        run = text[a:b]
        if a == 0 or b == n:
            rep = ""
        else:
            k = len(_LINE_BREAK_RE.findall(run)) + 2 * run.count("\u2029")
            rep = " " if k == 0 else "\n" if k == 1 else "\n\n"
        if run != rep:
            edits.append((a, b, rep, "whitespace"))
    return edits


def _simple(edits: Callable[[str], list[Edit]]) -> Callable[..., None]:
    def run(state: _State, rules: tuple = (), names: Sequence[str] = ()) -> None:
        state.apply(edits(state.text))
    return run


# --- boilerplate -----------------------------------------------------------------------


@dataclass(frozen=True)
class BoilerplateRule:
    """One boilerplate pattern; ``regex`` is compiled on the folded form of ``pattern``."""

    name: str
    pattern: str
    note: str
    scope: str  # "line": remove every line whose start matches; "inline": remove the match
    regex: re.Pattern
    source: str = ""
    requires: tuple[str, ...] = ()  # speed hint: skip the rule unless one of these occurs

    def spans(self, folded: str) -> list[tuple[int, int]]:
        """Match spans in folded text; line rules are tried at line starts only."""
        if self.requires and not any(lit in folded for lit in self.requires):
            return []
        if self.scope == "inline":
            return [m.span() for m in self.regex.finditer(folded)]
        # a leading newline literal lets the regex engine jump from line to line
        first = self.regex.match(folded)
        out = [first.span()] if first else []
        start = first.end() if first else 0
        out += [(m.start() + 1, m.end()) for m in _after_newline(self.regex).finditer(folded, start)]
        return out


@lru_cache(maxsize=256)
def _after_newline(regex: re.Pattern) -> re.Pattern:
    return re.compile("\n(?:" + regex.pattern + ")", regex.flags)


_FLAGS = {"IGNORECASE": re.IGNORECASE, "DOTALL": re.DOTALL, "VERBOSE": re.VERBOSE,
          "MULTILINE": re.MULTILINE}
_SCOPES = ("line", "inline")


def load_boilerplate(path: str | Path | None = None) -> tuple[BoilerplateRule, ...]:
    """Load boilerplate patterns from YAML (default ``resources/boilerplate.yaml``).

    The file is a mapping with a ``patterns`` list; each entry has ``name``, ``pattern`` (a
    Python regex written in ordinary Arabic spelling: it is folded with
    :func:`normalize_for_matching` and matched, MULTILINE, on the folded text), ``note``,
    and optionally ``scope`` (``line`` or ``inline``, default ``inline``), ``flags`` (a list of
    IGNORECASE, DOTALL, VERBOSE, MULTILINE) and ``requires`` (literal strings, one of which
    must occur in the folded text for the rule to run: a speed hint for inline rules). A
    malformed entry raises ResourceError.

    >>> rules = load_boilerplate()
    >>> all(r.name for r in rules)
    True
    """
    p = Path(path) if path is not None else resource(BOILERPLATE_FILE)
    return _load_boilerplate(str(p))


@lru_cache(maxsize=16)
def _load_boilerplate(path: str) -> tuple[BoilerplateRule, ...]:  # noqa: C901 (a listed exception)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ResourceError(f"{path}: cannot read boilerplate patterns ({err})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        raise ResourceError(f"{path}{where}: not valid YAML "
                            f"({getattr(err, 'problem', None) or err})") from None
    if not isinstance(data, dict) or not isinstance(data.get("patterns"), list):
        raise ResourceError(f"{path}: expected a mapping with a 'patterns' list")
    seq = next(v for k, v in node.value if k.value == "patterns")
    rules, seen = [], set()
    for i, (entry, sub) in enumerate(zip(data["patterns"], seq.value, strict=True)):
        where = f"{path} line {sub.start_mark.line + 1} (entry {i + 1}"
        if not isinstance(entry, dict):
            raise ResourceError(f"{where}): expected a mapping with name, pattern, note")
        name = entry.get("name")
        where += f" {name!r})" if isinstance(name, str) else ")"
        unknown = set(entry) - {"name", "pattern", "note", "scope", "flags", "requires"}
        if unknown:
            raise ResourceError(f"{where}: unknown field(s) {sorted(unknown)}")
        for key in ("name", "pattern", "note"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                raise ResourceError(f"{where}: '{key}' must be a non-empty string")
        if name in seen:
            raise ResourceError(f"{where}: duplicate name")
        seen.add(name)
        scope = entry.get("scope", "inline")
        if scope not in _SCOPES:
            raise ResourceError(f"{where}: scope must be one of {list(_SCOPES)}, not {scope!r}")
        flags = entry.get("flags", [])
        if isinstance(flags, str):
            flags = [flags]
        if not isinstance(flags, list) or any(f not in _FLAGS for f in flags):
            raise ResourceError(f"{where}: flags must be a list of {sorted(_FLAGS)}")
        requires = entry.get("requires", [])
        if isinstance(requires, str):
            requires = [requires]
        if not isinstance(requires, list) or not all(isinstance(x, str) and x for x in requires):
            raise ResourceError(f"{where}: requires must be a list of non-empty strings")
        value = re.MULTILINE
        for f in flags:
            value |= _FLAGS[f]
        try:
            regex = re.compile(normalize_for_matching(entry["pattern"]), value)
        except re.error as err:
            raise ResourceError(f"{where}: bad regex ({err})") from None
        if regex.search(""):
            raise ResourceError(f"{where}: pattern matches the empty string")
        rules.append(BoilerplateRule(name, entry["pattern"], entry["note"].strip(), scope,
                                     regex, path,
                                     _spellings(requires, value & re.IGNORECASE)))
    return tuple(rules)


_CLOSERS = frozenset("\n.,،؛:;!?)]}»\"'")


def _spellings(literals: list[str], ignorecase: int) -> tuple[str, ...]:
    """Folded literals; for IGNORECASE rules also in lower, upper and title case."""
    out: list[str] = []
    for lit in literals:
        lit = normalize_for_matching(lit)
        for v in (lit, lit.lower(), lit.upper(), lit.title()) if ignorecase else (lit,):
            if v not in out:
                out.append(v)
    return tuple(out)


def _boilerplate_edits(text: str, rules: Sequence[BoilerplateRule]) -> list[Edit]:
    folded, lens = fold_lengths(text)
    found = [(span, rule) for rule in rules for span in rule.spans(folded)]
    if not found:
        return []
    found = [(span, rule) for span, rule in found if span[1] > span[0]]
    bounds = folded_to_text(lens)([x for span, _ in found for x in span])
    spans = []
    for i, (_, rule) in enumerate(found):
        s, e = bounds[2 * i], bounds[2 * i + 1]
        if rule.scope == "line":
            s = text.rfind("\n", 0, s) + 1
            nl = text.find("\n", e - 1 if e > s else s)
            e = len(text) if nl < 0 else nl + 1
        spans.append((s, e, rule.name))
    spans.sort(key=lambda x: (x[0], -x[1]))
    merged: list[list[Any]] = []
    for s, e, name in spans:
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e, name])
    n = len(text)
    edits: list[Edit] = []
    for s, e, name in merged:
        glue = 0 < s and e < n and not text[s - 1].isspace() and not text[e].isspace()
        rep = " " if glue else ""
        prev_end = edits[-1][1] if edits else 0
        if (not glue and s - 1 >= prev_end and text[s - 1] == " "
                and (e == n or text[e] in _CLOSERS)):
            s -= 1  # "see http://x." -> "see." rather than "see ."
        if text[s:e] != rep:
            edits.append((s, e, rep, f"boilerplate:{name}"))
    return edits


_MAX_ROUNDS = 20


def _seams(edits: list[Edit]) -> list[int]:
    """Positions in the edited text where the edits left a seam (both ends of a replacement)."""
    out, shift = [], 0
    for s, e, rep, _ in edits:
        out += [s - shift, s - shift + len(rep)]
        shift += e - s - len(rep)
    return out


def _near(text: str, seams: list[int], grow: frozenset[str],
          edits_of: Callable[[str], list[Edit]]) -> list[Edit]:
    """``edits_of`` run only around the seams: on the stretch of ``grow`` characters around
    each, with one character of context on either side (the steps look no further)."""
    n = len(text)
    out: list[Edit] = []
    done = -1
    for p in sorted(set(seams)):
        a, b = p, p
        while a > 0 and text[a - 1] in grow:
            a -= 1
        while b < n and text[b] in grow:
            b += 1
        if a <= done or a == b:  # nothing of the step's kind at this seam
            continue
        done = b
        lo, hi = max(a - 1, 0), min(b + 1, n)
        out += [(s + lo, e + lo, rep, rule) for s, e, rep, rule in edits_of(text[lo:hi])
                if a <= s + lo and e + lo <= b]
    return out


_SPACE_SET = frozenset(c for c in map(chr, range(0x3001)) if c.isspace())
_GLUE_SET = _WORD_SET | frozenset("0123456789\u0660\u0661\u0662\u0663\u0664\u0665\u0666"
                                  "\u0667\u0668\u0669\u06f0\u06f1\u06f2\u06f3\u06f4\u06f5"
                                  "\u06f6\u06f7\u06f8\u06f9")


def _seam_lines(text: str, seams: list[int]) -> list[tuple[int, int]]:
    """Merged stretches of whole lines around the seams (the seam's line and one either side)."""
    out: list[tuple[int, int]] = []
    for p in sorted(set(seams)):
        a = text.rfind("\n", 0, max(p - 1, 0))
        a = text.rfind("\n", 0, a) + 1 if a > 0 else 0
        b = text.find("\n", p)
        b = text.find("\n", b + 1) if b >= 0 else -1
        b = len(text) if b < 0 else b + 1
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _boilerplate_edits_in(text: str, windows: list[tuple[int, int]],
                          rules: Sequence[BoilerplateRule]) -> list[Edit]:
    """Boilerplate edits found in windows of whole lines, scanned together as one text."""
    joined = "".join(text[a:b] for a, b in windows)
    starts, offset = [], 0
    for a, b in windows:
        starts.append(offset)
        offset += b - a
    out = []
    for s, e, rep, rule in _boilerplate_edits(joined, rules):
        i = bisect.bisect_right(starts, s) - 1
        a, b = windows[i]
        if e - starts[i] <= b - a:  # a match across two windows joins lines that are apart
            out.append((s - starts[i] + a, e - starts[i] + a, rep, rule))
    return out


def _run_boilerplate(state: _State, rules: tuple = (), names: Sequence[str] = ()) -> None:
    seams: list[int] | None = None
    for _ in range(_MAX_ROUNDS):
        if seams is None:
            edits = _boilerplate_edits(state.text, rules)
        else:  # later rounds: only lines next to a change can match anew
            edits = _boilerplate_edits_in(state.text, _seam_lines(state.text, seams), rules)
        if not edits:
            return
        edits = _snap_to_raw_chars(edits, state.starts)
        state.apply(edits)
        # a removal can give an earlier step new work around its seam ("ً[email protected]ء12"
        # -> "ء12"); redo the two context-dependent steps there, so that cleaning is idempotent
        seams = _seams(edits)
        if "glued_digits" in names:
            glued = _near(state.text, seams, _GLUE_SET, _edits_glued_digits)
            state.apply(glued)
            seams = _shift(seams, glued)
        tidy = _near(state.text, seams, _SPACE_SET, _edits_whitespace)
        state.apply(tidy)
        seams = _shift(seams, tidy)


def _snap_to_raw_chars(edits: list[Edit], starts: np.ndarray) -> list[Edit]:
    """Widen edits that would cut through the expansion of one raw character (a ligature such
    as U+FDFA becomes a whole phrase under NFKC), so that a raw character is either kept whole
    or removed whole and the provenance map stays exact; overlapping results are merged."""
    n = len(starts)
    out: list[Edit] = []
    for s, e, rep, rule in edits:
        while 0 < s < n and starts[s] == starts[s - 1]:
            s -= 1
        while 0 < e < n and starts[e] == starts[e - 1]:
            e += 1
        if out and s < out[-1][1]:
            ps, pe, prep, prule = out[-1]
            out[-1] = (ps, max(pe, e), prep or rep, prule)
        else:
            out.append((s, e, rep, rule))
    return out


def _shift(points: list[int], edits: list[Edit]) -> list[int]:
    """Where positions of a text lie after the (sorted) edits; one inside an edit goes to its
    start."""
    if not edits:
        return points
    starts = [s for s, _, _, _ in edits]
    delta = [0]
    for s, e, rep, _ in edits:
        delta.append(delta[-1] + e - s - len(rep))
    out = []
    for q in points:
        i = bisect.bisect_right(starts, q) - 1  # the last edit starting at or before q
        if i < 0:
            out.append(q)
            continue
        s, e, rep, _ = edits[i]
        out.append(q - delta[i + 1] if q >= e else s - delta[i] + (len(rep) if q > s else 0))
    return out


#: step name -> runner; the order of DEFAULT_STEPS is the order that makes cleaning idempotent
STEPS: dict[str, Callable[..., None]] = {
    "presentation_forms": _simple(_edits_presentation),
    "controls": _simple(_edits_controls),
    "tatweel": _simple(_edits_tatweel),
    "digits": _simple(_edits_digits),
    "glued_digits": _simple(_edits_glued_digits),
    "whitespace": _simple(_edits_whitespace),
    "boilerplate": _run_boilerplate,
}
DEFAULT_STEPS: tuple[str, ...] = tuple(STEPS)

_STEP_NOTES = {
    "presentation_forms": "Arabic presentation form (PDF copy) replaced by its NFKC letters",
    "controls": "invisible bidi, zero-width or control character removed",
    "tatweel": "tatweel (kashida) removed: justification only",
    "digits": "Arabic-Indic digit written as ASCII digit",
    "glued_digits": "space inserted between a number and a glued Arabic word",
    "whitespace": "spaces, line breaks and paragraph breaks made canonical",
}


def step_function(step: str, name: str) -> Callable[[str], str]:
    """Cleaning step ``step`` as a plain ``str -> str`` function called ``name``.

    >>> step_function("tatweel", "remove_tatweel")("قـــال")
    'قال'
    """
    def run(text: str) -> str:
        return _apply_to_str(text, STEPS[step])

    run.__name__ = run.__qualname__ = name
    run.__doc__ = f"Step ``{step}`` as a plain function: {_STEP_NOTES[step]}."
    return run


fold_presentation_forms = step_function("presentation_forms", "fold_presentation_forms")
remove_controls = step_function("controls", "remove_controls")
remove_tatweel = step_function("tatweel", "remove_tatweel")
ascii_digits = step_function("digits", "ascii_digits")
split_glued_digits = step_function("glued_digits", "split_glued_digits")
normalize_whitespace = step_function("whitespace", "normalize_whitespace")


def remove_boilerplate(text: str, rules: Sequence[BoilerplateRule] | None = None) -> str:
    """Step ``boilerplate`` as a plain function (default rules from the packaged YAML)."""
    if not isinstance(text, str):
        raise KzError(f"cleaning steps expect str, not {type(text).__name__}")
    rules = load_boilerplate() if rules is None else tuple(rules)
    state = _State(text)
    _run_boilerplate(state, rules, DEFAULT_STEPS)
    return state.text


def rules_table(rules: Sequence[BoilerplateRule] | None = None) -> pd.DataFrame:
    """Every rule name that can appear in a cleaning log, with its scope and note.

    >>> rules_table().columns.tolist()
    ['rule', 'kind', 'scope', 'note']
    """
    rules = load_boilerplate() if rules is None else tuple(rules)
    rows = [(name, "step", "", note) for name, note in _STEP_NOTES.items()]
    rows += [(f"boilerplate:{r.name}", "boilerplate", r.scope, r.note) for r in rules]
    return pd.DataFrame(rows, columns=["rule", "kind", "scope", "note"])


def _resolve_steps(steps: Sequence[str] | str | None) -> tuple[str, ...]:
    if steps is None:
        return DEFAULT_STEPS
    if isinstance(steps, str):
        steps = [steps]
    try:
        names = tuple(steps)
    except TypeError:
        raise KzError(f"steps must be a list of step names, not {type(steps).__name__}") from None
    bad = [s for s in names if s not in STEPS]
    if bad:
        raise KzError(f"unknown cleaning step(s) {bad}; valid steps: {', '.join(STEPS)}")
    return names


# --- the entry points ------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Cleaned:
    """A cleaned text with its provenance.

    ``offsets[i]`` is the raw index where cleaned character ``i`` starts and
    ``offsets_end[i]`` the raw index where cleaned character ``i - 1`` ends (both have
    ``len(text) + 1`` entries), so :meth:`raw_span` is O(1).

    >>> c = clean_text("قالَ   الرئيسُ: «النظام استعيد»")
    >>> c.text, c.raw_span(0, 3)
    ('قالَ الرئيسُ: «النظام استعيد»', (0, 3))
    """

    text: str
    raw: str
    log: pd.DataFrame
    offsets: np.ndarray
    offsets_end: np.ndarray
    steps: tuple[str, ...] = DEFAULT_STEPS

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Map ``text[start:end]`` to ``(raw_start, raw_end)`` so that ``raw[raw_start:raw_end]``
        is where it came from (an empty span maps to an empty raw span)."""
        n = len(self.text)
        try:
            s, e = int(start), int(end)
        except (TypeError, ValueError):
            raise KzError(f"raw_span needs integer offsets, got {start!r}, {end!r}") from None
        if not 0 <= s <= e <= n:
            raise KzError(f"span ({start}, {end}) is outside the cleaned text (length {n})")
        a = int(self.offsets[s])
        return (a, int(self.offsets_end[e])) if e > s else (a, a)

    def __repr__(self) -> str:
        return (f"Cleaned(len(raw)={len(self.raw)}, len(text)={len(self.text)}, "
                f"log={len(self.log)} rows)")


def clean_text(raw: str, steps: Sequence[str] | None = None, *,
               boilerplate: Sequence[BoilerplateRule] | None = None) -> Cleaned:
    """Clean one raw text with ``steps`` (names from ``STEPS``; default ``DEFAULT_STEPS``).

    ``boilerplate`` overrides the packaged patterns (see :func:`load_boilerplate`).

    >>> clean_text("قال   الرئيس\u200f: «النظام استعيد»").text
    'قال الرئيس: «النظام استعيد»'
    """
    if not isinstance(raw, str):
        raise KzError(f"clean_text expects str, not {type(raw).__name__}"
                      + (" (decode the bytes first)" if isinstance(raw, bytes | bytearray) else ""))
    names = _resolve_steps(steps)
    rules = (load_boilerplate() if boilerplate is None else tuple(boilerplate)) \
        if "boilerplate" in names else ()
    state = _State(raw)
    for name in names:
        STEPS[name](state, rules, names)
    n = len(state.text)
    offsets = np.empty(n + 1, dtype=state.starts.dtype)
    offsets[:n] = state.starts
    offsets[n] = state.n_raw
    offsets_end = np.empty(n + 1, dtype=state.starts.dtype)
    offsets_end[1:] = state.ends
    offsets_end[0] = offsets[0]
    rows = sorted(state.rows, key=lambda r: (r[1], r[2]))  # stable: step order within ties
    log = pd.DataFrame({
        "rule": pd.Series([r[0] for r in rows], dtype=object),
        "raw_start": np.array([r[1] for r in rows], dtype=np.int64),
        "raw_end": np.array([r[2] for r in rows], dtype=np.int64),
        "removed": pd.Series([r[3] for r in rows], dtype=object),
        "replacement": pd.Series([r[4] for r in rows], dtype=object),
    })
    offsets.flags.writeable = False
    offsets_end.flags.writeable = False
    return Cleaned(state.text, raw, log, offsets, offsets_end, names)


def clean_corpus(docs: pd.DataFrame, steps: Sequence[str] | None = None, *,
                 boilerplate: Sequence[BoilerplateRule] | None = None
                 ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Clean every document of ``docs`` (columns ``doc_id``, ``text_raw``).

    Returns a copy with ``text_clean``, ``n_chars`` (raw length), ``n_chars_clean`` and
    ``provenance`` (the :class:`Cleaned` object, for :func:`add_raw_offsets`; never write it
    to CSV), and the cleaning log (``schemas.CLEANING_LOG``).

    >>> docs = pd.DataFrame({"doc_id": ["d1"], "text_raw": ["قال  الرئيس  إن النظام استعيد."]})
    >>> clean, log = clean_corpus(docs)
    >>> clean.text_clean[0], log.rule.tolist()
    ('قال الرئيس إن النظام استعيد.', ['whitespace', 'whitespace'])
    """
    if not isinstance(docs, pd.DataFrame):
        raise InputError(f"clean_corpus expects a DataFrame, not {type(docs).__name__}")
    missing = [c for c in ("doc_id", "text_raw") if c not in docs.columns]
    if missing:
        raise InputError(f"clean_corpus: documents lack column(s) {missing} (use kz.load_corpus)")
    names = _resolve_steps(steps)
    rules = (load_boilerplate() if boilerplate is None else tuple(boilerplate)) \
        if "boilerplate" in names else ()
    out = docs.copy()
    cleaned, logs = [], []
    for doc_id, raw in zip(out["doc_id"], out["text_raw"], strict=True):
        if not isinstance(raw, str):
            raise InputError(f"document {doc_id!r}: text_raw is {type(raw).__name__}, not text")
        c = clean_text(raw, names, boilerplate=rules)
        cleaned.append(c)
        if len(c.log):
            logs.append(c.log.assign(doc_id=doc_id))
    out["text_clean"] = pd.Series([c.text for c in cleaned], index=out.index, dtype=object)
    out["n_chars"] = pd.Series([len(c.raw) for c in cleaned], index=out.index, dtype="int64")
    out["n_chars_clean"] = pd.Series([len(c.text) for c in cleaned], index=out.index,
                                     dtype="int64")
    out["provenance"] = pd.Series(cleaned, index=out.index, dtype=object)
    if logs:
        log = schemas.conform(pd.concat(logs, ignore_index=True), schemas.CLEANING_LOG)
    else:
        log = schemas.empty(schemas.CLEANING_LOG).astype({"raw_start": "int64",
                                                          "raw_end": "int64"})
    return out, log


def add_raw_offsets(table: pd.DataFrame, docs: pd.DataFrame, start: str = "start_char",
                    end: str = "end_char") -> pd.DataFrame:
    """Return a copy of ``table`` with ``raw_start``/``raw_end`` (indexes of ``text_raw``).

    ``table`` has ``doc_id`` and cleaned-text offsets ``start``/``end``; ``docs`` is the first
    result of :func:`clean_corpus`. Missing offsets give missing raw offsets.

    >>> clean, _ = clean_corpus(pd.DataFrame({"doc_id": ["d1"],
    ...                                      "text_raw": ["قال  الرئيس  إن النظام استعيد."]}))
    >>> spans = pd.DataFrame({"doc_id": ["d1"], "start_char": [4], "end_char": [10]})
    >>> add_raw_offsets(spans, clean)[["raw_start", "raw_end"]].values.tolist()
    [[5, 11]]
    """
    for name, df, cols in (("table", table, ["doc_id", start, end]),
                           ("docs", docs, ["doc_id", "provenance"])):
        if not isinstance(df, pd.DataFrame):
            raise KzError(f"add_raw_offsets: {name} must be a DataFrame")
        missing = [c for c in cols if c not in df.columns]
        if missing:
            hint = " (use the documents returned by kz.clean_corpus)" if name == "docs" else ""
            raise KzError(f"add_raw_offsets: {name} lacks column(s) {missing}{hint}")
    if docs["doc_id"].duplicated().any():
        dup = docs.loc[docs["doc_id"].duplicated(), "doc_id"].iloc[0]
        raise KzError(f"add_raw_offsets: doc_id {dup!r} occurs twice in docs")
    prov = dict(zip(docs["doc_id"], docs["provenance"], strict=True))
    out = table.copy()
    raw_start = np.full(len(out), -1, dtype=np.int64)
    raw_end = np.full(len(out), -1, dtype=np.int64)
    starts = pd.to_numeric(out[start], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    ends = pd.to_numeric(out[end], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    missing = np.isnan(starts) | np.isnan(ends)
    ids = out["doc_id"].to_numpy(dtype=object)
    for doc_id in pd.unique(ids):
        rows = np.flatnonzero((ids == doc_id) & ~missing)
        if not len(rows):
            continue
        c = prov.get(doc_id)
        if not isinstance(c, Cleaned):
            raise KzError(f"add_raw_offsets: no cleaned document {doc_id!r} in docs "
                          "(run kz.clean_corpus on the same documents)")
        s, e = starts[rows], ends[rows]
        n = len(c.text)
        bad = (s < 0) | (e < s) | (e > n) | (s != np.floor(s)) | (e != np.floor(e))
        if bad.any():
            i = rows[np.flatnonzero(bad)[0]]
            raise KzError(f"add_raw_offsets: document {doc_id!r} row {i}: span "
                          f"({starts[i]:g}, {ends[i]:g}) is outside its cleaned text "
                          f"(length {n})")
        s, e = s.astype(np.int64), e.astype(np.int64)
        raw_start[rows] = c.offsets[s]
        raw_end[rows] = np.where(e > s, c.offsets_end[e], c.offsets[s])
    out["raw_start"] = pd.array(np.where(missing, 0, raw_start), dtype="Int64")
    out["raw_end"] = pd.array(np.where(missing, 0, raw_end), dtype="Int64")
    if missing.any():
        out.loc[missing, ["raw_start", "raw_end"]] = pd.NA
    return out
