"""The codebook resource: docs/codebook.md agrees with it, its numbers drive the rules, bad
files give one-line errors; narrated acts, scope, irony and offers of help (invented
sentences, real Stanza pipeline and actor base)."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

import kzcrisis as kz
from kzcrisis.codebook import docs as cbmod
from kzcrisis.errors import ResourceError
from kzcrisis.paths import resource
from kzcrisis.stance import bootstrap_interval, certainty, code_statement, find_act


def test_docs_codebook_agrees_with_the_resource():
    text = cbmod.DOC.read_text(encoding="utf-8")
    assert cbmod.update_markdown(text, cbmod.render_sections()) == text, \
        "docs/codebook.md is stale: run python -m kzcrisis.codebook --write"
    cbmod.check_categories()
    cb = kz.load_codebook()
    for act in cb.acts.values():  # every act and category is in the document
        assert f"| `{act.name}` |" in text
    for name in cb.categories:
        assert f"| `{name}` |" in text


def test_check_command_fails_on_a_stale_document(tmp_path, monkeypatch):
    stale = tmp_path / "codebook.md"
    stale.write_text(cbmod.DOC.read_text(encoding="utf-8").replace(
        "| `support_min` | 0.2 |", "| `support_min` | 0.25 |"), encoding="utf-8")
    monkeypatch.setattr(cbmod, "DOC", stale)
    assert cbmod.main([]) == 1
    assert cbmod.main(["--write"]) == 0 and cbmod.main([]) == 0


def _variant(tmp_path, edit) -> str:
    data = yaml.safe_load(resource("codebook.yaml").read_text(encoding="utf-8"))
    edit(data)
    path = tmp_path / "codebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def test_thresholds_come_from_the_resource(tmp_path):
    statements = pd.DataFrame([{
        "statement_id": "d:s001", "doc_id": "d", "group": "RUS", "kind": "indirect",
        "cue": "قال", "cue_lemma": "قال", "content": "إن بلاده مستعدة لإرسال قوات"}])
    assert kz.code_stance(statements)["label"].tolist() == ["support"]  # +0.5 >= 0.2
    def stricter(d):
        d["thresholds"].update(support_min=0.6)
        d["comparison"]["label_scores"].update(support=0.7)

    strict = _variant(tmp_path, stricter)
    assert kz.code_stance(statements, codebook=strict)["label"].tolist() == ["neutral"]


@pytest.mark.parametrize("edit, message", [
    (lambda d: d.pop("thresholds"), "missing key 'thresholds'"),
    (lambda d: d["thresholds"].update(support_min=-0.1), "oppose_max < 0 < support_min"),
    (lambda d: d["thresholds"].update(oppose_max="low"), "'oppose_max' must be a float"),
    (lambda d: d["comparison"]["label_scores"].update(support=0.1),
     "label_scores.support = 0.1 does not have the label support"),
    (lambda d: d["acts"]["request"].update(mode="sometimes"), "acts.request: mode"),
    (lambda d: d["acts"]["sanction"].update(weight=3), "acts.sanction: weight = 3.0 outside"),
    (lambda d: d["labels"].pop("caution"), "labels: missing key 'caution'"),
])
def test_bad_codebook_is_a_one_line_error(tmp_path, edit, message):
    path = _variant(tmp_path, edit)
    with pytest.raises(ResourceError) as err:
        kz.load_codebook(path)
    assert message in str(err.value) and path in str(err.value)
    assert "\n" not in str(err.value)


# (content, cue, cue_lemma, kind, target, label, evidence fragment)
RULES = [
    # narrated acts, with their own weight
    ("طلبت المساعدة من منظمة معاهدة الأمن الجماعي", "طلبت", "طلب", "action",
     "intervention", "support", "act_request +0.50"),
    ("استنجدت بقوات المنظمة لاستعادة الأمن", "استنجدت", "", "action", "intervention",
     "support", "act_request"),
    ("وافق على طلب الحكومة إرسال وحدات", "وافق", "وافق", "action", "intervention",
     "support", "act_approve +0.50"),
    ("لم ترسل أي جنود إلى هناك", "لم ترسل", "أرسل", "action", "intervention", "caution",
     "NOT act_dispatch -0.25"),
    ("فرضت عقوبات على كازاخستان", "فرضت", "", "action", "intervention", "oppose",
     "act_sanction"),
    ("استدعت السفير الكازاخي احتجاجا على نشر القوات", "استدعت", "", "action",
     "intervention", "oppose", "act_recall"),
    ("هاجم الاستعانة بقوات أجنبية", "هاجم", "", "action", "intervention", "oppose",
     "act_condemn"),
    # an act keeps its own weight once: the deployment is its object
    ("صادقت على إرسال قوات حفظ سلام", "صادقت", "صادق", "action", "intervention",
     "support", "is the object of act_approve"),
    # questioning after the deployment governs it
    ("إن إرسال قوات أجنبية إلى البلاد يثير تساؤلات", "قال", "قال", "", "intervention",
     "caution", "in the scope of raise_questions"),
    ("إن نشر هذه القوات غير شرعي", "قال", "قال", "", "intervention", "oppose",
     "in the scope of illegitimate"),
    # irony: scare quotes beside a negative cue, or a marker
    ("إن \"حفظ السلام\" ليس إلا ذريعة للاحتلال", "قال", "قال", "", "intervention",
     "oppose", "occupation"),
    ("إن ما يسمى بعملية حفظ السلام جاءت لحماية النظام", "قال", "قال", "", "intervention",
     "caution", "ironic"),
    ("إن الشرعية المزعومة للتدخل العسكري لا تقنع أحدا", "قال", "قال", "", "intervention",
     "oppose", "in the scope of occupation"),
    # the government framing the unrest as terrorist aggression
    ("إن البلاد تتعرض لعدوان إرهابي منظم", "قال", "قال", "", "intervention", "support",
     "aggression_i"),
]


@pytest.mark.parametrize("content, cue, lemma, kind, target, label, evidence", RULES)
def test_rules(content, cue, lemma, kind, target, label, evidence):
    rows = {r["target"]: r for r in code_statement(content, cue, lemma, kind=kind)}
    assert rows[target]["label"] == label, rows[target]
    assert evidence in rows[target]["evidence"]


@pytest.mark.parametrize("cue, content", [
    ("طلبت", "من السكان البقاء في منازلهم"),           # a request for no help
    ("سحبت", "قواتها بعد انتهاء المهمة"),              # withdrawing troops is no recall
    ("فرضت", "حظر التجول في المدينة"),                # a curfew is no sanction
])
def test_acts_need_their_object(cue, content):
    assert find_act(cue, "", content) is None


@pytest.mark.parametrize("content", [
    "إنها مستعدة لتقديم المساعدة الإنسانية لكازاخستان",
    "إن بلاده جاهزة لتقديم العون للشعب الكازاخي",
])
def test_an_offer_of_help_is_not_support_for_the_intervention(content):
    rows = code_statement(content, "قال", "قال")
    assert all(r["label"] != "support" for r in rows if r["target"] == "intervention")


# sentence -> (group, label toward the intervention) of the narrated act found
ACT_SENTENCES = [
    ("وفرضت الولايات المتحدة عقوبات على كازاخستان.", "USA", "oppose"),
    ("وطلبت الحكومة الكازاخية مساعدة منظمة معاهدة الأمن الجماعي.", "KAZ", "support"),
    ("واستدعت تركيا السفير الروسي احتجاجا.", "TUR", "oppose"),
    ("وهاجمت إيران الاستعانة بقوات أجنبية.", "IRN", "oppose"),
]


@pytest.mark.parametrize("text, group, label", ACT_SENTENCES)
def test_narrated_acts_in_the_pipeline(pipeline, text, group, label):
    docs, _ = kz.clean_corpus(pd.DataFrame({"doc_id": ["d"], "text": [text]}).pipe(
        lambda d: d.assign(title="", outlet="", date="", url="", language="ar",
                           source_path="", encoding="utf-8", sha256="", text_raw=d.text)))
    ann = kz.annotate(docs, pipeline=pipeline, progress=False)
    tables = kz.extract_actors(docs, ann)
    statements = kz.extract_statements(docs, ann, tables.mentions)
    both = kz.add_narrated_acts(statements, docs, tables.mentions)
    # the act is a claim, found by statement attribution or as a narrated act
    acts = both[both["kind"] == "action"]
    assert acts["group"].tolist() == [group]
    stance = kz.code_stance(both)
    row = stance[(stance["group"] == group) & (stance["target"] == "intervention")]
    assert row["label"].tolist() == [label]
    assert "act_" in row["evidence"].iloc[0]
    # an act already found by statement attribution is not counted twice
    again = kz.add_narrated_acts(both, docs, tables.mentions)
    assert len(again) == len(both)


def test_bootstrap_interval_is_seeded_and_marks_single_statements():
    x = np.array([0.5, 0.2, -0.3, 0.5, 0.4])
    one = bootstrap_interval(x, "ALL|UN|intervention")
    assert one == bootstrap_interval(x, "ALL|UN|intervention")  # reruns identical
    assert one[0] < x.mean() < one[1]
    assert np.isnan(bootstrap_interval(np.array([0.5]), "k")).all()
    assert bootstrap_interval(np.array([0.5, 0.5]), "k") == (0.5, 0.5)
    assert certainty(1, "support", float("nan"), float("nan")) == "single"
    assert certainty(3, "support", 0.3, 0.6) == "firm"
    assert certainty(3, "support", 0.1, 0.6) == "wide"


def test_codebook_check_command():
    proc = subprocess.run([sys.executable, "-m", "kzcrisis.codebook"], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("name,least", [("stance_claims.csv", 60),
                                         ("stance_claims_heldout.csv", 30)])
def test_gold_claims_cover_the_phenomena(name, least):
    from kzcrisis.evaluate import load_gold_claims
    from kzcrisis.paths import DATA_GOLD

    gold = load_gold_claims(DATA_GOLD / name)
    assert gold["item_id"].nunique() >= least
    assert {"support", "caution", "oppose", "negation", "questioning", "irony", "offer_help",
            "act"} <= set(gold["phenomenon"])
    # a group is an actor base group or a state (a ministry of any state is composed)
    groups = set(pd.read_csv(resource("actors.csv"), dtype=str, keep_default_na=False)
                 ["group"]) | set(pd.read_csv(resource("states.csv"), dtype=str,
                                              keep_default_na=False)["actor_id"])
    assert set(gold["group"]) <= groups


def test_heldout_claims_are_new_texts():
    from kzcrisis.evaluate import load_gold_claims
    from kzcrisis.paths import DATA_GOLD

    dev = load_gold_claims(DATA_GOLD / "stance_claims.csv")
    held = load_gold_claims(DATA_GOLD / "stance_claims_heldout.csv")
    assert not set(dev["text"]) & set(held["text"])
    assert not set(dev["item_id"]) & set(held["item_id"])


def test_stance_scores_by_hand():
    from kzcrisis.evaluate import stance_scores

    gold = ["support", "support", "oppose", "caution", "neutral"]
    pred = ["support", "neutral", "oppose", "oppose", "neutral"]
    per, macro, conf = stance_scores(gold, pred)
    row = per.set_index("label")
    assert row.loc["support", "precision"] == 1.0 and row.loc["support", "recall"] == 0.5
    assert row.loc["oppose", "precision"] == 0.5 and row.loc["caution", "f1"] == 0.0
    assert macro == pytest.approx((2 / 3 + 0 + 2 / 3 + 2 / 3) / 4)
    assert conf.loc["caution", "oppose"] == 1 and int(conf.to_numpy().sum()) == 5
