"""Run every stage on a corpus and write the tables: the engine behind ``kzcrisis analyze``.

Documents flow in chunks: ``clean -> annotate (cached) -> actors -> statements -> stance ->
framing``. Every per-document table is computed chunk by chunk and streamed to
``OUT/tables/NAME.csv`` and ``OUT/parquet/NAME/part-NNNNN.parquet``, so memory does not grow
with the corpus; the corpus-level tables (actors, co-occurrence, stance comparison) are
aggregated from small per-chunk summaries at the end. The same chunk function runs serially,
or on Dask workers (``workers=N`` for a local cluster, ``scheduler=ADDRESS`` for an existing
one); chunks are written in input order, so the output is identical either way.

This module is the orchestration only: the tables it writes are declared in
:mod:`kzcrisis.schemas` (the registry), written by :mod:`kzcrisis.io`, reduced by
:mod:`kzcrisis.aggregate`, held by :mod:`kzcrisis.results` and drawn by
:mod:`kzcrisis.figures`; the run's options are :class:`kzcrisis.settings.Settings`.
"""
from __future__ import annotations

import errno
import functools
import itertools
import os
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from . import schemas
from .aggregate import aggregate_actors, aggregate_cooccurrence, stance_comparison
from .corpus import LOAD_REPORT, iter_corpus
from .errors import KzError
from .figures import draw_figures, output_names
from .io import writable_dir, write_csv, write_datapackage, write_parquet_part
from .quality import document_flags, warn_flags
from .results import Results, unresolved_count, unresolved_note
from .schemas import CORPUS, PER_DOC, TABLE_ORDER, typed
from .settings import Settings

__all__ = ["CORPUS", "PER_DOC", "TABLE_ORDER", "Results", "Settings", "analyze",
           "draw_figures", "output_names", "process_chunk", "run", "typed",
           "user_resource_notes", "write_csv", "write_figures", "writable_dir"]


# --- one chunk -------------------------------------------------------------------------

def _annotate(docs: pd.DataFrame, settings: Settings):
    """Annotate cleaned documents, reading and filling the annotation cache."""
    from . import nlp

    if settings.cache == "off":
        pipe = nlp.load_pipeline(settings.models)
        return nlp.annotate(docs, pipeline=pipe, batch_size=settings.batch_size,
                            progress=False)
    from .cache import AnnotationCache, cache_key, split_long

    cache = AnnotationCache(settings.cache)
    model_id = _model_id(settings.models)
    doc_ids = docs["doc_id"].tolist()
    keys = [cache_key(t, model_id) for t in docs["text_clean"]]
    found = [cache.get_long(k) for k in keys]
    missing = [i for i, v in enumerate(found) if v is None]
    if missing:
        pipe = nlp.load_pipeline(settings.models)
        # no bar per chunk: the run shows one bar over documents (_progress)
        fresh = nlp.annotate(docs.iloc[missing], pipeline=pipe, batch_size=settings.batch_size,
                             progress=False)
        per_doc = _by_doc({name: getattr(fresh, name)
                           for name in ("sentences", "tokens", "words", "entities")})
        for i in missing:
            found[i] = cache.put(keys[i], per_doc(doc_ids[i]), doc_ids[i])
    return nlp.Annotation(**split_long(list(zip(doc_ids, found, strict=True))))


def _by_doc(tables: dict[str, pd.DataFrame]) -> Any:
    """``doc_id -> {name: that document's rows of each table}`` (empty tables where it has
    none), grouping each table once rather than filtering it once per document."""
    groups = {name: dict(iter(t.groupby("doc_id", sort=False))) if len(t) else {}
              for name, t in tables.items()}
    return lambda doc_id: {name: groups[name].get(doc_id, t.iloc[:0])
                           for name, t in tables.items()}


@functools.cache
def _model_id(models: str) -> str:
    """The model files' checksum, hashed once per process."""
    from .cache import model_identity

    return model_identity(models)


@functools.cache
def _analysis_id(models: str, user: tuple[tuple[str, str], ...] = ()) -> str:
    """The results-cache identity (models, code, resources, versions, and the content of
    the user's own resource files), once per process."""
    from .cache import analysis_identity

    return analysis_identity(models, model_id=_model_id(models), user_resources=user)


def _user_files(settings: Settings) -> tuple[tuple[str, str, str], ...]:
    """(kind, path, sha256) of each user resource file of a run."""
    from .user_resources import KINDS, digest

    return tuple((kind, str(getattr(settings, kind)), digest(getattr(settings, kind)))
                 for kind in KINDS if getattr(settings, kind))


