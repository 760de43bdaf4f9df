"""Property tests of kzcrisis.clean: idempotency and provenance on random mixed text."""
from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzcrisis.clean import (
    PRESENTATION_MAP,
    _folded_to_text,
    _shift,
    clean_text,
    normalize_for_matching,
    normalize_with_map,
)

N = 500
SETTINGS = settings(max_examples=N, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

ARABIC = [chr(c) for c in range(0x0621, 0x064B) if c != 0x0640] + list("ٱیک")
MARKS = [chr(c) for c in range(0x064B, 0x0653)] + ["\u0670", "\u0654", "\u06e1"]
PRESENTATION = sorted(PRESENTATION_MAP)[::7] + ["ﻻ", "ﷲ", "ﷺ", "ﹰ", "ﹱ", "ﱞ", "ﺑ", "ﺴ"]
LATIN = list("abcXYZ")
DIGITS = list("0123456789") + list("٠١٢٩") + list("۰۵")
SPACES = [" ", " ", " ", "\n", "\n", "\r\n", "\r", "\t", "\xa0", "\u2028", "\u2029", "\u3000",
          "\x0b"]
CONTROLS = ["\u200e", "\u200f", "\u061c", "\u200b", "\u200c", "\u200d", "\ufeff", "\u202b",
            "\u202c", "\u2067", "\u2069", "\x00", "\x07", "\x9c", "\xad"]
PUNCT = list(".,،؛:؟!()[]@/-\"'«»©") + ["ـ"]
FRAGMENTS = ["[email protected]", "[email\xa0protected]", "http://ex.com/a?b=1",
             "www.x.org.", "a@b.co", "اقرأ أيضاً: ", "\nتابعونا على تويتر\n", "قال ",
             "\nجميع الحقوق محفوظة ©\n", "12شرطياً", "بـ5", "2022م", "عام٢٠٢٢",
             "استعمال المضامين بموجب بند 27 أ لقانون الحقوق الأدبية لسنة 2007، يرجى ارسال رسالة الى:\n",
             "\nشارك هذا المقال\n", "\n\n", " \n \n ", "pic.twitter.com/Ab1 "]

chars = st.sampled_from(ARABIC + ARABIC + MARKS + PRESENTATION + LATIN + DIGITS + SPACES
                        + SPACES + CONTROLS + PUNCT)
texts = st.lists(st.one_of(chars, chars, chars, st.sampled_from(FRAGMENTS)),
                 max_size=80).map("".join)


def letters(s: str) -> str:
    return "".join(ch for ch in normalize_for_matching(s) if ch.isalnum())


def exact_boundaries(c) -> list[int]:
    """Cleaned-text boundaries that do not cut one raw character in two (e.g. ﻻ -> لا)."""
    n = len(c.text)
    return [0] + [i for i in range(1, n) if c.offsets_end[i] <= c.offsets[i]] + [n]


def excise_boilerplate(c, a: int, b: int) -> str:
    """raw[a:b] without the characters the boilerplate rules removed."""
    keep = np.ones(b - a, dtype=bool)
    for row in c.log.itertuples():
        if row.rule.startswith("boilerplate:"):
            keep[max(row.raw_start, a) - a:max(min(row.raw_end, b) - a, 0)] = False
    return "".join(ch for ch, k in zip(c.raw[a:b], keep, strict=True) if k)


@SETTINGS
@given(texts)
def test_idempotent(raw):
    c = clean_text(raw)
    again = clean_text(c.text)
    assert again.text == c.text
    assert again.log.empty


@SETTINGS
@given(texts, st.data())
def test_provenance(raw, data):
    c = clean_text(raw)
    n, n_raw = len(c.text), len(raw)
    assert len(c.offsets) == len(c.offsets_end) == n + 1
    # every raw character either maps to an output character or is in a log row
    covered = np.zeros(n_raw + 1, dtype=np.int64)
    for i in range(n):
        covered[c.offsets[i]] += 1
        covered[c.offsets_end[i + 1]] -= 1
    for row in c.log.itertuples():
        assert 0 <= row.raw_start <= row.raw_end <= n_raw
        covered[row.raw_start] += 1
        covered[row.raw_end] -= 1
    assert (np.cumsum(covered)[:n_raw] > 0).all()
    # a span maps to a raw span with the same letters (boilerplate the log removed aside)
    cuts = exact_boundaries(c)
    spans = [(a, b) for a, b in zip(cuts, cuts[1:], strict=False)]
    for _ in range(5):
        a, b = sorted(data.draw(st.lists(st.sampled_from(cuts), min_size=2, max_size=2)))
        spans.append((a, b))
    for a, b in spans:
        ra, rb = c.raw_span(a, b)
        assert 0 <= ra <= rb <= n_raw
        assert letters(c.text[a:b]) == letters(excise_boilerplate(c, ra, rb)), (a, b)


@SETTINGS
@given(texts)
def test_normalize_with_map(text):
    folded, m = normalize_with_map(text)
    assert folded == normalize_for_matching(text)
    assert normalize_for_matching(folded) == folded
    assert len(m) == len(folded) + 1 and m[-1] == len(text)
    assert all(x <= y for x, y in zip(m, m[1:], strict=False))
    # character-local, so any exact folded span maps back to a text span folding to it
    cuts = [0] + [i for i in range(1, len(folded)) if m[i - 1] != m[i]] + [len(folded)]
    for a, b in zip(cuts, cuts[1:], strict=False):
        assert normalize_for_matching(text[m[a]:m[b]]) == folded[a:b]


@SETTINGS
@given(st.lists(st.sampled_from([0, 1, 1, 1, 2, 5]), max_size=60))
def test_sparse_folded_to_text_map(lens):
    """The sparse folded->text index map used on long texts equals the dense definition."""
    lens = np.array(lens, dtype=np.int8)
    ends = np.cumsum(lens, dtype=np.int64)
    queries = list(range(int(ends[-1]) + 1 if len(lens) else 1))
    assert _folded_to_text(lens)(queries) == np.searchsorted(ends, queries, side="right").tolist()


@SETTINGS
@given(st.text(alphabet="abcdefgh", max_size=30), st.data())
def test_shift_positions_through_edits(text, data):
    """Positions outside edits keep pointing at the same character after the edits."""
    cuts = sorted(data.draw(st.lists(st.integers(0, len(text)), max_size=8)))
    edits, last = [], -1
    for s, e in zip(cuts[::2], cuts[1::2], strict=False):
        if s > last:
            edits.append((s, e, data.draw(st.sampled_from(["", "X", "YZ"])), "r"))
            last = e
    out, pos = [], 0
    for s, e, rep, _ in edits:
        out += [text[pos:s], rep]
        pos = e
    new = "".join(out) + text[pos:]
    free = [q for q in range(len(text)) if not any(s <= q < e for s, e, _, _ in edits)]
    for q, q2 in zip(free, _shift(free, edits), strict=True):
        assert new[q2] == text[q]
