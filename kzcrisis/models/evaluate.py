"""Score the embedded models on held-out public data (``make eval-models``).

    python -m kzcrisis.models.evaluate --corpora ../shared/corpora --out reports/model_scores.csv

* tokens / sentences / words F1 (CoNLL 2018 UD scorer, ``udtools.udeval``) of the full
  tokenize+mwt pipeline on the held-out tenth of UD Arabic-PUD (raw text in, PADT-style
  multi-word tokens as gold, see :mod:`kzcrisis.models.train`);
* NER entity-level F1 (Stanza's own ``ner_tagger --mode predict`` scorer, gold tokens) on
  Stanza's AQMAR test split and on the ANERcorp (CAMeL Lab) test split;
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


def score_ner(eval_json: Path, models: Path) -> dict[str, float]:
    """Entity-level F1 (all types, and per type) with Stanza's own NER scorer."""
    args = [sys.executable, "-m", "stanza.models.ner_tagger", "--mode", "predict",
            "--eval_file", str(eval_json), "--save_dir", str(models),
            "--save_name", MODEL_FILES["ner"],
            "--wordvec_pretrain_file", str(models / MODEL_FILES["pretrain"]),
            "--shorthand", tr.NER_SHORT]
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
        print(f"{r['model']:13} {r['data']:14} {r['metric']:24} {r['value']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
