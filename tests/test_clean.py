"""kzcrisis.clean: steps, boilerplate, provenance, perturbed copies, corpus helpers."""
from __future__ import annotations

import random
import unicodedata

import pandas as pd
import pytest

import kzcrisis as kz
from kzcrisis import schemas
from kzcrisis.clean import (
    DEFAULT_STEPS,
    STEPS,
    ascii_digits,
    fold_presentation_forms,
    load_boilerplate,
    normalize_whitespace,
    remove_boilerplate,
    remove_controls,
    remove_tatweel,
    rules_table,
    split_glued_digits,
)
from kzcrisis.errors import InputError, KzError, ResourceError
from kzcrisis.paths import DATA_RAW

SEED = (DATA_RAW / "000_e4eda7b29b88d456.txt").read_text(encoding="utf-8")
FOOTER_START = SEED.index("استعمال المضامين")

# An invented article in another outlet's layout: its own footer, links and widgets.
INVENTED_BODY = [
    "أعلنت السلطات في كازاخستان حالة الطوارئ في ألماتي بعد احتجاجات على رفع أسعار الغاز المسال.",
    "وقالت وزارة الداخلية إن ١٦٤ شخصاً قتلوا خلال الاضطرابات، بينهم 16 من عناصر الأمن.",
    "وأكد الرئيس قاسم جومرت توكاييف أن قوات منظمة معاهدة الأمن الجماعي ستغادر البلاد خلال 10أيام.",
    "من جهته، قال المتحدث باسم الكرملين ديمتري بيسكوف إن موسكو لا تتدخل في الشؤون الداخلية.",
    "ونشر موقع Tengrinews.kz صوراً للمباني الحكومية المحترقة في وسط المدينة.",
    "وتابع المراقبون على تويتر خطاب الرئيس الذي وصف المحتجين بالإرهابيين.",
]
INVENTED_NOISE = {
    2: "اقرأ أيضاً: روسيا ترسل مظليين إلى ألما آتا",
    4: "تابعوا آخر الأخبار عبر قناتنا على تلغرام",
}
INVENTED_FOOTER = ["شارك هذا المقال", "فيسبوك | تويتر | واتساب",
                   "https://example.com/news/2022/01/kazakhstan-csto",
                   "جميع الحقوق محفوظة © 2022 الشرق الإخبارية",
                   "للتواصل: newsroom@example.com"]


def invented_article() -> str:
    paras = []
    for i, p in enumerate(INVENTED_BODY):
        paras.append(p)
        if i in INVENTED_NOISE:
            paras.append(INVENTED_NOISE[i])
    return "\n\n".join(paras + INVENTED_FOOTER)


INVENTED = invented_article()

# --- perturbations -------------------------------------------------------------------------


def _reverse_nfkc() -> dict[str, str]:
    rev: dict[str, str] = {}
    for cp in (*range(0xFB50, 0xFE00), *range(0xFE70, 0xFF00)):
        ch = chr(cp)
        nf = unicodedata.normalize("NFKC", ch)
        if nf != ch and "ARABIC" in unicodedata.name(ch, "") and nf[0] not in " \u0640" \
                and unicodedata.category(nf[0]) == "Lo":
            rev.setdefault(nf, ch)
    return rev


REVERSE_NFKC = _reverse_nfkc()
_LONGEST = max(map(len, REVERSE_NFKC))
ARABIC_LETTER = {chr(c) for c in range(0x0621, 0x064B)} - {"\u0640"}


def to_presentation_forms(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        for k in range(_LONGEST, 0, -1):
            if text[i:i + k] in REVERSE_NFKC:
                out.append(REVERSE_NFKC[text[i:i + k]])
                i += k
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def with_tatweel(text: str) -> str:
    return "".join(ch + ("ـ" if ch in ARABIC_LETTER and nxt in ARABIC_LETTER and i % 3 == 0 else "")
                   for i, (ch, nxt) in enumerate(zip(text, text[1:] + " ", strict=True)))


def with_diacritics(text: str) -> str:
    rng = random.Random(7)
    out = []
    for ch, nxt in zip(text, text[1:] + " ", strict=True):
        out.append(ch)
        if ch in ARABIC_LETTER and not unicodedata.combining(nxt) and rng.random() < 0.4:
            out.append(rng.choice("\u064e\u064f\u0650\u0652\u0651\u064b"))
    return "".join(out)


def with_rlm(text: str) -> str:
    text = "\u200f" + text.replace("\n", "\n\u200f").replace("،", "،\u200f")
    return text.replace(" ", " \u200e", 5)


def with_crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def with_bom(text: str) -> str:
    return "\ufeff" + text


def with_indic_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))


