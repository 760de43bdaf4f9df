"""The corpus-level tables, reduced from per-chunk summaries: actors, co-occurrence and the
stance comparison. Each reduction is associative (a run may fold chunks in as they arrive),
so the result does not depend on how the corpus was cut into chunks.
"""
from __future__ import annotations

import pandas as pd

from . import schemas
from .schemas import typed


def aggregate_actors(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Sum per-chunk actor tables: n_mentions added, first_sent the earliest in input order."""
    if not parts:
        return typed(schemas.empty(schemas.ACTORS), schemas.ACTORS)
    allp = pd.concat(parts, ignore_index=True)
    allp = allp[allp["n_mentions"].fillna(0) > 0] if len(allp) else allp
    agg = allp.groupby("actor_id", sort=False).agg(
        name_en=("name_en", "first"), name_ar=("name_ar", "first"), group=("group", "first"),
        wikidata=("wikidata", "first"), n_mentions=("n_mentions", "sum"),
        first_sent=("first_sent", "first")).reset_index()
    agg = agg.sort_values(["n_mentions", "actor_id"], ascending=[False, True], kind="stable")
    return typed(agg, schemas.ACTORS)


def aggregate_cooccurrence(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Sum per-chunk co-occurrence weights."""
    if not parts:
        return typed(schemas.empty(schemas.COOCCURRENCE), schemas.COOCCURRENCE)
    allp = pd.concat(parts, ignore_index=True)
    agg = allp.groupby(["actor_a", "actor_b"], sort=True)["weight"].sum().reset_index()
    agg = agg.sort_values(["weight", "actor_a", "actor_b"], ascending=[False, True, True],
                          kind="stable")
    return typed(agg, schemas.COOCCURRENCE)


def stance_comparison(stance: pd.DataFrame) -> pd.DataFrame:
    """Per-document and corpus (``ALL``) comparison over every group present."""
    from .stance import compare_stance

    return typed(compare_stance(stance, groups=None), schemas.STANCE_COMPARISON)

