"""Statement attribution on the dependency parse (kzcrisis.attribution): one row per case.

Every sentence here is written for the tests in the styles of different outlets; none comes
from the seed article.
"""
from __future__ import annotations

import pandas as pd
import pytest

from kzcrisis import attribution, grammar
from kzcrisis.actors import extract_actors
from kzcrisis.clean import clean_corpus
from kzcrisis.errors import ResourceError
from kzcrisis.nlp import annotate
from kzcrisis.statements import extract_statements, has_parse
from kzcrisis.syntax import dependency_table, sentence_trees

# (id, text, cue lemma, group, speaker part, content part, speaker_rule)
CASES = [
    ("vso_named", "وقال وزير الخارجية التركي مولود جاووش أوغلو إن أنقرة تتابع التطورات في كازاخستان.",
     "قال", "TUR", "جاووش أوغلو", "أنقرة تتابع", "subject"),
    ("svo_body", "وزارة الخارجية الصينية أكدت أن بكين تدعم الاستقرار في آسيا الوسطى.",
     "أكد", "CHN", "الخارجية الصينية", "بكين تدعم", "subject"),
    ("continuation", "قال الرئيس الروسي فلاديمير بوتين إن المهمة مؤقتة. وأضاف أن القوات ستعود قريباً.",
     "أضاف", "RUS", "بوتين", "القوات ستعود", "continuation"),
    ("quote", "وقال الأمين العام للمنظمة: «القوات ستغادر فور انتهاء مهمتها».",
     "قال", "", "الأمين العام", "القوات ستغادر", ""),
    ("warn_min", "وحذرت الأمم المتحدة من أن العنف قد يمتد إلى مدن أخرى.",
     "حذر", "UN", "الأمم المتحدة", "العنف قد يمتد", "subject"),
]


@pytest.fixture(scope="module")
def parsed(pipeline):
    docs = pd.DataFrame({"doc_id": [c[0] for c in CASES], "text_raw": [c[1] for c in CASES],
                         "date": "2022-01-08"})
    clean, _ = clean_corpus(docs)
    ann = annotate(clean, pipeline=pipeline, progress=False)
    mentions = extract_actors(clean, ann).mentions
    return clean, ann, extract_statements(clean, ann, mentions)


@pytest.mark.parametrize(("doc_id", "text", "lemma", "group", "speaker", "content", "rule"),
                         CASES, ids=[c[0] for c in CASES])
def test_parse_attribution(parsed, doc_id, text, lemma, group, speaker, content, rule):
    clean, ann, st = parsed
    assert has_parse(ann)
    rows = st[(st.doc_id == doc_id) & (st.cue_lemma == lemma)]
    assert len(rows), st[st.doc_id == doc_id][["cue", "cue_lemma", "speaker_text", "content"]]
    row = rows.iloc[0]
    assert row.group == group
    assert speaker in row.speaker_text
    assert content in row.content
    if rule:
        assert row.speaker_rule == rule
    if group:
        assert row.link_rule in ("inside", "office")


def test_every_row_names_its_rules_and_offsets_hold(parsed):
    clean, _, st = parsed
    texts = dict(zip(clean.doc_id, clean.text_clean, strict=True))
    assert (st.speaker_rule != "").all() and (st.link_rule != "").all()
    for r in st.itertuples():
        assert texts[r.doc_id][r.start_char:r.end_char] == r.content
        if r.speaker_text:
            assert texts[r.doc_id][int(r.speaker_start):int(r.speaker_end)] == r.speaker_text


def test_no_speaker_is_linked_to_a_mention_outside_its_phrase(parsed):
    clean, ann, st = parsed
    mentions = extract_actors(clean, ann).mentions
    for r in st[st.link_rule == "inside"].itertuples():
        m = mentions[(mentions.doc_id == r.doc_id) & (mentions.actor_id == r.speaker_actor_id)]
        assert ((m.start_char < int(r.speaker_end)) & (m.end_char > int(r.speaker_start))).any()


@pytest.mark.parametrize(("text", "expected"), [
    ("موسكو ترسل قوات إلى كازاخستان\nوصلت أولى الوحدات إلى المطار.", True),
    ("وصلت أولى الوحدات إلى المطار.\nوقال الوزير إن المهمة مؤقتة.", False),  # final stop
    ("عنوان بلا نص بعده", False),                                             # nothing follows
])
def test_headlines(text, expected):
    end = text.find("\n") if "\n" in text else len(text)
    assert attribution.is_headline(text, 0, end) is expected


@pytest.mark.parametrize(("text", "spans"), [
    ("قال: «نعم» ثم «لا».", [(6, 9), (15, 17)]),
    ('وأضاف "العملية انتهت".', [(7, 20)]),
    ("لا اقتباس هنا", []),
])
def test_quotes(text, spans):
    assert attribution.quotes(text) == spans


def test_grammar_classes_are_shared_and_folded():
    assert "ان" in grammar.words("complementizer")      # أن/إن folded
    assert "لم" in grammar.words("negator")
    assert {"بحسب", "حسب"} <= grammar.words("source_marker")


def test_cue_lexicon_covers_newswire_verbs():
    lex = attribution.load_cue_lemmas()
    verbs = {c.verb for rows in lex.values() for c in rows if c.pos == "VERB"}
    assert len(verbs) >= 80
    for v in ("قال", "أكد", "حذر", "زعم", "غرد", "لفت", "نوه", "اعتبر", "رأى", "وصف", "كتب",
              "ادعى", "أوضح", "ذكر"):
        assert v in verbs


@pytest.mark.parametrize(("row", "where"), [
    ("قال,قال,VERB,talk,neutral,that,,x", "class"),
    ("قال,قال,VERB,speech,angry,that,,x", "polarity"),
    ("قال,قال,VERB,speech,neutral,maybe,,x", "frame"),
])
def test_bad_cue_rows_name_the_line(tmp_path, row, where):
    f = tmp_path / "cues.csv"
    f.write_text("lemma,verb,pos,class,polarity,frames,object,example\n" + row + "\n",
                 encoding="utf-8")
    with pytest.raises(ResourceError, match=f"line 2.*{where}"):
        attribution.load_cue_lemmas(str(f))


def test_dependency_table_shows_heads(parsed):
    _, ann, _ = parsed
    table = dependency_table(ann.words, "vso_named", 0)
    assert (table.head_text[table["head"] == 0] == "(root)").all()
    assert len(sentence_trees(ann.words)) == ann.sentences.shape[0]


def test_speaker_phrases_link_through_the_runs_actor_base(pipeline, tmp_path):
    """A researcher's own actor base reaches the phrase linker of the parse rules: with no
    mentions given, ``قال زيد الفلاني`` links only through the dictionary passed in."""
    from kzcrisis.actors import load_actors

    user = tmp_path / "mine.csv"
    user.write_text("actor_id,name_en,name_ar,type,group,gender,aliases\n"
                    "ZAID_FULANI,Zaid al-Fulani,زيد الفلاني,person,KAZ,m,الفلاني\n",
                    encoding="utf-8")
    docs = pd.DataFrame({"doc_id": ["d1"], "text_clean": ["قال زيد الفلاني إن الحوار هو الحل."]})
    ann = annotate(docs, pipeline=pipeline)

    def groups(dictionary):
        rows = attribution.attribute(docs, ann.words, ann.sentences, ann.entities, None,
                                     dictionary=dictionary)
        return [(r["speaker_text"], r["group"]) for r in rows]

    assert groups(load_actors(user=user)) == [("زيد الفلاني", "KAZ")]
    assert groups(None) == [("زيد الفلاني", "")]
