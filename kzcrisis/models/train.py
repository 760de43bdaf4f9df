"""Train the embedded Stanza Arabic models (tokenizer, MWT, tagger, lemmatizer, parser, NER).

Usage (``make models``)::

    python -m kzcrisis.models.train --corpora ../shared/corpora [--build build/models] [--stage all]

Every step calls Stanza's own entry points (``stanza.utils.datasets.prepare_*``,
``stanza.utils.training.run_tokenizer``/``run_mwt``/``run_pos``/``run_lemma``/``run_depparse``/
``run_ner``) in a subprocess started with explicit torch threads (:mod:`._launch`), with
``UDBASE``/``DATA_ROOT``/``NERBASE`` pointing into the scratch folder, and copies the
resulting files into ``kzcrisis/models/ar/`` under stable names. The corpora are read, never
copied into the package. Everything is seeded (``SEED``); see ``MODEL_CARD.md``.

Data preparation done here (the rest is Stanza's):

* UD Arabic-PUD writes clitics as separate tokens glued with ``SpaceAfter=No`` and has no
  multi-word-token lines. We rebuild PADT-style multi-word tokens (:func:`pud_mwt_groups`):
  a maximal run of tokens joined by ``SpaceAfter=No`` in which no token is punctuation,
  a symbol or contains a digit or Latin letter becomes one multi-word token whose surface is
  the concatenation of its parts (proclitics و/ف/ب/ل/ك/س + word, word + pronoun suffix).
  Sentences are split 8:1:1 by position (i % 10 == 0 -> test, == 1 -> dev); the test part is
  held out for scoring.
* Extra tokenizer/sentence-split text from the ANERcorp *train* split (:func:`anercorp_extra`):
  sentences detokenized (punctuation attached as in running text, clitics as written), grouped
  into paragraphs; a token is marked multi-word with the expansion seen for the same surface
  in PUD, else with the expansion predicted by a first PUD-only tokenizer+MWT (self-training),
  else single-word.
* NER: AQMAR through ``prepare_ner_dataset ar_aqmar`` (Stanza's split) plus the ANERcorp
  train split (PERS -> PER) as extra training sentences; AQMAR dev for early stopping.
* Word vectors: gensim word2vec (100-d, seeded, one worker) on SaudiNewsNet (:mod:`.news`) and
  the token text of the training sides, pruned to 50,000 words, one pretrain file shared by the
  tagger, parser and NER.
* Tagger, lemmatizer, parser: UD Arabic-PUD plus UD Arabic-PADT v1 converted to UD v2
  (:mod:`.ud`); small network sizes that train on two CPU cores (``POS_SIZE``,
  ``PARSER_SIZE``); weights stored as float16 (``compact``).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

from kzcrisis.errors import KzError
from kzcrisis.models.ud import read_conllu
from kzcrisis.paths import CORPORA, MODELS_DIR, ROOT

SEED = 1234
SHORT = "ar_kzpud"            # UD_Arabic-KZPUD: PUD only (MWT model, first tokenizer)
SHORT_TOK = "ar_kzcombo"      # UD_Arabic-KZCOMBO: PUD + detokenized ANERcorp (final tokenizer)
NER_SHORT = "ar_kz"
#: stable names of the packaged model files
UD_SHORT = "ar_kzud"          # UD_Arabic-KZUD: PUD train + converted PADT v1 (tagger, parser)
LEM_SHORT = "ar_kzlem"        # UD_Arabic-KZLEM: PUD only, lemmas without diacritics
FILES = {
    "tokenize": "ar_tokenizer.pt",
    "mwt": "ar_mwt.pt",
    "ner": "ar_ner.pt",
    "pretrain": "ar_pretrain.pt",
    "pos": "ar_pos.pt",
    "lemma": "ar_lemma.pt",
    "depparse": "ar_depparse.pt",
    "forward_charlm": "ar_forward_charlm.pt",
    "backward_charlm": "ar_backward_charlm.pt",
}
#: character language model settings (Stanza's default width, 1024, is out of reach on CPU)
CHARLM = {"char_hidden_dim": 256, "char_emb_dim": 100, "epochs": 1, "cutoff": 5,
          "batch_size": 100, "bptt_size": 250}
#: the word-frequency list from SaudiNewsNet that vetoes clitic splits of names
FREQ_FILE = "ar_word_freq.tsv"

_LATIN_OR_DIGIT = re.compile(r"[0-9A-Za-z\u0660-\u0669\u06F0-\u06F9]")
_ATTACH_LEFT = set(".,،؛;:!?؟)]}»”%…")
_ATTACH_RIGHT = set("([{«“")

# ------------------------------------------------------------------------- PUD -> PADT style


def _space_after_no(misc: str) -> bool:
    return "SpaceAfter=No" in misc.split("|")


def _drop_space_after(misc: str) -> str:
    parts = [p for p in misc.split("|") if p != "SpaceAfter=No" and p != "_"]
    return "|".join(parts) or "_"


def _mwt_candidate(row: list[str]) -> bool:
    return row[3] not in ("PUNCT", "SYM") and not _LATIN_OR_DIGIT.search(row[1])


def pud_mwt_groups(rows: list[list[str]]) -> list[list[int]]:
    """Indices of rows grouped into tokens: runs of clitic-joined words become one group."""
    groups: list[list[int]] = []
    cur: list[int] = []
    for i, row in enumerate(rows):
        if cur:
            prev = rows[cur[-1]]
            if _space_after_no(prev[9]) and _mwt_candidate(prev) and _mwt_candidate(row):
                cur.append(i)
                continue
            groups.append(cur)
        cur = [i]
    if cur:
        groups.append(cur)
    return groups


def to_padt_style(comments: list[str], rows: list[list[str]]) -> str:
    """One PUD sentence as CoNLL-U with multi-word token lines."""
    lines = [c for c in comments if c.startswith(("# sent_id", "# text =", "# newdoc", "# newpar"))]
    for group in pud_mwt_groups(rows):
        if len(group) == 1:
            lines.append("\t".join(rows[group[0]]))
            continue
        first, last = rows[group[0]], rows[group[-1]]
        form = "".join(rows[i][1] for i in group)
        misc = "SpaceAfter=No" if _space_after_no(last[9]) else "_"
        lines.append("\t".join([f"{first[0]}-{last[0]}", form] + ["_"] * 7 + [misc]))
        for i in group:
            r = list(rows[i])
            r[9] = _drop_space_after(r[9])
            lines.append("\t".join(r))
    return "\n".join(lines) + "\n"


def split_pud(pud: Path) -> dict[str, list[str]]:
    """PUD sentences (PADT style) split by position: i%10==0 test, ==1 dev, else train."""
    sents = read_conllu(pud)
    split: dict[str, list[str]] = {"train": [], "dev": [], "test": []}
    for i, (comments, rows) in enumerate(sents):
        name = "test" if i % 10 == 0 else "dev" if i % 10 == 1 else "train"
        split[name].append(to_padt_style(comments, rows))
    return split


def pud_mwt_lexicon(pud: Path, splits: tuple[str, ...] = ("train", "dev")) -> dict[str, list[str]]:
    """Surface -> expansion for every token of the PUD training side (single words map to [w])."""
    counts: dict[str, dict[tuple[str, ...], int]] = {}
    for i, (_comments, rows) in enumerate(read_conllu(pud)):
        name = "test" if i % 10 == 0 else "dev" if i % 10 == 1 else "train"
        if name not in splits:
            continue
        for group in pud_mwt_groups(rows):
            words = tuple(rows[j][1] for j in group)
            surface = "".join(words)
            counts.setdefault(surface, {}).setdefault(words, 0)
            counts[surface][words] += 1
    return {s: list(max(c.items(), key=lambda kv: kv[1])[0]) for s, c in counts.items()}


# ----------------------------------------------------------------------- BIO corpora readers


def read_bio(path: Path, tag_map: dict[str, str] | None = None) -> list[list[tuple[str, str]]]:
    """Sentences of a ``token TAG`` file (blank line between sentences)."""
    sents: list[list[tuple[str, str]]] = []
    cur: list[tuple[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if not parts:
            if cur:
                sents.append(cur)
            cur = []
            continue
        tok, tag = parts[0], parts[-1] if len(parts) > 1 else "O"
        if tag_map:
            for old, new in tag_map.items():
                tag = tag.replace(old, new)
        cur.append((tok, tag))
    if cur:
        sents.append(cur)
    return sents


def detokenize(tokens: list[str]) -> tuple[str, list[bool]]:
    """Running text of a token list and, per token, whether a space follows it."""
    space_after = [True] * len(tokens)
    quote_open = False
    for i, tok in enumerate(tokens):
        if i + 1 < len(tokens) and tokens[i + 1] in _ATTACH_LEFT:
            space_after[i] = False
        if tok in _ATTACH_RIGHT:
            space_after[i] = False
        if tok == '"':
            if not quote_open:
                space_after[i] = False
            elif i > 0:
                space_after[i - 1] = False
            quote_open = not quote_open
    space_after[-1] = False
    text = "".join(t + (" " if s else "") for t, s in zip(tokens, space_after, strict=True))
    return text, space_after


def anercorp_extra(sents: list[list[tuple[str, str]]], expand, per_par: int = 4) -> list[str]:
    """ANERcorp sentences as CoNLL-U with multi-word tokens from ``expand(surface)``."""
    out = []
    for k, sent in enumerate(sents):
        tokens = [t for t, _ in sent]
        text, space_after = detokenize(tokens)
        # a sentence followed by another in the same paragraph ends with a space: without it
        # the tokenizer learnt sentences glued as ``الوزير.وصلت``
        last_in_par = (k + 1) % per_par == 0 or k + 1 == len(sents)
        space_after[-1] = not last_in_par
        lines = []
        if k % per_par == 0:
            lines.append("# newpar")
        lines += [f"# sent_id = anercorp-{k}", f"# text = {text}"]
        n = 0
        for tok, sp in zip(tokens, space_after, strict=True):
            words = expand(tok) if tok not in _ATTACH_LEFT | _ATTACH_RIGHT else [tok]
            misc = "_" if sp else "SpaceAfter=No"
            if len(words) > 1:
                lines.append("\t".join([f"{n + 1}-{n + len(words)}", tok] + ["_"] * 7 + [misc]))
                for w in words:
                    n += 1
                    lines.append("\t".join([str(n), w, "_", "X", "_", "_",
                                            str(max(n - 1, 0)), "dep" if n > 1 else "root", "_", "_"]))
            else:
                n += 1
                lines.append("\t".join([str(n), tok, "_", "X", "_", "_",
                                        str(max(n - 1, 0)), "dep" if n > 1 else "root", "_", misc]))
        out.append("\n".join(lines) + "\n")
    return out


# ------------------------------------------------------------------------------- helpers


def _run(args: list[str], env: dict[str, str], cwd: Path, log: Path) -> None:
    print("$", " ".join(args), flush=True)
    with log.open("a", encoding="utf-8") as fh:
        fh.write("$ " + " ".join(args) + "\n")
        fh.flush()
        proc = subprocess.run(args, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT)
    if proc.returncode != 0:
        raise KzError(f"training step failed ({' '.join(args[:4])} ...); see {log}")


#: torch threads of every training step (``--threads``); one is fastest on two shared cores
THREADS = 1


def _env(build: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(UDBASE=str(build / "ud"), DATA_ROOT=str(build / "data"),
               NERBASE=str(build / "ner_extern"), PYTHONHASHSEED=str(SEED),
               OMP_NUM_THREADS=str(THREADS), MKL_NUM_THREADS=str(THREADS))
    return env


def _stanza(module: str, *args: str) -> list[str]:
    """Command line of one Stanza entry point, started with explicit torch threads."""
    return [sys.executable, "-m", "kzcrisis.models._launch", str(THREADS), module, *args]


def _write_treebank(build: Path, name: str, short: str, split: dict[str, list[str]]) -> None:
    folder = build / "ud" / name
    folder.mkdir(parents=True, exist_ok=True)
    for part, sents in split.items():
        (folder / f"{short}-ud-{part}.conllu").write_text(conllu_file(sents), encoding="utf-8")


def conllu_file(sents: list[str]) -> str:
    """Sentences joined into one CoNLL-U file: one blank line after *every* sentence.

    Stanza's readers drop a last sentence that is not followed by a blank line."""
    return "".join(s.rstrip("\n") + "\n\n" for s in sents)