def with_extended_digits(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def with_nbsp(text: str) -> str:
    return text.replace(" ", "\xa0", 7).replace("\n\n", "\n \n\n")


def everything(text: str) -> str:
    return with_bom(with_crlf(with_rlm(with_diacritics(with_tatweel(text)))))


PERTURBATIONS = [to_presentation_forms, with_tatweel, with_diacritics, with_rlm, with_crlf,
                 with_bom, with_indic_digits, with_extended_digits, with_nbsp, everything]


def folded_clean(text: str) -> str:
    return kz.normalize_for_matching(kz.clean_text(text).text)


@pytest.mark.parametrize("article", [SEED, INVENTED], ids=["seed", "invented"])
@pytest.mark.parametrize("perturb", PERTURBATIONS, ids=lambda f: f.__name__)
def test_perturbed_copies_clean_to_the_same_folded_text(article, perturb):
    copy = perturb(article)
    assert copy != article
    assert folded_clean(copy) == folded_clean(article)


def test_presentation_copy_is_really_in_presentation_forms():
    copy = to_presentation_forms(SEED)
    assert sum(0xFB50 <= ord(c) <= 0xFEFF for c in copy) > 1500
    assert not any(c in ARABIC_LETTER for c in copy[:200])


# --- the seed article ----------------------------------------------------------------------


def test_seed_loses_footer_and_artefact_and_nothing_else():
    c = kz.clean_text(SEED)
    body = SEED[:FOOTER_START].rstrip()
    assert c.text == body.replace("12شرطياً", "12 شرطياً")
    assert "استعمال المضامين" not in c.text and "protected" not in c.text
    removing = c.log[c.log.raw_end > c.log.raw_start]
    assert (removing.raw_start >= len(body)).all()
    assert set(removing.rule) >= {"boilerplate:licence_footer",
                                  "boilerplate:email_protected_artefact"}
    assert set(c.log.rule) <= {"boilerplate:licence_footer",
                               "boilerplate:email_protected_artefact", "whitespace",
                               "glued_digits"}


def test_seed_spans_map_back_to_raw():
    c = kz.clean_text(SEED)
    for word in ["12 شرطياً", "توكاييف", "ستانيسلاف زاس", "الأمم المتحدة"]:
        start = c.text.index(word)
        a, b = c.raw_span(start, start + len(word))
        assert SEED[a:b].replace(" ", "") == word.replace(" ", "")
    i = c.text.index("12 شرطياً")
    assert c.raw_span(i + 2, i + 3) == (SEED.index("12شرطياً") + 2,) * 2  # the inserted space


@pytest.mark.parametrize("article", [SEED, INVENTED], ids=["seed", "invented"])
def test_idempotent_on_articles(article):
    c = kz.clean_text(article)
    again = kz.clean_text(c.text)
    assert again.text == c.text and again.log.empty


def test_invented_article_keeps_body_drops_noise():
    c = kz.clean_text(INVENTED)
    expected = [p.replace("10أيام", "10 أيام").replace("١٦٤", "164") for p in INVENTED_BODY]
    assert c.text == "\n\n".join(expected)
    rules = set(c.log.rule)
    assert {"boilerplate:read_also", "boilerplate:follow_us", "boilerplate:share_line",
            "boilerplate:share_buttons", "boilerplate:url", "boilerplate:rights_reserved",
            "boilerplate:contact_line"} <= rules
    assert "١٦٤" in set(c.log.removed)  # the log keeps the original digits


# --- single steps --------------------------------------------------------------------------

STEP_CASES = [
    # presentation forms (only U+FB50-FDFF, U+FE70-FEFF)
    (fold_presentation_forms, "ﺑﺴﻢ", "بسم"),
    (fold_presentation_forms, "ﻻ ﻟﻠﺤﺮﺏ", "لا للحرب"),
    (fold_presentation_forms, "ﷲ", "الله"),
    (fold_presentation_forms, "ﻛﺎﺯﺍﺧﺴﺘﺎﻥ", "كازاخستان"),
    (fold_presentation_forms, "ﹰ", "ً"),  # isolated tanwin form: the bare mark, no space
    (fold_presentation_forms, "½ ﬁ Ⅻ x²", "½ ﬁ Ⅻ x²"),  # other compatibility chars untouched
    # controls
    (remove_controls, "ق\u200fال", "قال"),
    (remove_controls, "\ufeffأعلن", "أعلن"),
    (remove_controls, "\u202bالأمن\u202c", "الأمن"),
    (remove_controls, "\u2067ألماتي\u2069", "ألماتي"),
    (remove_controls, "\u061cقال\u200e", "قال"),
    (remove_controls, "توكا\u200bييف", "توكاييف"),
    (remove_controls, "كازا\u200cخستان", "كازاخستان"),  # ZWNJ removed (Arabic: shaping only)
    (remove_controls, "كازا\u200dخستان", "كازاخستان"),  # ZWJ removed
    (remove_controls, "نص\x00\x07", "نص"),
    # tatweel
    (remove_tatweel, "قـــال", "قال"),
    (remove_tatweel, "بـ5", "ب5"),
    (remove_tatweel, "1443هـ", "1443ه"),
    # digits
    (ascii_digits, "٢٠٢٢", "2022"),
    (ascii_digits, "۱۴۰۰", "1400"),
    (ascii_digits, "٣٫٥ مليون", "35٫ مليون".replace("35٫", "3٫5")),
    # glued digits
    (split_glued_digits, "12شرطياً", "12 شرطياً"),
    (split_glued_digits, "نحو12شرطياً", "نحو 12 شرطياً"),
    (split_glued_digits, "عام2022", "عام 2022"),
    (split_glued_digits, "في2022", "في 2022"),
    (split_glued_digits, "12شُرطياً", "12 شُرطياً"),
    (split_glued_digits, "٧٠طائرة", "٧٠ طائرة"),
    (split_glued_digits, "2022م", "2022م"),  # era abbreviation stays glued
    (split_glued_digits, "2022مَ", "2022مَ"),
    (split_glued_digits, "1443ه", "1443ه"),
    (split_glued_digits, "500ق.م", "500ق.م"),
    (split_glued_digits, "ب5", "ب5"),  # proclitic stays glued
    (split_glued_digits, "بِ5", "بِ5"),
    (split_glued_digits, "و5", "و5"),
    (split_glued_digits, "وب5", "وب5"),
    (split_glued_digits, "ل2022", "ل2022"),
    (split_glued_digits, "COVID19", "COVID19"),
    (split_glued_digits, "12 شرطياً", "12 شرطياً"),
    # whitespace
    (normalize_whitespace, "قال  إن", "قال إن"),
    (normalize_whitespace, "قال\xa0إن", "قال إن"),
    (normalize_whitespace, "قال\u202fإن\u3000ذلك", "قال إن ذلك"),
    (normalize_whitespace, "قال\tإن", "قال إن"),
    (normalize_whitespace, "سطر\r\nسطر", "سطر\nسطر"),
    (normalize_whitespace, "سطر\rسطر", "سطر\nسطر"),
    (normalize_whitespace, "سطر \n سطر", "سطر\nسطر"),
    (normalize_whitespace, "فقرة\n\n\nفقرة", "فقرة\n\nفقرة"),
    (normalize_whitespace, "فقرة\n \t\n\n  فقرة", "فقرة\n\nفقرة"),
    (normalize_whitespace, "فقرة\r\n\r\nفقرة", "فقرة\n\nفقرة"),
    (normalize_whitespace, "فقرة\u2029فقرة", "فقرة\n\nفقرة"),
    (normalize_whitespace, "سطر\u2028سطر", "سطر\nسطر"),
    (normalize_whitespace, "\n\n  فقرة  \n", "فقرة"),
    (normalize_whitespace, " \n\t ", ""),
]


@pytest.mark.parametrize(("step", "raw", "expected"), STEP_CASES,
                         ids=[f"{f.__name__}-{i}" for i, (f, _, _) in enumerate(STEP_CASES)])
def test_step(step, raw, expected):
    assert step(raw) == expected
    assert step(expected) == expected


@pytest.mark.parametrize(("raw", "expected"), [
    ("12شرطياً", "12 شرطياً"),
    ("قُتل ١٢شرطيـاً", "قُتل 12 شرطياً"),
    ("بـ٥ طائرات", "ب5 طائرات"),
    ("سنة ٢٠٢٢م", "سنة 2022م"),
    ("كَتَبَ الصحفيُّ", "كَتَبَ الصحفيُّ"),  # diacritics stay in the display text
    ("ﻗﺎﻝ\u200f  ﺗﻮﻛﺎﻳﻴﻒ", "قال توكاييف"),
])
def test_default_pipeline_cases(raw, expected):
    assert kz.clean_text(raw).text == expected


def test_steps_selected_by_name():
    raw = "\u200fقـال  12شرطياً"
    assert kz.clean_text(raw, steps=["tatweel"]).text == "\u200fقال  12شرطياً"
    assert kz.clean_text(raw, steps="controls").text == "قـال  12شرطياً"
    assert kz.clean_text(raw, steps=[]).text == raw
    assert DEFAULT_STEPS == tuple(STEPS)


def test_unknown_step_lists_valid_ones():
    with pytest.raises(KzError, match="unknown cleaning step.*'stemming'.*tatweel"):
        kz.clean_text("نص", steps=["tatweel", "stemming"])


def test_steps_must_be_names():
    with pytest.raises(KzError, match="list of step names"):
        kz.clean_text("نص", steps=5)


@pytest.mark.parametrize("bad", [b"\xd9\x86\xd8\xb5", None, 12])
def test_non_text_input_is_a_kzerror(bad):
    with pytest.raises(KzError, match="expects str"):
        kz.clean_text(bad)


@pytest.mark.parametrize("step", [fold_presentation_forms, remove_controls, remove_tatweel,
                                  ascii_digits, split_glued_digits, normalize_whitespace,
                                  remove_boilerplate])
def test_plain_step_functions_reject_non_text(step):
    with pytest.raises(KzError, match="expect str"):
        step(b"text")


def test_empty_and_blank_text():
    assert kz.clean_text("").text == ""
    c = kz.clean_text(" \n\u200f\n ")
    assert c.text == "" and c.raw_span(0, 0) == (5, 5)


def test_raw_span_rejects_bad_offsets():
    c = kz.clean_text("قال توكاييف")
    with pytest.raises(KzError, match="outside"):
        c.raw_span(3, 99)
    with pytest.raises(KzError, match="outside"):
        c.raw_span(5, 2)


def test_ligature_span_maps_to_whole_raw_character():
    c = kz.clean_text("ﻻ نعم")
    assert c.text == "لا نعم"
    assert c.raw_span(0, 1) == (0, 1) and c.raw_span(0, 2) == (0, 1)
    assert c.raw_span(3, 6) == (2, 5)


def test_log_columns_and_original_digits():
    c = kz.clean_text("قتل ٢٢ شخصاً")
    assert list(c.log.columns) == ["rule", "raw_start", "raw_end", "removed", "replacement"]
    row = c.log.iloc[0]
    assert (row.rule, row.raw_start, row.raw_end, row.removed, row.replacement) == \
        ("digits", 4, 6, "٢٢", "22")


# --- normalize_for_matching --------------------------------------------------------------

FOLD_CASES = [
    ("أحمد", "احمد"), ("إسلام", "اسلام"), ("آسيا", "اسيا"), ("ٱلله", "الله"),
    ("مستشفى", "مستشفي"), ("مدرسة", "مدرسه"), ("مسؤول", "مسوول"), ("رئيس", "رييس"),
    ("سماء", "سماء"), ("كَتَبَ", "كتب"), ("شدّة", "شده"), ("اجتماعاً", "اجتماعا"),
    ("هٰذا", "هذا"), ("قـــال", "قال"), ("٢٠٢٢", "2022"), ("۱۴۰۰", "1400"),
    ("ق\u200fال", "قال"), ("\ufeffنص", "نص"), ("ﻻ", "لا"), ("ﺗﻮﻛﺎﻳﻴﻒ", "توكاييف"),
    ("ﷲ", "الله"), ("ﹰ", ""), ("ی", "ي"), ("ک", "ك"), ("a\xa0b", "a b"),
    ("الأمْنِ الجَمَاعِيِّ", "الامن الجماعي"), ("CSTO", "CSTO"),
]


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES)
def test_normalize_for_matching(text, expected):
    assert kz.normalize_for_matching(text) == expected
    folded, m = kz.normalize_with_map(text)
    assert folded == expected and len(m) == len(folded) + 1 and m[-1] == len(text)


