"""Stanza's Arabic pipeline (tokenize, mwt, ner), offline: the only module that imports stanza.

* :func:`load_pipeline` loads the package's embedded models (``kzcrisis/models/ar``, trained
  by ``make models`` from public corpora, checked against their sha256), Stanza's official
  models (``models="official"``, needs the internet once) or a folder of Stanza models.
* :func:`annotate` runs it in batches over a cleaned corpus and returns an
  :class:`Annotation` with the ``sentences``, ``tokens`` and ``entities`` tables
  (``schemas.SENTENCES``/``TOKENS``/``ENTITIES``). Offsets index ``text_clean``.

Paragraphs: Stanza's tokenizer cuts the text at every blank line (``\\n\\n``) before splitting
sentences, so the paragraph breaks kept by cleaning bound every sentence.

Clitics and entities: Stanza tags whole tokens, so an entity on ``وبغداد`` ("and Baghdad")
covers the proclitic. ``annotate`` drops leading proclitic *words* (و ف ب ك ل س, as expanded by
the MWT model) from the entity's first token when they spell an exact prefix of it, so the
entity text is ``بغداد`` and ``start_char`` moves past the clitic; ``text_clean[start:end]``
always equals the entity text. A split is not trusted when the whole token is a word of the
NER vocabulary and the rest is not (``وزارة`` is not و + زارة). The contracted ``لل`` (ل + ال) keeps its clitic, because the
bare word (with its alif) is not a substring of the text.
"""
from __future__ import annotations

import logging
import os
import sys
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from kzcrisis import schemas
from kzcrisis.errors import KzError
from kzcrisis.models import MODEL_FILES, verify_models
from kzcrisis.paths import MODELS_DIR

DEFAULT_PROCESSORS = "tokenize,mwt,ner"
_KNOWN_PROCESSORS = ("tokenize", "mwt", "ner")
#: proclitic words dropped from the start of an entity (conjunctions, prepositions, future)
PROCLITICS = frozenset({"و", "ف", "ب", "ك", "ل", "س"})
_ENV = "KZCRISIS_MODELS"
_CACHE: dict[tuple[str, str, Any], Any] = {}


@dataclass
class Annotation:
    """The NLP tables of a corpus; every offset indexes ``text_clean``."""

    sentences: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.SENTENCES))
    tokens: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.TOKENS))
    entities: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.ENTITIES))

    def __repr__(self) -> str:
        return (f"Annotation({len(self.sentences)} sentences, {len(self.tokens)} tokens, "
                f"{len(self.entities)} entities)")


# --------------------------------------------------------------------------- loading


def _processors(processors: str | Iterable[str]) -> str:
    names = [p.strip() for p in (processors.split(",") if isinstance(processors, str)
                                 else processors) if p.strip()]
    bad = [p for p in names if p not in _KNOWN_PROCESSORS]
    if bad or not names or "tokenize" not in names:
        raise KzError(f"processors must be taken from {','.join(_KNOWN_PROCESSORS)} and include "
                      f"tokenize; got {','.join(names) or '(none)'}")
    # Stanza adds mwt for Arabic by itself; name it whenever ner needs the words
    if "ner" in names and "mwt" not in names:
        names.insert(names.index("tokenize") + 1, "mwt")
    return ",".join(p for p in _KNOWN_PROCESSORS if p in names)


def _local_kwargs(folder: Path, processors: str) -> dict[str, Any]:
    """Stanza keyword arguments for a folder holding the stable model file names."""
    kw: dict[str, Any] = {"dir": str(folder)}
    paths = {"tokenize": "tokenize_model_path", "mwt": "mwt_model_path",
             "ner": "ner_model_path"}
    for proc in processors.split(","):
        kw[paths[proc]] = str(folder / MODEL_FILES[proc])
    if "ner" in processors:
        kw["ner_pretrain_path"] = str(folder / MODEL_FILES["pretrain"])
    return kw


def _needed_files(processors: str) -> list[str]:
    files = [MODEL_FILES[p] for p in processors.split(",")]
    if "ner" in processors:
        files.append(MODEL_FILES["pretrain"])
    return files