def _check_corpora(corpora: Path) -> dict[str, Path]:
    need = {
        "pud": corpora / "ud_arabic_pud" / "ar_pud-ud-test.conllu",
        "aqmar": corpora / "aqmar",
        "aner_train": corpora / "anercorp" / "ANERCorp_CamelLab_train.txt",
        "aner_test": corpora / "anercorp" / "ANERCorp_CamelLab_test.txt",
        "saudi": corpora / "saudinewsnet",
        "padt": corpora / "ud_arabic_padt_v1" / "ar-ud-test.conllu",
    }
    for p in need.values():
        if not p.exists():
            raise KzError(f"corpus file {p} not found; get the corpora listed in "
                          "kzcrisis/models/ar/MODEL_CARD.md and pass --corpora")
    return need | {"root": corpora}


# ------------------------------------------------------------------------------- stages


def stage_pud(c: dict[str, Path], build: Path) -> None:
    _write_treebank(build, "UD_Arabic-KZPUD", SHORT, split_pud(c["pud"]))


def stage_tokenizer(build: Path, log: Path, short: str, steps: int) -> Path:
    treebank = "UD_Arabic-" + short.split("_", 1)[1].upper()
    env = _env(build)
    _run(_stanza("stanza.utils.datasets.prepare_tokenizer_treebank", treebank), env, build, log)
    _run(_stanza("stanza.utils.training.run_tokenizer", treebank, "--steps", str(steps),
          "--seed", str(SEED), "--no_charlm", "--save_dir", str(build / "saved_models/tokenize"),
          "--save_name", f"{short}_tokenizer.pt", "--force"),
         env, build, log)
    return build / "saved_models/tokenize" / f"{short}_tokenizer.pt"


