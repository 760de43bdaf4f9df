"""Hardening: every strange input gives a clear one-line error or a correct result.

Each row builds an input in a fresh folder and runs ``kzcrisis analyze`` in-process (the
Stanza pipeline is loaded once per process); ``ok`` rows check the result, error rows check
that stderr is one line naming the problem and that no traceback escapes.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import warnings
from pathlib import Path

import pandas as pd
import pytest

from kzcrisis.cli import main
from kzcrisis.paths import DATA_RAW

SEED = DATA_RAW / "000_e4eda7b29b88d456.txt"
SEED_TEXT = SEED.read_text(encoding="utf-8")
ENGLISH = ("Kazakhstan's President Kassym-Jomart Tokayev said constitutional order had been "
           "largely restored. The CSTO sent peacekeepers to Almaty.")
RUSSIAN = ("Президент Казахстана Касым-Жомарт Токаев заявил, что конституционный порядок в "
           "основном восстановлен. ОДКБ направила миротворцев в Алматы.")
MIXED = ("قال الرئيس الكازاخستاني قاسم جومارت توكايف إن النظام استعيد. The CSTO (Collective "
         "Security Treaty Organization) deployed troops, according to Reuters.")


def _file(name: str, data: bytes | str):
    def make(d: Path) -> Path:
        path = d / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return path
    return make


def _folder(files: dict[str, bytes | str]):
    def make(d: Path) -> Path:
        folder = d / "corpus"
        folder.mkdir()
        for name, data in files.items():
            _file(name, data)(folder)
        return folder
    return make


def _visual(text: str) -> str:
    return "\n".join(line[::-1] for line in text.splitlines())


def _unwritable_out(d: Path) -> Path:
    return Path("/proc/kzcrisis-out") if os.geteuid() == 0 else d / "ro" / "out"


CASES = [
    # id, make input, expected: ("ok", doc flags) or ("error", message fragment)
    ("empty file", _file("a.txt", b""), ("ok", {"a": "empty"})),
    ("whitespace only", _file("a.txt", " \n\t\n  "), ("ok", {"a": "empty"})),
    ("english article", _file("en.txt", ENGLISH), ("ok", {"en": "non_arabic"})),
    ("russian article", _file("ru.txt", RUSSIAN), ("ok", {"ru": "non_arabic"})),
    ("mixed arabic english", _file("mx.txt", MIXED), ("ok", {"mx": "mixed_script"})),
    ("binary with NUL", _file("b.txt", b"\x7fELF\x00\x00\x01" * 50), ("error", "binary file")),
    ("invalid utf-8", _file("u.txt", SEED_TEXT.encode()[:101] + b"\xff\xfe\xfd" + b"abc"),
     ("error", "invalid UTF-8")),
    ("windows-1256", _file("w.txt", SEED_TEXT.encode("cp1256")), ("ok", {"w": ""})),
    ("utf-16 with BOM", _file("u16.txt", SEED_TEXT.encode("utf-16")), ("ok", {"u16": ""})),
    ("visual order arabic", _file("v.txt", _visual(SEED_TEXT)), ("ok", {"v": "visual_order"})),
    ("html page", _file("p.html", "<html><body><script>x()</script><p>" + SEED_TEXT
                        + "</p></body></html>"), ("ok", {"p": ""})),
    ("5 MB single line", _folder({"big.txt": ("قال الرئيس إن الوضع مستقر " * 200_000)[:5_000_000],
                                  "small.txt": SEED_TEXT}), ("ok", {"small": ""})),
    ("duplicate doc ids", _file("d.jsonl", '{"doc_id": "x", "text": "نص"}\n'
                                '{"doc_id": "x", "text": "نص آخر"}\n'),
     ("error", "duplicate doc_id 'x'")),
    ("metadata missing doc_id", _folder({"a.txt": SEED_TEXT, "metadata.csv": "title\nt\n"}),
     ("error", "missing column 'doc_id'")),
    ("metadata bad date", _folder({"a.txt": SEED_TEXT,
                                   "metadata.csv": "doc_id,date\na,7 Jan 2022\n"}),
     ("error", "metadata.csv:2: bad date")),
    ("path does not exist", lambda d: d / "nowhere", ("error", "no such file")),
    ("doc id escaping --out", _file("e.jsonl", '{"doc_id": "../x", "text": "نص"}\n'),
     ("error", "invalid doc_id")),
]


@pytest.mark.parametrize("make_input, expected", [c[1:] for c in CASES],
                         ids=[c[0] for c in CASES])
def test_bad_input(tmp_path, capsys, make_input, expected):
    path = make_input(tmp_path)
    out = tmp_path / "out"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(["analyze", str(path), "--out", str(out), "--cache", "off"])
    err = capsys.readouterr().err
    kind, detail = expected
    if kind == "error":
        assert code != 0
        lines = err.strip().splitlines()
        assert len(lines) == 1 and detail in lines[0], err
        assert "Traceback" not in err
        return
    assert code == 0, err
    docs = pd.read_csv(out / "tables" / "documents.csv", keep_default_na=False)
    flags = dict(zip(docs.doc_id, docs.quality_flags, strict=True))
    for doc_id, flag in detail.items():
        assert flags[doc_id] == flag
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {Path(i["path"]).name for i in manifest["inputs"]}
    assert listed == ({p.name for p in path.iterdir()} if path.is_dir() else {path.name})
    mentions = pd.read_csv(out / "tables" / "mentions.csv", keep_default_na=False)
    texts = {d: (path / f"{d}.txt" if path.is_dir() else path).read_bytes() for d in detail}
    for doc_id, flag in detail.items():
        found = mentions[mentions.doc_id == doc_id]
        if flag == "empty":
            assert found.empty
        if flag == "non_arabic":
            # no actors invented: only dictionary names that stand verbatim in the text
            # (the dictionary holds a few Latin-script names such as "CSTO")
            assert set(found.method) <= {"dictionary"}
            assert all(s.encode() in texts[doc_id] for s in found.surface)


def test_five_mb_document_is_reported_not_dropped(tmp_path, capsys):
    folder = _folder({"big.txt": "قال " * 1_300_000, "small.txt": SEED_TEXT})(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert main(["analyze", str(folder), "--out", str(tmp_path / "o"), "--cache",
                     "off"]) == 0
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text(encoding="utf-8"))
    status = {d["doc_id"]: (d["status"], d["reason"]) for d in manifest["documents"]}
    assert status["small"] == ("loaded", "")
    assert status["big"][0] == "skipped" and "--max-chars" in status["big"][1]


def test_windows_1256_copy_gives_identical_tables(tmp_path, capsys):
    for name, enc in (("utf8", "utf-8"), ("cp", "cp1256")):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "a.txt").write_bytes(SEED_TEXT.encode(enc))
        assert main(["analyze", str(folder), "--out", str(tmp_path / f"o-{name}"),
                     "--cache", "off"]) == 0
    for table in ("mentions", "statements", "stance", "entities"):
        a = (tmp_path / "o-utf8" / "tables" / f"{table}.csv").read_bytes()
        b = (tmp_path / "o-cp" / "tables" / f"{table}.csv").read_bytes()
        assert a == b, table


def test_unwritable_output(tmp_path, capsys):
    target = _unwritable_out(tmp_path)
    if target.parent.name == "ro":
        target.parent.mkdir(mode=0o500)
    assert main(["analyze", str(SEED), "--out", str(target)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "output folder" in err[0]


def test_raw_data_is_left_untouched(tmp_path, capsys):
    before = {p.name: p.read_bytes() for p in DATA_RAW.iterdir()}
    shutil.copytree(DATA_RAW, tmp_path / "raw")
    assert main(["analyze", str(DATA_RAW), "--out", str(tmp_path / "o"), "--cache",
                 "off"]) == 0
    assert {p.name: p.read_bytes() for p in DATA_RAW.iterdir()} == before


RESOURCE_LOADERS = [
    # loader, packaged file, keyword that takes the path
    ("actors", "actors.csv", lambda p: __import__("kzcrisis").load_actors(path=p)),
    ("aliases", "actor_aliases.csv",
     lambda p: __import__("kzcrisis").load_actors(aliases_path=p)),
    ("cues", "cues.csv", lambda p: __import__("kzcrisis").load_cues(path=p)),
    ("markers", "attribution_markers.csv",
     lambda p: __import__("kzcrisis.statements").statements.load_markers(path=p)),
    ("stance lexicon", "stance_lexicon.csv",
     lambda p: __import__("kzcrisis").load_stance_lexicon(path=p)),
    ("framing terms", "framing_terms.csv",
     lambda p: __import__("kzcrisis").load_framing_terms(path=p)),
]


@pytest.mark.parametrize("loader", [r[2] for r in RESOURCE_LOADERS],
                         ids=[r[0] for r in RESOURCE_LOADERS])
@pytest.mark.parametrize("bad_row", ["only-one-field",
                                     "a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q"])
def test_malformed_resource_row_names_file_and_line(tmp_path, loader, bad_row):
    from kzcrisis.errors import ResourceError
    from kzcrisis.paths import resource

    name = [r[1] for r in RESOURCE_LOADERS if r[2] is loader][0]
    good = resource(name).read_text(encoding="utf-8").rstrip("\n").split("\n")
    bad = tmp_path / name
    bad.write_text("\n".join(good[:3] + [bad_row] + good[3:]) + "\n", encoding="utf-8")
    with pytest.raises(ResourceError) as err:
        loader(bad)
    message = str(err.value)
    assert str(bad) in message and "\n" not in message
    assert re.search(r"(:| line )4\b", message), message


def test_malformed_boilerplate_entry_names_file_and_line(tmp_path):
    from kzcrisis.clean import load_boilerplate
    from kzcrisis.errors import ResourceError

    bad = tmp_path / "boilerplate.yaml"
    bad.write_text("patterns:\n  - name: x\n    pattern: '('\n    note: broken regex\n",
                   encoding="utf-8")
    with pytest.raises(ResourceError, match=str(bad)):
        load_boilerplate(bad)