def test_normalize_with_map_offsets():
    assert kz.normalize_with_map("كَتَبَ") == ("كتب", [0, 2, 4, 6])
    assert kz.normalize_with_map("ﻻ بـد") == ("لا بد", [0, 0, 1, 2, 4, 5])


@pytest.mark.parametrize("text", [
    "الأمْنِ الجَمَاعِيِّ \u200f٢٠٢٢ قـال " * 400,  # long: the vectorised path
    "ﻻ الأمْنِ ﷲ " * 600,  # long with expanding ligatures
])
def test_normalize_with_map_long_texts_agree_with_translate(text):
    folded, m = kz.normalize_with_map(text)
    assert folded == "".join(kz.normalize_for_matching(ch) for ch in text)
    assert len(m) == len(folded) + 1 and m[-1] == len(text)
    assert all(kz.normalize_for_matching(text[m[i]]).startswith(folded[i])
               or folded[i] in kz.normalize_for_matching(text[m[i]]) for i in range(len(folded)))


def test_folded_matches_map_back_to_cleaned_text():
    c = kz.clean_text(SEED)
    folded, m = kz.normalize_with_map(c.text)
    i = folded.index("منظمه معاهده الامن الجماعي")
    j = i + len("منظمه معاهده الامن الجماعي")
    assert c.text[m[i]:m[j]] == "منظمة معاهدة الأمن الجماعي"


