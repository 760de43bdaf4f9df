"""Stance coding: rules on invented statements, an invented article with other actors, and
the seed article (real Stanza pipeline, real actor dictionary)."""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st_

from kzcrisis import schemas
from kzcrisis.actors import extract_actors
from kzcrisis.clean import clean_corpus
from kzcrisis.corpus import load_corpus
from kzcrisis.errors import KzError, ResourceError
from kzcrisis.nlp import annotate
from kzcrisis.paths import DATA_GOLD, DATA_RAW
from kzcrisis.stance import (
    code_stance,
    code_statement,
    cohen_kappa,
    compare_stance,
    label_for,
    load_stance_lexicon,
    stance_agreement,
)
from kzcrisis.statements import extract_statements

# (content, cue, cue_lemma, target, expected label, sign of score: 1, -1 or 0)
RULES = [
    ("إن بلاده مستعدة لإرسال قوات إضافية إلى كازاخستان", "قال", "قال",
     "intervention", "support", 1),
    ("إن بلادنا لم ترسل قوات إلى كازاخستان", "قال", "قال", "intervention", "caution", -1),
    ("إن التدخل العسكري الروسي انتهاك لسيادة كازاخستان", "قال", "قال",
     "intervention", "oppose", -1),
    ("جميع الأطراف إلى ضبط النفس والحوار", "دعا", "دعا", "intervention", "caution", -1),
    ("جميع الأطراف إلى ضبط النفس والحوار", "دعا", "دعا", "protesters", "caution", -1),
    ("إن لدينا شكوكاً حول شرعية نشر هذه القوات", "قال", "قال", "intervention", "oppose", -1),
    ("إن لدى لندن تساؤلات بشأن شرعية وجود القوات الروسية", "قال", "قال",
     "intervention", "oppose", -1),
    ("ما جرى محاولة انقلاب نفذها إرهابيون", "اعتبر", "اعتبر", "protesters", "oppose", -1),
    ("إن للمتظاهرين السلميين مطالب مشروعة", "قال", "قال", "protesters", "support", 1),
    ("إن هذه القوات ليست قوات احتلال", "أكد", "أكد", "intervention", "support", 1),
    ("ندعـــو إلى ضَبْطِ النَّفْسِ في التعامل مع المحتجين", "دعا", "دعا",
     "protesters", "caution", -1),
    ("إرسال قوات روسية إلى كازاخستان", "انتقدت", "انتقد", "intervention", "oppose", -1),
    ("بقمع المتظاهرين", "ندد", "ندد", "intervention", "oppose", -1),
    ("بقمع المتظاهرين", "ندد", "ندد", "protesters", "support", 1),
    ("بنشر قوات حفظ السلام في البلاد", "رحب", "رحب", "intervention", "support", 1),
    ("بوصول القوات الأجنبية", "لم يرحب", "رحب", "intervention", "caution", -1),
    ("وجود قوى خارجية وراء الاحتجاجات", "نفت", "نفى", "protesters", "support", 1),
    ("جهات خارجية تقف وراء أعمال الشغب", "اتهم", "اتهم", "protesters", "oppose", -1),
    ("الجهات الخارجية من التحريض على الفوضى", "حذر", "حذر", "intervention", "support", 1),
    ("من التدخل العسكري في كازاخستان", "حذر", "حذر", "intervention", "oppose", -1),
    ("بإطلاق النار على المسلحين", "أمر", "أمر", "protesters", "oppose", -1),
    ("عن استعدادها للمشاركة في بعثة حفظ السلام", "أعربت", "أعرب",
     "intervention", "support", 1),
    ("عن قلقها إزاء الأحداث في كازاخستان", "أعربت", "أعرب", "protesters", "caution", -1),
    ("إن بلاده ترفض إرسال قوات إلى كازاخستان", "قال", "قال", "intervention", "oppose", -1),
    ("إن موسكو ترفض أي تدخل خارجي في شؤون كازاخستان", "قال", "قال",
     "intervention", "support", 1),
    ("نرفض وجود القوات الروسية على أراضي كازاخستان", "قال", "قال",
     "intervention", "oppose", -1),
    ("دعمها لجهود الحكومة الكازاخستانية", "أكدت", "أكد", "intervention", "support", 1),
    ("إن واشنطن تراقب عن كثب ما يجري", "قال", "قال", "intervention", "caution", -1),
]


