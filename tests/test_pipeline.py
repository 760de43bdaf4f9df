"""The whole pipeline: streamed vs in-memory, determinism, cache, manifest, offline, Dask."""
from __future__ import annotations

import hashlib
import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import kzcrisis as kz
from kzcrisis.cache import RECORD_FIELDS, AnnotationCache, ResultsCache, results_key
from kzcrisis.paths import DATA_RAW, MODELS_DIR
from kzcrisis.pipeline import TABLE_ORDER, run

SEED = DATA_RAW / "000_e4eda7b29b88d456.txt"
OTHER = ("أعلن الكرملين أن الرئيس الروسي فلاديمير بوتين بحث مع الرئيس الكازاخستاني الوضع في "
         "ألماتي.\n\nوقالت المتحدثة باسم الخارجية الروسية ماريا زاخاروفا إن القوات ستغادر "
         "كازاخستان بعد استقرار الوضع.")


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((folder / "tables").glob("*.csv"))}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copy(SEED, folder / SEED.name)
    (folder / "other.txt").write_text(OTHER, encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def streamed(corpus, cache_dir, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("run1")
    run(corpus, out, cache=str(cache_dir), chunk_size=2)
    return out


def test_every_table_written_with_its_schema(streamed):
    names = {p.stem for p in (streamed / "tables").glob("*.csv")}
    assert names == set(TABLE_ORDER)
    for name in TABLE_ORDER:
        assert (streamed / "parquet" / name).is_dir()
    docs = pd.read_csv(streamed / "tables" / "documents.csv", keep_default_na=False)
    assert docs.doc_id.tolist() == ["000_e4eda7b29b88d456", "empty", "other"]
    assert docs.set_index("doc_id")["quality_flags"]["empty"] == "empty"


def test_streamed_tables_equal_in_memory_results(corpus, cache_dir, streamed):
    results = kz.analyze(corpus, cache=str(cache_dir), chunk_size=10)
    for name, table in results.tables().items():
        on_disk = pd.read_csv(streamed / "tables" / f"{name}.csv", keep_default_na=False,
                              dtype=str)
        # missing values (nullable integers, a comparison row's missing interval) are
        # empty cells in the CSV
        expected = table.astype(str).fillna("").replace({"<NA>": "", "nan": ""})
        assert on_disk.shape == expected.shape, name
        pd.testing.assert_frame_equal(on_disk.reset_index(drop=True),
                                      expected.reset_index(drop=True), check_dtype=False,
                                      obj=name)


def test_two_runs_are_byte_identical(corpus, cache_dir, streamed, tmp_path):
    run(corpus, tmp_path, cache=str(cache_dir), chunk_size=2)
    assert _digests(tmp_path) == _digests(streamed)
    assert (tmp_path / "manifest.json").read_bytes() == (streamed / "manifest.json").read_bytes()


def test_cold_cache_gives_the_same_tables(corpus, streamed, tmp_path):
    run(corpus, tmp_path / "out", cache="off", chunk_size=3)
    assert _digests(tmp_path / "out") == _digests(streamed)


def test_manifest_lists_inputs_documents_versions_models(corpus, streamed):
    manifest = json.loads((streamed / "manifest.json").read_text(encoding="utf-8"))
    paths = {Path(i["path"]).name for i in manifest["inputs"]}
    assert paths == {p.name for p in corpus.iterdir()}
    assert {d["doc_id"] for d in manifest["documents"]} == {"000_e4eda7b29b88d456", "other",
                                                            "empty"}
    assert all(v for k, v in manifest["versions"].items() if k in ("kzcrisis", "stanza",
                                                                    "torch"))
    # every model file but the card (the cache's model identity reads the same list)
    model_files = {p.name for p in MODELS_DIR.iterdir() if p.is_file() and p.suffix != ".md"}
    assert set(manifest["models"]["files"]) == model_files
    counts = manifest["tables"]
    for name in TABLE_ORDER:
        table = pd.read_csv(streamed / "tables" / f"{name}.csv", keep_default_na=False)
        assert counts[name] == len(table), name


def _entries(cache: Path, layer: str) -> list[Path]:
    return sorted((cache / layer).rglob("*.parquet"))


@pytest.mark.parametrize("layer", ["annotations", "results"])
def test_corrupted_cache_entry_is_detected_and_rebuilt(corpus, tmp_path, layer):
    cache = tmp_path / "cache"
    run(corpus, tmp_path / "a", cache=str(cache))
    entries = _entries(cache, layer)
    assert len(entries) == 3
    assert all(hashlib.sha256(e.read_bytes()).hexdigest() == e.stem for e in entries)
    entries[0].write_bytes(entries[0].read_bytes()[:-40] + b"\x00" * 40)  # damaged tail
    entries[1].write_bytes(entries[1].read_bytes()[:100])  # truncated
    store = (AnnotationCache if layer == "annotations" else ResultsCache)(cache)
    found = [store.get_long(e.parent.name) for e in entries]
    assert found[0] is None and found[1] is None and found[2] is not None
    assert store.rebuilt == 2 and not entries[0].exists() and not entries[1].exists()
    if layer == "annotations":  # else intact results would spare the annotation stage
        shutil.rmtree(cache / "results")
    run(corpus, tmp_path / "b", cache=str(cache))
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert len(_entries(cache, layer)) == 3


def test_warm_run_reads_results_without_stanza(corpus, tmp_path, monkeypatch):
    from kzcrisis import nlp

    cache = tmp_path / "cache"
    run(corpus, tmp_path / "cold", cache=str(cache))
    shutil.rmtree(cache / "annotations")  # a warm run must not need them

    def refuse(*args, **kwargs):
        raise AssertionError("a warm run loaded the Stanza pipeline")

    monkeypatch.setattr(nlp, "load_pipeline", refuse)
    run(corpus, tmp_path / "warm", cache=str(cache))
    assert _digests(tmp_path / "warm") == _digests(tmp_path / "cold")
    assert (tmp_path / "warm" / "manifest.json").read_bytes() == (
        tmp_path / "cold" / "manifest.json").read_bytes()


RECORD = {"doc_id": "a", "title": "t", "outlet": "o", "date": "2022-01-07", "url": "u",
          "language": "ar", "encoding": "utf-8", "text_raw": "نص", "source_path": "/x/a.txt",
          "sha256": "0" * 64}


@pytest.mark.parametrize("field", RECORD_FIELDS)
def test_results_key_changes_with_every_input_field(field):
    changed = {**RECORD, field: RECORD[field] + "x"}
    assert results_key(changed, "id") != results_key(RECORD, "id")
    assert results_key({**RECORD, field: None}, "id") != results_key({**RECORD, field: ""}, "id")


def test_results_key_ignores_location_and_follows_analysis_identity():
    moved = {**RECORD, "source_path": "/elsewhere/a.txt"}
    assert results_key(moved, "id") == results_key(RECORD, "id")
    assert results_key(RECORD, "id") != results_key(RECORD, "id2")


def test_tables_do_not_depend_on_chunking_or_cache(tmp_path):
    # input order differs from doc_id order: every table must follow the input
    corpus = tmp_path / "corpus.jsonl"
    docs = [{"doc_id": "zz", "text": SEED.read_text(encoding="utf-8")},
            {"doc_id": "aa", "text": OTHER}, {"doc_id": "mm", "text": OTHER + " " + OTHER}]
    corpus.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in docs),
                      encoding="utf-8")
    cache = str(tmp_path / "cache")
    run(corpus, tmp_path / "off", cache="off", chunk_size=3)
    run(corpus, tmp_path / "cold", cache=cache, chunk_size=1)
    run(corpus, tmp_path / "warm", cache=cache, chunk_size=2)
    assert _digests(tmp_path / "off") == _digests(tmp_path / "cold") == _digests(
        tmp_path / "warm")
    order = {"zz": 0, "aa": 1, "mm": 2}
    for name in ("documents", "mentions", "statements", "stance", "framing"):
        table = pd.read_csv(tmp_path / "warm" / "tables" / f"{name}.csv",
                            keep_default_na=False)
        assert len(table), name
        positions = table["doc_id"].map(order).tolist()
        assert positions == sorted(positions), name