@pytest.mark.parametrize("bad", [None, b"x", 3])
def test_normalize_rejects_non_text(bad):
    with pytest.raises(KzError):
        kz.normalize_for_matching(bad)
    with pytest.raises(KzError):
        kz.normalize_with_map(bad)


# --- boilerplate ---------------------------------------------------------------------------

BEFORE, AFTER = "أعلنت الحكومة حالة الطوارئ.", "وقال الرئيس إن الوضع مستقر."

REMOVED_LINES = [
    "استعمال المضامين بموجب بند 27 أ لقانون الحقوق الأدبية لسنة 2007، يرجى ارسال رسالة الى:",
    "استعمال المضامين بموجب بند ٢٧ أ لقانون الحقوق الأدبية",
    "اِسْتِعْمَال المَضامين بموجب البند 27أ من قانون حقوق المؤلف",
    "استخدام المحتوى وفق رخصة المشاع الإبداعي 4.0",
    "جميع الحقوق محفوظة © 2022 قناة الغد",
    "جميـع الحقـوق محفوظـة لموقع النهار 2022",
    "حقوق النشر محفوظة لصحيفة الشرق",
    "قناة الغد 2022 | جميع الحقوق محفوظة",
    "الأخبار - كل الحقوق محفوظة",
    "© 2022 RT Arabic",
    "Copyright 2022 Sky News Arabia. All rights reserved",
    "اقرأ أيضاً: روسيا تنشر قوات في ألما آتا",
    "اقرأ ايضا.. توكاييف يقيل الحكومة",
    "إقرأ أيضا",
    "اِقْرَأْ أَيْضًا: قرغيزستان ترسل قوات",
    "شاهد أيضاً: فيديو الاشتباكات في ألماتي",
    "اقرأ المزيد",
    "مواضيع ذات صلة",
    "أخبار ذات صلة:",
    "تابعونا على تويتر",
    "تابعوا آخر الأخبار عبر قناتنا على تلغرام",
    "تابعوا الجزيرة نت على فيسبوك",
    "اشترك في قناتنا على يوتيوب",
    "تابعونا على Google News",
    "شارك هذا المقال",
    "مشاركة عبر: فيسبوك تويتر واتساب",
    "Share on Facebook",
    "فيسبوك تويتر واتساب تلغرام",
    "Facebook | Twitter | WhatsApp",
    "للتواصل: newsroom@example.com",
    "يرجى ارسال رسالة الى:",
    "راسلونا على: [email protected]",
    "https://arabic.rt.com/world/1312345-كازاخستان/",
    "www.example.org",
    "[email protected]",
    "[email\xa0protected]",
    "info@alghad.tv",
    "pic.twitter.com/AbC123",
]