def stage_mwt(build: Path, log: Path, epochs: int) -> Path:
    env = _env(build)
    _run(_stanza("stanza.utils.datasets.prepare_mwt_treebank", "UD_Arabic-KZPUD"), env, build, log)
    _run(_stanza("stanza.utils.training.run_mwt", "UD_Arabic-KZPUD", "--num_epoch", str(epochs),
          "--seed", str(SEED), "--save_dir", str(build / "saved_models/mwt"),
          "--save_name", f"{SHORT}_mwt_expander.pt", "--force"), env, build, log)
    return build / "saved_models/mwt" / f"{SHORT}_mwt_expander.pt"


def stage_extra_tok(c: dict[str, Path], build: Path, tok_pt: Path, mwt_pt: Path) -> None:
    """Build UD_Arabic-KZCOMBO: PUD + detokenized ANERcorp train with MWT labels."""
    import stanza  # noqa: PLC0415 (only the training script needs it here)

    lexicon = pud_mwt_lexicon(c["pud"])
    sents = read_bio(c["aner_train"])
    unknown = sorted({t for s in sents for t, _ in s if t not in lexicon and _mwt_candidate(["", t, "", "X"])})
    res_dir = build / "res"
    res_dir.mkdir(exist_ok=True)
    (res_dir / "resources.json").write_text('{"ar": {"lang_name": "Arabic"}}', encoding="utf-8")
    nlp = stanza.Pipeline("ar", dir=str(res_dir), processors="tokenize,mwt",
                          tokenize_model_path=str(tok_pt), mwt_model_path=str(mwt_pt),
                          tokenize_pretokenized=False, download_method=None, use_gpu=False,
                          logging_level="WARN")
    predicted: dict[str, list[str]] = {}
    # one word per line, no sentence splitting: the tokenizer decides MWT per word
    chunk = 2000
    for i in range(0, len(unknown), chunk):
        words = unknown[i:i + chunk]
        doc = nlp("\n\n".join(words))
        for sent in doc.sentences:
            for tok in sent.tokens:
                if tok.text in words and len(tok.words) > 1 and "".join(w.text for w in tok.words) == tok.text:
                    predicted[tok.text] = [w.text for w in tok.words]

    counts = Counter(t for s in sents for t, _ in s)
    counts.update(t for s in read_bio_dir(c["aqmar"]) for t, _ in s)
    counts.update(set(lexicon))
    predicted = {t: w for t, w in predicted.items() if plausible_split(w, counts)}

    def expand(tok: str) -> list[str]:
        if tok in lexicon:
            return lexicon[tok]
        return predicted.get(tok) or rule_split(tok, counts)

    extra = anercorp_extra(sents, expand)
    rng = random.Random(SEED)
    pud = split_pud(c["pud"])
    train = pud["train"] + extra
    rng.shuffle(train)
    _write_treebank(build, "UD_Arabic-KZCOMBO", SHORT_TOK,
                    {"train": train, "dev": pud["dev"], "test": pud["test"]})
    (build / "mwt_pseudo_labels.json").write_text(
        json.dumps(predicted, ensure_ascii=False, indent=0), encoding="utf-8")


