"""Human codes resolved to one label per item: the majority of a statement's coders.

Both the coding workflow (:mod:`kzcrisis.coding`, which reads the sheets) and the stance
stage (:func:`kzcrisis.stance.apply_codes`, which puts the human labels in place of the
automatic ones) use it, so it sits below both.
"""
from __future__ import annotations

from collections import Counter
from typing import Any

import pandas as pd

from .errors import KzError


def human_labels(codes: pd.DataFrame) -> pd.DataFrame:
    """One human label per coded item (statement, target): the majority of its coders; a
    tie goes to the label that agrees with the automatic one if it is among the tied, else
    to the first coder in alphabetical order. Columns: statement_id, doc_id, group, target,
    code, coders (``a, b``, or ``a: oppose, b: caution`` when they split), n_coders.

    >>> codes = pd.DataFrame({"statement_id": ["a:s001"] * 2, "doc_id": ["a"] * 2,
    ...     "group": ["RUS"] * 2, "target": ["intervention"] * 2, "coder": ["omar", "amal"],
    ...     "code": ["caution", "support"], "auto_label": ["caution"] * 2})
    >>> human_labels(codes)[["code", "coders"]].iloc[0].tolist()
    ['caution', 'amal: support, omar: caution']
    """
    require_codes(codes)
    rows = []
    for (sid, t), g in codes.groupby(["statement_id", "target"], sort=True):
        g = g.sort_values("coder", kind="stable")
        counts = Counter(g["code"])
        best = max(counts.values())
        tied = [c for c in g["code"] if counts[c] == best]
        auto = str(g["auto_label"].iloc[0])
        code = auto if auto in tied else tied[0]
        # a split is shown with each coder's code: "amal: oppose, omar: caution"
        who = ", ".join(g["coder"]) if len(counts) == 1 else ", ".join(
            f"{c}: {x}" for c, x in zip(g["coder"], g["code"], strict=True))
        rows.append({"statement_id": sid, "doc_id": g["doc_id"].iloc[0],
                     "group": g["group"].iloc[0], "target": t, "code": code,
                     "coders": who, "n_coders": len(g)})
    return pd.DataFrame(rows, columns=["statement_id", "doc_id", "group", "target", "code",
                                       "coders", "n_coders"])


def require_codes(codes: Any) -> None:
    """A one-line error unless ``codes`` is :func:`kzcrisis.coding.read_codes`'s table.

    >>> require_codes(pd.DataFrame({"code": ["oppose"]}))
    Traceback (most recent call last):
    kzcrisis.errors.KzError: expected the codes table from kz.read_codes
    """
    need = {"statement_id", "target", "coder", "code", "auto_label"}
    if not isinstance(codes, pd.DataFrame) or not need <= set(codes.columns):
        raise KzError("expected the codes table from kz.read_codes")