@pytest.mark.parametrize("line", REMOVED_LINES)
def test_boilerplate_line_removed(line):
    raw = f"{BEFORE}\n\n{line}\n\n{AFTER}"
    assert kz.clean_text(raw).text == f"{BEFORE}\n\n{AFTER}"
    # also at the end of an article, after a single newline
    assert kz.clean_text(f"{BEFORE}\n{line}").text == BEFORE


INLINE_CASES = [
    ("قال المتحدث [email protected] إن الوضع هادئ", "قال المتحدث إن الوضع هادئ"),
    ("النص[email protected]التالي", "النص التالي"),
    ("راجع البيان على https://gov.kz/ar/news/1.", "راجع البيان على."),
    ("(انظر http://akorda.kz/ar) للتفاصيل", "(انظر) للتفاصيل"),
    ("للتواصل مع المكتب راسلوا press@akorda.kz أو اتصلوا", "للتواصل مع المكتب راسلوا أو اتصلوا"),
    ("قُتل 12[email protected]شرطياً", "قُتل 12 شرطياً"),
]


@pytest.mark.parametrize(("raw", "expected"), INLINE_CASES)
def test_boilerplate_inline_removed(raw, expected):
    assert kz.clean_text(raw).text == expected


KEPT_SENTENCES = [
    "دافع المحتجون عن الحقوق المدنية والسياسية في ألماتي.",
    "وقال إن قانون الحقوق الأدبية لسنة 2007 لا يغطي المحتوى الرقمي.",
    "وأكد الوزير في مؤتمر صحفي عقده في العاصمة نور سلطان أن جميع الحقوق محفوظة للمواطنين.",
    "وأكد أن جميع الحقوق محفوظة.",
    "استخدمت القوات المحتوى المصور بموجب أوامر عسكرية صدرت ليلا.",
    "استخدام المحتوى بموجب القانون مسموح للصحفيين، قال الوزير.",
    "المادة 27 من الدستور تضمن حرية التجمع السلمي.",
    "ونشر موقع Tengrinews.kz صوراً للمباني المحترقة.",
    "ذكرت وكالة Kazinform.kz أن عدد القتلى ارتفع إلى 164.",
    "وتابع المراقبون على تويتر خطاب الرئيس توكاييف.",
    "شارك الآلاف في التظاهرات في ألماتي وأكتوبي.",
    "شارك مع المحتجين عدد من عمال النفط في جاناوزن.",
    "اقرأ البيان الرسمي كاملاً في موقع الرئاسة.",
    "وأشار البيان إلى أن البريد الإلكتروني للوزارة تعرض للاختراق.",
    "يرجى من المواطنين البقاء في منازلهم حتى إشعار آخر.",
    "وقال: يرجى الالتزام بحظر التجول.",
    "نشر حساب @Akorda على تويتر بيان الرئاسة.",
    "ذات مساء، خرج الآلاف إلى ساحة الجمهورية.",
    "تابعونا هذا الأسبوع ونحن نرصد تطورات الأزمة في كازاخستان.",
    "وصلت 70 طائرة روسية إلى مطار ألماتي بموجب قرار منظمة معاهدة الأمن الجماعي.",
]