@pytest.mark.parametrize("content,cue,lemma,target,label,sign", RULES,
                         ids=[f"{i:02d}" for i in range(len(RULES))])
def test_rules_on_invented_statements(content, cue, lemma, target, label, sign):
    rows = {r["target"]: r for r in code_statement(content, cue, lemma)}
    assert target in rows, rows
    row = rows[target]
    assert row["label"] == label, row
    assert (row["score"] > 0) - (row["score"] < 0) == sign
    assert -1 <= row["score"] <= 1
    assert row["evidence"]


def test_negation_flips_the_same_cue():
    plain = code_statement("إن بلاده أرسلت قوات إلى كازاخستان", "قال", "قال")[0]
    negated = code_statement("إن بلاده لم ترسل قوات إلى كازاخستان", "قال", "قال")[0]
    assert negated["score"] == pytest.approx(-plain["score"] / 2)
    assert plain["score"] > 0
    assert "NOT" in negated["evidence"]


def test_no_target_no_row():
    assert code_statement("إن الطقس بارد في موسكو", "قال", "قال") == []


@pytest.mark.parametrize("score,caution,label", [
    (0.2, False, "support"), (0.19, False, "neutral"), (0.0, False, "neutral"),
    (0.1, True, "caution"), (-0.1, False, "caution"), (-0.5, False, "oppose"),
    (-0.49, True, "caution"), (1.0, False, "support"),
])
def test_label_thresholds(score, caution, label):
    assert label_for(score, caution) == label


INVENTED_ARTICLE = (
    "قال وزير الخارجية الروسي سيرغي لافروف إن روسيا مستعدة لإرسال مزيد من القوات إلى "
    "كازاخستان إذا طلبت ذلك.\n\n"
    "من جهته، أعرب الاتحاد الأوروبي عن قلقه من تصاعد العنف، ودعا جميع الأطراف إلى ضبط "
    "النفس.\n\n"
    "أما تركيا فقد نددت بالتدخل العسكري الروسي واعتبرته انتهاكاً لسيادة كازاخستان.\n\n"
    "وقالت الخارجية الأمريكية إن واشنطن تشكك في شرعية وجود هذه القوات.\n"
)


@pytest.fixture(scope="module")
def invented_article(pipeline):
    docs = pd.DataFrame({"doc_id": ["inv"], "text_raw": [INVENTED_ARTICLE],
                         "date": ["2022-01-09"]})
    clean, _ = clean_corpus(docs)
    ann = annotate(clean, pipeline=pipeline)
    st = extract_statements(clean, ann, extract_actors(clean, ann).mentions)
    return st, code_stance(st)


def test_invented_article_other_actors(invented_article):
    _, stance = invented_article
    cmp = compare_stance(stance, groups=("RUS", "EU", "TUR", "USA"))
    allrows = cmp[(cmp.doc_id == "ALL") & (cmp.target == "intervention")].set_index("group")
    assert allrows.loc["RUS", "label"] == "support"
    assert allrows.loc["EU", "label"] == "caution"
    assert allrows.loc["TUR", "label"] == "oppose"
    assert allrows.loc["USA", "label"] == "oppose"
    assert allrows.loc["RUS", "score"] > allrows.loc["EU", "score"] > allrows.loc["TUR", "score"]


@pytest.fixture(scope="module")
def seed(pipeline):
    docs = load_corpus(DATA_RAW)
    clean, _ = clean_corpus(docs)
    ann = annotate(clean, pipeline=pipeline)
    st = extract_statements(clean, ann, extract_actors(clean, ann).mentions)
    # the pipeline's way: cues by lemma, negation and scope on the parse
    return st, code_stance(st, words=ann.words)