PREFIX_CLITICS = frozenset("وفبلكس")
SUFFIX_CLITICS = frozenset({"ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ني", "ي"})


def plausible_split(words: list[str], vocab: set[str] | Counter) -> bool:
    """Keep a predicted expansion only if its clitics are clitics and its host word occurs
    on its own in the corpora (rejects و|اشنطن, ك|ازاخستان, ب|ركا|نا)."""
    i, j = 0, len(words)
    while i < j - 1 and words[i] in PREFIX_CLITICS:
        i += 1
    while j - 1 > i and words[j - 1] in SUFFIX_CLITICS:
        j -= 1
    if (i, j) == (0, len(words)) or j - i != 1:
        return False
    host = words[i]
    forms = {host, "".join(words[i:]), "".join(words[:j])}
    if i and words[i - 1] == "ل" and host.startswith("ل"):
        forms.add("ا" + host)  # ل + ال written لل
    return any(f in vocab for f in forms)


def rule_split(tok: str, counts: Counter) -> list[str]:
    """Proclitic split of a word the PUD lexicon and the first models leave alone.

    و/ف/ب/ك + ال... when the rest occurs in the corpora; ل + ال written لل (PUD's
    ``ل`` + ``لـ...``) when the word with the article occurs; و/ف/ب/ل/ك + word when the rest
    is more frequent than the whole (وتسيطر, not وحدة); و/ف before any of these."""
    if len(tok) < 4 or _LATIN_OR_DIGIT.search(tok):
        return [tok]
    first, rest = tok[0], tok[1:]
    if first in "وف":
        inner = rule_split(rest, counts)
        if len(inner) > 1:
            return [first] + inner
    if first in "وفبك" and rest.startswith("ال") and counts.get(rest, 0) > 0:
        return [first, rest]
    if first == "ل" and rest.startswith("ل") and counts.get("ا" + rest, 0) > 0:
        return [first, rest]
    if first in "وفبلك" and len(rest) >= 3 and counts.get(rest, 0) > counts.get(tok, 0):
        return [first, rest]
    return [tok]


