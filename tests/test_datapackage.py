"""The data dictionary: every declared column described, datapackage.json valid."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from kzcrisis import schemas
from kzcrisis.paths import DATA_RAW
from kzcrisis.pipeline import run
from kzcrisis.schemas import CORPUS, PER_DOC, TABLE_ORDER


@pytest.mark.parametrize("name, columns", sorted(schemas.declared_tables().items()))
def test_every_declared_column_has_a_description(name, columns):
    # a new table (or column) in schemas.py needs its COLUMN_DESCRIPTIONS entries
    undocumented = [c for c in columns if not schemas.describe(c)]
    assert undocumented == [], f"schemas.{name}: describe {undocumented} in COLUMN_DESCRIPTIONS"


def test_every_written_table_is_described():
    assert set(TABLE_ORDER) == set(PER_DOC) | set(CORPUS)
    assert [t for t in TABLE_ORDER if not schemas.TABLE_DESCRIPTIONS.get(t)] == []
    assert set(schemas.TABLE_COLUMN_DESCRIPTIONS) <= {
        (t, c) for t in TABLE_ORDER for c in {**PER_DOC, **CORPUS}[t]}


def test_types_follow_the_declared_column_types():
    pkg = schemas.data_package({"mentions": schemas.MENTIONS, "stance": schemas.STANCE})
    types = {f["name"]: f["type"] for r in pkg["resources"] for f in r["schema"]["fields"]}
    assert types["start_char"] == "integer" and types["score"] == "number"
    assert types["surface"] == "string"
    units = {f["name"]: f.get("unit") for r in pkg["resources"] for f in r["schema"]["fields"]}
    assert units["start_char"].startswith("characters") and units["surface"] is None


@pytest.fixture(scope="module")
def seed_out(tmp_path_factory):
    out = tmp_path_factory.mktemp("dp")
    run(DATA_RAW, out, cache=str(tmp_path_factory.mktemp("cache")))
    return out


def test_run_writes_a_datapackage_naming_every_table_and_column(seed_out):
    pkg = json.loads((seed_out / "datapackage.json").read_text(encoding="utf-8"))
    by_name = {r["name"]: r for r in pkg["resources"]}
    assert list(by_name) == TABLE_ORDER
    for name, res in by_name.items():
        header = (seed_out / res["path"]).read_text(encoding="utf-8").split("\n", 1)[0]
        assert [f["name"] for f in res["schema"]["fields"]] == header.split(","), name
        assert all(f["description"] for f in res["schema"]["fields"])


def _frictionless() -> list[str]:
    exe = shutil.which("frictionless", path=os.path.dirname(sys.executable))
    if exe is None:
        pytest.skip("frictionless is not installed (pip install -e '.[dev]')")
    return [exe]


def test_datapackage_validates_with_frictionless(seed_out):
    proc = subprocess.run([*_frictionless(), "validate", "--json",
                           str(seed_out / "datapackage.json")], capture_output=True, text=True,
                          timeout=300, cwd=seed_out)
    report = json.loads(proc.stdout)
    errors = [e.get("message") for t in report.get("tasks", []) for e in t.get("errors", [])]
    assert report["valid"], errors[:5]
    assert len(report["tasks"]) == len(TABLE_ORDER)


def test_frictionless_catches_a_wrong_type(seed_out, tmp_path):
    # the check can fail: a text in an integer column is reported
    shutil.copytree(seed_out, tmp_path / "o")
    path = tmp_path / "o" / "tables" / "sentences.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    cells = lines[1].split(",")
    cells[1] = "first"
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    proc = subprocess.run([*_frictionless(), "validate", "--json",
                           str(tmp_path / "o" / "datapackage.json")], capture_output=True,
                          text=True, timeout=300, cwd=tmp_path / "o")
    report = json.loads(proc.stdout)
    assert not report["valid"]
    assert any(e["type"] == "type-error" for t in report["tasks"] for e in t["errors"])
