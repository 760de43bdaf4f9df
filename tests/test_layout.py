"""Line breaks of scraped pages: joined inside a sentence, a sentence end after a headline."""
from __future__ import annotations

import pytest

from kzcrisis import nlp
from kzcrisis.layout import layout

# (text with "|" for a single line break and "||" for a blank line, joined, broken)
CASES = [
    # a reported-speech sentence cut after its channel phrase, and after its verb
    ("وأضاف الوزير في تصريح||أن القوات ستنسحب قريبا.", 1, 0),
    ("وقال المتحدث باسم الخارجية الصينية|إن بكين تدعم جهود السلطات.", 1, 0),
    # a line that ends with a comma or a preposition goes on
    ("أكد الأمين العام للمنظمة،|في مؤتمر صحفي، أن المهمة مؤقتة.", 1, 0),
    ("وصلت طلائع القوات الروسية إلى||مطار ألماتي صباح الجمعة.", 1, 0),
    # a headline line: a sentence ends there, one line break or two
    ("موسكو ترسل قوات إلى كازاخستان|وقال الكرملين إن المهمة مؤقتة.", 0, 1),
    ("واشنطن تطالب بضبط النفس||دعت الخارجية الأمريكية إلى الهدوء.", 0, 1),
    # only a line that opens its block is a headline: the dateline below it is left to the
    # tokenizer, and so is the second line of a sentence cut after its complementizer clause
    ("آلاف المحتجين في شوارع ألماتي|ألماتي (أ ف ب)|خرج آلاف المحتجين إلى الشوارع.", 0, 1),
    ("موسكو تنشر قوات|وقالت الوزارة إن وحدات المظليين|بدأت مهامها.", 0, 1),
    ("انتهى الاجتماع.|بكين ترحب بعودة الهدوء|وقال المتحدث إن الصين تدعم الاستقرار.", 0, 1),
    ("وقالت الوزارة إن وحدات المظليين|بدأت مهامها.", 0, 0),
    # a line with final punctuation: the tokenizer decides
    ("قال الوزير إن القوات وصلت.|وأضاف أن المهمة مؤقتة.", 0, 0),
    ("أعلنت وزارة الدفاع الروسية:||«وصلت أولى الوحدات إلى كازاخستان».", 0, 0),
    # a long line without punctuation is no headline: the tokenizer decides
    ("خرج آلاف المحتجين إلى شوارع ألماتي وعدد من المدن الأخرى احتجاجا على رفع أسعار الغاز "
     "المسال في بداية العام الجديد|وردت السلطات بإعلان حالة الطوارئ.", 0, 0),
]


def _text(spec: str) -> str:
    return spec.replace("||", "\n\n").replace("|", "\n")


@pytest.mark.parametrize(("spec", "joined", "broken"), CASES)
def test_line_breaks_are_decided_from_the_lines_around_them(spec, joined, broken):
    text = _text(spec)
    lay = layout(text)
    assert (len(lay.joined), len(lay.breaks)) == (joined, broken)
    assert len(lay.text) == len(text)
    # joined breaks become spaces; nothing else changes
    changed = [i for i, (a, b) in enumerate(zip(text, lay.text, strict=True)) if a != b]
    assert all(text[i] == "\n" and lay.text[i] == " " for i in changed)
    assert bool(changed) == bool(joined)


@pytest.mark.parametrize(("spec", "sentences"), [
    ("موسكو ترسل قوات إلى كازاخستان|وقال الكرملين إن المهمة مؤقتة.",
     ["موسكو ترسل قوات إلى كازاخستان", "وقال الكرملين إن المهمة مؤقتة."]),
    ("وأضاف الوزير في تصريح||أن القوات ستنسحب قريبا.",
     ["وأضاف الوزير في تصريح\n\nأن القوات ستنسحب قريبا."]),
])
def test_annotated_sentences_follow_the_layout(pipeline, spec, sentences):
    text = _text(spec)
    ann = nlp.annotate(text, pipeline=pipeline)
    assert ann.sentences.text.tolist() == sentences
    # offsets index the original text, across the segments
    for row in ann.tokens.itertuples():
        assert text[row.start_char:row.end_char] == row.text
