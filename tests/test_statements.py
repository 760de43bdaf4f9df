"""Statement attribution on invented Arabic news sentences and the seed article.

Runs the real chain: clean_corpus -> Stanza (embedded models) -> extract_actors ->
extract_statements. The invented sentences use other actors, cue verbs, word orders,
spellings and quotation marks than the seed article.
"""
from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st_

from kzcrisis import schemas
from kzcrisis.actors import extract_actors
from kzcrisis.clean import clean_corpus, normalize_for_matching
from kzcrisis.corpus import load_corpus
from kzcrisis.errors import KzError, ResourceError
from kzcrisis.nlp import annotate
from kzcrisis.paths import DATA_GOLD, DATA_RAW
from kzcrisis.statements import (
    evaluate_statements,
    extract_statements,
    load_cues,
    load_markers,
    load_statement_lexicon,
)

# doc_id -> text; expectations below refer to them
TEXTS = {
    "vs_person": "وقال وزير الخارجية الروسي، سيرغي لافروف، إن المهمة ستنتهي قريباً.",
    "sv_body": "الخارجية الأمريكية أكدت أن واشنطن تتابع الوضع في كازاخستان عن كثب.",
    "topic": "أما الرئيس الروسي فلاديمير بوتين فشدد على أن القوات ستنسحب بعد انتهاء مهمتها.",
    "pronoun": "بدوره، حذر أنطونيو غوتيريش من تصعيد العنف في البلاد.",
    "min_jiha": "من جهته، صرح رجب طيب أردوغان بأن تركيا تتابع التطورات.",
    "continuation": ("قال نيكول باشينيان إن أرمينيا أرسلت وحدة عسكرية. وأضاف أن الوحدة "
                     "ستحمي المنشآت الحيوية، مؤكداً أن مهمتها مؤقتة."),
    "marker_media": "وبحسب وكالة تاس، فإن أكثر من ألفي جندي وصلوا إلى ألماتي.",
    "marker_anaphor": ("وقالت وزارة الخارجية الصينية إن بكين تدعم الاستقرار. ووفق الوزارة، "
                       "فإن الصين مستعدة لتقديم المساعدة."),
    "channel_statement": "وقالت الخارجية الروسية في بيان إن القوات تؤدي مهامها بنجاح.",
    "channel_agency": "وقال بلينكن في تصريحات لوكالة رويترز إن واشنطن قلقة من الوضع.",
    "addressee": "دعا الاتحاد الأوروبي السلطات الكازاخستانية إلى احترام حقوق الإنسان.",
    "action_send": "وأرسلت روسيا قوات إضافية إلى كازاخستان يوم السبت.",
    "action_noun": "وتحدث المراقبون عن نقل القوات إلى المطار بعد طلب الحكومة.",
    "unresolved": "وقالت مصادر مطلعة إن الوضع في العاصمة هادئ.",
    "quote_guillemets": "وقال بوتين: «لن نسمح بزعزعة الاستقرار في المنطقة».",
    "quote_curly": "وأضاف لافروف “العملية ستنتهي قريباً”.",
    "diacritics": "وقـــالَت وِزارةُ الخارِجيةِ الصّينيّةُ إنّ بكين تُتابع الأحداث.",
    "negated_cue": "ولم ينفِ الكرملين وجود قوات روسية في كازاخستان.",
    "to_journalists": "وقال المتحدث باسم الكرملين ديمتري بيسكوف للصحفيين إن روسيا لن تتدخل.",
    "adverbial": "أعلنت وزارة الدفاع الروسية، اليوم الجمعة، أن القوات وصلت إلى المطار.",
    "marker_verb": "وحسبما أعلنت وزارة الداخلية، فإن الوضع في ألماتي هادئ.",
    "relay": ("ونقلت وكالة إنترفاكس عن وزارة الداخلية الكازاخستانية قولها إن قوات الأمن "
              "اعتقلت أكثر من 4 آلاف شخص."),
    "participle_object": ("كما رحب الاتحاد الأوروبي بالإفراج عن المعتقلين، مطالباً السلطات "
                          "باحترام حق التظاهر."),
    "nested_source": ("وحسب وكالة شينخوا، فإن الرئيس الصيني شي جين بينغ أشاد بالإجراءات التي "
                      "اتخذها توكاييف."),
    "summit_channel": ("قال فلاديمير بوتين خلال قمة افتراضية لمنظمة معاهدة الأمن الجماعي إن "
                       "المهمة مؤقتة."),
}

