"""The surface cue lexicon of statements: reporting and action cues (``resources/cues.csv``)
and attribution markers (``resources/attribution_markers.csv``), loaded and compiled once.

Both attribution stages read it (the parse-based rules of :mod:`kzcrisis.attribution` use its
forms as a safety net for the lemmatizer, the surface rules of :mod:`kzcrisis.statements` match
with it) and stance reads the cue polarities, so it sits below all three.

>>> load_cues().query("form == 'قال'")["lemma"].iloc[0]
'قال'
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .errors import ResourceError
from .normalize import CONJUNCTIONS, normalize_for_matching
from .paths import resource
from .resource_files import check_choice, read_resource_csv

__all__ = ["CUE_CLASSES", "FORM_TYPES", "MARKER_TYPES", "POLARITIES", "StatementLexicon",
           "default_lexicon", "load_cues", "load_markers", "load_statement_lexicon"]

CUE_CLASSES = ("speech", "action")
FORM_TYPES = ("finite", "participle")
POLARITIES = ("neutral", "endorse", "reject", "deny", "warn", "doubt")
MARKER_TYPES = ("source", "channel", "addressee", "topic", "pronoun", "discourse")

_WORD_RE = re.compile(r"\w+")
_SPACES_RE = re.compile(r"\s+")


def load_cues(path: str | Path | None = None) -> pd.DataFrame:
    """The reporting/action cue lexicon, one row per surface form.

    Columns: form (as written), folded (matching-normal form), lemma, class (speech|action),
    form_type (finite|participle), polarity (neutral|endorse|reject|deny|warn|doubt), object
    (``addressee`` when the verb takes the addressee as direct object, ``source`` when
    "X <verb> عن Y" relays Y's words, else empty).

    >>> load_cues()[["form", "lemma", "class"]].head(2)  # doctest: +SKIP
    """
    path = Path(path) if path is not None else resource("cues.csv")
    out = []
    for line, row in read_resource_csv(path, ["lemma", "class", "form_type", "polarity", "object",
                                      "forms"]):
        where = f"{path}: line {line}"
        if not row["lemma"] or not row["forms"]:
            raise ResourceError(f"{where}: lemma and forms must not be empty")
        check_choice(where, "class", row["class"], CUE_CLASSES)
        check_choice(where, "form_type", row["form_type"], FORM_TYPES)
        check_choice(where, "polarity", row["polarity"], POLARITIES)
        if row["object"] not in ("", "addressee", "source"):
            raise ResourceError(f"{where}: object must be empty, 'addressee' or 'source'")
        for form in row["forms"].split("|"):
            form = form.strip()
            folded = normalize_for_matching(form)
            if not form or not _WORD_RE.fullmatch(folded):
                raise ResourceError(f"{where}: form {form!r} is not a single word")
            out.append({"form": form, "folded": folded, "lemma": row["lemma"],
                        "class": row["class"], "form_type": row["form_type"],
                        "polarity": row["polarity"], "object": row["object"]})
    return pd.DataFrame(out, columns=["form", "folded", "lemma", "class", "form_type",
                                      "polarity", "object"])


def load_markers(path: str | Path | None = None) -> pd.DataFrame:
    """Attribution markers: marker, folded, type (source|channel|addressee|topic|pronoun|
    discourse), object (``yes`` when an object follows), channel (fixed channel name)."""
    path = Path(path) if path is not None else resource("attribution_markers.csv")
    out = []
    for line, row in read_resource_csv(path, ["marker", "type", "object", "channel"]):
        where = f"{path}: line {line}"
        if not row["marker"]:
            raise ResourceError(f"{where}: empty marker")
        if row["type"] not in MARKER_TYPES:
            raise ResourceError(f"{where}: type {row['type']!r} not in {MARKER_TYPES}")
        if row["object"] not in ("yes", "no"):
            raise ResourceError(f"{where}: object must be 'yes' or 'no'")
        out.append({"marker": row["marker"], "folded": normalize_for_matching(row["marker"]),
                    "type": row["type"], "object": row["object"] == "yes",
                    "channel": row["channel"]})
    return pd.DataFrame(out, columns=["marker", "folded", "type", "object", "channel"])


@dataclass
class StatementLexicon:
    """Compiled cue and marker lexicons (build with :func:`load_statement_lexicon`)."""

    cues: pd.DataFrame
    markers: pd.DataFrame
    cue_re: re.Pattern = field(repr=False)
    cue_info: dict[str, dict] = field(repr=False)
    marker_re: dict[str, re.Pattern] = field(repr=False)
    marker_info: dict[str, dict] = field(repr=False)


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=lambda w: (-len(w), w)))


def _marker_pattern(folded: str) -> str:
    parts = folded.split()
    body = r"\s+".join(re.escape(p) for p in parts)
    # a marker ending in the preposition ل is written attached to its object (لوكالة)
    tail = "" if parts[-1] == "ل" else r"(?!\w)"
    return body + tail


def load_statement_lexicon(cues: str | Path | None = None,
                           markers: str | Path | None = None) -> StatementLexicon:
    """Load and compile the cue lexicon and the attribution markers."""
    cue_df = load_cues(cues)
    mk_df = load_markers(markers)
    # the proclitics و/ف are tried first; a form that itself starts with و (وافق) still
    # matches as a whole because the regex backtracks
    cue_re = re.compile(rf"(?<!\w)(?P<cl>[{CONJUNCTIONS}])?(?P<form>" + _alternation(list(cue_df.folded))
                        + r")(?!\w)")
    cue_info = {r["folded"]: r for r in cue_df.to_dict("records")}
    marker_re: dict[str, re.Pattern] = {}
    marker_info: dict[str, dict] = {}
    for mtype in MARKER_TYPES:
        sub = mk_df[mk_df.type == mtype]
        if not len(sub):
            continue
        pats = sorted(sub.folded, key=lambda w: (-len(w), w))
        marker_re[mtype] = re.compile(rf"(?<!\w)(?P<cl>[{CONJUNCTIONS}](?=\S))?(?P<m>"
                                      + "|".join(_marker_pattern(p) for p in pats) + ")")
        for r in sub.to_dict("records"):
            marker_info[_SPACES_RE.sub(" ", r["folded"])] = r
    return StatementLexicon(cue_df, mk_df, cue_re, cue_info, marker_re, marker_info)


@lru_cache(maxsize=4)
def default_lexicon() -> StatementLexicon:
    """The package's cue lexicon and markers, compiled once (shared by statements and stance).

    >>> default_lexicon().cue_info["قال"]["class"]
    'speech'
    """
    return load_statement_lexicon()