def read_bio_dir(folder: Path) -> list[list[tuple[str, str]]]:
    return [s for f in sorted(folder.glob("*.txt")) for s in read_bio(f)]


def ner_json(sents: list[list[tuple[str, str]]]) -> list[list[dict[str, str]]]:
    return [[{"text": t, "ner": tag} for t, tag in s] for s in sents]


def stage_ner_data(c: dict[str, Path], build: Path, log: Path) -> None:
    aq_dir = build / "ner_extern" / "arabic" / "AQMAR"
    aq_dir.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(aq_dir / "AQMAR_Arabic_NER_corpus-1.0.zip", "w") as z:
        for f in sorted(c["aqmar"].glob("*.txt")):
            z.write(f, f.name)
    _run(_stanza("stanza.utils.datasets.ner.prepare_ner_dataset", "ar_aqmar"),
         _env(build), build, log)
    ner_dir = build / "data" / "ner"
    aq = {p: json.loads((ner_dir / f"ar_aqmar.{p}.json").read_text(encoding="utf-8"))
          for p in ("train", "dev", "test")}
    aner = ner_json(read_bio(c["aner_train"], {"PERS": "PER"}))
    combo = {"train": aq["train"] + aner, "dev": aq["dev"], "test": aq["test"]}
    for p, data in combo.items():
        (ner_dir / f"{NER_SHORT}.{p}.json").write_text(json.dumps(data, ensure_ascii=False),
                                                      encoding="utf-8")
    aner_test = ner_json(read_bio(c["aner_test"], {"PERS": "PER"}))
    (ner_dir / "ar_anercorp.test.json").write_text(json.dumps(aner_test, ensure_ascii=False),
                                                    encoding="utf-8")


#: word2vec settings of the shipped vectors (recorded in the model card)
W2V = {"vector_size": 100, "window": 5, "min_count": 3, "sg": 1, "negative": 5,
       "epochs": 5, "workers": 1, "seed": SEED}


def stage_news(c: dict[str, Path], build: Path) -> Path:
    """SaudiNewsNet as one token file for word2vec, and the frequency list beside it."""
    from kzcrisis.models import news  # noqa: PLC0415

    out = build / "saudinewsnet.tok.txt"
    counts = news.write_token_file(c["saudi"], out)
    news.write_freq(counts, build / FREQ_FILE, min_count=W2V["min_count"])
    return out


def _training_sentences(c: dict[str, Path], build: Path) -> list[list[str]]:
    """Token text of the training sides: NER corpora (tokens), PUD train (tokens and words),
    converted PADT train (words)."""
    from kzcrisis.models import ud  # noqa: PLC0415

    texts: list[list[str]] = []
    ner_dir = build / "data" / "ner"
    for p in ("train", "dev"):
        for s in json.loads((ner_dir / f"ar_aqmar.{p}.json").read_text(encoding="utf-8")):
            texts.append([t["text"] for t in s])
    texts += [[t for t, _ in s] for s in read_bio(c["aner_train"])]
    pud_train = split_pud(c["pud"])["train"]
    texts += [surface_tokens(sent) for sent in pud_train]
    texts += [syntactic_words(sent) for sent in pud_train + ud.padt_split(c["root"])["train"]]
    return texts


class _Corpus:
    """Re-iterable sentences: the news token file, then the training sides (for gensim)."""

    def __init__(self, news_file: Path, extra: list[list[str]]) -> None:
        self.news_file, self.extra = news_file, extra

    def __iter__(self):
        with self.news_file.open(encoding="utf-8") as fh:
            for line in fh:
                yield line.split()
        yield from self.extra


def stage_vectors(c: dict[str, Path], build: Path, vocab_sizes: list[int]) -> dict[int, Path]:
    """word2vec on SaudiNewsNet + the training sides, pruned to each vocabulary size."""
    from gensim.models import Word2Vec  # noqa: PLC0415

    news_file = build / "saudinewsnet.tok.txt"
    if not news_file.exists():
        stage_news(c, build)
    model = Word2Vec(_Corpus(news_file, _training_sentences(c, build)), **W2V)
    model.save(str(build / "ar_word2vec.model"))
    return {n: write_pretrain(model.wv, build, n) for n in vocab_sizes}


def write_pretrain(wv, build: Path, max_vocab: int) -> Path:
    """The ``max_vocab`` most frequent words as a Stanza pretrain file."""
    from stanza.models.common.pretrain import Pretrain  # noqa: PLC0415

    words = wv.index_to_key[:max_vocab]
    txt = build / f"ar_word2vec_{max_vocab}.txt"
    with txt.open("w", encoding="utf-8") as fh:
        fh.write(f"{len(words)} {wv.vector_size}\n")
        for w in words:
            fh.write(w + " " + " ".join(f"{x:.5f}" for x in wv[w]) + "\n")
    pt = build / f"ar_pretrain_{max_vocab}.pt"
    if pt.exists():
        pt.unlink()
    Pretrain(str(pt), str(txt), max_vocab=max_vocab).load()
    return pt