def _lexicon(settings: Settings, kind: str) -> Any:
    """The resource ``kind`` of a run: the package's, or with the user's file merged."""
    path = getattr(settings, kind)
    if not path:
        return _resource(kind)
    from .user_resources import digest

    return _resource(kind, str(path), digest(path))


def user_resource_notes(settings: Settings) -> list[dict]:
    """The manifest's record of the user's resource files: path, sha256 and what their
    rows replaced in the package's. Loading them here also reports a bad row before any
    document is read."""
    out = []
    for kind, path, sha in _user_files(settings):
        out.append({"kind": kind, "path": path, "sha256": sha,
                    "notes": _resource_notes(kind, path, sha)})
    return out


@functools.cache
def _resource_notes(kind: str, path: str, sha: str) -> list[str]:
    value = _resource(kind, path, sha)
    if kind == "actors":
        return list(value.notes)
    from .user_resources import load_merged

    return load_merged(kind, path)[1]


@functools.cache
def _resource(name: str, user: str | None = None, _sha: str = "") -> Any:
    """A dictionary or lexicon, loaded once per process (not once per chunk), and only when
    needed: a fully warm run never compiles the stance and framing lexicons. ``user`` is a
    user file merged over the package's (``_sha``, its checksum, keys the memo, so an
    edited file is read again)."""
    if name == "actors":
        from .actors import load_actors

        return load_actors(user=user)
    if user:
        from .user_resources import load_merged

        return load_merged(name, user)[0]
    if name == "cues":
        return None  # extract_statements uses its packaged lexicon
    if name == "stance_lexicon":
        from .stance import load_stance_lexicon

        return load_stance_lexicon()
    from .framing import load_framing_terms

    return load_framing_terms()


def process_chunk(docs: pd.DataFrame, settings: Settings, need_docs: bool = True
                  ) -> tuple[pd.DataFrame | None, dict]:
    """Run every per-document stage on one chunk; returns (cleaned docs, tables).

    With a cache, each document's tables come from the results cache when its input,
    models, code and resources are unchanged, and are computed (and stored) otherwise.
    Tables are assembled document by document in input order, so they do not depend on
    how the corpus is cut into chunks. ``need_docs=False`` skips re-cleaning cached
    documents when the caller only writes tables (the cleaned docs are then None).
    """
    if settings.cache == "off":
        docs_clean, tables = _compute_chunk(docs, settings)
        return docs_clean, _with_corpus_tables(tables, settings)
    from .cache import ResultsCache, results_key, split_results

    store = ResultsCache(settings.cache)
    analysis_id = _analysis_id(settings.models,
                               tuple((k, sha) for k, _, sha in _user_files(settings)))
    keys = [results_key(rec, analysis_id) for rec in docs.to_dict("records")]
    found = [store.get_long(k, str(d)) for k, d in zip(keys, docs["doc_id"], strict=True)]
    missing = [i for i, v in enumerate(found) if v is None]
    fresh_clean = None
    if missing:
        fresh_clean, fresh = _compute_chunk(docs.iloc[missing], settings)
        per_doc = _by_doc(fresh)
        for i in missing:
            found[i] = store.put(keys[i], per_doc(docs["doc_id"].iat[i]))
    tables = split_results(found)
    hits = sorted(set(range(len(docs))) - set(missing))
    for i in hits:  # computed documents warned in _compute_chunk
        doc = tables["documents"].iloc[i]
        warn_flags(doc["doc_id"], [f for f in doc["quality_flags"].split(";") if f])
    tables = {name: typed(t, name) for name, t in tables.items()}
    docs_clean = None
    if need_docs:
        from .clean import clean_corpus

        parts = list(zip(missing, _rows(fresh_clean), strict=True))
        if hits:
            parts += list(zip(hits, _rows(clean_corpus(docs.iloc[hits])[0]), strict=True))
        docs_clean = pd.DataFrame([row for _, row in sorted(parts, key=lambda p: p[0])])
    return docs_clean, _with_corpus_tables(tables, settings)


def _rows(frame: pd.DataFrame | None) -> list[dict]:
    return [] if frame is None else frame.to_dict("records")


def _with_corpus_tables(tables: dict[str, pd.DataFrame], settings: Settings | None = None
                        ) -> dict[str, pd.DataFrame]:
    """Add the chunk's actor and co-occurrence summaries (reduced later over chunks)."""
    from .actors import actor_table, cooccurrence

    mentions = tables["mentions"]
    actors = _lexicon(settings, "actors") if settings is not None else _resource("actors")
    return {**tables,
            "actors": typed(actor_table(mentions, actors), "actors"),
            "cooccurrence": typed(cooccurrence(mentions), "cooccurrence")}


