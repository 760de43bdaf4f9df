"""Dask backend of ``kzcrisis analyze --workers N`` / ``--scheduler ADDRESS``.

Each worker loads the Stanza model once (a worker plugin) with one torch thread, and
annotates whole chunks; results come back and are written in input order, with at most a
few chunks in flight per worker, so memory stays bounded and output matches a serial run.
The chunk function is passed in (``pipeline.process_chunk``): this backend knows nothing of
the stages, so it imports nothing that imports it.
"""
from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator

import pandas as pd

from .errors import KzError


def _require_dask():
    try:
        from dask.distributed import Client, LocalCluster, WorkerPlugin
    except ImportError:  # pragma: no cover - depends on the install
        raise KzError("--workers/--scheduler need Dask: pip install 'kzcrisis[dask]'") from None
    return Client, LocalCluster, WorkerPlugin


def _plugin_class():
    _, _, WorkerPlugin = _require_dask()

    class LoadModels(WorkerPlugin):
        """Load the NLP pipeline once when a worker starts."""

        name = "kzcrisis-load-models"

        def __init__(self, models: str) -> None:
            self.models = models

        def setup(self, worker) -> None:
            import torch

            torch.set_num_threads(1)
            from .nlp import load_pipeline

            load_pipeline(self.models)

    return LoadModels


#: the chunk function's signature: (chunk, settings, need_docs) -> (cleaned docs, tables)
ChunkFunction = Callable[[pd.DataFrame, object, bool], tuple[pd.DataFrame | None, dict]]


def _process(process_chunk: ChunkFunction, chunk: pd.DataFrame, settings, need_docs: bool
             ) -> tuple[pd.DataFrame | None, dict]:
    docs, tables = process_chunk(chunk, settings, need_docs)
    # the Cleaned provenance objects stay on the worker; the client needs only the tables
    if docs is not None:
        docs = docs.drop(columns=["provenance"], errors="ignore")
    return docs, tables


def run_on_dask(chunks: Iterable[pd.DataFrame], settings, need_docs: bool = True, *,
                process_chunk: ChunkFunction) -> Iterator[tuple[pd.DataFrame | None, dict]]:
    """Run ``process_chunk`` on each chunk on a Dask cluster, yielding results in input
    order. ``process_chunk`` must be importable by name on the workers (a module-level
    function: Dask sends it by reference).

    >>> from kzcrisis.pipeline import process_chunk
    >>> parts = run_on_dask(chunks, Settings(workers=2),                 # doctest: +SKIP
    ...                     process_chunk=process_chunk)
    """
    Client, LocalCluster, _ = _require_dask()
    cluster = None
    if settings.scheduler:
        try:
            client = Client(settings.scheduler, timeout="20s")
        except OSError as err:
            raise KzError(f"cannot reach Dask scheduler {settings.scheduler}: {err}") from None
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
    else:
        cluster = LocalCluster(n_workers=settings.workers, threads_per_worker=1,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
        n_workers = settings.workers
    try:
        client.register_plugin(_plugin_class()(settings.models))
        window = 2 * n_workers
        pending: deque = deque()
        for chunk in chunks:
            pending.append(client.submit(_process, process_chunk, chunk, settings, need_docs,
                                         pure=False))
            if len(pending) >= window:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
