"""The composition grammar as data (resources/composition.csv): a researcher adds a slot or a
connector with a row, and a bad row is a one-line error naming the file and the fix."""
from __future__ import annotations

import pytest

from kzcrisis.actors import COMPOSITION_FILE, load_actors, load_composition
from kzcrisis.clean import normalize_for_matching
from kzcrisis.errors import KzError
from kzcrisis.paths import resource

DATE = "2022-01-07"
HEADER = "kind,target,alias,label_en,parent,default\n"


def _grammar_with(tmp_path, *rows: str):
    path = tmp_path / "composition.csv"
    path.write_text(resource(COMPOSITION_FILE).read_text(encoding="utf-8")
                    + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def extended(tmp_path_factory):
    """The package's base plus a customs slot (its body nouns in a user aliases file, written
    with an alternation group) and the connector داخل."""
    tmp = tmp_path_factory.mktemp("composition")
    grammar = _grammar_with(tmp, "slot,customs,government,customs service",
                            "connector,داخل,,head + داخل + owner: الشرطة داخل روسيا")
    user = tmp / "user"
    user.mkdir()
    (user / "actor_aliases.csv").write_text(
        HEADER + "body,customs,(الجمارك|مصلحة الجمارك),customs service,,\n", encoding="utf-8")
    return load_actors(user=user, composition_path=grammar)


@pytest.fixture(scope="module")
def package():
    return load_actors()


@pytest.mark.parametrize("text, surface, actor_id", [
    ("انتشرت الشرطة داخل روسيا", "الشرطة داخل روسيا", "RUS_POLICE"),
    ("وقالت الشرطة داخل كازاخستان إنها اعتقلت العشرات", "الشرطة داخل كازاخستان", "KAZ_POLICE"),
    ("صادرت الجمارك الروسية شحنة أسلحة", "الجمارك الروسية", "RUS_CUSTOMS"),
    ("أعلنت مصلحة الجمارك الكازاخية إغلاق المعابر", "مصلحة الجمارك الكازاخية", "KAZ_CUSTOMS"),
])
def test_a_new_row_composes(extended, package, text, surface, actor_id):
    found = [(m.surface, m.actor_id) for m in extended.match(text, DATE)]
    assert (surface, actor_id) in found
    assert (surface, actor_id) not in [(m.surface, m.actor_id)
                                       for m in package.match(text, DATE)]


def test_new_slot_type_comes_from_its_row(extended):
    extended.match("صادرت الجمارك الروسية شحنة أسلحة", DATE)
    row = extended.info("RUS_CUSTOMS")
    assert (row["type"], row["group"], row["parent_id"]) == ("government", "RUS", "RUS")


def test_package_grammar_rows():
    g = load_composition()
    assert g.connectors[:2] == (("في ", ""), ("التابعه ", "ل"))
    assert g.slot_types["local_authorities"] == "local_authority"
    assert {normalize_for_matching(w) for w in ("نائب", "مستشار", "قصر")} <= g.not_holder_before
    assert g.former_re.match(" السابقه") and not g.former_re.match(" السابقين")


@pytest.mark.parametrize("row, fix", [
    ("slots,customs,government,typo in the rule", "use one of connector, former"),
    ("slot,Customs,government,capital letters", "lower-case key"),
    ("slot,customs,customs_office,not an actor type", "must be an actor type"),
    ("slot,mod,ministry,a second row for a slot", "keep one row per slot"),
    ("connector,داخل,من,not a proclitic", "proclitic the owner carries"),
    ("connector,(داخل|(في),,nested group", "unbalanced or nested"),
    ("former,,,no word", "needs an Arabic word"),
])
def test_bad_row_is_one_line_naming_file_and_fix(tmp_path, row, fix):
    path = _grammar_with(tmp_path, row)
    line = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(KzError) as err:
        load_actors(composition_path=path)
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{path}: line {line}: ")
    assert fix in message


def test_bad_header_names_the_columns(tmp_path):
    path = tmp_path / "composition.csv"
    path.write_text("rule,form\nslot,mod\n", encoding="utf-8")
    with pytest.raises(KzError, match="header must be rule,form,value,note"):
        load_composition(path)
