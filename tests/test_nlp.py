"""kzcrisis.nlp on the real embedded Stanza pipeline (no mocks)."""
from __future__ import annotations

import shutil
import socket
from collections import Counter

import pandas as pd
import pytest

from kzcrisis import nlp, schemas
from kzcrisis.errors import KzError
from kzcrisis.models import (
    CHECKSUMS,
    MODEL_FILES,
    OPTIONAL_FILES,
    read_checksums,
    sha256,
    train,
    verify_models,
)
from kzcrisis.paths import DATA_RAW, MODELS_DIR

SEED_ARTICLE = DATA_RAW / "000_e4eda7b29b88d456.txt"


def _offsets_hold(ann: nlp.Annotation, texts: dict[str, str]) -> None:
    for table in (ann.sentences, ann.tokens, ann.entities):
        for row in table.itertuples():
            assert texts[row.doc_id][row.start_char:row.end_char] == row.text


# ----------------------------------------------------------------------------- models


def _shipped() -> set[str]:
    return {f for f in MODEL_FILES.values() if (MODELS_DIR / f).exists()}


def test_checksums_cover_every_model_file_and_match():
    sums = read_checksums(MODELS_DIR)
    required = {f for k, f in MODEL_FILES.items() if k not in OPTIONAL_FILES}
    assert required <= _shipped()
    assert set(sums) == _shipped()
    for name, digest in sums.items():
        assert sha256(MODELS_DIR / name) == digest