def test_no_network_with_embedded_models(corpus, tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    manifest = run(corpus, tmp_path, cache="off")
    assert manifest["n_documents"]["loaded"] == 3


def test_dask_workers_give_identical_tables(corpus, cache_dir, streamed, tmp_path):
    pytest.importorskip("dask.distributed")
    run(corpus, tmp_path, cache=str(cache_dir), chunk_size=1, workers=2)
    assert _digests(tmp_path) == _digests(streamed)


@pytest.mark.parametrize("documents", [[], [{"doc_id": "a", "reason": "ع"}],
                                       [{"doc_id": "a", "x": [1, 2]}, {"doc_id": "b"}]])
def test_streamed_manifest_equals_json_dumps(tmp_path, documents):
    from kzcrisis.io import dumps
    from kzcrisis.manifest import write_manifest

    manifest = {"input": "x", "tables": {"a": 1}, "documents": documents}
    write_manifest({**manifest, "documents": iter(documents)}, tmp_path / "m.json")
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == dumps(manifest)
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8")) == manifest


@pytest.mark.parametrize(("given", "expected"), [
    ({}, 128),                                   # serial: few, large chunks
    ({"workers": 2}, 16),                        # Dask: small chunks spread the load
    ({"scheduler": "tcp://h:8786"}, 16),
    ({"chunk_size": 5, "workers": 2}, 5),        # an explicit size always wins
])
def test_default_chunk_size(given, expected):
    from kzcrisis.pipeline import Settings

    assert Settings(**given).chunk_size == expected


def test_analysis_identity_follows_code_resources_and_versions(tmp_path, monkeypatch):
    from kzcrisis import cache, manifest, paths

    copy = tmp_path / "kzcrisis"
    shutil.copytree(paths.PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("models"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", copy)
    base = cache.analysis_identity()
    assert cache.analysis_identity() == base  # deterministic
    lexicon = copy / "resources" / "stance_lexicon.csv"
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    edited = cache.analysis_identity()
    assert edited != base
    (copy / "stance.py").write_text("# edited\n", encoding="utf-8")
    recoded = cache.analysis_identity()
    versions = {**manifest.environment(), "pandas": "0.0"}
    monkeypatch.setattr(cache, "environment", lambda: versions)
    assert len({base, edited, recoded, cache.analysis_identity()}) == 4


def test_two_processes_share_one_cache(corpus, streamed, tmp_path):
    # both start on an empty cache, so they compute and write the same entries at once
    cache = tmp_path / "cache"
    procs = [subprocess.Popen([sys.executable, "-m", "kzcrisis", "analyze", str(corpus),
                               "--out", str(tmp_path / f"out{i}"), "--cache", str(cache)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
             for i in range(2)]
    errors = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert _digests(tmp_path / "out0") == _digests(tmp_path / "out1") == _digests(streamed)
    for layer in ("annotations", "results"):
        entries = _entries(cache, layer)
        assert len(entries) == 3, layer  # one entry per document, whoever wrote it last
        assert not list((cache / layer).rglob(".tmp-*"))
