"""Stanza's Arabic pipeline (tokenize, mwt, pos, lemma, depparse, ner), offline: the only
module that imports stanza.

* :func:`load_pipeline` loads the package's embedded models (``kzcrisis/models/ar``, trained
  by ``make models`` from public corpora, checked against their sha256), Stanza's official
  models (``models="official"``, needs the internet once) or a folder of Stanza models.
* :func:`annotate` runs it in batches over a cleaned corpus and returns an
  :class:`Annotation` with the ``sentences``, ``tokens``, ``words`` and ``entities`` tables
  (``schemas.SENTENCES``/``TOKENS``/``WORDS``/``ENTITIES``). Offsets index ``text_clean``.

Words: one row per syntactic word (after clitic expansion) with its lemma (without
diacritics), UPOS, features, head and relation. ``word_id`` and ``head`` are CoNLL-U ids within
the sentence (1, 2, ...; head 0 is the root); a word inside a multi-word token carries the
token's offsets. A model set without a tagger/parser (``--models PATH`` holding only
tokenize/mwt/ner) gives the words with empty lemma/upos/feats/deprel and head -1, and
:func:`has_parse` tells later stages to fall back to their surface rules.

Clitic splits of names: the MWT model learnt from PUD splits some words after a leading
letter that is only *written* like a proclitic (``ب|لينكن``, ``و|زارة``, ``ل|بنان``).
:func:`clitic_veto` (a Stanza tokenize postprocessor) keeps such a token whole when its rest
is not a word of 10 M words of news (SaudiNewsNet, ``ar_word_freq.tsv``) or is far rarer than
the whole token; a pronoun suffix it may carry is still split off (``وزارته`` -> ``وزارت|ه``).

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

from kzcrisis import normalize, schemas
from kzcrisis.errors import KzError
from kzcrisis.layout import layout
from kzcrisis.models import MODEL_FILES, verify_models
from kzcrisis.paths import MODELS_DIR

DEFAULT_PROCESSORS = "tokenize,mwt,pos,lemma,depparse,ner"
_KNOWN_PROCESSORS = ("tokenize", "mwt", "pos", "lemma", "depparse", "ner")
#: Stanza's own requirements, made explicit (depparse reads tags and lemmas)
_REQUIRES = {"depparse": ("pos", "lemma"), "lemma": ("pos",), "pos": ("mwt",), "ner": ("mwt",)}
_PRETRAINED = ("pos", "depparse", "ner")
#: proclitic words dropped from the start of an entity (conjunctions, prepositions, future)
PROCLITICS = normalize.PROCLITICS
_ENV = "KZCRISIS_MODELS"
_CACHE: dict[tuple[str, str, Any], Any] = {}


@dataclass
class Annotation:
    """The NLP tables of a corpus; every offset indexes ``text_clean``.

    >>> kz.annotate("وصلت القوات إلى المطار.")  # doctest: +SKIP
    Annotation(1 sentences, 5 tokens, 6 words, 0 entities)
    """

    sentences: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.SENTENCES))
    tokens: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.TOKENS))
    entities: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.ENTITIES))
    words: pd.DataFrame = field(default_factory=lambda: schemas.empty(schemas.WORDS))

    def __repr__(self) -> str:
        return (f"Annotation({len(self.sentences)} sentences, {len(self.tokens)} tokens, "
                f"{len(self.words)} words, {len(self.entities)} entities)")


# --------------------------------------------------------------------------- loading


def _processors(processors: str | Iterable[str]) -> str:
    names = [p.strip() for p in (processors.split(",") if isinstance(processors, str)
                                 else processors) if p.strip()]
    bad = [p for p in names if p not in _KNOWN_PROCESSORS]
    if bad or not names or "tokenize" not in names:
        raise KzError(f"processors must be taken from {','.join(_KNOWN_PROCESSORS)} and include "
                      f"tokenize; got {','.join(names) or '(none)'}")
    # Stanza adds mwt for Arabic by itself: name it, and every processor a named one needs
    wanted = set(names)
    for proc in reversed(_KNOWN_PROCESSORS):
        if proc in wanted:
            wanted.update(_REQUIRES.get(proc, ()))
    return ",".join(p for p in _KNOWN_PROCESSORS if p in wanted)


def available_processors(folder: Path) -> str:
    """The processors whose model files a folder holds, in pipeline order.

    >>> available_processors(MODELS_DIR)
    'tokenize,mwt,pos,lemma,depparse,ner'
    """
    have = {p for p in _KNOWN_PROCESSORS if (Path(folder) / MODEL_FILES[p]).exists()}
    if any(p in have for p in _PRETRAINED) and not (Path(folder) / MODEL_FILES["pretrain"]).exists():
        have -= set(_PRETRAINED)
    for proc in _KNOWN_PROCESSORS:  # drop a processor whose requirements are missing
        if proc in have and not all(r in have for r in _REQUIRES.get(proc, ())):
            have.discard(proc)
    return ",".join(p for p in _KNOWN_PROCESSORS if p in have)


def has_parse(pipeline: Any) -> bool:
    """Whether a pipeline tags, lemmatizes and parses (else stages use surface rules)."""
    procs = getattr(pipeline, "processors", {}) or {}
    return all(p in procs for p in ("pos", "lemma", "depparse"))


def _local_kwargs(folder: Path, processors: str) -> dict[str, Any]:
    """Stanza keyword arguments for a folder holding the stable model file names."""
    kw: dict[str, Any] = {"dir": str(folder)}
    for proc in processors.split(","):
        kw[f"{proc}_model_path"] = str(folder / MODEL_FILES[proc])
        if proc in _PRETRAINED:
            kw[f"{proc}_pretrain_path"] = str(folder / MODEL_FILES["pretrain"])
    for proc in set(processors.split(",")) & set(CHARLM_READERS):
        kw |= _charlm_kwargs(folder, proc)
    return kw | _veto_kwargs(folder, processors)


#: processors that read the character LMs when the model set has them (those trained with
#: them: see MODEL_CARD.md); a model trained without them ignores them
CHARLM_READERS = ("pos", "ner")


def _charlm_paths(folder: Path) -> dict[str, Path]:
    """``direction -> file`` of the folder's character LMs: both files, or none."""
    paths = {d: Path(folder) / MODEL_FILES[f"{d}_charlm"] for d in ("forward", "backward")}
    return paths if all(p.exists() for p in paths.values()) else {}


