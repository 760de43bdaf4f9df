"""The actor dictionary files: coverage, integrity of facts, and loader errors."""
from __future__ import annotations

import csv
import itertools
import shutil
from pathlib import Path

import pytest

from kzcrisis.actors import ACTOR_COLUMNS, ALIAS_COLUMNS, ROLE_COLUMNS, load_actors
from kzcrisis.errors import KzError, ResourceError
from kzcrisis.paths import resource


@pytest.fixture(scope="module")
def d():
    return load_actors()


CSTO_MEMBERS = ["RUS", "BLR", "ARM", "KAZ", "KGZ", "TJK"]
# nisba used to ask "the X-ian president / prime minister / foreign minister"
NISBA = {"RUS": "الروسي", "BLR": "البيلاروسي", "ARM": "الأرميني", "KAZ": "الكازاخي",
         "KGZ": "القرغيزي", "TJK": "الطاجيكي"}


@pytest.mark.parametrize("actor_id", [
    "KAZ", "RUS", "BLR", "ARM", "KGZ", "TJK", "CHN", "USA", "TUR", "IRN",
    "CSTO", "UN", "EU", "NATO", "OSCE", "SCO",
    "STANISLAV_ZAS", "ANTONIO_GUTERRES", "STEPHANE_DUJARRIC", "UN_OHCHR", "MICHELLE_BACHELET",
    "XI_JINPING", "WANG_YI", "WANG_WENBIN", "ZHAO_LIJIAN", "HUA_CHUNYING", "CHN_MFA",
    "JOE_BIDEN", "ANTONY_BLINKEN", "JEN_PSAKI", "NED_PRICE", "USA_PRESIDENCY",
    "VLADIMIR_PUTIN", "SERGEY_LAVROV", "RUS_MFA", "MARIA_ZAKHAROVA", "SERGEI_SHOIGU",
    "RUS_MOD", "IGOR_KONASHENKOV", "DMITRY_PESKOV",
    "JOSEP_BORRELL", "EU_EUROPEAN_COUNCIL", "CHARLES_MICHEL", "EU_COMMISSION",
    "URSULA_VON_DER_LEYEN", "EU_PARLIAMENT", "JENS_STOLTENBERG",
    "KASSYM_JOMART_TOKAYEV", "NURSULTAN_NAZARBAYEV", "KARIM_MASSIMOV", "ASKAR_MAMIN",
    "ALIKHAN_SMAILOV", "MUKHTAR_TLEUBERDI", "KAZ_KNB", "KAZ_INTERIOR", "ALMATY_AKIMAT",
    "KAZ_ARMED_FORCES", "KAZ_SECURITY_FORCES", "KAZ_POLICE",
    "PROTESTERS", "RIOTERS", "TERRORISTS", "ARMED_MILITANTS",
    "SPUTNIK", "TASS", "RIA_NOVOSTI", "INTERFAX", "XINHUA", "KAZINFORM",
    "KAZ_PARLIAMENT", "RUS_PARLIAMENT", "BLR_PARLIAMENT", "ARM_PARLIAMENT", "KGZ_PARLIAMENT",
    "TJK_PARLIAMENT",
])
def test_expected_actor_is_in_the_dictionary(d, actor_id):
    row = d.info(actor_id)
    assert row["name_en"] and row["name_ar"]


@pytest.mark.parametrize("actor_id,group", [
    ("STANISLAV_ZAS", "CSTO"), ("JEN_PSAKI", "USA"), ("MARIA_ZAKHAROVA", "RUS"),
    ("ANTONIO_GUTERRES", "UN"), ("MICHELLE_BACHELET", "UN"), ("JOSEP_BORRELL", "EU"),
    ("CSTO_PEACEKEEPERS", "CSTO"), ("KARIM_MASSIMOV", "KAZ"), ("SPUTNIK", "MEDIA"),
    ("TERRORISTS", "PROTESTERS"), ("JENS_STOLTENBERG", "NATO"),
])
def test_individuals_roll_up_to_the_body_they_speak_for(d, actor_id, group):
    assert d.info(actor_id)["group"] == group