def _compute_chunk(docs: pd.DataFrame, settings: Settings
                   ) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """Clean, annotate and analyse documents: the per-document tables, typed."""
    from .actors import extract_actors
    from .clean import clean_corpus
    from .framing import framing_terms
    from .stance import add_narrated_acts, code_stance
    from .statements import extract_statements

    docs_clean, log = clean_corpus(docs)
    annotation = _annotate(docs_clean, settings)
    dictionary = _lexicon(settings, "actors")
    actor_tables = extract_actors(docs_clean, annotation, dictionary)
    statements = extract_statements(docs_clean, annotation, actor_tables.mentions,
                                    lexicon=_lexicon(settings, "cues"), dictionary=dictionary)
    # narrated acts by a group (طلبت الحكومة، فرضت واشنطن عقوبات) are claims too (issue 16)
    statements = add_narrated_acts(statements, docs_clean, actor_tables.mentions)
    stance = code_stance(statements, lexicon=_lexicon(settings, "stance_lexicon"),
                         words=annotation.words, cues=_lexicon(settings, "cues"))
    framing = framing_terms(docs_clean, statements, actor_tables.mentions,
                            lexicon=_lexicon(settings, "framing_terms"))
    flags = [document_flags(t) for t in docs_clean["text_raw"]]
    for doc_id, doc_flags in zip(docs_clean["doc_id"], flags, strict=True):
        warn_flags(doc_id, doc_flags)
    documents = docs_clean.assign(n_chars=docs_clean["text_raw"].str.len(),
                                  n_chars_clean=docs_clean["text_clean"].str.len(),
                                  quality_flags=[";".join(f) for f in flags])
    tables = {
        "documents": documents, "cleaning_log": log,
        "sentences": annotation.sentences, "tokens": annotation.tokens,
        "words": annotation.words, "entities": annotation.entities,
        "mentions": actor_tables.mentions,
        "candidates": actor_tables.candidates, "statements": statements, "stance": stance,
        "framing": framing,
    }
    order = {doc_id: i for i, doc_id in enumerate(docs_clean["doc_id"])}
    return docs_clean, {name: _input_order(typed(t, name), order)
                        for name, t in tables.items()}


def _input_order(table: pd.DataFrame, order: dict[str, int]) -> pd.DataFrame:
    """Rows grouped by document in input order, each document's rows kept as they are
    (some stages sort by doc_id; this makes a chunk's tables the concatenation of its
    documents' tables, whatever the chunking and the cache)."""
    pos = table["doc_id"].map(order)
    if pos.is_monotonic_increasing:
        return table
    return table.iloc[pos.argsort(kind="stable")].reset_index(drop=True)


# --- running ---------------------------------------------------------------------------

def _chunks(path: str | Path | pd.DataFrame, settings: Settings, report: list[tuple],
            columns: dict | None = None, extras: _Extras | None = None,
            files: dict | None = None) -> Iterator[pd.DataFrame]:
    records = _accepted(iter_corpus(path, files=files, **(columns or {})), settings.max_chars,
                        report)
    while True:
        block = list(itertools.islice(records, settings.chunk_size))
        if not block:
            return
        if extras is not None:
            block = [extras.take(r) for r in block]
        yield pd.DataFrame(block, columns=schemas.DOCUMENTS)


class _Extras:
    """Extra metadata columns of a table input (``schemas.DOCUMENTS_TABLE`` says where they
    go): held per document only while its chunk is in flight, then appended to the chunk's
    documents table. They never reach the stages or the cache, so a document's cached
    results stay valid whatever metadata travels with it."""

    def __init__(self) -> None:
        self.columns: list[str] | None = None
        self.values: dict[str, dict[str, str]] = {}

    def take(self, record: dict) -> dict:
        meta = record.pop("metadata", None) or {}
        if self.columns is None:
            self.columns = list(meta)
        if self.columns:
            self.values[record["doc_id"]] = meta
        return record

    def add_to(self, docs: pd.DataFrame | None, tables: dict[str, pd.DataFrame]
               ) -> tuple[pd.DataFrame | None, dict[str, pd.DataFrame]]:
        if not self.columns:
            return docs, tables
        ids = tables["documents"]["doc_id"].tolist()
        rows = [self.values.pop(i, {}) for i in ids]
        extra = {c: [r.get(c, "") for r in rows] for c in self.columns}
        tables = {**tables, "documents": tables["documents"].assign(**extra)}
        if docs is not None:
            docs = docs.assign(**{c: docs["doc_id"].map(dict(zip(ids, v, strict=True)))
                                  for c, v in extra.items()})
        return docs, tables