def _charlm_kwargs(folder: Path, proc: str) -> dict[str, str]:
    """The character LMs of the folder for one processor (both files, or none)."""
    return {f"{proc}_{d}_charlm_path": str(p) for d, p in _charlm_paths(folder).items()}


def _veto_kwargs(folder: Path, processors: str) -> dict[str, Any]:
    """The clitic-split veto as a tokenize postprocessor, where the folder has the
    frequency list and the pipeline splits clitics."""
    freq = Path(folder) / MODEL_FILES["freq"]
    if "mwt" in processors.split(",") and freq.exists():
        return {"tokenize_postprocessor": CliticVeto(load_freq(freq))}
    return {}


def _needed_files(processors: str, folder: Path = MODELS_DIR) -> list[str]:
    files = [MODEL_FILES[p] for p in processors.split(",")]
    if any(p in processors.split(",") for p in _PRETRAINED):
        files.append(MODEL_FILES["pretrain"])
    if set(processors.split(",")) & set(CHARLM_READERS):
        files += [p.name for p in _charlm_paths(folder).values()]
    return files


# ------------------------------------------------------------------- clitic-split veto

#: letters that may be a proclitic word (و ف ب ل ك) and the pronoun suffixes of a host
_PROCLITIC_LETTERS = frozenset(normalize.CONJUNCTIONS + normalize.ATTACHED_PREPOSITIONS)
_SUFFIXES = ("هما", "كما", "هم", "هن", "كم", "كن", "ها", "نا", "ني", "ه", "ك", "ي")
#: suffixes trusted after a leading letter (not ك/كن/ني/ي, which end many foreign names)
_REST_SUFFIXES = ("هما", "هم", "هن", "ها", "ه", "كم", "نا")
#: a proclitic split stands only if the rest is at least this share of the whole token's count
VETO_RATIO = 0.1
#: ... or a common word in its own right (أضاف: وأضاف is ten times more frequent, but أضاف is
#: still seen hundreds of times; كين beside بكين, بنان beside لبنان are not)
COMMON_WORD = 200
_ARABIC_WORD = frozenset(chr(c) for c in range(0x0621, 0x064B))


def load_freq(path: Path) -> dict[str, int]:
    """``token -> count`` of the news word-frequency list (``ar_word_freq.tsv``)."""
    out: dict[str, int] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#") or line.startswith("token\t"):
                continue
            tok, _, n = line.rstrip("\n").partition("\t")
            out[tok] = int(n)
    return out