@pytest.mark.parametrize("sentence", KEPT_SENTENCES)
def test_prose_is_kept(sentence):
    raw = f"{BEFORE}\n\n{sentence}\n\n{AFTER}"
    c = kz.clean_text(raw)
    assert c.text == raw
    assert c.log.empty


@pytest.mark.parametrize("raw", [
    "[email protected]ًء12شرطياً",  # the removal exposes a word start next to digits
    "12[email protected]ًشرطياً",
    "نص\n\n[email protected]\n\n\nنص",
    "http://x.org ﻻ",
])
def test_removal_seams_are_tidied(raw):
    c = kz.clean_text(raw)
    assert kz.clean_text(c.text).text == c.text
    assert "protected" not in c.text and "http" not in c.text


def test_boilerplate_alone_tidies_only_its_seams():
    raw = "قال  الوزير\r\nإن [email protected] الوضع\n\n\nهادئ"
    assert kz.clean_text(raw, steps=["boilerplate"]).text == "قال  الوزير\r\nإن الوضع\n\n\nهادئ"


def test_rules_table_explains_every_rule():
    table = rules_table()
    assert {"rule", "kind", "scope", "note"} <= set(table.columns)
    assert table["note"].str.len().min() > 10
    assert set(kz.clean_text(INVENTED).log.rule) <= set(table.rule)