# (doc_id, n-th statement with this cue lemma, group, cue_lemma, kind, content part,
#  channel part, addressee part, speaker_text part)
EXPECT = [
    ("vs_person", 0, "RUS", "قال", "indirect", "المهمة ستنتهي", "", "", "لافروف"),
    ("sv_body", 0, "USA", "أكد", "indirect", "واشنطن تتابع", "", "", "الخارجية الأمريكية"),
    ("topic", 0, "RUS", "شدد", "indirect", "القوات ستنسحب", "", "", "بوتين"),
    ("pronoun", 0, "UN", "حذر", "indirect", "تصعيد العنف", "", "", "غوتيريش"),
    ("min_jiha", 0, "TUR", "صرح", "indirect", "تركيا تتابع", "", "", "أردوغان"),
    ("continuation", 0, "ARM", "قال", "indirect", "أرمينيا أرسلت", "", "", "باشينيان"),
    ("continuation", 0, "ARM", "أرسل", "action", "وحدة عسكرية", "", "", "أرمينيا"),
    ("continuation", 0, "ARM", "أضاف", "indirect", "ستحمي المنشآت", "", "", ""),
    ("continuation", 0, "ARM", "أكد", "indirect", "مهمتها مؤقتة", "", "", ""),
    ("marker_media", 0, "MEDIA", "بحسب", "indirect", "ألفي جندي", "", "", "تاس"),
    ("marker_anaphor", 0, "CHN", "وفق", "indirect", "الصين مستعدة", "", "", "الوزارة"),
    ("channel_statement", 0, "RUS", "قال", "indirect", "تؤدي مهامها", "بيان", "", ""),
    ("channel_agency", 0, "USA", "قال", "indirect", "واشنطن قلقة", "رويترز", "", "بلينكن"),
    ("addressee", 0, "EU", "دعا", "indirect", "احترام حقوق الإنسان", "",
     "السلطات الكازاخستانية", "الاتحاد الأوروبي"),
    ("action_send", 0, "RUS", "أرسل", "action", "قوات إضافية", "", "", "روسيا"),
    ("unresolved", 0, "", "قال", "indirect", "الوضع في العاصمة", "", "", "مصادر مطلعة"),
    ("quote_guillemets", 0, "RUS", "قال", "direct", "لن نسمح بزعزعة", "", "", "بوتين"),
    ("quote_curly", 0, "RUS", "أضاف", "direct", "العملية ستنتهي", "", "", "لافروف"),
    pytest.param("diacritics", 0, "CHN", "قال", "indirect", "بكين تُتابع", "", "", "الصّينيّةُ",
                 marks=pytest.mark.xfail(reason="known limit: the embedded tokenizer splits "
                                         "words at tatweel and vowel marks (قـــالَت)",
                                         strict=True)),
    ("negated_cue", 0, "RUS", "نفى", "indirect", "وجود قوات روسية", "", "", "الكرملين"),
    ("to_journalists", 0, "RUS", "قال", "indirect", "روسيا لن تتدخل", "", "الصحفيين", "بيسكوف"),
    ("adverbial", 0, "RUS", "أعلن", "indirect", "القوات وصلت", "", "", "وزارة الدفاع"),
    # حسبما أعلنت: the verb is the cue (the marker حسبما is no second claim)
    ("marker_verb", 0, "KAZ", "أعلن", "indirect", "الوضع في ألماتي", "", "",
     "وزارة الداخلية"),
    ("relay", 0, "KAZ", "نقل", "indirect", "اعتقلت أكثر", "إنترفاكس", "", "وزارة الداخلية"),
    ("participle_object", 0, "EU", "طالب", "indirect", "احترام حق التظاهر", "", "السلطات", ""),
    # a source marker naming an actor is a claim and the source (channel) of the sentence's own
    ("nested_source", 0, "MEDIA", "حسب", "indirect", "أشاد", "", "", "شينخوا"),
    ("nested_source", 0, "CHN", "أشاد", "indirect", "الإجراءات", "شينخوا", "", "شي جين بينغ"),
    ("summit_channel", 0, "RUS", "قال", "indirect", "المهمة مؤقتة", "قمة افتراضية", "", "بوتين"),
]


@pytest.fixture(scope="module")
def invented(pipeline):
    docs = pd.DataFrame({"doc_id": list(TEXTS), "text_raw": list(TEXTS.values()),
                         "date": "2022-01-08"})
    clean, _ = clean_corpus(docs)
    ann = annotate(clean, pipeline=pipeline)
    tables = extract_actors(clean, ann)
    return clean, extract_statements(clean, ann, tables.mentions)


