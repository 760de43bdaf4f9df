"""The one phrase compiler (alternation groups, clitics, gaps) and the one longest-match
selector shared by actors, stance cues and framing terms."""
from __future__ import annotations

import pytest

from kzcrisis.clean import normalize_for_matching
from kzcrisis.errors import ResourceError
from kzcrisis.phrases import compile_phrases, expand, select_longest, split_forms


@pytest.mark.parametrize("phrase, literal", [
    ("قوات حفظ السلام", ["قوات حفظ السلام"]),
    ("(أرسل|إرسال) قوات", ["أرسل قوات", "إرسال قوات"]),
    ("متظاهر(ين|ون)", ["متظاهرين", "متظاهرون"]),
    ("(ال|)قوات الروسية", ["القوات الروسية", "قوات الروسية"]),
    ("(نشر|إرسال) (قوات|جنود)", ["نشر قوات", "نشر جنود", "إرسال قوات", "إرسال جنود"]),
    ("(عملية|) مكافحة الإرهاب", ["عملية مكافحة الإرهاب", "مكافحة الإرهاب"]),
    ("(الرئيس|الرئيس) الكازاخي", ["الرئيس الكازاخي"]),
])
def test_alternation_expands(phrase, literal):
    assert expand(phrase) == literal


@pytest.mark.parametrize("phrase", ["(أرسل|إرسال قوات", "أرسل) قوات", "((أ|ب)|ج) قوات", "(|)"])
def test_bad_group_is_an_error(phrase):
    with pytest.raises(ValueError):
        expand(phrase)
    with pytest.raises(ResourceError, match="^lexicon.csv: line 7: "):
        compile_phrases(phrase, "lexicon.csv: line 7")


@pytest.mark.parametrize("forms, phrases", [
    ("إرهابيين|مسلحين", ["إرهابيين", "مسلحين"]),
    ("(أرسل|إرسال) قوات|قوات حفظ السلام", ["(أرسل|إرسال) قوات", "قوات حفظ السلام"]),
    (" قوات | | جنود ", ["قوات", "جنود"]),
])
def test_cell_splits_outside_groups(forms, phrases):
    assert split_forms(forms) == phrases


@pytest.mark.parametrize("forms, text, found", [
    ("(أرسل|إرسال) قوات", "قررت موسكو إرسال قوات إلى ألماتي", ["ارسال قوات"]),
    ("(أرسل|إرسال) قوات", "وأرسلت المنظمة قوات", []),
    ("(أرسلت|إرسال) قوات", "وأرسلت قوات المنظمة", ["وارسلت قوات"]),
    ("إرسال * قوات", "ندد بإرسال مزيد من القوات", ["بارسال مزيد من القوات"]),
    ("(المحتج|المتظاهر)(ين|ون)", "اعتقلت الشرطة المتظاهرين والمحتجون", ["المتظاهرين", "والمحتجون"]),
    ("قوات حفظ السلام", "ولقواتهم حفظ السلام", ["ولقواتهم حفظ السلام"]),
    ("قوات حفظ السلام", "قوات حفظ الأمن", []),
])
def test_compiled_phrases_match_folded_text(forms, text, found):
    rx = compile_phrases(forms, "test")
    assert [m.group() for m in rx.finditer(normalize_for_matching(text))] == found


def _span(x):
    return x[0], x[1]


@pytest.mark.parametrize("items, tiebreak, chosen", [
    # the longest wins: "قوات حفظ السلام" over "قوات" and "السلام" inside it
    ([(0, 4, "قوات"), (0, 15, "قوات حفظ السلام"), (9, 15, "السلام")],
     lambda x: x[0], ["قوات حفظ السلام"]),
    # disjoint matches all stay, longest first
    ([(0, 8, "متظاهرين"), (10, 17, "إرهابيين")], lambda x: x[0], ["متظاهرين", "إرهابيين"]),
    # equal length, overlapping: the tie-break decides (earlier start ...)
    ([(4, 10, "b"), (0, 6, "a")], lambda x: x[0], ["a"]),
    # ... or the later start, when the caller says so
    ([(4, 10, "b"), (0, 6, "a")], lambda x: -x[0], ["b"]),
    # a rank ("priority") first, as the actor matcher does
    ([(0, 6, "composite", 1), (0, 6, "name", 0)], lambda x: (x[3], x[0]), ["name"]),
    # a full tie keeps the input order
    ([(0, 6, "first"), (0, 6, "second")], lambda x: x[0], ["first"]),
])
def test_longest_match_and_tiebreak(items, tiebreak, chosen):
    assert [x[2] for x in select_longest(items, _span, tiebreak)] == chosen


def test_conflicts_and_shared_spans():
    """Stance cues: overlapping cues for different targets both count; cues with the same
    span all count; an overlapping shorter cue for the same target does not."""
    items = [(0, 20, "rights", "intervention"), (0, 20, "rights_p", "protesters"),
             (12, 30, "restraint", "intervention"), (14, 25, "label", "protesters"),
             (5, 12, "other", "intervention")]
    kept = select_longest(items, _span, lambda x: x[0], share_span=True,
                          conflicts=lambda a, b: a[3] == b[3])
    assert [x[2] for x in kept] == ["rights", "rights_p"]
    kept = select_longest(items, _span, lambda x: x[0], share_span=True,
                          conflicts=lambda a, b: False)
    assert [x[2] for x in kept] == [x[2] for x in sorted(items, key=lambda x: -(x[1] - x[0]))]
