"""The table registry (schemas.TABLES) is the one place tables are declared, and
schemas.typed the one place their column types are enforced."""
from __future__ import annotations

import pandas as pd
import pytest

from kzcrisis import cache, schemas
from kzcrisis.schemas import TABLES, typed


def test_every_reader_of_tables_reads_the_registry():
    per_doc = [n for n, t in TABLES.items() if t.scope == "document"]
    assert list(schemas.PER_DOC) == per_doc
    assert list(schemas.CORPUS) == [n for n, t in TABLES.items() if t.scope == "corpus"]
    assert schemas.TABLE_ORDER == list(TABLES)
    assert {t.scope for t in TABLES.values()} == {"document", "corpus"}
    # the results cache stores every per-document table, the annotation layer the NLP ones
    assert list(cache.RESULT_TABLES) == per_doc
    assert list(cache._TABLES) == [n for n, t in TABLES.items() if t.annotation]
    assert set(cache._LONG[1:]) == {c for n in cache._TABLES for c in TABLES[n].columns
                                    if c != "doc_id"}
    # the data dictionary describes every registered table, in write order
    pkg = schemas.data_package()
    assert [r["name"] for r in pkg["resources"]] == list(TABLES)
    assert [f["name"] for f in pkg["resources"][0]["schema"]["fields"]] == \
        TABLES["documents"].columns


@pytest.mark.parametrize(("table", "frame", "dtypes", "row"), [
    # an integer column given as floats or strings becomes nullable Int64, NaN stays NA
    ("cooccurrence", {"actor_a": ["KAZ"], "actor_b": ["RUS"], "weight": [3.0]},
     ["object", "object", "Int64"], ["KAZ", "RUS", 3]),
    ("sentences", {"doc_id": ["خبر"], "sent_id": ["0"], "start_char": [0], "end_char": [None],
                   "text": ["أعلن توكاييف حالة الطوارئ."]},
     ["object", "Int64", "Int64", "Int64", "object"], ["خبر", 0, 0, pd.NA,
                                                       "أعلن توكاييف حالة الطوارئ."]),
    # a missing text is "", a float column keeps its floats; extra columns are dropped
    ("stance", {"statement_id": ["a:s001"], "doc_id": ["a"], "group": [None],
                "target": ["intervention"], "label": ["oppose"], "score": [-0.5],
                "evidence": ["رفض"], "extra": [1]},
     ["object"] * 5 + ["float64", "object"], ["a:s001", "a", "", "intervention", "oppose",
                                              -0.5, "رفض"]),
])
def test_typed_conforms_columns_and_dtypes(table, frame, dtypes, row):
    out = typed(pd.DataFrame(frame), table)
    assert list(out.columns) == TABLES[table].columns
    assert out.dtypes.astype(str).tolist() == dtypes
    assert [v is pd.NA if r is pd.NA else v == r for v, r in zip(out.iloc[0], row, strict=True)] \
        == [True] * len(row)


def test_typed_fails_loudly_on_a_missing_column():
    with pytest.raises(ValueError, match="lacks declared columns"):
        typed(pd.DataFrame({"actor_a": ["KAZ"]}), "cooccurrence")


@pytest.mark.parametrize("name", list(TABLES))
def test_an_empty_table_has_its_declared_columns_and_types(name):
    out = typed(schemas.empty(TABLES[name].columns), name)
    assert list(out.columns) == TABLES[name].columns and len(out) == 0
    ints = [c for c, kind in TABLES[name].dtypes.items() if kind == "integer"]
    assert all(str(out[c].dtype) == "Int64" for c in ints)