def _host(word: str, freq: dict[str, int]) -> bool:
    """A host word is in the news list as written, or with ة for a ت before a suffix."""
    return bool(freq.get(word) or (word.endswith("ت") and freq.get(word[:-1] + "ة")))


def _rest_is_word(token: str, freq: dict[str, int]) -> bool:
    """Whether what follows a leading و/ف/ب/ل/ك is a word, so the letter is a clitic.

    ``بالطبع`` (the article follows), ``للانضمام`` (ل + الانضمام written لل), ``وقال`` (قال is
    common), ``بسياساتها`` (سياسات + ها) -> yes; ``بلينكن``, ``لبنان`` (بنان is far rarer
    than لبنان), ``وزارة`` -> no."""
    rest = token[1:]
    if rest.startswith("ال") and len(rest) >= 4:
        return True
    if token.startswith("لل") and freq.get("ا" + rest, 0):
        return True
    n = freq.get(rest, 0)
    if n and (n >= VETO_RATIO * freq.get(token, 0) or n >= COMMON_WORD):
        return True
    return any(rest.endswith(suf) and len(rest) - len(suf) >= 2 and _host(rest[:-len(suf)], freq)
               for suf in _REST_SUFFIXES)


def clitic_veto(token: str, freq: dict[str, int]) -> str | tuple[str, bool]:
    """What the MWT step may do with a token the tokenizer marked multi-word.

    Returns the token (keep it one word) or ``(token, True)`` (let the MWT model expand it).
    A leading و/ف/ب/ل/ك is taken for a clitic only when :func:`_rest_is_word`: ``وقال`` ->
    expand; ``بلينكن``, ``لبنان``, ``وزارته`` -> one word; a three-letter token, by
    :func:`_short_host` (``وصف`` -> one word, ``وهو`` -> expand). (A token vetoed for its first letter
    also keeps a pronoun suffix: Stanza 1.15 numbers the words of hand-given expansions wrongly
    for the parser, so the veto cannot split the suffix alone.)
    """
    if len(token) < 3 or token[0] not in _PROCLITIC_LETTERS or not set(token) <= _ARABIC_WORD:
        return token, True
    if len(token) == 3:
        return token if _short_host(token, freq) else (token, True)
    if _rest_is_word(token, freq) or _preposition_with_pronoun(token):
        return token, True
    return token


def _short_host(token: str, freq: dict[str, int]) -> bool:
    """Whether a three-letter token is a word of its own rather than a clitic and a
    two-letter word: its rest is rarer than the whole (``وصف`` 493 against ``صف`` 172,
    ``وعد``، ``وقع``، ``بعد``) and no pronoun (``بها``); ``وهو``، ``ولا``، ``ومن`` split."""
    rest = token[1:]
    if rest in _SUFFIXES:
        return False
    n, whole = freq.get(rest, 0), freq.get(token, 0)
    return whole > 0 and n < whole


#: prepositions that take pronoun suffixes (فيها، عليه، لديهم): a first letter ف/ل/ب/ك/و of
#: these is the word's own, but the token is still two words
_PREPOSITIONS = ("في", "على", "علي", "لدى", "لدي", "إلى", "إلي", "الي", "عن", "من", "مع",
                 "بين", "لكن", "كل", "بعض", "ضد", "لأن", "وراء", "فوق", "قبل", "بعد")


def _preposition_with_pronoun(token: str) -> bool:
    """``فيها`` = في + ها, ``لديه`` = لدى + ه: let the MWT model split the suffix."""
    return any(token.endswith(suf) and token[:-len(suf)] in _PREPOSITIONS for suf in _SUFFIXES)


class CliticVeto:
    """Stanza ``tokenize_postprocessor``: :func:`clitic_veto` on every multi-word token."""

    def __init__(self, freq: dict[str, int]) -> None:
        self.freq = freq

    def __call__(self, sentences: list[list[Any]]) -> list[list[Any]]:
        return [[clitic_veto(w[0], self.freq) if isinstance(w, tuple) and w[1] is True else w
                 for w in sent] for sent in sentences]


def default_processors(models: str | os.PathLike) -> str:
    """Every processor the model set has: all for the embedded and official models, what
    the files provide for a folder (a folder without a parser gives tokenize,mwt,ner)."""
    if str(models) in ("embedded", "official"):
        return DEFAULT_PROCESSORS
    folder = Path(models).expanduser()
    if folder.is_dir() and (folder / MODEL_FILES["tokenize"]).exists():
        return available_processors(folder) or "tokenize"
    return DEFAULT_PROCESSORS