@pytest.mark.parametrize("actor_id,qid", [
    ("KAZ", "Q232"), ("RUS", "Q159"), ("CHN", "Q148"), ("USA", "Q30"), ("BLR", "Q184"),
    ("ARM", "Q399"), ("KGZ", "Q813"), ("TJK", "Q863"), ("UN", "Q1065"), ("EU", "Q458"),
    ("NATO", "Q7184"), ("OSCE", "Q81299"), ("CSTO", "Q318693"), ("SCO", "Q485207"),
    ("VLADIMIR_PUTIN", "Q7747"), ("JOE_BIDEN", "Q6279"), ("XI_JINPING", "Q15031"),
])
def test_wikidata_ids(d, actor_id, qid):
    assert d.info(actor_id)["wikidata"] == qid


def test_wikidata_ids_are_unique(d):
    qids = [q for q in d.actors["wikidata"] if q]
    assert len(qids) == len(set(qids))


@pytest.mark.parametrize("state,office", list(itertools.product(
    CSTO_MEMBERS, ["president", "prime_minister", "foreign_minister"])))
def test_csto_member_officeholders_in_january_2022(d, state, office):
    phrase = {"president": "الرئيس", "prime_minister": "رئيس الوزراء",
              "foreign_minister": "وزير الخارجية"}[office]
    # 2022-01-12: after the Kazakh government change of 5-11 January 2022
    [m] = d.match(f"قال {phrase} {NISBA[state]} إن", "2022-01-12")
    row = d.info(m.actor_id)
    assert row["type"] == "person" and row["group"] == state
    assert m.method == "role"


def test_every_parent_exists_and_no_cycles(d):
    ids = set(d.actors["actor_id"])
    for row in d.actors.to_dict("records"):
        seen, cur = set(), row["actor_id"]
        while cur:
            assert cur in ids and cur not in seen, row["actor_id"]
            seen.add(cur)
            cur = d.info(cur)["parent_id"]


def test_single_holder_offices_do_not_overlap(d):
    # offices held by one person at a time; terms may share their hand-over day
    single = {"president", "prime_minister", "foreign_minister", "defence_minister",
              "secretary_general", "press_secretary", "high_commissioner_hr",
              "security_service_chief", "security_council_chair"}
    roles = d.roles[d.roles["office"].isin(single)]
    for (_, _), grp in roles.groupby(["office", "owner"]):
        terms = sorted((r["start"] or "0000", r["end"] or "9999", r["holder_id"])
                       for r in grp.to_dict("records"))
        for (_, e1, h1), (s2, _, h2) in itertools.pairwise(terms):
            assert h1 == h2 or s2 >= e1, (h1, h2)


def test_every_person_with_an_office_is_a_person(d):
    for holder in d.roles["holder_id"]:
        assert d.info(holder)["type"] == "person"


def test_persons_group_matches_their_parent(d):
    for row in d.actors.to_dict("records"):
        if row["type"] == "person" and row["parent_id"]:
            assert d.info(row["parent_id"])["group"] == row["group"], row["actor_id"]


# --- loader errors ---------------------------------------------------------------------------

def _copy(tmp_path: Path) -> dict[str, Path]:
    out = {}
    for name in ("actors.csv", "actor_aliases.csv", "actor_roles.csv"):
        out[name] = tmp_path / name
        shutil.copy(resource(name), out[name])
    return out