def test_model_card_lists_the_same_checksums():
    card = (MODELS_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    for name, digest in read_checksums(MODELS_DIR).items():
        assert f"`{name}`" in card and digest in card


def test_models_total_at_most_60_mb():
    total = sum((MODELS_DIR / f).stat().st_size for f in _shipped())
    assert total <= 60 * 1024 * 1024


def test_tampered_model_file_is_refused(tmp_path, monkeypatch):
    folder = tmp_path / "ar"
    shutil.copytree(MODELS_DIR, folder)
    victim = folder / MODEL_FILES["ner"]
    data = bytearray(victim.read_bytes())
    data[len(data) // 2] ^= 0xFF
    victim.write_bytes(bytes(data))
    with pytest.raises(KzError, match=MODEL_FILES["ner"]):
        verify_models(folder)
    monkeypatch.setattr(nlp, "MODELS_DIR", folder)
    monkeypatch.setattr(nlp, "_CACHE", {})
    with pytest.raises(KzError, match=MODEL_FILES["ner"]):
        nlp.load_pipeline("embedded")


def test_missing_checksum_file_is_a_kzerror(tmp_path):
    folder = tmp_path / "ar"
    shutil.copytree(MODELS_DIR, folder)
    (folder / CHECKSUMS).unlink()
    with pytest.raises(KzError, match=CHECKSUMS):
        verify_models(folder)


@pytest.fixture
def no_network(monkeypatch):
    """Every socket connection and name lookup fails, as on a machine without internet."""
    def refuse(*_args, **_kwargs):
        raise OSError("network blocked by test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(nlp, "_CACHE", {})


def test_embedded_loads_and_annotates_with_sockets_blocked(no_network):
    pipe = nlp.load_pipeline("embedded")
    ann = nlp.annotate("وصل الرئيس إلى موسكو.", pipeline=pipe)
    assert len(ann.tokens) >= 4
    with pytest.raises(OSError):  # the block is real
        socket.create_connection(("example.org", 80))


def test_official_offline_names_the_alternatives(no_network):
    with pytest.raises(KzError, match="embedded") as info:
        nlp.load_pipeline("official")
    assert "\n" not in str(info.value)


def test_load_pipeline_is_cached(pipeline):
    assert nlp.load_pipeline("embedded") is pipeline


def test_env_variable_sets_the_default(monkeypatch, tmp_path):
    monkeypatch.setattr(nlp, "_CACHE", {})
    monkeypatch.setenv("KZCRISIS_MODELS", str(tmp_path / "nowhere"))
    with pytest.raises(KzError, match="nowhere"):
        nlp.load_pipeline()


def test_folder_of_models_loads(tmp_path, monkeypatch):
    monkeypatch.setattr(nlp, "_CACHE", {})
    folder = tmp_path / "mymodels"
    shutil.copytree(MODELS_DIR, folder)
    pipe = nlp.load_pipeline(folder, processors="tokenize,mwt")
    ann = nlp.annotate("قال الوزير إن القوات وصلت.", pipeline=pipe)
    assert ann.entities.empty and len(ann.tokens) >= 5


@pytest.mark.parametrize("models", ["no/such/folder", ""])
def test_unknown_models_argument(monkeypatch, models):
    monkeypatch.setattr(nlp, "_CACHE", {})
    monkeypatch.delenv("KZCRISIS_MODELS", raising=False)
    if models == "":
        # an empty string is no folder: it falls back to the embedded default
        assert nlp.load_pipeline(models or None, processors="tokenize,mwt") is not None
    else:
        with pytest.raises(KzError, match="neither"):
            nlp.load_pipeline(models)


@pytest.mark.parametrize(("processors", "expected"), [
    ("tokenize,mwt,ner", "tokenize,mwt,ner"),
    ("tokenize,ner", "tokenize,mwt,ner"),
    ("ner,tokenize", "tokenize,mwt,ner"),
    ("tokenize", "tokenize"),
    ("tokenize,pos", "tokenize,mwt,pos"),
    ("tokenize,depparse", "tokenize,mwt,pos,lemma,depparse"),
    ("depparse,ner,tokenize", "tokenize,mwt,pos,lemma,depparse,ner"),
])
def test_processor_lists(processors, expected):
    assert nlp._processors(processors) == expected


@pytest.mark.parametrize(("files", "expected"), [
    (["tokenize", "mwt", "ner", "pretrain"], "tokenize,mwt,ner"),
    (["tokenize", "mwt", "pos", "lemma", "depparse", "ner", "pretrain"],
     "tokenize,mwt,pos,lemma,depparse,ner"),
    (["tokenize", "mwt", "pos", "depparse", "pretrain"], "tokenize,mwt,pos"),  # no lemma
    (["tokenize", "mwt", "ner"], "tokenize,mwt"),  # NER without its vectors
])
def test_available_processors_follow_the_files(tmp_path, files, expected):
    for proc in files:
        (tmp_path / MODEL_FILES[proc]).write_bytes(b"x")
    assert nlp.available_processors(tmp_path) == expected


@pytest.mark.parametrize("processors", ["ner", "", "lemma", "tokenize,parse"])
def test_bad_processor_lists(processors):
    with pytest.raises(KzError):
        nlp._processors(processors)


# ------------------------------------------------------------------------ annotation


def test_tables_have_declared_columns_and_integer_ids(pipeline):
    ann = nlp.annotate("قال الرئيس قاسم جومارت توكاييف إن النظام عاد. وصلت القوات إلى ألماتي.",
                       pipeline=pipeline)
    assert list(ann.sentences.columns) == schemas.SENTENCES
    assert list(ann.tokens.columns) == schemas.TOKENS
    assert list(ann.entities.columns) == schemas.ENTITIES
    assert set(ann.tokens.doc_id) == {"doc"}
    assert ann.tokens.token_id.tolist() == list(range(len(ann.tokens)))
    assert ann.sentences.sent_id.tolist() == list(range(len(ann.sentences)))
    assert ann.entities.ent_id.tolist() == list(range(len(ann.entities)))
    for col in ("sent_id", "token_id", "start_char", "end_char"):
        assert ann.tokens[col].dtype == "int64"


def test_ids_restart_per_document_and_offsets_index_each_text(pipeline):
    texts = {"a": "وصل وزير الخارجية الروسي إلى أستانا. وقال إن الوضع مستقر.",
             "b": "دعت الأمم المتحدة إلى ضبط النفس."}
    docs = pd.DataFrame({"doc_id": list(texts), "text_clean": list(texts.values())})
    ann = nlp.annotate(docs, pipeline=pipeline, progress=False)
    for doc_id in texts:
        toks = ann.tokens[ann.tokens.doc_id == doc_id]
        assert toks.token_id.tolist() == list(range(len(toks)))
        assert toks.sent_id.iloc[0] == 0
    _offsets_hold(ann, texts)


def test_batch_size_does_not_change_the_result(pipeline):
    texts = [f"قال المتحدث باسم الوزارة إن {n} جنديا وصلوا إلى كازاخستان يوم الخميس."
             for n in range(1, 8)]
    docs = pd.DataFrame({"doc_id": [f"d{i}" for i in range(7)], "text_clean": texts})
    one = nlp.annotate(docs, pipeline=pipeline, batch_size=1, progress=False)
    many = nlp.annotate(docs, pipeline=pipeline, batch_size=3, progress=False)
    pd.testing.assert_frame_equal(one.tokens, many.tokens)
    pd.testing.assert_frame_equal(one.entities, many.entities)
    pd.testing.assert_frame_equal(one.sentences, many.sentences)


def test_seed_article_offsets_and_words(pipeline):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    ann = nlp.annotate(text, pipeline=pipeline)
    _offsets_hold(ann, {"doc": text})
    # every MWT expansion has at least one word, and clitic tokens are expanded
    assert (ann.tokens.words.str.len() > 0).all()
    assert (ann.tokens.words.str.contains("|", regex=False)).sum() > 20


@pytest.mark.parametrize("paragraphs", [
    ["قال الرئيس إن الوضع مستقر", "وأضاف الوزير أن القوات وصلت"],
    ["عنوان الخبر بلا نقطة", "نص الفقرة الأولى. وجملة ثانية فيها.", "الفقرة الأخيرة"],
    ["أعلنت وزارة الدفاع الروسية:", "\"وصلت أولى الوحدات إلى كازاخستان\""],
])
def test_no_sentence_crosses_a_paragraph_break(pipeline, paragraphs):
    # (a break inside a sentence, "... وقال المتحدث" / "إن ...", is joined: tests/test_layout.py)
    text = "\n\n".join(paragraphs)
    ann = nlp.annotate(text, pipeline=pipeline)
    breaks = [i for i in range(len(text)) if text.startswith("\n\n", i)]
    for row in ann.sentences.itertuples():
        assert "\n\n" not in row.text
        assert not any(row.start_char <= b < row.end_char for b in breaks)
    assert len(ann.sentences) >= len(paragraphs)


@pytest.mark.parametrize(("text", "word", "punct"), [
    ("قال وزير الخارجية الأميركي، أنتوني بلينكن، إن بلاده تتابع الوضع.", "بلينكن", "،"),
    ("وصلت القوات إلى كازاخستان؛ ثم انتشرت في ألماتي.", "كازاخستان", "؛"),
    ("هل انتهت الأزمة في كازاخستان؟ لا أحد يعرف.", "كازاخستان", "؟"),
    ("وقالت الوزارة: إن القوات وصلت.", "الوزارة", ":"),
    ("وصلت القوات الروسية إلى ألماتي.", "ألماتي", "."),
])
def test_punctuation_splits_off_words(pipeline, text, word, punct):
    toks = nlp.annotate(text, pipeline=pipeline).tokens.text.tolist()
    assert word in toks
    assert punct in toks
    assert word + punct not in toks


@pytest.mark.parametrize(("text", "token", "first_word"), [
    ("وقال الرئيس إن الوضع مستقر.", "وقال", "و"),
    ("وصلت القوات إلى بلاده بالطائرات.", "بالطائرات", "ب"),
    ("التقى الوزير بنظيره الروسي.", "بنظيره", "ب"),
])
def test_clitics_are_expanded_into_words(pipeline, text, token, first_word):
    toks = nlp.annotate(text, pipeline=pipeline).tokens
    row = toks[toks.text == token].iloc[0]
    words = row.words.split("|")
    assert len(words) >= 2 and words[0] == first_word


# ------------------------------------------------------------------------------ NER


@pytest.mark.parametrize(("text", "name"), [
    ("قال رئيس كازاخستان قاسم جومارت توكايف إن النظام الدستوري استعيد.", "توكايف"),
    ("وأضاف توكاييف في بيان أن عملية مكافحة الإرهاب بدأت.", "توكاييف"),
    ("تحدث وزير الخارجية الكازاخي مختار تلوبيردي مع نظيره الأميركي.", "تلوبيردي"),
    ("وقال وزير الخارجية الأميركي أنتوني بلينكن إن واشنطن قلقة.", "بلينكن"),
    ("وأكد الأمين العام للمنظمة ستانيسلاف زاس وصول القوات.", "زاس"),
    ("وقالت المتحدثة باسم البيت الأبيض جين ساكي إن لدى واشنطن تساؤلات.", "ساكي"),
    ("واتصل الرئيس الروسي فلاديمير بوتين بنظيره الكازاخستاني.", "بوتين"),
])
def test_people_are_per(pipeline, text, name):
    ents = nlp.annotate(text, pipeline=pipeline).entities
    per = ents[ents.type == "PER"].text.tolist()
    assert any(name in e for e in per), (name, ents[["text", "type"]].values.tolist())


@pytest.mark.parametrize("name", [
    "توكايف", "توكاييف", "زاس", "ساكي",
    "تلوبيردي",
    "بلينكن",  # was tagged LOC in "نظيره الأميركي، أنتوني بلينكن،" before the news vectors
])
def test_seed_article_people_are_per(pipeline, name):
    text = SEED_ARTICLE.read_text(encoding="utf-8")
    ents = nlp.annotate(text, pipeline=pipeline).entities
    assert name in " ".join(ents[ents.type == "PER"].text)


@pytest.mark.parametrize(("text", "clitic_token", "entity"), [
    ("زار الوزير دمشق وبغداد الأسبوع الماضي.", "وبغداد", "بغداد"),
    ("وصلت قوات روسية إلى كازاخستان وقرغيزستان أمس.", "وقرغيزستان", "قرغيزستان"),
    # the clitic veto keeps وبلينكن one word: بلينكن is under the news list's count of 3
    pytest.param("اجتمع الرئيس مع بوتين وبلينكن في جنيف.", "وبلينكن", "بلينكن",
                 marks=pytest.mark.xfail(reason="known miss: a rare foreign name keeps its و "
                                         "(clitic veto, MODEL_CARD.md)", strict=True)),
])
def test_entity_on_clitic_token_excludes_the_clitic(pipeline, text, clitic_token, entity):
    ann = nlp.annotate(text, pipeline=pipeline)
    tok = ann.tokens[ann.tokens.text == clitic_token].iloc[0]
    hit = ann.entities[ann.entities.text == entity]
    assert len(hit) == 1, ann.entities[["text", "type"]].values.tolist()
    row = hit.iloc[0]
    assert text[row.start_char:row.end_char] == entity
    assert row.start_char == tok.start_char + 1 and row.end_char == tok.end_char


@pytest.mark.parametrize(("text", "broken"), [
    ("وزارة الدفاع الروسية قالت إن الطائرات وصلت إلى كازاخستان.", "زارة"),
    ("وزارة الخارجية الأميركية أعلنت أن بلينكن تحدث مع نظيره.", "زارة"),
    ("وكالة الأنباء الروسية تاس ذكرت أن القوات وصلت.", "كالة"),
])
def test_word_starting_with_a_clitic_letter_is_not_cut(pipeline, text, broken):
    ann = nlp.annotate(text, pipeline=pipeline)
    assert not any(e.startswith(broken) for e in ann.entities.text)
    _offsets_hold(ann, {"doc": text})


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize("bad", [
    pd.DataFrame({"doc_id": ["a"], "text_raw": ["نص"]}),
    pd.DataFrame({"text_clean": ["نص"]}),
    pd.DataFrame({"doc_id": ["a", "a"], "text_clean": ["نص", "نص آخر"]}),
    pd.DataFrame({"doc_id": ["a"], "text_clean": [None]}),
    42,
    ["نص"],
])
def test_bad_input_is_a_one_line_kzerror(pipeline, bad):
    with pytest.raises(KzError) as info:
        nlp.annotate(bad, pipeline=pipeline)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("batch_size", [0, -1, 1.5])
def test_bad_batch_size(pipeline, batch_size):
    with pytest.raises(KzError, match="batch_size"):
        nlp.annotate("نص", pipeline=pipeline, batch_size=batch_size)


@pytest.mark.parametrize("text", ["", "   ", "\n\n"])
def test_empty_text_gives_empty_tables(pipeline, text):
    ann = nlp.annotate(text, pipeline=pipeline)
    assert ann.tokens.empty and ann.sentences.empty and ann.entities.empty
    assert list(ann.tokens.columns) == schemas.TOKENS


def test_empty_and_full_documents_mixed(pipeline):
    docs = pd.DataFrame({"doc_id": ["e", "f"], "text_clean": ["", "وصل الوزير إلى موسكو."]})
    ann = nlp.annotate(docs, pipeline=pipeline, progress=False)
    assert set(ann.tokens.doc_id) == {"f"}


# ------------------------------------------------------------ training data preparation


@pytest.mark.parametrize(("tokens", "text"), [
    (["قال", "الوزير", "،", "أنتوني", "بلينكن", "،", "إن", "الوضع", "مستقر", "."],
     "قال الوزير، أنتوني بلينكن، إن الوضع مستقر."),
    (["وقالت", "الوزارة", ":", '"', "وصلت", "القوات", '"', "."],
     'وقالت الوزارة: "وصلت القوات".'),
    (["زار", "(", "أمس", ")", "موسكو", "؟"], "زار (أمس) موسكو؟"),
])
def test_detokenize_attaches_punctuation(tokens, text):
    assert train.detokenize(tokens)[0] == text


@pytest.mark.parametrize(("token", "expected"), [
    ("والسلطات", ["و", "السلطات"]),
    ("بالتفصيل", ["ب", "التفصيل"]),
    ("للرئاسة", ["ل", "لرئاسة"]),
    ("وتسيطر", ["و", "تسيطر"]),
    ("وبغداد", ["و", "بغداد"]),
    ("وحدة", ["وحدة"]),          # a word, not و + حدة: the whole is the more frequent
    ("واشنطن", ["واشنطن"]),      # اشنطن never occurs
    ("كازاخستان", ["كازاخستان"]),
])
def test_rule_split_of_proclitics(token, expected):
    counts = Counter({"السلطات": 3, "التفصيل": 1, "الرئاسة": 2, "تسيطر": 3, "وتسيطر": 1,
                      "بغداد": 12, "وبغداد": 2, "حدة": 4, "وحدة": 25, "واشنطن": 40,
                      "كازاخستان": 9})
    assert train.rule_split(token, counts) == expected


@pytest.mark.parametrize(("words", "ok"), [
    (["و", "السلطات"], True),
    (["نقلت", "ه"], True),
    (["ب", "قوات", "ها"], True),
    (["و", "اشنطن"], False),
    (["ب", "ركا", "نا"], False),
    (["ك", "ازاخستان"], False),
])
def test_plausible_split_needs_a_known_host(words, ok):
    assert train.plausible_split(words, {"السلطات", "نقلت", "قوات", "بركان"}) is ok


def test_pud_clitic_runs_become_multiword_tokens():
    rows = [r.split("\t") for r in [
        "1\tو\tو\tCCONJ\t_\t_\t2\tcc\t_\tSpaceAfter=No",
        "2\tقال\tقال\tVERB\t_\t_\t0\troot\t_\t_",
        "3\tكلام\tكلام\tNOUN\t_\t_\t2\tobj\t_\tSpaceAfter=No",
        "4\tه\tهو\tPRON\t_\t_\t3\tnmod\t_\tSpaceAfter=No",
        "5\t,\t,\tPUNCT\t_\t_\t2\tpunct\t_\t_",
        "6\t12\t12\tNUM\t_\t_\t2\tobl\t_\tSpaceAfter=No",
        "7\t%\t%\tSYM\t_\t_\t6\tdep\t_\t_",
    ]]
    assert train.pud_mwt_groups(rows) == [[0, 1], [2, 3], [4], [5], [6]]
    conllu = train.to_padt_style(["# text = وقال كلامه, 12%"], rows)
    assert "1-2\tوقال" in conllu and "3-4\tكلامه" in conllu
    assert "3-4\tكلامه\t_\t_\t_\t_\t_\t_\t_\tSpaceAfter=No" in conllu


# ------------------------------------------------------------------ clitic-split veto

#: a small frequency table in the shape of ar_word_freq.tsv (counts as in news text)
FREQ = {"وقال": 12000, "قال": 5800, "وزارة": 6300, "لبنان": 900, "بنان": 10, "موسكو": 480,
        "بموسكو": 40, "بكين": 360, "كين": 30, "وزارته": 200, "والرئيس": 3000, "الرئيس": 20000,
        "وزير": 9000, "زير": 3, "ولافروف": 5, "لافروف": 240, "فرنسا": 800,
        "الانضمام": 300, "قول": 900, "لدي": 50, "لديها": 400, "وأضاف": 8000, "أضاف": 700,
        # counts of the shipped news list (ar_word_freq.tsv) for the three-letter tokens
        "وصف": 493, "صف": 172, "وعد": 274, "عد": 55, "بعد": 23248, "وهو": 9223, "هو": 11802,
        "ومن": 9303, "من": 231336, "ولي": 4209, "لي": 1406}


@pytest.mark.parametrize(("token", "expected"), [
    ("وقال", ("وقال", True)),            # قال is common: the MWT model may split و|قال
    ("والرئيس", ("والرئيس", True)),
    ("بموسكو", ("بموسكو", True)),
    ("ولافروف", ("ولافروف", True)),
    ("بلينكن", "بلينكن"),                # لينكن is no news word: ب is part of the name
    ("لبنان", "لبنان"),                  # بنان is 90 times rarer than لبنان
    ("بكين", "بكين"),
    ("وزير", "وزير"),
    ("فرنسا", "فرنسا"),
    ("وزارته", "وزارته"),                # no و|زارته (the suffix stays attached too)
    ("بالحكومة", ("بالحكومة", True)),     # the article follows: ب is a clitic
    ("للانضمام", ("للانضمام", True)),     # ل + الانضمام written لل
    ("بقوله", ("بقوله", True)),           # قول + ه
    ("وأضاف", ("وأضاف", True)),           # وأضاف is 10x أضاف, but أضاف is common itself
    ("لديها", ("لديها", True)),           # لدى + ها: a preposition takes the suffix
    ("فيها", ("فيها", True)),
    ("ولي", "ولي"),                      # ولي (العهد) is commoner than لي: one word
    ("وصف", "وصف"),                      # "described": صف is rarer than وصف
    ("وعد", "وعد"),
    ("بعد", "بعد"),
    ("وهو", ("وهو", True)),              # و + هو
    ("ومن", ("ومن", True)),
    ("بها", ("بها", True)),              # ب + the pronoun ها
    ("Blinken", ("Blinken", True)),
])
def test_clitic_veto(token, expected):
    assert nlp.clitic_veto(token, FREQ) == expected


def test_clitic_veto_postprocessor_keeps_plain_tokens():
    veto = nlp.CliticVeto(FREQ)
    out = veto([["قال", ("بلينكن", True), ("وقال", True)], [("لبنان", True)]])
    assert out == [["قال", "بلينكن", ("وقال", True)], ["لبنان"]]


def test_frequency_list_is_the_shipped_news_counts():
    freq = nlp.load_freq(MODELS_DIR / MODEL_FILES["freq"])
    assert len(freq) > 100_000
    assert freq["في"] > freq["قال"] > freq["لافروف"] > 0
    assert "لينكن" not in freq


# ------------------------------------------------------------------------- words table


def test_words_table_has_lemmas_tags_and_a_tree(pipeline):
    text = "قال وزير الخارجية إن القوات وصلت إلى المطار. وأضاف أن المهمة مؤقتة."
    ann = nlp.annotate(text, pipeline=pipeline)
    w = ann.words
    assert list(w.columns) == schemas.WORDS
    for col in ("word_id", "head", "start_char", "end_char", "token_id", "sent_id"):
        assert w[col].dtype == "int64"
    for _sid, sent in w.groupby("sent_id"):
        ids = sent.word_id.tolist()
        assert ids == list(range(1, len(ids) + 1))           # CoNLL-U ids per sentence
        assert (sent["head"] == 0).sum() == 1                # one root
        assert set(sent["head"]) - {0} <= set(ids)           # heads are words of the sentence
    assert (w.lemma != "").all() and (w.upos != "").all() and (w.deprel != "").all()
    # every word lies inside its token, and the words of a token are its expansion
    toks = ann.tokens.set_index(["sent_id", "token_id"])
    for (sid, tid), ws in w.groupby(["sent_id", "token_id"]):
        tok = toks.loc[(sid, tid)]
        assert (ws.start_char == tok.start_char).all() and (ws.end_char == tok.end_char).all()
        assert "|".join(ws.text) == tok.words
    # the reporting verb is a verb, and the clitic و of وأضاف is its own word
    assert "VERB" in set(w[w.lemma.isin(["قال", "أضاف"])].upos)
    assert (w[w.text == "و"].upos.isin(["CCONJ", "PART"])).all()


def test_lemmas_have_no_diacritics(pipeline):
    w = nlp.annotate("أعلنَت الحكومةُ حالةَ الطوارئ.", pipeline=pipeline).words
    assert not w.lemma.str.contains("[\u064b-\u0652]").any()


def test_folder_without_parser_gives_words_without_tree(tmp_path, monkeypatch):
    monkeypatch.setattr(nlp, "_CACHE", {})
    folder = tmp_path / "noparser"
    folder.mkdir()
    for proc in ("tokenize", "mwt", "ner", "pretrain"):
        shutil.copy(MODELS_DIR / MODEL_FILES[proc], folder / MODEL_FILES[proc])
    shutil.copy(MODELS_DIR / "resources.json", folder / "resources.json")
    pipe = nlp.load_pipeline(folder)
    assert not nlp.has_parse(pipe)
    w = nlp.annotate("قالت الوزارة إن الوضع هادئ.", pipeline=pipe).words
    assert len(w) >= 5 and (w["head"] == -1).all() and (w.lemma == "").all()


@pytest.mark.parametrize(("files", "expected"), [
    ((), {}),
    (("ar_forward_charlm.pt",), {}),  # one direction alone is no charlm
    (("ar_forward_charlm.pt", "ar_backward_charlm.pt"),
     {"ner_forward_charlm_path", "ner_backward_charlm_path",
      "pos_forward_charlm_path", "pos_backward_charlm_path"}),
])
def test_charlm_files_reach_tagger_and_ner_only_in_pairs(tmp_path, files, expected):
    for f in files:
        (tmp_path / f).write_bytes(b"x")
    kw = nlp._local_kwargs(tmp_path, "tokenize,mwt,pos,ner")
    assert {k for k in kw if "charlm" in k} == set(expected)
    assert all(kw[k].startswith(str(tmp_path)) for k in expected)
    assert not any("charlm" in k for k in nlp._local_kwargs(tmp_path, "tokenize,mwt"))


def test_charlm_text_splits_train_and_dev(tmp_path):
    news = tmp_path / "news.txt"
    news.write_text("".join(f"قال الوزير إن الجملة رقم {i} وصلت .\n" for i in range(50)),
                    encoding="utf-8")
    train.charlm_text(news, tmp_path / "lm", train_mb=0, dev_lines=5)
    assert (tmp_path / "lm" / "train" / "news.txt").read_text(encoding="utf-8") == ""
    train.charlm_text(news, tmp_path / "lm2", train_mb=1, dev_lines=5)
    lines = (tmp_path / "lm2" / "train" / "news.txt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 50 and (tmp_path / "lm2" / "dev.txt").read_text() == ""
