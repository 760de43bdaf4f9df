"""Framing terms and the Monroe et al. (2008) log-odds ratio."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from kzcrisis import schemas
from kzcrisis.actors import extract_actors
from kzcrisis.clean import clean_corpus
from kzcrisis.errors import KzError, ResourceError
from kzcrisis.framing import (
    NARRATOR,
    find_terms,
    framing_terms,
    load_framing_terms,
    log_odds_dirichlet,
)
from kzcrisis.statements import extract_statements


@pytest.mark.parametrize("text,term", [
    ("قتل عدد من الإرهابيين في المدينة", "terrorists"),
    ("اشتباكات مع متظاهرين مسلحين قرب المطار", "armed_protesters"),
    ("اشتباكات مع مُتظاهِرين مُسلّحين قرب المطار", "armed_protesters"),
    ("مصرع العشرات من مثيري الشغب والفوضى المسلحين", "armed_rioters"),
    ("اعتقال عشرات من مثيري الشغب", "rioters"),
    ("تجمع المحتجون في الساحة", "protesters"),
    ("ووصلت قوات حفظ السلام إلى المطار", "peacekeeping_forces"),
    ("ووصلت قـــوات حِفظِ السّلامِ إلى المطار", "peacekeeping_forces"),
    ("انتشار قوات منظمة معاهدة الأمن الجماعي", "csto_forces"),
    ("طلب هذه القوات بقيادة روسية", "russian_led_forces"),
    ("رفض التدخل العسكري في البلاد", "intervention"),
    ("بدأت عملية لمكافحة الإرهاب", "counter_terrorism_operation"),
    ("للمسلحين دور في الأحداث", "militants"),
])
def test_find_terms(text, term):
    found = find_terms(text)
    assert term in found.term_id.tolist(), found
    row = found[found.term_id == term].iloc[0]
    assert text[row.start_char:row.end_char] == row.text


def test_longest_term_wins():
    found = find_terms("مواجهات بين متظاهرين مسلحين والشرطة")
    assert found.term_id.tolist() == ["armed_protesters"]


def test_terms_counted_per_speaker_and_narrator():
    text = ("وشهدت المدينة مواجهات مع متظاهرين مسلحين. وقالت الخارجية الروسية إن قوات حفظ "
            "السلام تواجه إرهابيين. ووصلت قوات حفظ السلام إلى المطار.")
    docs = pd.DataFrame({"doc_id": ["d"], "text_raw": [text], "date": ["2022-01-08"]})
    clean, _ = clean_corpus(docs)
    mentions = extract_actors(clean, None).mentions
    st = extract_statements(clean, None, mentions)
    fr = framing_terms(clean, st, mentions)
    assert list(fr.columns) == schemas.FRAMING
    got = {(r.speaker_group, r.term_id): r.n for r in fr.itertuples()}
    assert got == {(NARRATOR, "armed_protesters"): 1, (NARRATOR, "peacekeeping_forces"): 1,
                   ("RUS", "peacekeeping_forces"): 1, ("RUS", "terrorists"): 1}


def test_without_statements_everything_is_narrator():
    clean, _ = clean_corpus(pd.DataFrame({"doc_id": ["d"],
                                          "text_raw": ["قال مسؤول إن الإرهابيين هاجموا."]}))
    fr = framing_terms(clean)
    assert fr.speaker_group.tolist() == [NARRATOR]


def test_log_odds_hand_example_uniform_prior():
    # alpha = 1 each, a0 = 2, n_a = n_b = 3:
    # delta_x = log(3 / (3 + 2 - 2 - 1)) - log(2 / (3 + 2 - 1 - 1)) = 2 log 1.5
    # var_x = 1/3 + 1/2, z = delta / sqrt(var)
    out = log_odds_dirichlet({"x": 2, "y": 1}, {"x": 1, "y": 2}, prior=1).set_index("term")
    assert out.loc["x", "delta"] == pytest.approx(2 * math.log(1.5))
    assert out.loc["x", "var"] == pytest.approx(1 / 3 + 1 / 2)
    assert out.loc["x", "z"] == pytest.approx(2 * math.log(1.5) / math.sqrt(5 / 6))
    assert out.loc["y", "z"] == pytest.approx(-out.loc["x", "z"])
    assert out.index.tolist() == ["x", "y"]  # sorted by z, most typical of a first


def test_log_odds_pooled_prior():
    # alpha = pooled counts (3, 3), a0 = 6: delta_x = log(5/4) - log(4/5) = 2 log 1.25
    out = log_odds_dirichlet(pd.Series({"x": 2, "y": 1}), {"x": 1, "y": 2}).set_index("term")
    assert out.loc["x", "delta"] == pytest.approx(2 * math.log(1.25))
    assert out.loc["x", "z"] == pytest.approx(2 * math.log(1.25) / math.sqrt(1 / 5 + 1 / 4))


def test_log_odds_term_absent_from_one_side():
    out = log_odds_dirichlet({"a": 5, "b": 1}, {"b": 4, "c": 2}, prior=0.5).set_index("term")
    assert out.loc["a", "z"] > 0 > out.loc["c", "z"]
    assert out.loc["a", "n_b"] == 0


@pytest.mark.parametrize("a,b,prior", [
    ({"x": -1}, {"x": 1}, 1), ({"x": "many"}, {"x": 1}, 1), ({}, {}, 1),
    ({"x": 1, "y": 1}, {"x": 1}, {"x": 1}), ({"x": 1}, {"x": 1}, 0), ("x", {"x": 1}, 1),
])
def test_log_odds_bad_input(a, b, prior):
    with pytest.raises(KzError):
        log_odds_dirichlet(a, b, prior)


def test_malformed_framing_file(tmp_path):
    p = tmp_path / "framing.csv"
    p.write_text("term_id,term_class,target,forms\nx,neutral,protesters,متظاهرين\n"
                 "y,neutral,nobody,محتجين\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="line 3"):
        load_framing_terms(p)


def test_bad_documents():
    with pytest.raises(KzError):
        framing_terms(pd.DataFrame({"doc_id": ["d"]}))
