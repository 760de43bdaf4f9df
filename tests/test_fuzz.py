"""Fuzzing across stages (hypothesis): random Arabic/Latin/digit/control text with actor aliases
and reporting cues injected. No stage may raise, and the cleaning invariants must hold."""
from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kzcrisis as kz

ALIASES = ["توكايف", "توكاييف", "منظمة معاهدة الأمن الجماعي", "الأمم المتحدة", "زاس",
           "وزارة الخارجية الصينية", "البيت الأبيض", "بلينكن", "الكرملين", "CSTO"]
CUES = ["قال", "وقالت", "وأضاف", "أكد", "دعت", "حذرت", "مشيرةً", "ووفق", "بحسب", "أما",
        "فحذرت", "بدورها،", "من جهتها،", "صادق", "أرسل", "لم", "لا"]
NOISE = st.text(alphabet=st.sampled_from(
    list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىةـًٌٍَُِّْ٠١٢٣٤٥٦٧٨٩0123456789 abcXYZ.,،؛؟!\"«»“”()")
    + ["\n", "\r", "\u200f", "\u200e", "\u200b", "\ufeff", "\u00a0", "\ufefb",
       "\ufe8d", "\x00", "\t"]), max_size=40)
PIECES = st.one_of(NOISE, st.sampled_from(ALIASES), st.sampled_from(CUES))
DOCS = st.lists(PIECES, min_size=1, max_size=25).map(" ".join)

DICTIONARY = kz.load_actors()


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_cleaning_and_matching_never_fail(raw):
    cleaned = kz.clean_text(raw)
    assert kz.clean_text(cleaned.text).text == cleaned.text
    folded, index = kz.normalize_with_map(cleaned.text)
    assert folded == kz.normalize_for_matching(cleaned.text)
    assert len(index) == len(folded) + 1
    for match in DICTIONARY.match(cleaned.text):
        start, end = match[0], match[1]
        assert 0 <= start < end <= len(cleaned.text)
        raw_start, raw_end = cleaned.raw_span(start, end)
        assert kz.normalize_for_matching(raw[raw_start:raw_end]).replace(" ", "") == \
            kz.normalize_for_matching(cleaned.text[start:end]).replace(" ", "")


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCS)
def test_attribution_and_stance_never_fail(raw):
    docs, _ = kz.clean_corpus(pd.DataFrame({"doc_id": ["f"], "text_raw": [raw],
                                            "date": ["2022-01-07"]}))
    tables = kz.extract_actors(docs, None, DICTIONARY)
    statements = kz.extract_statements(docs, None, tables.mentions)
    text = docs.text_clean[0]
    for row in statements.itertuples():
        assert text[row.start_char:row.end_char] == row.content
    stance = kz.code_stance(statements)
    assert stance.score.between(-1, 1).all()
