"""Stance on the parse (issue 16): cues by lemma, negation and scope from the tree.

Each row is a statement content written for this test, parsed by the real embedded
pipeline; the tree-based coding is compared with what the row expects and, where the row
says so, with the surface rules (which decide differently).
"""
from __future__ import annotations

import pytest

from kzcrisis.errors import ResourceError
from kzcrisis.nlp import annotate
from kzcrisis.phrases import inflected, phrase_pattern
from kzcrisis.stance import code_statement, load_stance_lexicon, match_cues
from kzcrisis.stance_tree import content_parse, governed_by, tree_negated


def _parse(pipeline, content):
    ann = annotate(content, pipeline=pipeline)
    return content_parse(ann.words, 0, len(content))


def _span(content, part):
    s = content.index(part)
    return s, s + len(part)


# content, target, label on the parse, evidence fragment, label of the surface rules (None:
# the same)
TREE_CASES = [
    # negation: the negator of the verb whose argument the cue is, beyond the word window
    ("إن بلاده لن تنضم إلى أي عملية لإرسال جنود إلى هناك", "intervention", "caution",
     "NOT deployment", "support"),
    # negation of the predicate of a nominal sentence
    ("إن القوات ليست قوة احتلال", "intervention", "support", "NOT occupation", None),
    # a negating noun over the cue
    ("إن عدم إرسال القوات كان خطأ", "intervention", "caution", "NOT deployment", None),
    # a weak verb matched by its lemma only (يعيد: أعاد)
    ("إن الجيش يعيد الأمن إلى المدن", "intervention", "support", "order_restored",
     "neutral"),
    # scope: the deployment is the subject of the judgement, not support
    ("إن إرسال القوات الأجنبية إلى البلاد يثير تساؤلات كثيرة", "intervention", "caution",
     "in the scope of raise_questions", None),
    ("إن هناك تساؤلات حول شرعية نشر القوات الروسية", "intervention", "oppose",
     "in the scope of question_legitimacy", None),
    # a rejection reaches its object, not a sister clause
    ("إننا نرفض إرسال القوات", "intervention", "oppose", "flipped by rejection_noun", None),
    ("إننا نرفض العنف ونرحب بإرسال القوات", "intervention", "support", "deployment +0.50",
     "neutral"),
    # rejecting the questioning defends the target (codebook rules.rejected_judgements)
    ("إن موسكو لا تقبل أي تشكيك في شرعية المهمة", "intervention", "support",
     "question_legitimacy flipped by rejection_noun", None),
    # an offer of help is not support for the deployment
    ("إن بكين مستعدة لتقديم المساعدة إلى الشعب الكازاخي", "intervention", "neutral",
     "offer_help", None),
    # inflected labels by lemma
    ("إن المحتجين مجرمون ومخربون", "protesters", "oppose", "terrorism_label", None),
]


@pytest.mark.parametrize("content,target,label,evidence,surface", TREE_CASES)
def test_stance_on_the_parse(pipeline, content, target, label, evidence, surface):
    parse = _parse(pipeline, content)
    assert parse is not None
    rows = {r["target"]: r for r in code_statement(content, "قال", "قال", parse=parse)}
    assert rows[target]["label"] == label, rows[target]["evidence"]
    assert evidence in rows[target]["evidence"]
    plain = {r["target"]: r for r in code_statement(content, "قال", "قال")}
    assert plain.get(target, {"label": "neutral"})["label"] == (surface or label)


# content, cue (its text), whether the tree negates it
NEGATION_CASES = [
    ("إن الحكومة لن ترسل قوات", "ترسل قوات", True),
    ("إن الحكومة لم تقرر بعد إرسال قوات", "إرسال قوات", True),
    ("إن الحكومة أرسلت قوات", "أرسلت قوات", False),
    # the negator of another cue's verb (لن تسمح) belongs to that cue
    ("إن المنظمة لن تسمح بزعزعة استقرار البلاد", "زعزعة استقرار", False),
]


