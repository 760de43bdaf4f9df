"""The matching-normal form (kzcrisis.normalize), the span aligner (kzcrisis.align) and the
closed classes of grammar.csv (kzcrisis.grammar): one row per Arabic case."""
from __future__ import annotations

import json

import pytest

from kzcrisis import grammar
from kzcrisis.align import align_spans, overlap
from kzcrisis.errors import KzError, ResourceError
from kzcrisis.normalize import (
    PROCLITICS,
    PROCLITICS_RE,
    fold_table,
    in_class,
    load_charmap,
    normalize_for_matching,
    normalize_key,
    normalize_with_map,
    strip_conjunction,
)


@pytest.mark.parametrize("text, folded", [
    ("الأَمْنِ الجَمَاعِيِّ", "الامن الجماعي"),          # harakat, shadda, hamza on alef
    ("إرسال قوات", "ارسال قوات"),                      # alef with hamza below
    ("آسيا الوسطى", "اسيا الوسطي"),                    # madda, alef maqsura
    ("منظمة معاهدة", "منظمه معاهده"),                  # taa marbuta
    ("مسؤول مسئول", "مسوول مسيول"),                    # hamza carriers stay distinct
    ("الرئيـــس", "الرييس"),                           # tatweel
    ("عام ٢٠٢٢", "عام 2022"),                          # Arabic-Indic digits
    ("\u200fقال\u200e", "قال"),                        # bidi marks
    ("توكايف\u00a0قال", "توكايف قال"),                 # NBSP
    ("ﻻ", "لا"),                                       # presentation-form ligature expands
    ("کازاخستان", "كازاخستان"),                        # Farsi kaf
])
def test_fold_cases(text, folded):
    assert normalize_for_matching(text) == folded


@pytest.mark.parametrize("text", ["أمـن", "الأَمْنِ", "ﻻ يزال", "قال\u200f: «نعم»", "عام ٢٠٢٢"])
def test_map_offsets_give_back_the_input_span(text):
    folded, imap = normalize_with_map(text)
    assert len(imap) == len(folded) + 1 and imap[-1] == len(text)
    assert imap == sorted(imap)
    # folded positions where a new input character starts (inside a ligature such as ﻻ,
    # which folds to two letters, the map stays on the ligature)
    cuts = [k for k in range(len(folded) + 1) if k in (0, len(folded)) or imap[k] != imap[k - 1]]
    for i in cuts:
        for j in (k for k in cuts if k >= i):
            assert normalize_for_matching(text[imap[i]:imap[j]]) == folded[i:j]


@pytest.mark.parametrize("text, folded, imap", [
    ("ﻻ", "لا", [0, 0, 1]),                 # a ligature: both letters map to it
    ("أمـن", "امن", [0, 1, 3, 4]),          # tatweel: skipped
    ("قَالَ", "قال", [0, 2, 3, 5]),          # harakat: skipped
])
def test_map_examples(text, folded, imap):
    assert normalize_with_map(text) == (folded, imap)


@pytest.mark.parametrize("text, key", [
    (" الأمن  الجماعي ", "الامن الجماعي"),
    ("وزارة\tالخارجية\n", "وزاره الخارجيه"),
])
def test_normalize_key_squashes_whitespace(text, key):
    assert normalize_key(text) == key


@pytest.mark.parametrize("word, rest", [("ولم", "لم"), ("فإن", "إن"), ("لم", "لم"), ("", "")])
def test_strip_conjunction(word, rest):
    assert strip_conjunction(word) == rest


@pytest.mark.parametrize("word, expected", [("لم", True), ("ولم", True), ("فلن", True),
                                            ("ولكن", False), ("بلم", False)])
def test_in_class_with_a_conjunction(word, expected):
    assert in_class(word, grammar.words("negator")) is expected


@pytest.mark.parametrize("clitics, ok", [("", True), ("و", True), ("وب", True), ("فل", True),
                                         ("ك", True), ("بو", False), ("وفب", False)])
def test_proclitic_runs(clitics, ok):
    assert bool(PROCLITICS_RE.fullmatch(clitics)) is ok
    assert set(clitics) <= PROCLITICS or not ok