def test_custom_boilerplate_file(tmp_path):
    path = tmp_path / "bp.yaml"
    path.write_text("patterns:\n  - name: agency_tag\n    scope: line\n"
                    "    pattern: '^\\(وكالات\\)$'\n    note: agency credit line\n",
                    encoding="utf-8")
    rules = load_boilerplate(path)
    assert [r.name for r in rules] == ["agency_tag"]
    raw = f"{BEFORE}\n(وكالات)\n{AFTER}\nhttps://x.com"
    assert kz.clean_text(raw, boilerplate=rules).text == f"{BEFORE}\n{AFTER}\nhttps://x.com"
    assert remove_boilerplate(raw, rules) == f"{BEFORE}\n{AFTER}\nhttps://x.com"


BAD_YAML = [
    ("patterns:\n  - name: a\n    pattern: 'x('\n    note: n\n", r"line 2 \(entry 1 'a'\).*bad regex"),
    ("patterns:\n  - name: a\n    pattern: x\n", r"line 2 \(entry 1 'a'\).*'note'"),
    ("patterns:\n  - pattern: x\n    note: n\n", r"line 2 \(entry 1\).*'name'"),
    ("patterns:\n  - name: a\n    pattern: x\n    note: n\n    scope: page\n", "scope"),
    ("patterns:\n  - name: a\n    pattern: x\n    note: n\n    flags: [LOUD]\n", "flags"),
    ("patterns:\n  - name: a\n    pattern: x\n    note: n\n    colour: red\n", "unknown field"),
    ("patterns:\n  - name: a\n    pattern: x\n    note: n\n  - name: a\n    pattern: y\n"
     "    note: n\n", r"line 5 \(entry 2 'a'\).*duplicate"),
    ("patterns:\n  - name: a\n    pattern: 'x*'\n    note: n\n", "empty string"),
    ("patterns:\n  - just a string\n", "expected a mapping"),
    ("patterns: [\n", "not valid YAML"),
    ("- name: a\n", "'patterns' list"),
]


@pytest.mark.parametrize(("content", "message"), BAD_YAML)
def test_malformed_boilerplate_names_file_and_entry(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError, match=message) as info:
        load_boilerplate(path)
    assert "bad.yaml" in str(info.value) and "\n" not in str(info.value)


def test_missing_boilerplate_file(tmp_path):
    with pytest.raises(ResourceError, match="cannot read"):
        load_boilerplate(tmp_path / "nope.yaml")


# --- corpus helpers ------------------------------------------------------------------------


def docs_frame() -> pd.DataFrame:
    return pd.DataFrame({"doc_id": ["seed", "invented", "empty"],
                         "text_raw": [SEED, INVENTED, ""], "title": ["a", "b", "c"]})