def syntactic_words(sent: str) -> list[str]:
    """Syntactic words of one CoNLL-U sentence (the parts of multi-word tokens)."""
    return [ln.split("\t")[1] for ln in sent.split("\n")
            if ln and not ln.startswith("#") and ln.split("\t")[0].isdigit()]


# ----------------------------------------------------------- tagger, lemmatizer, parser


def stage_ud(c: dict[str, Path], build: Path) -> None:
    """UD_Arabic-KZUD (PUD train + PADT v1 train; PUD dev; PUD test) and UD_Arabic-KZLEM."""
    from kzcrisis.models import ud  # noqa: PLC0415

    pud = {k: [ud.pud_for_tagging(s) for s in v] for k, v in split_pud(c["pud"]).items()}
    padt = ud.padt_split(c["root"])
    train = pud["train"] + padt["train"]
    random.Random(SEED).shuffle(train)
    _write_treebank(build, "UD_Arabic-KZUD", UD_SHORT,
                    {"train": train, "dev": pud["dev"], "test": pud["test"]})
    _write_treebank(build, "UD_Arabic-KZLEM", LEM_SHORT, pud)
    (build / "padt_heldout.conllu").write_text(conllu_file(padt["test"]), encoding="utf-8")


#: a tagger and parser small enough to train on two CPU cores in minutes, not hours
#: (Stanza's defaults take 15 s a step there): smaller batches and hidden layers
POS_SIZE = ["--batch_size", "32", "--hidden_dim", "150", "--char_hidden_dim", "100",
            "--deep_biaff_hidden_dim", "150", "--composite_deep_biaff_hidden_dim", "50",
            "--fix_eval_interval"]
PARSER_SIZE = ["--batch_size", "1000", "--hidden_dim", "200", "--char_hidden_dim", "100",
               "--deep_biaff_hidden_dim", "200", "--num_layers", "2"]


def stage_pos(build: Path, log: Path, pretrain: Path, steps: int, charlm: bool = False) -> Path:
    """Tagger and features on PUD train + converted PADT; with ``charlm`` the character LMs
    of the charlm stage as well (saved under another name, for the comparison)."""
    env = _env(build)
    _run(_stanza("stanza.utils.datasets.prepare_pos_treebank", "UD_Arabic-KZUD"), env, build, log)
    name = "ar_kz_charlm_tagger.pt" if charlm else "ar_kz_tagger.pt"
    _run(_stanza("stanza.utils.training.run_pos", "UD_Arabic-KZUD",
                 *(["--charlm", NER_SHORT.split("_", 1)[1]] if charlm else ["--no_charlm"]),
                 "--wordvec_pretrain_file", str(pretrain), "--max_steps", str(steps),
                 "--eval_interval", "100", "--seed", str(SEED), *POS_SIZE,
                 "--save_dir", str(build / "saved_models/pos"), "--save_name", name, "--force"),
         env, build, log)
    return build / "saved_models/pos" / name


def stage_lemma(build: Path, log: Path, epochs: int) -> Path:
    env = _env(build)
    _run(_stanza("stanza.utils.datasets.prepare_lemma_treebank", "UD_Arabic-KZLEM", "--gold"),
         env, build, log)
    _run(_stanza("stanza.utils.training.run_lemma", "UD_Arabic-KZLEM", "--no_charlm",
                 "--no_lemma_classifier", "--num_epoch", str(epochs), "--seed", str(SEED),
                 "--save_dir", str(build / "saved_models/lemma"),
                 "--save_name", "ar_kz_lemmatizer.pt"), env, build, log)
    return build / "saved_models/lemma" / "ar_kz_lemmatizer.pt"


def stage_depparse(build: Path, log: Path, pretrain: Path, steps: int) -> Path:
    env = _env(build)
    # gold tags for training: the predicted-tag retagger would need an official tagger download
    _run(_stanza("stanza.utils.datasets.prepare_depparse_treebank", "UD_Arabic-KZUD", "--gold"),
         env, build, log)
    _run(_stanza("stanza.utils.training.run_depparse", "UD_Arabic-KZUD", "--no_charlm",
                 "--wordvec_pretrain_file", str(pretrain), "--max_steps", str(steps),
                 "--eval_interval", "100", "--seed", str(SEED), *PARSER_SIZE,
                 "--save_dir", str(build / "saved_models/depparse"),
                 "--save_name", "ar_kz_parser.pt"), env, build, log)
    return build / "saved_models/depparse" / "ar_kz_parser.pt"