def _append(path: Path, row: list[str]) -> int:
    with open(path, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(row)
    return sum(1 for _ in open(path, encoding="utf-8"))


def _load(p: dict[str, Path]):
    return load_actors(p["actors.csv"], p["actor_aliases.csv"], p["actor_roles.csv"])


def test_copies_load(tmp_path):
    assert len(_load(_copy(tmp_path)).actors) > 50


BAD_ACTORS = [
    (["kaz lower", "x", "س", "state", "", "KAZ", "", "", "", "", ""], "bad actor_id"),
    (["RUS_MOD", "x", "س", "ministry", "", "RUS", "", "", "", "", ""], "duplicate actor_id"),
    (["NEW_ONE", "x", "س", "state", "NOBODY", "KAZ", "", "", "", "", ""], "unknown parent_id"),
    (["NEW_ONE", "x", "س", "state", "", "KAZ", "232", "", "", "", ""], "bad Wikidata QID"),
    (["NEW_ONE", "x", "س", "state", "", "kaz", "", "", "", "", ""], "bad group"),
    (["NEW_ONE", "", "س", "state", "", "KAZ", "", "", "", "", ""], "required"),
    (["NEW_ONE", "x", "س", "kingdom", "", "KAZ", "", "", "", "", ""], "unknown type"),
    (["NEW_ONE", "x", "س", "person", "", "KAZ", "", "", "", "x", ""], "gender"),
    (["NEW_ONE", "x", "س"], "expected 11 fields"),
]


@pytest.mark.parametrize("row,message", BAD_ACTORS)
def test_malformed_actor_row_names_file_and_line(tmp_path, row, message):
    p = _copy(tmp_path)
    line = _append(p["actors.csv"], row)
    with pytest.raises(ResourceError, match=rf"actors\.csv: line {line}: .*{message}"):
        _load(p)


BAD_ALIASES = [
    (["name", "NOBODY", "فلان", "", "", ""], "unknown actor"),
    (["name", "RUS", "توكايف", "", "", ""], "already names"),
    (["spelling", "KAZ", "كزخستان", "", "", ""], "unknown kind"),
    (["nisba", "KASSYM_JOMART_TOKAYEV", "التوكايفي", "", "", ""], "not a state or IGO"),
    (["body", "Bad Slot", "الهيئة", "", "", ""], "bad slot"),
    (["body", "police", "الدرك", "", "", "NOWHERE"], "default"),
    (["name", "KAZ", "ً", "", "", ""], "empty alias"),
]


@pytest.mark.parametrize("row,message", BAD_ALIASES)
def test_malformed_alias_row_names_file_and_line(tmp_path, row, message):
    p = _copy(tmp_path)
    line = _append(p["actor_aliases.csv"], row)
    with pytest.raises(ResourceError, match=rf"actor_aliases\.csv: line {line}: .*{message}"):
        _load(p)


BAD_ROLES = [
    (["president", "KAZ", "KAZ_POLICE", "2022-01-01", "", ""], "not a person"),
    (["emperor", "KAZ", "KASSYM_JOMART_TOKAYEV", "", "", ""], "has no alias"),
    (["president", "ATLANTIS", "KASSYM_JOMART_TOKAYEV", "", "", ""], "unknown owner"),
    (["president", "KAZ", "KASSYM_JOMART_TOKAYEV", "07/01/2022", "", ""], "not YYYY-MM-DD"),
    (["president", "KAZ", "KASSYM_JOMART_TOKAYEV", "2022-02-30", "", ""], "calendar date"),
    (["president", "KAZ", "KASSYM_JOMART_TOKAYEV", "2022-02-01", "2021-01-01", ""],
     "before start"),
]


@pytest.mark.parametrize("row,message", BAD_ROLES)
def test_malformed_role_row_names_file_and_line(tmp_path, row, message):
    p = _copy(tmp_path)
    line = _append(p["actor_roles.csv"], row)
    with pytest.raises(ResourceError, match=rf"actor_roles\.csv: line {line}: .*{message}"):
        _load(p)


@pytest.mark.parametrize("name,columns", [("actors.csv", ACTOR_COLUMNS),
                                          ("actor_aliases.csv", ALIAS_COLUMNS),
                                          ("actor_roles.csv", ROLE_COLUMNS)])
def test_wrong_header_is_reported(tmp_path, name, columns):
    p = _copy(tmp_path)
    lines = p[name].read_text(encoding="utf-8").splitlines()
    p[name].write_text("\n".join([",".join(reversed(columns))] + lines[1:]) + "\n",
                       encoding="utf-8")
    with pytest.raises(ResourceError, match=rf"{name}: line 1: header"):
        _load(p)


def test_missing_and_non_utf8_files(tmp_path):
    p = _copy(tmp_path)
    with pytest.raises(ResourceError, match="no such resource file"):
        load_actors(tmp_path / "nope.csv", p["actor_aliases.csv"], p["actor_roles.csv"])
    p["actors.csv"].write_bytes("actor_id".encode("utf-16"))
    with pytest.raises(ResourceError, match="actors.csv"):
        _load(p)


def test_default_country_must_be_a_state():
    with pytest.raises(KzError, match="default_country"):
        load_actors(default_country="CSTO")