@pytest.mark.parametrize("content,cue,negated", NEGATION_CASES)
def test_tree_negation(pipeline, content, cue, negated):
    parse = _parse(pipeline, content)
    others = [(h.start, h.end) for h in match_cues(content, parse=parse)
              if h.kind == "operator"]
    assert tree_negated(parse, *_span(content, cue), others) is negated


@pytest.mark.parametrize("content,inner,outer,governed", [
    ("إن هناك تساؤلات حول شرعية نشر القوات", "نشر", "تساؤلات حول شرعية", True),
    ("إننا نرفض العنف ونرحب بإرسال القوات", "بإرسال القوات", "نرفض", False),
    ("إننا نرفض العنف ونرحب بإرسال القوات", "العنف", "نرفض", True),
])
def test_governed_by(pipeline, content, inner, outer, governed):
    parse = _parse(pipeline, content)
    assert governed_by(parse, _span(content, inner), _span(content, outer)) is governed


@pytest.mark.parametrize("lemma,word,matches", [
    ("ارسل", "ارسلت", True), ("ارسل", "يرسلون", True), ("ارسل", "نرسل", True),
    ("ارهابي", "ارهابيين", True), ("ارهابي", "ارهابيون", True),
    ("مشاركه", "مشاركات", True), ("قوه", "قوات", True), ("قوه", "قوى", False),
    ("دعم", "ندعم", True), ("دعم", "مدعوم", False),
])
def test_inflected_lemma_on_the_surface(lemma, word, matches):
    import re

    assert bool(re.fullmatch(inflected(lemma), word)) is matches


def test_lemma_rows_match_inflections_without_a_parse():
    import re

    assert re.search(phrase_pattern("إرهابي", inflect=True), "وصفهم بالارهابيين")
    # a surface row does not inflect
    assert not re.search(phrase_pattern("إرهابي"), "وصفهم بالارهابيين")


def test_lexicon_match_column(tmp_path):
    path = tmp_path / "lex.csv"
    path.write_text("cue_id,category,target,weight,fallback,kind,match,forms\n"
                    "x,deployment,intervention,0.5,,act,stem,إرسال\n", encoding="utf-8")
    with pytest.raises(ResourceError, match=r"lex.csv: line 2: match must be lemma or "
                                            r"surface"):
        load_stance_lexicon(path)
    # a file without the column is read as surface rows (researchers' older files)
    path.write_text("cue_id,category,target,weight,fallback,kind,forms\n"
                    "x,deployment,intervention,0.5,,act,إرسال\n", encoding="utf-8")
    assert load_stance_lexicon(path).table["match"].tolist() == ["surface"]


# content, cue, cue lemma, target, label, evidence fragment (parse path)
RULE_CASES = [
    # caution cues together stay caution (rules.caution_floor)
    ("إن باريس تراقب الوضع عن كثب وتدعو إلى احترام حق التظاهر", "قال", "قال", "intervention",
     "caution", "floored at"),
    # a doubting verb flips what it doubts (polarity doubt)
    ("الرواية الرسمية عن مدربين في الخارج", "شكك", "شكك", "protesters", "support",
     "(doubt) flips"),
    # ... and a target named without a cue gets its default
    ("إذا كانت القوات الأجنبية ستغادر البلاد", "تساءل", "تساءل", "intervention", "caution",
     "(doubt) -0.40"),
    # لولا after a negated verb restricts, it does not negate (grammar class exceptive)
    ("إن موسكو لم تكن لترسل جنودا لولا طلب رسمي من الحكومة", "قال", "قال", "intervention",
     "support", "deployment +0.50"),
    # the speaker's own words in a free relative are no rejected description
    ("ما وصفته بالاستخدام المفرط للقوة ضد المحتجين", "انتقد", "انتقد", "intervention",
     "oppose", "excessive_force -0.60"),
    # ... while a description named as the object is rejected
    ("وصف المحتجين بالإرهابيين", "رفض", "رفض", "protesters", "support",
     "is a description the speaker rejects"),
]