def load_pipeline(models: str | os.PathLike | None = None,
                  processors: str = DEFAULT_PROCESSORS,
                  use_gpu: bool | None = None) -> Any:
    """A ``stanza.Pipeline`` for Arabic, cached per process.

    ``models``: ``"embedded"`` (default, or the ``KZCRISIS_MODELS`` variable): the package's
    models, checked against their sha256, loaded without any network access;
    ``"official"``: Stanza's official Arabic models via ``stanza.download`` (internet);
    a folder path: either a folder with ``ar_tokenizer.pt``, ``ar_mwt.pt``, ``ar_ner.pt``,
    ``ar_pretrain.pt`` and ``resources.json`` (like ``kzcrisis/models/ar``) or a
    ``stanza_resources`` folder holding ``resources.json`` and ``ar/``.
    ``use_gpu=None`` lets Stanza use a GPU when there is one.
    """
    if models is None:
        models = os.environ.get(_ENV, "").strip() or "embedded"
    procs = _processors(processors)
    key = (str(models), procs, use_gpu)
    if key not in _CACHE:
        _CACHE[key] = _load(models, procs, use_gpu)
    return _CACHE[key]


def _import_stanza() -> Any:
    """Import stanza lazily (torch is slow to import), without tqdm's ipywidgets warning."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="IProgress not found")
        import stanza  # noqa: PLC0415
    return stanza


def _load(models: str | os.PathLike, procs: str, use_gpu: bool | None) -> Any:
    stanza = _import_stanza()

    common: dict[str, Any] = {"lang": "ar", "processors": procs, "logging_level": "WARN"}
    if use_gpu is not None:
        common["use_gpu"] = use_gpu
    if models == "embedded":
        verify_models(MODELS_DIR, _needed_files(procs))
        kw = _local_kwargs(MODELS_DIR, procs)
        return _pipeline(stanza, download_method=None, **common, **kw)
    if models == "official":
        try:
            stanza.download("ar", processors=procs, logging_level="WARN")
        except Exception as err:  # noqa: BLE001 (any network/HTTP failure means the same)
            raise KzError("cannot download Stanza's official Arabic models "
                          f"({type(err).__name__}; offline?): use models='embedded' (the default) "
                          "or a folder of Stanza models") from None
        return _pipeline(stanza, download_method=None, **common)
    folder = Path(models).expanduser()
    if not folder.is_dir():
        raise KzError(f"models={str(models)!r} is neither 'embedded', 'official' nor a folder")
    if (folder / MODEL_FILES["tokenize"]).exists():
        missing = [f for f in _needed_files(procs) if not (folder / f).exists()]
        if missing:
            raise KzError(f"model folder {folder} lacks {', '.join(missing)}")
        if not (folder / "resources.json").exists():
            raise KzError(f"model folder {folder} lacks resources.json "
                          '(write {"ar": {"lang_name": "Arabic"}} into it)')
        return _pipeline(stanza, download_method=None, **common, **_local_kwargs(folder, procs))
    if (folder / "resources.json").exists() and (folder / "ar").is_dir():
        return _pipeline(stanza, download_method=None, dir=str(folder), **common)
    raise KzError(f"model folder {folder} holds neither {MODEL_FILES['tokenize']} "
                  "nor a stanza_resources layout (resources.json + ar/)")


def _pipeline(stanza: Any, **kw: Any) -> Any:
    logging.getLogger("stanza").setLevel(logging.WARNING)
    try:
        return stanza.Pipeline(**kw)
    except KzError:
        raise
    except Exception as err:  # noqa: BLE001 (stanza raises many types for a bad model file)
        msg = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise KzError(f"cannot load the Stanza models: {msg}") from None


# ------------------------------------------------------------------------- annotation


def _documents(docs_or_text: pd.DataFrame | str) -> tuple[list[str], list[str]]:
    if isinstance(docs_or_text, str):
        return ["doc"], [docs_or_text]
    if not isinstance(docs_or_text, pd.DataFrame):
        raise KzError("annotate takes a DataFrame with doc_id and text_clean "
                      f"(from kz.clean_corpus) or a str, not {type(docs_or_text).__name__}")
    missing = [c for c in ("doc_id", "text_clean") if c not in docs_or_text.columns]
    if missing:
        raise KzError(f"annotate: the documents table lacks {', '.join(missing)} "
                      "(run kz.clean_corpus first)")
    ids = [str(d) for d in docs_or_text["doc_id"]]
    if len(set(ids)) != len(ids):
        dup = next(d for d in ids if ids.count(d) > 1)
        raise KzError(f"annotate: doc_id {dup!r} occurs more than once")
    texts = []
    for doc_id, text in zip(ids, docs_or_text["text_clean"], strict=True):
        if not isinstance(text, str):
            raise KzError(f"annotate: document {doc_id!r} has no text_clean (got {text!r})")
        texts.append(text)
    return ids, texts


def _known_words(pipeline: Any) -> Any:
    """The NER word-vector vocabulary of a pipeline (membership only), or None."""
    try:
        return pipeline.processors["ner"]._vocab["word"]._unit2id
    except (AttributeError, KeyError, TypeError):
        return None


def _entity_span(ent: Any, text: str, known: Any = None) -> tuple[int, int]:
    """Entity offsets without the leading proclitic words of its first token.

    ``known`` (the NER vocabulary) vetoes a split the MWT model got wrong: when the whole
    token is a known word and the rest is not (وزارة -> و|زارة), the token stays whole.
    """
    start, end = ent.start_char, ent.end_char
    first = ent.tokens[0]
    words = [w.text for w in first.words]
    if known is not None and first.text in known and "".join(words[1:]) not in known:
        return start, end
    if len(words) > 1 and "".join(words) == first.text:
        cut = 0
        for w in words[:-1]:
            if w not in PROCLITICS:
                break
            rest = first.text[cut + len(w):]
            # ل + ال is written لل: the bare word is not in the text, keep the clitic
            if w == "ل" and rest.startswith("ل"):
                break
            cut += len(w)
        if cut and start + cut < end and text[start:start + cut] == first.text[:cut]:
            start += cut
    return start, end


def _tables(doc_id: str, text: str, doc: Any, rows: dict[str, list], known: Any) -> None:
    token_id = ent_id = 0
    for sent_id, sent in enumerate(doc.sentences):
        s_start, s_end = sent.tokens[0].start_char, sent.tokens[-1].end_char
        rows["sentences"].append((doc_id, sent_id, s_start, s_end, text[s_start:s_end]))
        for tok in sent.tokens:
            rows["tokens"].append((doc_id, sent_id, token_id, tok.text, tok.start_char,
                                   tok.end_char, "|".join(w.text for w in tok.words)))
            token_id += 1
        for ent in sent.ents:
            start, end = _entity_span(ent, text, known)
            rows["entities"].append((doc_id, sent_id, ent_id, text[start:end], ent.type,
                                     start, end))
            ent_id += 1


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    if not rows:
        return schemas.empty(columns)
    df = pd.DataFrame(rows, columns=columns)
    for col in ("sent_id", "token_id", "ent_id", "start_char", "end_char"):
        if col in df.columns:
            df[col] = df[col].astype("int64")
    return df


def annotate(docs_or_text: pd.DataFrame | str, pipeline: Any = None, batch_size: int = 32,
             progress: bool | None = None) -> Annotation:
    """Tokens (with their MWT expansion), sentences and entities of cleaned documents.

    ``docs_or_text``: a DataFrame with ``doc_id`` and ``text_clean`` (``kz.clean_corpus``), or
    one text (``doc_id`` ``"doc"``). ``pipeline``: a ``stanza.Pipeline`` (default
    :func:`load_pipeline`). Documents go to Stanza ``batch_size`` at a time (bulk
    processing); ``progress`` shows a tqdm bar (default: on for more than one document).
    """
    ids, texts = _documents(docs_or_text)
    if not isinstance(batch_size, int) or batch_size < 1:
        raise KzError(f"batch_size must be a positive integer, got {batch_size!r}")
    nlp = pipeline if pipeline is not None else load_pipeline()
    stanza = _import_stanza()

    if progress is None:
        progress = len(texts) > 1
    rows: dict[str, list] = {"sentences": [], "tokens": [], "entities": []}
    known = _known_words(nlp)
    from tqdm import tqdm  # noqa: PLC0415 (plain bar: tqdm.auto warns without ipywidgets)

    with tqdm(total=len(texts), disable=not progress, desc="annotate", unit="doc",
              file=sys.stderr) as bar:
        for i in range(0, len(texts), batch_size):
            chunk = texts[i:i + batch_size]
            batch = [stanza.Document([], text=t) for t in chunk]
            done = nlp.bulk_process(batch) if any(t.strip() for t in chunk) else batch
            for doc_id, text, doc in zip(ids[i:i + batch_size], chunk, done, strict=True):
                _tables(doc_id, text, doc, rows, known)
            bar.update(len(chunk))
    return Annotation(
        sentences=_frame(rows["sentences"], schemas.SENTENCES),
        tokens=_frame(rows["tokens"], schemas.TOKENS),
        entities=_frame(rows["entities"], schemas.ENTITIES),
    )