def load_pipeline(models: str | os.PathLike | None = None,
                  processors: str | None = None,
                  use_gpu: bool | None = None) -> Any:
    """A ``stanza.Pipeline`` for Arabic, cached per process.

    ``models``: ``"embedded"`` (default, or the ``KZCRISIS_MODELS`` variable): the package's
    models, checked against their sha256, loaded without any network access;
    ``"official"``: Stanza's official Arabic models via ``stanza.download`` (internet);
    a folder path: either a folder with the stable file names of ``kzcrisis/models/ar``
    (``ar_tokenizer.pt``, ``ar_mwt.pt``, ``ar_pos.pt``, ``ar_lemma.pt``, ``ar_depparse.pt``,
    ``ar_ner.pt``, ``ar_pretrain.pt``, ``resources.json``; the processors are those whose files
    are there) or a ``stanza_resources`` folder holding ``resources.json`` and ``ar/``.
    ``processors`` (default: all the model set has) names a subset, e.g. ``"tokenize,mwt"``.
    ``use_gpu=None`` lets Stanza use a GPU when there is one.

    >>> nlp = load_pipeline()                       # doctest: +SKIP
    >>> sorted(nlp.processors)                      # doctest: +SKIP
    ['depparse', 'lemma', 'mwt', 'ner', 'pos', 'tokenize']
    """
    if models is None:
        models = os.environ.get(_ENV, "").strip() or "embedded"
    if processors is None:
        processors = default_processors(models)
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
    float32_pretrains()
    return stanza


def float32_pretrains() -> None:
    """Make Stanza's word-vector loader hand float32 to the models whatever the file holds.

    The embedded vectors are stored as float16 (half the size, ``make models``' ``compact``
    stage); the model weights are cast back by ``load_state_dict`` on their own, the vectors
    need this. Idempotent; other pretrain files are unaffected (they are float32 already)."""
    from stanza.models.common.pretrain import Pretrain  # noqa: PLC0415

    if getattr(Pretrain.load, "_kz_float32", False):
        return
    original = Pretrain.load

    def load(self: Any) -> None:
        original(self)
        emb = getattr(self, "_emb", None)
        if emb is not None and hasattr(emb, "dtype") and str(emb.dtype) == "torch.float16":
            self._emb = emb.float()

    load._kz_float32 = True  # type: ignore[attr-defined]
    Pretrain.load = load


def _load(models: str | os.PathLike, procs: str, use_gpu: bool | None) -> Any:
    stanza = _import_stanza()

    common: dict[str, Any] = {"lang": "ar", "processors": procs, "logging_level": "WARN"}
    if use_gpu is not None:
        common["use_gpu"] = use_gpu
    if models == "embedded":
        # the frequency list is part of the embedded set (a folder may go without it)
        verify_models(MODELS_DIR, _needed_files(procs) + [MODEL_FILES["freq"]] * ("mwt" in procs))
        kw = _local_kwargs(MODELS_DIR, procs)
        return _pipeline(stanza, download_method=None, **common, **kw)
    if models == "official":
        try:
            stanza.download("ar", processors=procs, logging_level="WARN")
        except Exception as err:  # noqa: BLE001 (any network/HTTP failure means the same)
            raise KzError("cannot download Stanza's official Arabic models "
                          f"({type(err).__name__}; offline?): use models='embedded' (the default) "
                          "or a folder of Stanza models") from None
        return _pipeline(stanza, download_method=None, **common, **_veto_kwargs(MODELS_DIR, procs))
    folder = Path(models).expanduser()
    if not folder.is_dir():
        raise KzError(f"models={str(models)!r} is neither 'embedded', 'official' nor a folder")
    if (folder / MODEL_FILES["tokenize"]).exists():
        missing = [f for f in _needed_files(procs, folder) if not (folder / f).exists()]
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


_LEMMA_MARKS = str.maketrans("", "", "".join(map(chr, range(0x064B, 0x0653))) + "\u0670\u0640")


def _word_row(doc_id: str, sent_id: int, token_id: int, tok: Any, w: Any, off: int = 0) -> tuple:
    """One ``words`` row; lemmas lose diacritics (the model learnt them without, but copies
    those of a vocalized input word: حالةَ -> حالة)."""
    head = w.head if w.head is not None else -1
    lemma = (w.lemma or "").translate(_LEMMA_MARKS)
    return (doc_id, sent_id, token_id, w.id, w.text, lemma, w.upos or "", w.feats or "",
            head, w.deprel or "", tok.start_char + off, tok.end_char + off)