class _Progress:
    """One bar over the run's documents (loaded or skipped), with total and ETA."""

    def __init__(self, path: Any, columns: dict, report: list[tuple], enabled: bool) -> None:
        self.report, self.seen, self.skipped, self.analysed = report, 0, 0, 0
        self.bar = None
        if enabled:
            import sys

            from tqdm.auto import tqdm

            from .corpus import count_documents

            try:  # a terminal of unknown width (0 columns) would get an empty bar
                width = os.get_terminal_size(sys.stderr.fileno()).columns
            except (OSError, ValueError):
                width = 0
            self.bar = tqdm(total=count_documents(path, **columns), unit="doc",
                            desc="kzcrisis", file=sys.stderr, ncols=None if width else 80,
                            smoothing=0.1)

    def advance(self, tables: dict[str, pd.DataFrame]) -> None:
        status = LOAD_REPORT.index("status")
        for row in self.report[self.seen:]:  # each report row is looked at once
            self.skipped += row[status] == "skipped"
        self.seen = len(self.report)
        self.analysed += len(tables["documents"])
        if self.bar is not None:
            self.bar.update(self.analysed + self.skipped - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.update(max(0, len(self.report) - self.bar.n))
            self.bar.close()


def _analysed(path: Any, opts: Settings, report: list[tuple], columns: dict,
              need_docs: bool = True, files: dict | None = None
              ) -> Iterator[tuple[pd.DataFrame | None, dict[str, pd.DataFrame]]]:
    """Every chunk's results with the input's extra metadata added, advancing the bar."""
    extras = _Extras()
    progress = _Progress(path, columns, report, opts.progress)
    try:
        for docs, tables in _run_chunks(_chunks(path, opts, report, columns, extras, files),
                                        opts, need_docs):
            progress.advance(tables)
            yield extras.add_to(docs, tables)
    finally:
        progress.close()


def _input_columns(text_column: str, id_column: str, metadata_columns: Any) -> dict:
    return {"text_column": text_column, "id_column": id_column,
            "metadata_columns": metadata_columns}


def _accepted(items: Iterable, max_chars: int, report: list[tuple]) -> Iterator[dict]:
    """Records to analyse; every file or row also lands in ``report`` (loaded or skipped)."""
    for record, row in items:
        if record is not None and len(record["text_raw"]) > max_chars:
            row = {**row, "status": "skipped",
                   "reason": f"document has {len(record['text_raw']):,} characters, over the "
                   f"limit of {max_chars:,}: split it into articles or raise --max-chars"}
            warnings.warn(f"{row['source_path']}: {row['reason']}", stacklevel=2)
            record = None
        report.append(tuple(row[c] for c in LOAD_REPORT))  # compact: one tuple per file
        if record is not None:
            yield record


def _run_chunks(chunks: Iterable[pd.DataFrame], settings: Settings, need_docs: bool = True
                ) -> Iterator[tuple[pd.DataFrame | None, dict]]:
    if settings.workers <= 1 and not settings.scheduler:
        for chunk in chunks:
            yield process_chunk(chunk, settings, need_docs)
        return
    from .distributed import run_on_dask

    yield from run_on_dask(chunks, settings, need_docs, process_chunk=process_chunk)


class _Collector:
    """Keeps every chunk's tables in memory and assembles them into :class:`Results`."""

    def __init__(self) -> None:
        self.docs: list[pd.DataFrame] = []
        self.parts: dict[str, list[pd.DataFrame]] = {
            name: [] for name in (*PER_DOC, "actors", "cooccurrence")}

    def add(self, docs_clean: pd.DataFrame, tables: dict[str, pd.DataFrame]) -> None:
        self.docs.append(docs_clean)
        for name, table in tables.items():
            self.parts[name].append(table)

    def results(self, report: list[tuple], opts: Settings,
                corpus: dict[str, pd.DataFrame] | None = None) -> Results:
        """Every table; ``corpus`` passes corpus-level tables a streamed run has already
        reduced, so they are not computed again."""
        tables = {name: typed(pd.concat(parts, ignore_index=True), _with_extra(name, parts))
                  if parts else typed(schemas.empty(PER_DOC[name]), PER_DOC[name])
                  for name, parts in self.parts.items() if name in PER_DOC}
        if corpus is None:
            corpus = {"actors": aggregate_actors(self.parts["actors"]),
                      "cooccurrence": aggregate_cooccurrence(self.parts["cooccurrence"]),
                      "stance_comparison": stance_comparison(tables["stance"])}
        tables.update(corpus)
        docs = (pd.concat(self.docs, ignore_index=True) if self.docs
                else schemas.empty(schemas.DOCUMENTS))
        return Results(docs=docs, load_report=pd.DataFrame(report, columns=LOAD_REPORT),
                       tables_=tables, settings=opts)


def _with_extra(name: str, parts: list[pd.DataFrame]) -> list[str]:
    """A table's declared columns, then (documents only) the input's extra metadata."""
    declared = PER_DOC[name]
    if name != "documents":
        return declared
    return declared + [c for c in parts[0].columns if c not in declared]


def analyze(path: str | Path | pd.DataFrame, text_column: str = "text",
            id_column: str = "doc_id", metadata_columns: Iterable[str] | None = None,
            **settings: Any) -> Results:
    """Analyse a corpus in memory and return every table.

    ``path`` is a file, a folder or a DataFrame (``kz.load_corpus``); in a table input (CSV,
    JSON Lines, Parquet, Excel, DataFrame) ``text_column`` holds the text, ``id_column`` the
    document ids, and the other columns (or those named in ``metadata_columns``) are carried
    to the documents table. Other keyword arguments are :class:`Settings` fields (models,
    cache, chunk_size, workers, progress ...). The model files are checked first
    (:func:`kzcrisis.models.trust.check_models`).

    >>> import pandas as pd, kzcrisis as kz
    >>> df = pd.DataFrame({"id": ["a1"], "outlet": ["وكالة"], "body": [
    ...     "قال وزير الخارجية الروسي سيرغي لافروف إن القوات ستنسحب."]})
    >>> results = kz.analyze(df, text_column="body", id_column="id")   # doctest: +SKIP
    >>> results.documents.doc_id.tolist()                               # doctest: +SKIP
    ['a1']
    """
    from .models.trust import check_models

    opts = Settings(**settings)
    check_models(opts.models, opts.trust_models)
    user_resource_notes(opts)  # a bad user file fails here, before any document is read
    report: list[tuple] = []
    collector = _Collector()
    columns = _input_columns(text_column, id_column, metadata_columns)
    for docs_clean, tables in _analysed(path, opts, report, columns):
        collector.add(docs_clean, tables)
    return collector.results(report, opts)


def run(path: str | Path | pd.DataFrame, out: str | Path, figures: bool = False,
        text_column: str = "text", id_column: str = "doc_id",
        metadata_columns: Iterable[str] | None = None, **settings: Any) -> dict:
    """Analyse ``path`` streaming chunk by chunk into ``out``; returns the manifest.

    ``path``, ``text_column``, ``id_column`` and ``metadata_columns`` are as in
    :func:`analyze`. ``figures=True`` also draws the figures and annotated articles
    (:func:`draw_figures`) from the same pass; the tables are then kept in memory, so use it
    on corpora whose figures you want to look at, not on archives.

    >>> manifest = run("data/raw", "results/")                    # doctest: +SKIP
    >>> manifest["n_documents"]                                   # doctest: +SKIP
    {'loaded': 1, 'skipped': 0}

    Everything is written into a staging folder beside ``out`` and moved into place only
    after the manifest is written (:mod:`kzcrisis.outdir`): a run that fails or is killed
    leaves ``out`` as it was, a run into an earlier ``out`` replaces its tables, figures and
    articles whole, and a second run into the same ``out`` at once is refused.
    """
    from .cache import default_cache_dir
    from .models.trust import check_models
    from .outdir import check_locations, staged_output

    opts = Settings(**settings)
    user_resource_notes(opts)  # a bad user file fails before any output
    columns = _input_columns(text_column, id_column, metadata_columns)
    out = Path(out)
    cache = None if opts.cache == "off" else Path(opts.cache or default_cache_dir())
    check_locations([], Path(path) if isinstance(path, str | os.PathLike) else None, out, cache)
    check_models(opts.models, opts.trust_models)
    try:
        with staged_output(out) as stage:
            return _run_into(path, stage, figures, opts, columns)
    except OSError as err:
        raise _disk_error(err, out) from None


def _disk_error(err: OSError, out: Path) -> OSError | KzError:
    """A one-line error naming the output folder for a full or read-only disk."""
    text = str(err)
    full = err.errno in (errno.ENOSPC, errno.EDQUOT) or "No space left" in text \
        or "quota exceeded" in text.lower()
    if full:
        where = f" (writing {err.filename})" if err.filename else ""
        return KzError(f"{out}: no space left on the device{where}; free some space or choose "
                       "another --out (the previous contents of --out are unchanged)")
    if err.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        return KzError(f"{out}: output folder is not writable ({err.strerror}: "
                       f"{err.filename or out}); choose another --out")
    return err


def _run_into(path: str | Path, out: Path, figures: bool, opts: Settings,
              columns: dict) -> dict:
    """The body of :func:`run`, writing into the (staging) folder ``out``."""
    from .manifest import build_manifest, write_manifest

    collector = _Collector() if figures else None
    tables_dir = writable_dir(out / "tables")
    parquet_dir = out / "parquet"
    counts = dict.fromkeys(TABLE_ORDER, 0)
    report: list[tuple] = []
    files: dict[str, dict] = {}
    actors = cooc = None
    stance_parts = []
    n_unresolved = 0
    extra_cols: list[str] = []
    csv_paths = {name: tables_dir / f".{name}.csv.partial" for name in PER_DOC}
    flags: dict[str, str] = {}
    for index, (docs, tables) in enumerate(_analysed(path, opts, report, columns,
                                                     need_docs=figures, files=files)):
        if collector is not None:
            collector.add(docs, tables)
        flags.update(zip(tables["documents"]["doc_id"], tables["documents"]["quality_flags"],
                         strict=True))
        for name in PER_DOC:
            table = tables[name]
            write_csv(table, csv_paths[name], header=index == 0, append=True)
            write_parquet_part(table, parquet_dir / name, index)
            counts[name] += len(table)
        n_unresolved += unresolved_count(tables["statements"])
        extra_cols = [c for c in tables["documents"].columns if c not in PER_DOC["documents"]]
        # corpus-level tables are reduced as chunks arrive, so they never grow with the corpus
        actors = aggregate_actors([t for t in (actors, tables["actors"]) if t is not None])
        cooc = aggregate_cooccurrence([t for t in (cooc, tables["cooccurrence"])
                                       if t is not None])
        stance_parts.append(tables["stance"])
    for name, cols in PER_DOC.items():
        if not csv_paths[name].exists():  # an empty corpus still gets every table
            write_csv(typed(schemas.empty(cols), cols), csv_paths[name])
        csv_paths[name].replace(tables_dir / f"{name}.csv")
    stance = (pd.concat(stance_parts, ignore_index=True) if stance_parts
              else typed(schemas.empty(schemas.STANCE), schemas.STANCE))
    corpus = {"actors": aggregate_actors([actors] if actors is not None else []),
              "cooccurrence": aggregate_cooccurrence([cooc] if cooc is not None else []),
              "stance_comparison": stance_comparison(stance)}
    for name, table in corpus.items():
        write_csv(table, tables_dir / f"{name}.csv")
        write_parquet_part(table, parquet_dir / name, 0)
        counts[name] = len(table)
    file_names = None
    if collector is not None:  # figures first: the manifest is the last file of a run
        results = collector.results(report, opts, corpus)
        draw_figures(results, out)
        file_names = output_names(results.docs["doc_id"])
    manifest = build_manifest(path, report, counts, opts, flags, files, file_names)
    user_resources = user_resource_notes(opts)
    if user_resources:
        manifest["user_resources"] = user_resources
    manifest["input_columns"] = {**columns, "metadata_columns": _listed(columns["metadata_columns"])}
    manifest["unresolved_speakers"] = {"n_statements": n_unresolved,
                                       "note": unresolved_note(n_unresolved)}
    write_datapackage(out / "datapackage.json", {"documents": extra_cols})
    write_manifest(manifest, out / "manifest.json")
    return manifest


def _listed(metadata_columns: Any) -> list[str] | None:
    if metadata_columns is None:
        return None
    if isinstance(metadata_columns, str):
        return [m.strip() for m in metadata_columns.split(",") if m.strip()]
    return [str(m) for m in metadata_columns]


def write_figures(path: str | Path, out: str | Path, **settings: Any) -> list[Path]:
    """Analyse the corpus at ``path`` in memory and draw its figures and articles
    (:func:`draw_figures`); ``run(path, out, figures=True)`` does both in one pass."""
    return draw_figures(analyze(path, **settings), out)