@pytest.fixture(scope="module")
def seed(pipeline):
    docs = load_corpus(DATA_RAW)
    clean, _ = clean_corpus(docs)
    ann = annotate(clean, pipeline=pipeline)
    tables = extract_actors(clean, ann)
    return clean, extract_statements(clean, ann, tables.mentions)


@pytest.mark.parametrize("doc_id,pos,group,lemma,kind,content,channel,addressee,speaker",
                         EXPECT, ids=[f"{e.values[0]}-{e.values[3]}" if hasattr(e, "marks")
                                      else f"{e[0]}-{e[3]}" for e in EXPECT])
def test_invented_statement(invented, doc_id, pos, group, lemma, kind, content, channel,
                            addressee, speaker):
    _, st = invented
    mine = st[(st.doc_id == doc_id) & (st.cue_lemma == lemma)].reset_index(drop=True)
    assert len(mine) > pos, st[st.doc_id == doc_id][["cue", "speaker_text", "content"]]
    row = mine.iloc[pos]
    assert row.group == group
    assert row.cue_lemma == lemma
    assert row.kind == kind
    assert content in row.content
    assert channel in row.channel
    assert addressee in row.addressee
    assert speaker in row.speaker_text
    if group:
        assert row.speaker_actor_id


def test_noun_uses_of_action_verbs_are_not_claims(invented):
    _, st = invented
    assert st[st.doc_id == "action_noun"].kind.tolist() in ([], ["indirect"])
    assert "action" not in st[st.doc_id == "action_noun"].kind.tolist()


def test_content_starts_at_the_claim(invented):
    _, st = invented
    for doc_id in ("to_journalists", "adverbial"):
        assert st[st.doc_id == doc_id].content.str.match("(روسيا|القوات)").all()


def test_verb_of_a_marker_is_not_a_second_claim(invented):
    _, st = invented
    assert len(st[st.doc_id == "marker_verb"]) == 1


def test_negated_cue_keeps_the_negator(invented):
    _, st = invented
    row = st[st.doc_id == "negated_cue"].iloc[0]
    assert row.cue.split()[0] == "ولم" or row.cue.startswith("لم")


def test_schema_ids_and_offsets(invented):
    clean, st = invented
    assert list(st.columns) == schemas.STATEMENTS
    assert st.statement_id.is_unique
    assert st.statement_id.str.fullmatch(r".+:s\d{3}").all()
    texts = dict(zip(clean.doc_id, clean.text_clean, strict=True))
    raws = dict(zip(clean.doc_id, clean.text_raw, strict=True))
    for r in st.itertuples():
        assert texts[r.doc_id][r.start_char:r.end_char] == r.content
        raw = raws[r.doc_id][int(r.raw_start):int(r.raw_end)]
        assert normalize_for_matching(raw) == normalize_for_matching(r.content)


def test_seed_article_claims(seed):
    _, st = seed
    by_group = st.groupby("group")["cue_lemma"].apply(set).to_dict()
    assert "دعا" in by_group["UN"]
    assert "حذر" in by_group["CHN"]
    assert "قال" in by_group["USA"]
    assert {"أكد", "قال"} <= by_group["CSTO"]
    assert set(st[st.kind == "action"].group) >= {"ARM", "TJK"}
    un = st[st.group == "UN"].iloc[0]
    assert "منظمة الأمن الجماعي" in un.addressee
    zas = st[(st.group == "CSTO") & (st.kind == "direct")].iloc[0]
    assert "سبوتنيك" in zas.channel


def test_seed_against_hand_coding(seed):
    _, st = seed
    gold = pd.read_csv(DATA_GOLD / "statements.csv", dtype=str, keep_default_na=False)
    res = dict(zip(*evaluate_statements(st, gold).T.values, strict=True))
    assert res["recall"] >= 0.8
    assert res["precision"] >= 0.8
    assert res["group_accuracy"] >= 0.8


def test_without_annotation_or_mentions():
    docs = pd.DataFrame({"doc_id": ["d"], "text_raw": ["قالت مصادر مطلعة إن الوضع هادئ."]})
    clean, _ = clean_corpus(docs)
    st = extract_statements(clean)
    assert st.speaker_text.tolist() == ["مصادر مطلعة"]
    assert st.group.tolist() == [""]