def _tables(doc_id: str, text: str, pieces: list[tuple[int, Any]], rows: dict[str, list],
            known: Any) -> None:
    """Rows of one document from its annotated segments (``(offset, stanza Document)``, see
    :func:`kzcrisis.layout.layout`); offsets are shifted back to the document's text."""
    token_id = ent_id = sent_id = 0
    for off, doc in pieces:
        seg = doc.text
        for sent in doc.sentences:
            s_start, s_end = sent.tokens[0].start_char + off, sent.tokens[-1].end_char + off
            rows["sentences"].append((doc_id, sent_id, s_start, s_end, text[s_start:s_end]))
            for tok in sent.tokens:
                rows["tokens"].append((doc_id, sent_id, token_id, tok.text, tok.start_char + off,
                                       tok.end_char + off, "|".join(w.text for w in tok.words)))
                rows["words"].extend(_word_row(doc_id, sent_id, token_id, tok, w, off)
                                     for w in tok.words)
                token_id += 1
            for ent in sent.ents:
                start, end = _entity_span(ent, seg, known)
                rows["entities"].append((doc_id, sent_id, ent_id, text[start + off:end + off],
                                         ent.type, start + off, end + off))
                ent_id += 1
            sent_id += 1


def _frame(rows: list[tuple], columns: list[str]) -> pd.DataFrame:
    if not rows:
        return schemas.empty(columns)
    df = pd.DataFrame(rows, columns=columns)
    for col in ("sent_id", "token_id", "ent_id", "word_id", "head", "start_char", "end_char"):
        if col in df.columns:
            df[col] = df[col].astype("int64")
    return df


def annotate(docs_or_text: pd.DataFrame | str, pipeline: Any = None, batch_size: int = 32,
             progress: bool | None = None) -> Annotation:
    """Tokens (with their MWT expansion), words (lemma, tags, tree), sentences and entities.

    ``docs_or_text``: a DataFrame with ``doc_id`` and ``text_clean`` (``kz.clean_corpus``), or
    one text (``doc_id`` ``"doc"``). ``pipeline``: a ``stanza.Pipeline`` (default
    :func:`load_pipeline`). Documents go to Stanza ``batch_size`` at a time (bulk
    processing); ``progress`` shows a tqdm bar (default: on for more than one document).

    >>> ann = annotate("قال وزير الخارجية إن القوات وصلت.")  # doctest: +SKIP
    >>> ann.words[["text", "lemma", "upos", "head", "deprel"]].head(3)  # doctest: +SKIP
    """
    ids, texts = _documents(docs_or_text)
    if not isinstance(batch_size, int) or batch_size < 1:
        raise KzError(f"batch_size must be a positive integer, got {batch_size!r}")
    nlp = pipeline if pipeline is not None else load_pipeline()
    stanza = _import_stanza()

    if progress is None:
        progress = len(texts) > 1
    rows: dict[str, list] = {"sentences": [], "tokens": [], "words": [], "entities": []}
    known = _known_words(nlp)
    from tqdm import tqdm  # noqa: PLC0415 (plain bar: tqdm.auto warns without ipywidgets)

    with tqdm(total=len(texts), disable=not progress, desc="annotate", unit="doc",
              file=sys.stderr) as bar:
        for i in range(0, len(texts), batch_size):
            chunk = texts[i:i + batch_size]
            # each text is cut at the line breaks that end a headline, and its breaks inside a
            # sentence become spaces for the tokenizer (kzcrisis.layout); offsets do not move
            lays = [layout(t) for t in chunk]
            segs = [[(s, lay.text[s:e]) for s, e in lay.segments] for lay in lays]
            batch = [stanza.Document([], text=seg) for doc_segs in segs for _, seg in doc_segs]
            done = iter(nlp.bulk_process(batch) if batch else [])
            for doc_id, text, doc_segs in zip(ids[i:i + batch_size], chunk, segs, strict=True):
                _tables(doc_id, text, [(s, next(done)) for s, _ in doc_segs], rows, known)
            bar.update(len(chunk))
    return Annotation(
        sentences=_frame(rows["sentences"], schemas.SENTENCES),
        tokens=_frame(rows["tokens"], schemas.TOKENS),
        entities=_frame(rows["entities"], schemas.ENTITIES),
        words=_frame(rows["words"], schemas.WORDS),
    )
