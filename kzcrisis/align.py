"""Pairing predicted spans with hand-coded (gold) spans: the one aligner of every evaluation.

A span is ``(key, start, end)``: spans pair only when their keys are equal (the document, or
the document and the actor) and they overlap. Each span is used at most once. Two greedy
orders, both deterministic:

* ``order="gold"`` -- each gold span in turn takes the unused predicted span that overlaps it
  most (the first one on a tie). Statements and stance items (:func:`kzcrisis.statements.
  evaluate_statements`, :func:`kzcrisis.stance.align_stance`) pair this way.
* ``order="overlap"`` -- all overlapping pairs, largest overlap first (then predicted, then
  gold position), each taken when both spans are still free. Mentions
  (:func:`kzcrisis.evaluate.match_mentions`) pair this way; ``exact=True`` accepts only
  identical spans.

>>> gold = [("d1", 0, 10), ("d1", 20, 30)]      # e.g. قال الوزير ... / وأكد السفير ...
>>> pred = [("d1", 22, 35), ("d1", 2, 9), ("d2", 0, 10)]
>>> align_spans(gold, pred)
{0: 1, 1: 0}
"""
from __future__ import annotations

from collections.abc import Hashable, Sequence

from .errors import KzError

__all__ = ["ORDERS", "Span", "align_spans", "overlap"]

Span = tuple[Hashable, float, float]
ORDERS = ("gold", "overlap")


def overlap(a: Span, b: Span) -> float:
    """Length of the overlap of two spans (negative when they are apart; keys not compared).

    >>> overlap(("d1", 0, 10), ("d1", 5, 20)), overlap(("d1", 0, 4), ("d1", 6, 9))
    (5, -2)
    """
    return min(a[2], b[2]) - max(a[1], b[1])


def align_spans(gold: Sequence[Span], pred: Sequence[Span], order: str = "gold",
                exact: bool = False) -> dict[int, int]:
    """``gold position -> predicted position`` of the paired spans (see the module docstring).

    >>> align_spans([("d1", 0, 10), ("d1", 20, 30)], [("d1", 22, 40), ("d1", 2, 12)])
    {0: 1, 1: 0}
    >>> align_spans([("d1", 0, 10)], [("d1", 0, 12), ("d1", 0, 10)], order="overlap", exact=True)
    {0: 1}
    """
    if order not in ORDERS:
        raise KzError(f"align_spans: order must be one of {ORDERS}, not {order!r}")
    by_key: dict[Hashable, list[int]] = {}
    for i, p in enumerate(pred):
        by_key.setdefault(p[0], []).append(i)
    if order == "gold":
        return _gold_first(gold, pred, by_key, exact)
    pairs = []
    for j, g in enumerate(gold):
        for i in by_key.get(g[0], ()):
            ov = overlap(g, pred[i])
            if (pred[i][1] == g[1] and pred[i][2] == g[2]) if exact else ov > 0:
                pairs.append((ov, i, j))
    pairs.sort(key=lambda t: (-t[0], t[1], t[2]))
    out: dict[int, int] = {}
    used: set[int] = set()
    for _, i, j in pairs:
        if i not in used and j not in out:
            out[j] = i
            used.add(i)
    return out


def _gold_first(gold: Sequence[Span], pred: Sequence[Span], by_key: dict[Hashable, list[int]],
                exact: bool) -> dict[int, int]:
    out: dict[int, int] = {}
    used: set[int] = set()
    for j, g in enumerate(gold):
        best, best_ov = None, 0
        for i in by_key.get(g[0], ()):
            if i in used or (exact and (pred[i][1], pred[i][2]) != (g[1], g[2])):
                continue
            ov = overlap(g, pred[i])
            if ov > best_ov:
                best, best_ov = i, ov
        if best is not None:
            out[j] = best
            used.add(best)
    return out