def test_seed_article_comparison(seed):
    _, stance = seed
    cmp = compare_stance(stance)
    assert list(cmp.columns) == schemas.STANCE_COMPARISON
    rows = cmp[(cmp.doc_id == "ALL") & (cmp.target == "intervention")].set_index("group")
    assert rows.label.to_dict() == {"UN": "caution", "CHN": "support", "USA": "oppose",
                                    "CSTO": "support"}
    s = rows.score
    assert s["CSTO"] > s["CHN"] > s["UN"] > s["USA"]
    assert s["CSTO"] > 0 > s["USA"]
    assert set(cmp.doc_id) == {"ALL", "000_e4eda7b29b88d456"}
    assert cmp.n_statements.min() >= 1


def test_seed_agreement_with_hand_coding(seed):
    st, stance = seed
    gold_st = pd.read_csv(DATA_GOLD / "statements.csv", dtype={"raw_start": int, "raw_end": int},
                          keep_default_na=False)
    gold = pd.read_csv(DATA_GOLD / "stance.csv", keep_default_na=False)
    res = stance_agreement(stance, gold, st, gold_st).set_index(["level", "measure"]).value
    assert res["statement", "items"] >= len(gold)
    assert res["statement", "cohen_kappa"] >= 0.6
    assert res["statement", "krippendorff_alpha_nominal"] >= 0.6


def test_agreement_of_a_coding_with_itself():
    gold = pd.read_csv(DATA_GOLD / "stance.csv", keep_default_na=False)
    gold_st = pd.read_csv(DATA_GOLD / "statements.csv", keep_default_na=False)
    pred = gold.rename(columns={"gold_id": "statement_id"}).assign(evidence="")
    pred_st = gold_st.rename(columns={"gold_id": "statement_id"})
    res = stance_agreement(pred, gold, pred_st, gold_st).set_index(["level", "measure"]).value
    assert res["statement", "cohen_kappa"] == 1.0
    assert res["statement", "percent_agreement"] == 1.0
    assert res["group", "percent_agreement"] == 1.0


def test_cohen_kappa_hand_example():
    # po = 3/4, pe = 1/2 * 1/4 + 1/2 * 3/4 = 1/2 -> kappa = 0.5
    assert cohen_kappa(["x", "x", "y", "y"], ["x", "y", "y", "y"]) == pytest.approx(0.5)


def test_compare_stance_groups_and_empty():
    st = pd.DataFrame({"statement_id": ["d:s001", "d:s002", "e:s001"], "doc_id": ["d", "d", "e"],
                       "group": ["UN", "UN", "UN"], "target": ["intervention"] * 3,
                       "label": ["caution", "support", "oppose"], "score": [-0.25, 0.5, -0.7],
                       "evidence": ["a", "b", "c"]})
    cmp = compare_stance(st, groups=("UN",))
    d = cmp[cmp.doc_id == "d"].iloc[0]
    assert d.score == pytest.approx(0.125)
    assert d.n_statements == 2
    assert d.label == "caution"  # mean below support, a caution statement among them
    everything = cmp[cmp.doc_id == "ALL"].iloc[0]
    assert everything.n_statements == 3
    assert compare_stance(st, groups=("USA",)).empty
    assert compare_stance(code_stance(pd.DataFrame(columns=schemas.STATEMENTS))).empty


@pytest.mark.parametrize("bad", [None, "x", pd.DataFrame({"a": [1]})])
def test_bad_input(bad):
    with pytest.raises(KzError):
        code_stance(bad)
    with pytest.raises(KzError):
        compare_stance(bad)