def test_charmap_override_changes_the_fold(tmp_path):
    from kzcrisis.normalize import CHARMAP_FILE
    from kzcrisis.paths import resource

    data = json.loads(resource(CHARMAP_FILE).read_text(encoding="utf-8"))
    p = tmp_path / "charmap.json"
    p.write_text(json.dumps({**data, "charMap": {**data["charMap"], "ة": "ت"}}),
                 encoding="utf-8")
    assert "منظمة".translate(fold_table(p)) == "منظمت"
    assert normalize_for_matching("منظمة") == "منظمه"  # the package's map is untouched


@pytest.mark.parametrize("content, message", [
    ("[", "not a UTF-8 JSON"),
    ('{"delete": {"diacritics": ["0x064B"]}}', r"is not U\+XXXX"),
    ('{"charMap": {"أا": "ا"}}', "single characters"),
    ('{"digits": {"x": ["U+0660-U+0664"]}}', "blocks of ten"),
])
def test_bad_charmap_names_the_file(tmp_path, content, message):
    p = tmp_path / "bad.json"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(ResourceError, match=message) as err:
        load_charmap(p)
    assert str(p) in str(err.value)


@pytest.mark.parametrize("gold, pred, order, exact, expected", [
    # each gold statement takes the predicted one it overlaps most
    ([("d1", 0, 10), ("d1", 20, 30)], [("d1", 22, 35), ("d1", 2, 9)], "gold", False,
     {0: 1, 1: 0}),
    # another document never pairs
    ([("d1", 0, 10)], [("d2", 0, 10)], "gold", False, {}),
    # touching spans do not overlap
    ([("d1", 0, 10)], [("d1", 10, 20)], "overlap", False, {}),
    # gold-first: the first gold takes the best span although the second overlaps it more
    ([("d1", 0, 10), ("d1", 5, 30)], [("d1", 5, 30)], "gold", False, {0: 0}),
    # largest overlap first: the second gold wins it
    ([("d1", 0, 10), ("d1", 5, 30)], [("d1", 5, 30)], "overlap", False, {1: 0}),
    # exact: only identical spans
    ([("d1", 0, 10)], [("d1", 0, 12), ("d1", 0, 10)], "overlap", True, {0: 1}),
    # keys may be tuples: (document, actor)
    ([(("d1", "KAZ"), 0, 10)], [(("d1", "RUS"), 0, 10), (("d1", "KAZ"), 3, 8)], "overlap",
     False, {0: 1}),
])
def test_align_spans(gold, pred, order, exact, expected):
    assert align_spans(gold, pred, order=order, exact=exact) == expected


def test_align_spans_rejects_an_unknown_order():
    with pytest.raises(KzError, match="order must be one of"):
        align_spans([], [], order="best")
    assert overlap(("d", 0, 10), ("d", 4, 6)) == 2


@pytest.mark.parametrize("word, cls", [
    ("أن", "complementizer"), ("بأنها", "complementizer"), ("إلى", "preposition"),
    ("بشأن", "preposition"), ("لم", "negator"), ("غير", "negator"), ("ما", "negator_parse"),
    ("هذه", "demonstrative"), ("التي", "relative"), ("بحسب", "source_marker"),
])
def test_grammar_classes(word, cls):
    assert normalize_for_matching(word) in grammar.words(cls)


@pytest.mark.parametrize("word, cls", [("ما", "negator"), ("لما", "negator"), ("قال", "negator"),
                                       ("لأن", "complementizer")])
def test_grammar_words_not_in_class(word, cls):
    assert normalize_for_matching(word) not in grammar.words(cls)


def test_grammar_unknown_class_names_the_file(tmp_path):
    p = tmp_path / "grammar.csv"
    p.write_text("word,class,note\nلم,negation,x\n", encoding="utf-8")
    with pytest.raises(ResourceError, match="line 2: class 'negation' not in"):
        grammar.load_entries(str(p))


def test_stages_share_the_negators():
    from kzcrisis import stance, statements

    assert stance._negators() == grammar.words("negator") == statements._closed()["neg"]
    assert grammar.words("complementizer") == statements._closed()["comp"]