@pytest.mark.parametrize("bad", [pd.DataFrame({"x": [1]}), "text", None])
def test_bad_input_is_a_kzerror(bad):
    with pytest.raises(KzError):
        extract_statements(bad)


@pytest.mark.parametrize("annotation,mentions", [
    ("sentences", None), (pd.DataFrame({"doc_id": ["d"]}), None),
    (None, pd.DataFrame({"doc_id": ["d"], "surface": ["x"]})),
])
def test_bad_annotation_or_mentions(annotation, mentions):
    clean, _ = clean_corpus(pd.DataFrame({"doc_id": ["d"], "text_raw": ["قال الوزير إن الوضع هادئ."]}))
    with pytest.raises(KzError):
        extract_statements(clean, annotation, mentions)


# --- lexicon resources ----------------------------------------------------------------

@pytest.mark.parametrize("surface,lemma", [
    ("وقال", "قال"), ("فقالت", "قال"), ("قالَتْ", "قال"), ("قـــال", "قال"),
    ("وأضافت", "أضاف"), ("واضافت", "أضاف"), ("مضيفاً", "أضاف"), ("مُضيفةً", "أضاف"),
    ("يؤكد", "أكد"), ("يئكد", None), ("مشيرةً", "أشار"), ("معتبراً", "اعتبر"),
    ("وإذ", None), ("وافقت", "وافق"), ("ووافق", "وافق"), ("صادقت", "صادق"),
    ("دعت", "دعا"), ("ندّد", "ندد"), ("نفت", "نفى"), ("قائلة", "قال"),
])
def test_cue_forms_match_with_clitics_and_diacritics(surface, lemma):
    lex = load_statement_lexicon()
    m = lex.cue_re.fullmatch(normalize_for_matching(surface))
    if lemma is None:
        assert m is None
    else:
        assert m is not None and lex.cue_info[m.group("form")]["lemma"] == lemma


def test_cue_table_columns():
    cues = load_cues()
    assert {"speech", "action"} == set(cues["class"])
    assert {"finite", "participle"} == set(cues.form_type)
    assert (cues.lemma.str.len() > 0).all()
    markers = load_markers()
    assert {"source", "channel", "addressee", "topic", "pronoun"} <= set(markers.type)


@pytest.mark.parametrize("content,where", [
    ("lemma,class,form_type,polarity,object,forms\nقال,speech,finite,neutral,,قال\n"
     "أكد,talk,finite,neutral,,أكد\n", "line 3"),
    ("lemma,class,form_type,polarity,object,forms\nقال,speech,finite,neutral,,قال الرئيس\n",
     "line 2"),
    ("lemma,class,forms\nقال,speech,قال\n", "line 1"),
])
def test_malformed_cue_file(tmp_path, content, where):
    p = tmp_path / "cues.csv"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError, match=where) as err:
        load_cues(p)
    assert str(p) in str(err.value)


def test_malformed_marker_file(tmp_path):
    p = tmp_path / "markers.csv"
    p.write_text("marker,type,object,channel\nبحسب,source,maybe,\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="line 2"):
        load_markers(p)


# --- properties on generated text (no NLP: sentences split on punctuation) ----------------

_WORDS = ["قال", "وقالت", "أضاف", "مضيفاً", "إن", "أن", "الوزارة", "روسيا", "الأمم المتحدة",
          "بحسب", "ووفق", "في بيان", "في تصريحات لوكالة", "أما", "فحذرت", "بدورها", "من جهتها",
          "القوات", "صادق", "على", "إرسال", "قوات", "«", "»", '"', "“", "”", ":", "،", ".", "\n\n",
          "لم", "ينف", "دعت", "إلى", "ضبط النفس", "ـ", "َ", "ّ", "نقلت", "عن", "قولها"]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st_.lists(st_.sampled_from(_WORDS), min_size=1, max_size=40))
def test_generated_text_never_breaks_offsets(words):
    text = " ".join(words)
    clean, _ = clean_corpus(pd.DataFrame({"doc_id": ["g"], "text_raw": [text]}))
    mentions = extract_actors(clean, None).mentions
    out = extract_statements(clean, None, mentions)
    assert list(out.columns) == schemas.STATEMENTS
    body = clean.text_clean.iloc[0]
    for r in out.itertuples():
        assert 0 <= r.start_char < r.end_char <= len(body)
        assert body[r.start_char:r.end_char] == r.content
        assert r.kind in ("direct", "indirect", "action")