def surface_tokens(sent: str) -> list[str]:
    """Surface tokens of one CoNLL-U sentence (multi-word tokens as written, not their words)."""
    toks: list[str] = []
    covered_to = 0
    for ln in sent.split("\n"):
        if not ln or ln.startswith("#"):
            continue
        idx, form = ln.split("\t")[:2]
        if "-" in idx:
            toks.append(form)
            covered_to = int(idx.split("-")[1])
        elif idx.isdigit() and int(idx) > covered_to:
            toks.append(form)
    return toks


def charlm_text(news_file: Path, out: Path, train_mb: int, dev_lines: int = 2000) -> None:
    """The first ``train_mb`` MB of the news token file as charlm training text, and the
    ``dev_lines`` lines after it as its dev file (the LM sees the tokenizer's clitic split)."""
    (out / "train").mkdir(parents=True, exist_ok=True)
    limit = train_mb * 1_000_000
    size = 0
    with news_file.open(encoding="utf-8") as src, \
            (out / "train" / "news.txt").open("w", encoding="utf-8") as train, \
            (out / "dev.txt").open("w", encoding="utf-8") as dev:
        for line in src:
            if size < limit:
                train.write(line)
                size += len(line.encode("utf-8"))
            elif dev_lines > 0:
                dev.write(line)
                dev_lines -= 1
            else:
                break


def stage_charlm(c: dict[str, Path], build: Path, log: Path, train_mb: int) -> dict[str, Path]:
    """Forward and backward character LMs on SaudiNewsNet (one epoch over ``train_mb`` MB)."""
    news_file = build / "saudinewsnet.tok.txt"
    if not news_file.exists():
        stage_news(c, build)
    data = build / "charlm"
    charlm_text(news_file, data, train_mb)
    out = {}
    for direction in ("forward", "backward"):
        args = _stanza("stanza.models.charlm", "--train_dir", str(data / "train"),
                       "--eval_file", str(data / "dev.txt"), "--direction", direction,
                       "--shorthand", NER_SHORT, "--seed", str(SEED), "--report_steps", "100",
                       "--save_dir", str(build / "saved_models/charlm"),
                       "--save_name", f"{NER_SHORT}_{direction}_charlm.pt")
        for key, value in CHARLM.items():
            args += [f"--{key}", str(value)]
        _run(args, _env(build), build, log)
        out[direction] = build / "saved_models/charlm" / f"{NER_SHORT}_{direction}_charlm.pt"
    return out


def stage_ner(build: Path, log: Path, pretrain: Path, steps: int, finetune: bool,
              charlm: bool = False, save_name: str = "ar_kz_nertagger.pt") -> Path:
    """NER on AQMAR + ANERcorp train; with ``charlm`` the character LMs of the charlm stage
    (``saved_models/charlm/ar_kz_*_charlm.pt``, found there by Stanza's run_ner) add their
    contextual character embeddings to the word vectors."""
    args = _stanza("stanza.utils.training.run_ner", NER_SHORT,
                   "--wordvec_pretrain_file", str(pretrain), "--max_steps", str(steps),
                   "--seed", str(SEED), "--save_dir", str(build / "saved_models/ner"),
                   "--save_name", save_name, "--eval_interval", "250", "--force")
    args += ["--charlm", NER_SHORT.split("_", 1)[1]] if charlm else ["--no_charlm"]
    # fine-tuning only the words of the pretrain keeps the delta embedding (saved in the
    # model file) to the pretrain's size: all training words would add ~15 MB
    args.append("--emb_finetune_known_only" if finetune else "--no_emb_finetune")
    _run(args, _env(build), build, log)
    return build / "saved_models/ner" / save_name


def install(src: Path, kind: str, out: Path = MODELS_DIR) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    dest = out / FILES[kind]
    shutil.copyfile(src, dest)
    (out / "resources.json").write_text('{"ar": {"lang_name": "Arabic"}}\n', encoding="utf-8")
    return dest


def compact(folder: Path) -> dict[str, tuple[int, int]]:
    """Store the weights of the large models and the word vectors as float16 (half the size;
    loading casts them back to float32, see :func:`kzcrisis.nlp.float32_pretrains`).

    Returns ``file -> (bytes before, bytes after)``; a file already compact is left alone."""
    import torch  # noqa: PLC0415

    sizes = {}
    for kind in ("pos", "lemma", "depparse", "ner", "pretrain"):
        path = folder / FILES[kind]
        if not path.exists():
            continue
        before = path.stat().st_size
        data = torch.load(path, map_location="cpu", weights_only=False)
        changed = False
        if kind == "pretrain":
            emb = data["emb"]
            emb = torch.from_numpy(emb) if not isinstance(emb, torch.Tensor) else emb
            if emb.dtype == torch.float32:
                data["emb"], changed = emb.half(), True
        else:
            for key, value in data["model"].items():
                if isinstance(value, torch.Tensor) and value.dtype == torch.float32:
                    data["model"][key], changed = value.half(), True
        if changed:
            torch.save(data, path, _use_new_zipfile_serialization=kind != "pretrain")
        sizes[path.name] = (before, path.stat().st_size)
    return sizes