def test_clean_corpus_columns_and_log():
    docs = docs_frame()
    out, log = kz.clean_corpus(docs)
    assert "text_clean" not in docs.columns  # a copy
    assert list(log.columns) == schemas.CLEANING_LOG
    assert set(log.doc_id) == {"seed", "invented"}
    assert out.loc[0, "text_clean"] == kz.clean_text(SEED).text
    assert out["n_chars"].tolist() == [len(SEED), len(INVENTED), 0]
    assert out["n_chars_clean"].tolist() == [len(t) for t in out["text_clean"]]
    assert all(isinstance(c, kz.Cleaned) for c in out["provenance"])
    assert (log[log.doc_id == "seed"].drop(columns="doc_id").reset_index(drop=True)
            .equals(kz.clean_text(SEED).log))


def test_clean_corpus_of_no_documents():
    out, log = kz.clean_corpus(pd.DataFrame({"doc_id": [], "text_raw": []}))
    assert len(out) == 0 and list(log.columns) == schemas.CLEANING_LOG and len(log) == 0


@pytest.mark.parametrize(("frame", "message"), [
    (pd.DataFrame({"doc_id": ["a"]}), "text_raw"),
    (pd.DataFrame({"doc_id": ["a"], "text_raw": [None]}), "document 'a'"),
    ("not a frame", "DataFrame"),
])
def test_clean_corpus_bad_input(frame, message):
    with pytest.raises(InputError, match=message):
        kz.clean_corpus(frame)


def test_add_raw_offsets_maps_word_spans():
    docs, _ = kz.clean_corpus(docs_frame())
    rows = []
    for doc_id, text in zip(docs.doc_id, docs.text_clean, strict=True):
        pos = 0
        for word in text.split():
            start = text.index(word, pos)
            pos = start + len(word)
            rows.append((doc_id, word, start, pos))
    table = pd.DataFrame(rows, columns=["doc_id", "surface", "start_char", "end_char"])
    out = kz.add_raw_offsets(table, docs)
    raws = dict(zip(docs.doc_id, docs.text_raw, strict=True))
    for r in out.itertuples():
        raw_piece = raws[r.doc_id][r.raw_start:r.raw_end]
        assert kz.normalize_for_matching(raw_piece) == kz.normalize_for_matching(r.surface)
    assert "raw_start" not in table.columns


def test_add_raw_offsets_custom_columns_missing_values_and_errors():
    docs, _ = kz.clean_corpus(docs_frame())
    table = pd.DataFrame({"doc_id": ["seed", "seed"], "s": [0, None], "e": [3, None]})
    out = kz.add_raw_offsets(table, docs, start="s", end="e")
    assert out.loc[0, "raw_start"] == 0 and out.loc[0, "raw_end"] == 3
    assert pd.isna(out.loc[1, "raw_start"])
    with pytest.raises(KzError, match="no cleaned document 'other'"):
        kz.add_raw_offsets(pd.DataFrame({"doc_id": ["other"], "start_char": [0],
                                         "end_char": [1]}), docs)
    with pytest.raises(KzError, match="outside"):
        kz.add_raw_offsets(pd.DataFrame({"doc_id": ["seed"], "start_char": [0],
                                         "end_char": [10**6]}), docs)
    with pytest.raises(KzError, match="provenance"):
        kz.add_raw_offsets(table, docs.drop(columns="provenance"), start="s", end="e")
    with pytest.raises(KzError, match="end_char"):
        kz.add_raw_offsets(pd.DataFrame({"doc_id": ["seed"], "start_char": [0]}), docs)


@pytest.mark.parametrize("raw, text", [
    # a boilerplate match must not cut through the NFKC expansion of one raw ligature
    ("www.x.org.ﷺ", ""),
    ("قال ﷺ www.x.org.ﷺ وقال", "قال صلى الله عليه وسلم وقال"),
    ("نص عادي http://a.bﷺ", "نص عادي"),
])
def test_boilerplate_keeps_or_removes_a_ligature_whole(raw, text):
    c = kz.clean_text(raw)
    assert c.text == text
    # every cleaned character maps to a raw range that folds to the same letters
    for a in range(len(c.text)):
        ra, rb = c.raw_span(a, a + 1)
        folded = kz.normalize_for_matching(raw[ra:rb])
        assert kz.normalize_for_matching(c.text[a]).strip() in folded