@pytest.mark.parametrize("content,cue,lemma,target,label,evidence", RULE_CASES)
def test_codebook_rules_on_the_parse(pipeline, content, cue, lemma, target, label, evidence):
    parse = _parse(pipeline, content)
    rows = {r["target"]: r for r in code_statement(content, cue, lemma, parse=parse)}
    assert rows[target]["label"] == label, rows[target]["evidence"]
    assert evidence in rows[target]["evidence"]


def test_a_researchers_cue_polarity_reaches_stance(tmp_path):
    """A verb added through ``cues=`` (cues_lemma.csv format) is found by attribution and
    its polarity is the one stance codes with: «استهجن» as reject flips the deployment."""
    import kzcrisis as kz

    cues = tmp_path / "my_cues.csv"
    cues.write_text("lemma,verb,pos,class,polarity,frames,object,example\n"
                    "استهجن,استهجن,VERB,speech,reject,obj,,"
                    "واستهجن النائب قرار الحكومة إرسال قوات إلى الخارج.\n", encoding="utf-8")
    corpus = tmp_path / "c.csv"
    corpus.write_text("doc_id,text\nd1,واستهجن الاتحاد الأوروبي إرسال القوات الروسية إلى "
                      "كازاخستان.\n", encoding="utf-8")
    with_cue = kz.analyze(corpus, cues=str(cues), cache="off")
    st = with_cue.statements
    assert st["cue_lemma"].tolist() == ["استهجن"], st[["cue", "cue_lemma", "group"]]
    row = with_cue.stance[with_cue.stance["target"] == "intervention"].iloc[0]
    assert row["label"] == "oppose" and "(reject) flips" in row["evidence"], row["evidence"]


# content, target, label, evidence fragment: evaluations of a target (kind predicate)
EVALUATION_CASES = [
    ("إن قوات المنظمة منعت انهيار مؤسسات الدولة", "intervention", "support",
     "evaluation_pos «منعت» is said of «قوات»"),
    ("إن نشر القوات الروسية يقوض استقلال البلاد", "intervention", "oppose",
     "deployment «نشر القوات» in the scope of evaluation_neg"),
    ("إن الجماعات المسلحة هددت أمن المواطنين", "protesters", "oppose",
     "evaluation_neg «هددت» is said of «المسلحة»"),
    ("إن مهمة قوات حفظ السلام كانت ناجحة", "intervention", "support", "evaluation_pos"),
]


@pytest.mark.parametrize("content,target,label,evidence", EVALUATION_CASES)
def test_evaluation_of_its_subject(pipeline, content, target, label, evidence):
    parse = _parse(pipeline, content)
    rows = {r["target"]: r for r in code_statement(content, "قال", "قال", parse=parse)}
    assert rows[target]["label"] == label, rows[target]["evidence"]
    assert evidence in rows[target]["evidence"]
    # without the parse an evaluation has no subject and counts for nothing
    plain = {r["target"]: r for r in code_statement(content, "قال", "قال")}
    assert "evaluation" not in plain.get(target, {"evidence": ""})["evidence"]


def test_a_rejection_governing_an_evaluation(pipeline):
    """A rejection whose object is an evaluation word (زعزعة is of the evaluation row زعزع)
    codes the content; the evaluation is no object of the rejection (it once raised
    KeyError 'any')."""
    content = "إن موسكو لن تسمح بزعزعة الأوضاع في آسيا الوسطى"
    rows = code_statement(content, "قال", "قال", parse=_parse(pipeline, content))
    assert {r["target"] for r in rows} <= {"intervention", "protesters"}
    assert all("evaluation" not in r["evidence"] for r in rows), rows


@pytest.mark.parametrize("content", [
    # an evaluative verb whose subject names no target is no stance
    "إن الأمطار هددت المحاصيل في الجنوب",
    "إن الطالب نجح في الامتحان",
])
def test_evaluation_needs_a_target_subject(pipeline, content):
    parse = _parse(pipeline, content)
    rows = code_statement(content, "قال", "قال", parse=parse)
    assert not any("evaluation" in r["evidence"] for r in rows), rows