STAGES = ["pud", "tok0", "mwt", "tok", "nerdata", "news", "vectors", "charlm", "ud", "ner", "pos",
          "lemma", "depparse", "compact", "checksums"]


def _arguments() -> argparse.ArgumentParser:
    """The command line of ``python -m kzcrisis.models.train``."""
    ap = argparse.ArgumentParser(prog="python -m kzcrisis.models.train", description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--build", type=Path, default=ROOT / "build" / "models")
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    ap.add_argument("--stage", default="all", help="all, or a comma-separated list of: " + ", ".join(STAGES))
    ap.add_argument("--threads", type=int, default=THREADS, help="torch threads per training step")
    ap.add_argument("--tok0-steps", type=int, default=600)
    ap.add_argument("--tok-steps", type=int, default=1000)
    ap.add_argument("--mwt-epochs", type=int, default=30)
    ap.add_argument("--ner-steps", type=int, default=5000)
    ap.add_argument("--pos-steps", type=int, default=2000)
    ap.add_argument("--lemma-epochs", type=int, default=20)
    ap.add_argument("--depparse-steps", type=int, default=2000)
    ap.add_argument("--vocab", type=int, nargs="+", default=[50000, 100000],
                    help="pretrain sizes to write; the first is shipped")
    ap.add_argument("--charlm-mb", type=int, default=60,
                    help="MB of SaudiNewsNet text for one epoch of each character LM")
    ap.add_argument("--ner-charlm", action="store_true",
                    help="train the NER with the character LMs of the charlm stage")
    ap.add_argument("--pos-charlm", action="store_true",
                    help="train the tagger with the character LMs of the charlm stage")
    ap.add_argument("--emb-finetune", action="store_true",
                    help="fine-tune the NER word vectors (adds their size to ar_ner.pt)")
    return ap


def main(argv: list[str] | None = None) -> int:  # noqa: C901 (a listed exception)
    global THREADS
    a = _arguments().parse_args(argv)
    THREADS = a.threads
    a.out = a.out.resolve()
    c = _check_corpora(a.corpora.resolve())
    build = a.build.resolve()
    build.mkdir(parents=True, exist_ok=True)
    log = build / "train.log"
    wanted = STAGES if a.stage == "all" else a.stage.split(",")
    bad = [w for w in wanted if w not in STAGES]
    if bad:
        raise KzError(f"unknown stage {bad[0]!r}; choose from {', '.join(STAGES)}")
    saved = build / "saved_models"
    pretrain = a.out / FILES["pretrain"]
    for st in wanted:
        if st == "pud":
            stage_pud(c, build)
        elif st == "tok0":
            stage_tokenizer(build, log, SHORT, a.tok0_steps)
        elif st == "mwt":
            install(stage_mwt(build, log, a.mwt_epochs), "mwt", a.out)
        elif st == "tok":
            stage_extra_tok(c, build, saved / "tokenize" / f"{SHORT}_tokenizer.pt",
                            saved / "mwt" / f"{SHORT}_mwt_expander.pt")
            install(stage_tokenizer(build, log, SHORT_TOK, a.tok_steps), "tokenize", a.out)
        elif st == "nerdata":
            stage_ner_data(c, build, log)
        elif st == "news":
            stage_news(c, build)
            shutil.copyfile(build / FREQ_FILE, a.out / FREQ_FILE)
        elif st == "vectors":
            pts = stage_vectors(c, build, a.vocab)
            install(pts[a.vocab[0]], "pretrain", a.out)
        elif st == "charlm":
            for direction, path in stage_charlm(c, build, build / "train_charlm.log",
                                                a.charlm_mb).items():
                install(path, f"{direction}_charlm", a.out)
        elif st == "ud":
            stage_ud(c, build)
        elif st == "ner":
            install(stage_ner(build, build / "train_ner.log", pretrain, a.ner_steps,
                              a.emb_finetune, a.ner_charlm), "ner", a.out)
        elif st == "pos":
            install(stage_pos(build, build / "train_pos.log", pretrain, a.pos_steps,
                              a.pos_charlm), "pos", a.out)
        elif st == "lemma":
            install(stage_lemma(build, build / "train_lemma.log", a.lemma_epochs), "lemma", a.out)
        elif st == "depparse":
            install(stage_depparse(build, build / "train_depparse.log", pretrain,
                                   a.depparse_steps), "depparse", a.out)
        elif st == "compact":
            for name, (before, after) in compact(a.out).items():
                print(f"{name}: {before / 1e6:.1f} MB -> {after / 1e6:.1f} MB")
        elif st == "checksums":
            from kzcrisis.models import write_checksums  # noqa: PLC0415
            write_checksums(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
