"""Per-document quality flags: empty text, non-Arabic text, Arabic stored in visual order.

Flags never drop a document: they are reported in the documents table (``flags``) and the
run manifest, and announced with a warning, so the researcher decides.
"""
from __future__ import annotations

import re
import warnings

_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3\ufb50-\ufdff\ufe70-\ufefc]")
_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CYRILLIC_LETTER = re.compile(r"[\u0400-\u04ff]")
_ARABIC_WORD = re.compile(r"[\u0621-\u064a]{2,}")
# Letters that cannot begin an Arabic word (taa marbuta, alef maqsura, tanween-bearing
# endings) and the definite article: reversed ("visual order") text shows them inverted.
_IMPOSSIBLE_START = frozenset("ةى")


def script_profile(text: str) -> dict[str, int]:
    """Counts of Arabic, Latin and Cyrillic letters."""
    return {"arabic": len(_ARABIC_LETTER.findall(text)),
            "latin": len(_LATIN_LETTER.findall(text)),
            "cyrillic": len(_CYRILLIC_LETTER.findall(text))}


def detect_script_language(text: str) -> str:
    """'ar', 'mixed' (Arabic with >= 30% other letters), 'non-ar' or 'empty'."""
    counts = script_profile(text)
    total = sum(counts.values())
    if total == 0:
        return "empty"
    share = counts["arabic"] / total
    if share >= 0.7:
        return "ar"
    return "mixed" if share >= 0.2 else "non-ar"


def looks_visual_order(text: str, min_words: int = 20) -> bool:
    """True when Arabic words look stored right-to-left reversed (as some PDF extractions do).

    Logical-order Arabic has many words starting with the article "ال" and none starting with
    "ة" or "ى"; reversed text has words ending in "لا" and starting with "ة"/"ى" instead.
    """
    words = _ARABIC_WORD.findall(text)
    if len(words) < min_words:
        return False
    logical = sum(w.startswith("ال") for w in words) + sum(w[-1] in _IMPOSSIBLE_START
                                                            for w in words)
    reversed_ = sum(w.endswith("لا") and w != "لا" for w in words) + sum(
        w[0] in _IMPOSSIBLE_START for w in words)
    return reversed_ > 2 * max(logical, 1)


def document_flags(text: str) -> list[str]:
    """Quality flags of one document's raw text (empty list when all is well)."""
    flags = []
    language = detect_script_language(text)
    if language == "empty":
        flags.append("empty")
    elif language == "non-ar":
        flags.append("non_arabic")
    elif language == "mixed":
        flags.append("mixed_script")
    if looks_visual_order(text):
        flags.append("visual_order")
    return flags


def warn_flags(doc_id: str, flags: list[str]) -> None:
    """Announce a flagged document (the flags also go to the tables and manifest)."""
    serious = [f for f in flags if f in ("empty", "non_arabic", "visual_order")]
    if serious:
        hint = (" (Arabic looks reversed, as from a PDF extraction: re-extract the text in "
                "logical order)" if "visual_order" in serious else "")
        warnings.warn(f"document {doc_id!r}: {', '.join(serious)}{hint}", stacklevel=2)
