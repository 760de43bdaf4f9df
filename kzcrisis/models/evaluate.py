"""Score the embedded models on held-out public data (``make eval-models``).

    python -m kzcrisis.models.evaluate --corpora ../shared/corpora --out reports/model_scores.csv

* tokens / sentences / words F1 (CoNLL 2018 UD scorer, ``udtools.udeval``) of the full
  tokenize+mwt pipeline on the held-out tenth of UD Arabic-PUD (raw text in, PADT-style
  multi-word tokens as gold, see :mod:`kzcrisis.models.train`);
* NER entity-level F1 (Stanza's own ``ner_tagger --mode predict`` scorer, gold tokens) on
  Stanza's AQMAR test split and on the ANERcorp (CAMeL Lab) test split;
* UPOS, UFeats, lemma accuracy, UAS and LAS of the tagger, lemmatizer and parser on gold
  tokenization (the CoNLL 2018 scorer), on the held-out PUD tenth and the held-out tenth of
  PADT v1 (converted as for training, :mod:`kzcrisis.models.ud`); lemmas are compared without
  diacritics (the models learn them so);
* attachment F1 of ``nsubj``/``obj``/``ccomp`` dependents of verbs (the relations statement
  attribution relies on): a predicted arc counts when dependent, head and relation match gold;
* the people of the seed article found as PER (a check, not a benchmark).

Writes the CSV (model, data, split, metric, value, reference) and the score table of
``MODEL_CARD.md`` between its ``scores`` markers.
"""
from __future__ import annotations

import argparse
import csv
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from kzcrisis.errors import KzError
from kzcrisis.models import MODEL_FILES
from kzcrisis.models import train as tr
from kzcrisis.paths import CORPORA, DATA_RAW, MODELS_DIR, REPORTS, ROOT

COLUMNS = ["model", "data", "split", "metric", "value", "reference"]
_NER_SCORE = re.compile(r"NER tagger score: \S+ \S+ \S+ ([0-9.]+)")
_NER_TYPE = re.compile(r"^\s+(PER|LOC|ORG|MISC): ([0-9.]+)$", re.M)
_BEGIN, _END = "<!-- scores:begin -->", "<!-- scores:end -->"
#: the seed article's people, as spelled there (checked as PER)
SEED_PEOPLE = {"Tokayev": ["توكايف", "توكاييف"], "Tleuberdi": ["تلوبيردي"],
               "Blinken": ["بلينكن"], "Zas": ["زاس"], "Psaki": ["ساكي"]}


def _conllu_from_annotation(ann) -> str:
    out: list[str] = []
    for _sid, sent in ann.tokens.groupby("sent_id", sort=True):
        lines, n = [], 0
        for tok in sent.itertuples():
            words = tok.words.split("|")
            if len(words) > 1:
                lines.append(f"{n + 1}-{n + len(words)}\t{tok.text}" + "\t_" * 8)
            for w in words:
                n += 1
                lines.append(f"{n}\t{w}\t_\t_\t_\t_\t{n - 1}\t{'root' if n == 1 else 'dep'}\t_\t_")
        out.append("\n".join(lines) + "\n")
    return "\n".join(out) + "\n"


def score_tokenizer(corpora: Path, models: Path) -> dict[str, float]:
    """Tokens/Sentences/Words F1 of tokenize+mwt on the held-out PUD tenth."""
    from udtools import udeval  # noqa: PLC0415

    from kzcrisis.nlp import annotate, load_pipeline  # noqa: PLC0415

    test = tr.split_pud(corpora / "ud_arabic_pud" / "ar_pud-ud-test.conllu")["test"]
    # documents as paragraphs, sentences joined by a space: the tokenizer splits sentences
    docs: list[list[str]] = []
    last = None
    for sent in test:
        doc_id = next((ln for ln in sent.split("\n") if ln.startswith("# sent_id")), "")[12:17]
        text = next(ln for ln in sent.split("\n") if ln.startswith("# text = "))[9:]
        if doc_id != last:
            docs.append([])
            last = doc_id
        docs[-1].append(text)
    raw = "\n\n".join(" ".join(d) for d in docs)
    pipe = load_pipeline(models, processors="tokenize,mwt")
    ann = annotate(raw, pipeline=pipe)
    with tempfile.TemporaryDirectory() as tmp:
        gold, system = Path(tmp) / "gold.conllu", Path(tmp) / "system.conllu"
        gold.write_text("\n".join(test) + "\n", encoding="utf-8")
        system.write_text(_conllu_from_annotation(ann), encoding="utf-8")
        ev = udeval.evaluate(udeval.load_conllu_file(str(gold)), udeval.load_conllu_file(str(system)))
    return {k: 100 * ev[k].f1 for k in ("Tokens", "Sentences", "Words")}


#: relations of verbs that statement attribution reads (subtypes folded: nsubj:pass -> nsubj)
VERB_RELATIONS = ("nsubj", "obj", "ccomp")