@pytest.mark.parametrize("row,where", [
    ("x,deployment,intervention,abc,,act,إرسال قوات", "weight"),
    ("x,deployment,intervention,1.5,,act,إرسال قوات", "outside"),
    ("x,deployment,elsewhere,0.5,,act,إرسال قوات", "target"),
    ("x,deployment,any,0.5,,act,إرسال قوات", "fallback"),
    ("x,deployment,intervention,0.5,,act,* قوات", "bad phrase"),
])
def test_malformed_stance_lexicon(tmp_path, row, where):
    p = tmp_path / "stance.csv"
    p.write_text("cue_id,category,target,weight,fallback,kind,forms\n"
                 "ok,restraint,any,-0.25,both,label,ضبط النفس\n" + row + "\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="line 3") as err:
        load_stance_lexicon(p)
    assert where in str(err.value) and str(p) in str(err.value)


def test_custom_lexicon_path(tmp_path):
    p = tmp_path / "stance.csv"
    p.write_text("cue_id,category,target,weight,fallback,kind,forms\n"
                 "kite,test,intervention,0.9,,act,طائرة ورقية\n", encoding="utf-8")
    st = pd.DataFrame({"statement_id": ["d:s001"], "doc_id": ["d"], "group": ["UN"],
                       "cue": ["قال"], "cue_lemma": ["قال"], "content": ["إن الطائرة الورقية جميلة"]})
    out = code_stance(st, lexicon=p)
    assert out.label.tolist() == ["support"] and "kite" in out.evidence[0]


# Perturbed copies of the seed article: the comparison must not depend on its exact wording.
PERTURBATIONS = {
    "diacritics_tatweel": [("دعت", "دعـــت"), ("فحذرت", "فحذّرَت"),
                           ("قالت المتحدثة", "قالَتْ المتحدثةُ"), ("وأكد الأمين", "وأكّدَ الأمين")],
    "quotation_marks": [('لوكالة "سبوتنيك" "بشكل', "لوكالة «سبوتنيك» «بشكل"),
                        ('كازاخستان)".', "كازاخستان)»."), ('فحذرت "القوى', "فحذرت “القوى"),
                        ('كازاخستان".\n\nمن', "كازاخستان”.\n\nمن")],
    "word_order": [("بدورها، دعت الأمم المتحدة قوات", "الأمم المتحدة دعت بدورها قوات"),
                   ("أما وزارة الخارجية الصينية فحذرت", "وحذرت وزارة الخارجية الصينية"),
                   ("من جهتها، قالت المتحدثة باسم البيت الأبيض جين ساكي إن",
                    "وقالت جين ساكي، المتحدثة باسم البيت الأبيض، إن"),
                   ("وقال زاس في تصريحات", "زاس قال في تصريحات")],
    "cue_verbs": [("بدورها، دعت", "بدورها، حثت"), ("فحذرت", "فنددت بما وصفته بمحاولات"),
                  ("قالت المتحدثة", "أوضحت المتحدثة"), ("وأكد الأمين", "وأعلن الأمين"),
                  ("وقال زاس", "وصرح زاس")],
    "spelling": [("الأمم المتحدة", "الامم المتحدة"), ("الأمين العام", "الامين العام"),
                 ("البيت الأبيض", "البيت الابيض"), ("الصينية", "الصينيه")],
}


@pytest.mark.parametrize("name", sorted(PERTURBATIONS))
def test_seed_comparison_survives_perturbation(pipeline, name):
    text = (DATA_RAW / "000_e4eda7b29b88d456.txt").read_text(encoding="utf-8")
    for old, new in PERTURBATIONS[name]:
        assert old in text
        text = text.replace(old, new, 1)
    docs = pd.DataFrame({"doc_id": [name], "text_raw": [text], "date": ["2022-01-07"]})
    clean, _ = clean_corpus(docs)
    ann = annotate(clean, pipeline=pipeline)
    st = extract_statements(clean, ann, extract_actors(clean, ann).mentions)
    cmp = compare_stance(code_stance(st))
    rows = cmp[(cmp.doc_id == "ALL") & (cmp.target == "intervention")].set_index("group")
    assert rows.label.to_dict() == {"UN": "caution", "CHN": "support", "USA": "oppose",
                                    "CSTO": "support"}
    s = rows.score
    assert s["CSTO"] > s["CHN"] > s["UN"] > s["USA"]


AGENCY_ARTICLE = (
    "أعلن الرئيس الكازاخستاني قاسم جومارت توكاييف، الجمعة، أنه أصدر أوامر بإطلاق النار دون "
    "سابق إنذار على \"الإرهابيين\"، مؤكداً أن \"20 ألف قاطع طريق\" هاجموا ألماتي.\n\n"
    "من جانبه، قال الرئيس الروسي فلاديمير بوتين خلال قمة افتراضية لمنظمة معاهدة الأمن الجماعي "
    "إن بلاده لن تسمح بـ\"ثورات ملونة\" في المنطقة.\n\n"
    "وفي واشنطن، انتقد وزير الخارجية الأمريكي أنتوني بلينكن طلب كازاخستان المساعدة من روسيا.\n\n"
    "بدوره، أعرب الأمين العام للأمم المتحدة أنطونيو غوتيريش عن قلقه إزاء العنف، وحث جميع "
    "الأطراف على الامتناع عن العنف واللجوء إلى الحوار.\n\n"
    "وحسب وكالة شينخوا، فإن الرئيس الصيني شي جين بينغ أشاد بالإجراءات القوية التي اتخذها "
    "توكاييف.\n\n"
    "كما رحب الاتحاد الأوروبي بالإفراج عن المحتجين السلميين، مطالباً السلطات باحترام حق "
    "التظاهر.\n"
)


def test_agency_style_article(pipeline):
    docs = pd.DataFrame({"doc_id": ["agency"], "text_raw": [AGENCY_ARTICLE],
                         "date": ["2022-01-10"]})
    clean, _ = clean_corpus(docs)
    ann = annotate(clean, pipeline=pipeline)
    st = extract_statements(clean, ann, extract_actors(clean, ann).mentions)
    cmp = compare_stance(code_stance(st), groups=None)
    cmp = cmp[cmp.doc_id == "ALL"].set_index(["group", "target"])
    assert cmp.loc[("RUS", "intervention"), "label"] == "support"
    assert cmp.loc[("CHN", "intervention"), "label"] == "support"
    assert cmp.loc[("UN", "intervention"), "label"] == "caution"
    assert cmp.loc[("USA", "intervention"), "label"] == "oppose"
    assert cmp.loc[("KAZ", "protesters"), "label"] == "oppose"
    assert cmp.loc[("EU", "protesters"), "label"] == "support"


_STANCE_WORDS = ["لم", "لا", "غير", "نرفض", "إرسال", "قوات", "حفظ السلام", "شرعية", "تساؤلات حول",
                 "ضبط النفس", "الإرهابيين", "المتظاهرين", "القوى الخارجية", "قمع", "الحوار", "،",
                 "التدخل العسكري", "استعدادها للمشاركة", "مطالب مشروعة", "ـ", "ّ", "هذه", "في"]


@settings(max_examples=80, deadline=None)
@given(st_.lists(st_.sampled_from(_STANCE_WORDS), min_size=0, max_size=25),
       st_.sampled_from([("قال", "قال"), ("ندد", "ندد"), ("نفت", "نفى"), ("رحب", "رحب"),
                         ("لم يرحب", "رحب"), ("حذر", "حذر"), ("", "")]))
def test_generated_content_gives_valid_rows(words, cue):
    rows = code_statement(" ".join(words), *cue)
    assert len({r["target"] for r in rows}) == len(rows) <= 2
    for r in rows:
        assert -1 <= r["score"] <= 1
        assert r["label"] in ("support", "caution", "oppose", "neutral")
        assert r["label"] == label_for(r["score"], r["label"] == "caution" and r["score"] >= 0)
        assert r["evidence"]


@pytest.mark.parametrize("cue,content,sign", [
    ("وأرسلت", "قوات إضافية إلى كازاخستان", 1),
    ("ونقلت", "وحدات من المظليين إلى ألماتي", 1),
    ("ولم ترسل", "أي قوات إلى كازاخستان", -1),
])
def test_actions_are_coded_with_their_verb(cue, content, sign):
    st = pd.DataFrame({"statement_id": ["d:s001"], "doc_id": ["d"], "group": ["BLR"],
                       "cue": [cue], "cue_lemma": ["أرسل"], "kind": ["action"],
                       "content": [content]})
    row = code_stance(st).iloc[0]
    assert row.target == "intervention"
    score = float(row.score)
    assert (score > 0) - (score < 0) == sign
