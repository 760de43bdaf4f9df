"""Spreadsheet-formula neutralising and file names derived from doc_ids (io_safety)."""
from __future__ import annotations

import pandas as pd
import pytest

from kzcrisis.io_safety import (
    MAX_STEM_BYTES,
    ascii_stem,
    file_stem,
    neutralise_cell,
    neutralise_formulas,
)


@pytest.mark.parametrize("value, expected", [
    ('=HYPERLINK("http://x", "اضغط هنا")', '\'=HYPERLINK("http://x", "اضغط هنا")'),
    ("+٩٧١ ٥٠ ١٢٣", "'+٩٧١ ٥٠ ١٢٣"),
    ("- قال المتحدث إن القوات ستغادر", "'- قال المتحدث إن القوات ستغادر"),
    ("@الخارجية_الروسية", "'@الخارجية_الروسية"),
    ("\tبيان", "'\tبيان"),
    ("\rبيان", "'\rبيان"),
    ("قال الرئيس = أكد", "قال الرئيس = أكد"),  # only the first character counts
    ("«بيان» -", "«بيان» -"),
    ("", ""),
    (-0.5, -0.5),  # numbers are not text
])
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_neutralise_formulas_touches_text_columns_only():
    table = pd.DataFrame({"title": pd.Series(["=1+1", "بيان", None], dtype=object),
                          "score": [-1.0, 0.5, 2.0]})
    fixed = neutralise_formulas(table)
    assert fixed.title.tolist() == ["'=1+1", "بيان", None]
    assert fixed.score.tolist() == [-1.0, 0.5, 2.0]
    assert table.title[0] == "=1+1"  # the caller's table is left as it was
    clean = pd.DataFrame({"title": ["بيان"]})
    assert neutralise_formulas(clean) is clean


@pytest.mark.parametrize("doc_id", ["مقال-" + "ب" * 300, "x" * 400, "../" * 50 + "y",
                                    "تقرير الجزيرة ٧ يناير " * 20])
def test_long_ids_are_cut_with_a_hash(doc_id):
    for stem in (file_stem(doc_id), ascii_stem(doc_id)):
        assert len(stem.encode("utf-8")) <= MAX_STEM_BYTES
        assert "/" not in stem and not stem.startswith(".")
    assert file_stem(doc_id) != file_stem(doc_id + "z")
    assert ascii_stem(doc_id) != ascii_stem(doc_id + "z")


@pytest.mark.parametrize("doc_id", ["000_e4eda7b29b88d456", "مقال_1", "aljazeera-2022-01-07"])
def test_short_safe_ids_keep_their_name(doc_id):
    assert file_stem(doc_id) == doc_id