def _gold_rows(sent: str) -> list[list[str]]:
    return [ln.split("\t") for ln in sent.split("\n")
            if ln and not ln.startswith("#") and ln.split("\t")[0].isdigit()]


def _gold_conllu(sents: list[str]) -> str:
    """Gold sentences as plain word lines (no multi-word tokens), lemmas without diacritics."""
    from kzcrisis.models.news import strip_marks  # noqa: PLC0415

    out = []
    for sent in sents:
        rows = []
        for r in _gold_rows(sent):
            r = list(r)
            r[2] = strip_marks(r[2]) if r[2] != "_" else "_"
            r[4], r[8], r[9] = "_", "_", "_"
            rows.append("\t".join(r))
        out.append("\n".join(rows) + "\n")
    return "\n".join(out) + "\n"


def parse_gold_words(sents: list[str], models: Path) -> str:
    """The tagger, lemmatizer and parser run on the gold words of each sentence (CoNLL-U)."""
    from kzcrisis.nlp import _import_stanza, _local_kwargs  # noqa: PLC0415

    stanza = _import_stanza()
    kw = _local_kwargs(models, "tokenize,pos,lemma,depparse")
    kw.pop("tokenize_postprocessor", None)
    nlp = stanza.Pipeline("ar", processors="tokenize,pos,lemma,depparse", tokenize_pretokenized=True,
                          download_method=None, logging_level="WARN", use_gpu=False, **kw)
    doc = nlp([[r[1] for r in _gold_rows(s)] for s in sents])
    out = []
    for sent in doc.sentences:
        rows = [f"{w.id}\t{w.text}\t{w.lemma or '_'}\t{w.upos or '_'}\t_\t{w.feats or '_'}\t"
                f"{w.head}\t{w.deprel or '_'}\t_\t_" for w in sent.words]
        out.append("\n".join(rows) + "\n")
    return "\n".join(out) + "\n"


def verb_arcs(conllu: str) -> set[tuple[int, int, int, str]]:
    """(sentence, dependent, head, relation) of every nsubj/obj/ccomp whose head is a VERB."""
    arcs = set()
    for k, block in enumerate(conllu.strip().split("\n\n")):
        rows = [ln.split("\t") for ln in block.split("\n") if ln and ln.split("\t")[0].isdigit()]
        upos = {int(r[0]): r[3] for r in rows}
        for r in rows:
            rel = r[7].split(":")[0]
            if rel in VERB_RELATIONS and upos.get(int(r[6])) == "VERB":
                arcs.add((k, int(r[0]), int(r[6]), rel))
    return arcs


def arc_f1(gold: set, system: set, rel: str) -> float:
    g = {a for a in gold if a[3] == rel}
    s = {a for a in system if a[3] == rel}
    if not g or not s:
        return 0.0
    tp = len(g & s)
    p, r = tp / len(s), tp / len(g)
    return 100 * 2 * p * r / (p + r) if tp else 0.0


def score_parser(sents: list[str], models: Path) -> dict[str, float]:
    """UPOS, UFeats, Lemmas, UAS, LAS (CoNLL 2018 scorer) and verb-argument F1, gold words."""
    from udtools import udeval  # noqa: PLC0415

    gold_text, system_text = _gold_conllu(sents), parse_gold_words(sents, models)
    with tempfile.TemporaryDirectory() as tmp:
        gold, system = Path(tmp) / "gold.conllu", Path(tmp) / "system.conllu"
        gold.write_text(gold_text, encoding="utf-8")
        system.write_text(system_text, encoding="utf-8")
        ev = udeval.evaluate(udeval.load_conllu_file(str(gold)), udeval.load_conllu_file(str(system)))
    scores = {k: 100 * ev[k].f1 for k in ("UPOS", "UFeats", "Lemmas", "UAS", "LAS")}
    g, s = verb_arcs(gold_text), verb_arcs(system_text)
    scores.update({f"{rel} of verbs F1": arc_f1(g, s, rel) for rel in VERB_RELATIONS})
    return scores


def score_ner(eval_json: Path, models: Path) -> dict[str, float]:
    """Entity-level F1 (all types, and per type) with Stanza's own NER scorer."""
    args = [sys.executable, "-m", "stanza.models.ner_tagger", "--mode", "predict",
            "--eval_file", str(eval_json), "--save_dir", str(models),
            "--save_name", MODEL_FILES["ner"],
            "--wordvec_pretrain_file", str(models / MODEL_FILES["pretrain"]),
            "--shorthand", tr.NER_SHORT]
    charlm = [models / MODEL_FILES[f"{d}_charlm"] for d in ("forward", "backward")]
    if all(p.exists() for p in charlm):
        args += ["--charlm", "--charlm_shorthand", tr.NER_SHORT,
                 "--charlm_forward_file", str(charlm[0]), "--charlm_backward_file", str(charlm[1])]
    proc = subprocess.run(args, capture_output=True, text=True, cwd=ROOT)
    log = proc.stdout + proc.stderr
    m = _NER_SCORE.search(log)
    if proc.returncode != 0 or not m:
        raise KzError(f"NER scoring failed on {eval_json}: {log.strip().splitlines()[-1:]}")
    scores = {"F1": float(m.group(1))}
    scores.update({f"F1 {t}": float(v) for t, v in _NER_TYPE.findall(log)})
    return scores


