"""The whole pipeline: streamed vs in-memory, determinism, cache, manifest, offline, Dask."""
from __future__ import annotations

import hashlib
import json
import shutil
import socket
from pathlib import Path

import pandas as pd
import pytest

import kzcrisis as kz
from kzcrisis.cache import AnnotationCache
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
        expected = table.astype(str).replace({"<NA>": ""})
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
    model_files = {p.name for p in MODELS_DIR.iterdir() if p.is_file()}
    assert set(manifest["models"]["files"]) == model_files
    counts = manifest["tables"]
    for name in TABLE_ORDER:
        table = pd.read_csv(streamed / "tables" / f"{name}.csv", keep_default_na=False)
        assert counts[name] == len(table), name


def test_corrupted_cache_entry_is_detected_and_rebuilt(corpus, tmp_path):
    cache = tmp_path / "cache"
    run(corpus, tmp_path / "a", cache=str(cache))
    entries = sorted(cache.rglob("*.parquet"))
    assert len(entries) == 3
    entries[0].write_bytes(entries[0].read_bytes()[:-40] + b"\x00" * 40)
    entries[1].write_bytes(b"garbage")
    probe = AnnotationCache(cache)
    rebuilt = [probe.get(e.stem, "x") for e in entries]
    assert rebuilt[0] is None and rebuilt[1] is None and rebuilt[2] is not None
    run(corpus, tmp_path / "b", cache=str(cache))
    assert _digests(tmp_path / "a") == _digests(tmp_path / "b")
    assert len(sorted(cache.rglob("*.parquet"))) == 3


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
    from kzcrisis.manifest import write_manifest
    from kzcrisis.pipeline import dumps

    manifest = {"input": "x", "tables": {"a": 1}, "documents": documents}
    write_manifest({**manifest, "documents": iter(documents)}, tmp_path / "m.json")
    assert (tmp_path / "m.json").read_text(encoding="utf-8") == dumps(manifest)
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8")) == manifest