def seed_people(models: Path) -> dict[str, bool]:
    """Whether each person of the seed article comes out as (part of) a PER entity."""
    from kzcrisis.nlp import annotate, load_pipeline  # noqa: PLC0415

    seed = sorted(Path(DATA_RAW).glob("000_*.txt"))
    if not seed:
        return {}
    ents = annotate(seed[0].read_text(encoding="utf-8"), pipeline=load_pipeline(models)).entities
    per = " ".join(ents[ents.type == "PER"].text)
    return {who: any(s in per for s in spellings) for who, spellings in SEED_PEOPLE.items()}


def write_card_scores(rows: list[dict], card: Path) -> None:
    if not card.exists():
        return
    text = card.read_text(encoding="utf-8")
    if _BEGIN not in text or _END not in text:
        return
    table = ["| model | data | split | metric | value | reference |",
             "|---|---|---|---|---:|---|"]
    table += [f"| {r['model']} | {r['data']} | {r['split']} | {r['metric']} | {r['value']} | "
              f"{r['reference']} |" for r in rows]
    head, rest = text.split(_BEGIN, 1)
    card.write_text(head + _BEGIN + "\n" + "\n".join(table) + "\n" + _END + rest.split(_END, 1)[1],
                    encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m kzcrisis.models.evaluate",
                                 description=__doc__.split("\n")[0])
    ap.add_argument("--corpora", type=Path, default=CORPORA)
    ap.add_argument("--models", type=Path, default=MODELS_DIR)
    ap.add_argument("--out", type=Path, default=REPORTS / "model_scores.csv")
    ap.add_argument("--build", type=Path, default=ROOT / "build" / "models")
    a = ap.parse_args(argv)
    corpora, models, build = a.corpora.resolve(), a.models.resolve(), a.build.resolve()
    c = tr._check_corpora(corpora)
    ner_dir = build / "data" / "ner"
    if not (ner_dir / "ar_aqmar.test.json").exists() or not (ner_dir / "ar_anercorp.test.json").exists():
        build.mkdir(parents=True, exist_ok=True)
        tr.stage_ner_data(c, build, build / "evaluate.log")
    rows: list[dict] = []

    def add(model, data, split, metric, value, ref=""):
        rows.append({"model": model, "data": data, "split": split, "metric": metric,
                     "value": f"{value:.2f}" if isinstance(value, float) else value,
                     "reference": ref})

    tok = score_tokenizer(corpora, models)
    refs = {"Tokens": "Stanza official on PADT: 99.98", "Words": "Stanza official on PADT: 98.03",
            "Sentences": "Stanza official on PADT: 83.56"}
    for k, v in tok.items():
        add("tokenize+mwt", "UD Arabic-PUD", "held-out 100 sentences", f"{k} F1", v, refs[k])
    from kzcrisis.models import ud  # noqa: PLC0415

    parser_refs = {"UPOS": "target >= 93", "Lemmas": "target >= 90", "LAS": "target >= 70",
                   "nsubj of verbs F1": "target >= 80"}
    held_out = {"UD Arabic-PUD": ("held-out 100 sentences", tr.split_pud(c["pud"])["test"]),
                "UD Arabic-PADT v1": ("held-out 71 test sentences", ud.padt_split(corpora)["test"])}
    for data, (split, sents) in held_out.items():
        for k, v in score_parser(sents, models).items():
            if k == "Lemmas" and data == "UD Arabic-PADT v1":
                continue  # PADT v1 has no lemmas: both sides are empty, the score means nothing
            add("pos+lemma+depparse", data, split, f"{k} (gold words)", v,
                parser_refs.get(k, "") if data == "UD Arabic-PUD" else "")
    aq = score_ner(ner_dir / "ar_aqmar.test.json", models)
    for k, v in aq.items():
        add("ner", "AQMAR", "Stanza test split", f"entity {k}", v,
            "Stanza official: 74.3" if k == "F1" else "")
    an = score_ner(ner_dir / "ar_anercorp.test.json", models)
    for k, v in an.items():
        add("ner", "ANERcorp", "CAMeL Lab test split", f"entity {k}", v)
    people = seed_people(models)
    if people:
        found = [w for w, ok in people.items() if ok]
        add("ner", "seed article", "data/raw/000_*", "people found as PER",
            f"{len(found)}/{len(people)} ({', '.join(found) or 'none'})")
    a.out.parent.mkdir(parents=True, exist_ok=True)
    with a.out.open("w", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerows(rows)
    write_card_scores(rows, models / "MODEL_CARD.md")
    for r in rows:
        print(f"{r['model']:18} {r['data']:17} {r['metric']:32} {r['value']:>8}  {r['reference']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
