"""Treebanks for the tagger, lemmatizer and parser: UD Arabic-PUD plus UD Arabic-PADT v1.

PADT as released in UD 1.3 has UD v1 labels, vocalized forms, no lemmas, no ``# text`` and no
multi-word-token lines. :func:`padt_v2_row` converts one row to UD v2 conventions:

* UPOS ``CONJ`` -> ``CCONJ``; PADT v1 tags unanalysed words ``X``: names (``كيلي``, ``طارق``)
  become ``PROPN``, ``X`` attached as ``cc``/``case``/``advmod`` becomes ``CCONJ``/``ADP``/
  ``ADV``, abbreviations stay ``X``;
* relations ``dobj`` -> ``obj``, ``nsubjpass`` -> ``nsubj:pass``, ``csubjpass`` ->
  ``csubj:pass``, ``auxpass`` -> ``aux:pass``, ``name`` -> ``flat``, ``mwe`` -> ``fixed``,
  ``foreign`` -> ``flat:foreign``, ``remnant`` -> ``orphan``, ``neg`` -> ``advmod`` with
  ``Polarity=Neg``; feature ``Negative`` -> ``Polarity``;
* ``nmod`` under a verb becomes ``obl`` (UD v2 keeps ``nmod`` for dependents of nominals;
  PUD follows it): :func:`nmod_to_obl`;
* a sentence-initial conjunction as root (PADT v1: ``وَ`` root, ``قالت`` parataxis under it)
  is re-attached as UD v2 does: its first predicate child becomes the root and the
  conjunction its ``cc`` (:func:`promote_conjunction_root`);
* forms without diacritics (``اَلأَمِيرِكِيِّينَ`` -> ``الأميركيين``), lemma ``_`` (PADT v1 has
  none: lemmas are learnt from PUD only), XPOS ``_`` (the two treebanks use different XPOS
  tag sets; kzcrisis uses UPOS and features only).

PUD keeps its labels; its lemmas lose their diacritics (``كَتَب`` -> ``كتب``), since kzcrisis
matches lemmas without them, and its XPOS is blanked like PADT's.
"""
from __future__ import annotations

from pathlib import Path

from kzcrisis.models.news import strip_marks

_DEPREL = {"dobj": "obj", "nsubjpass": "nsubj:pass", "csubjpass": "csubj:pass",
           "auxpass": "aux:pass", "name": "flat", "mwe": "fixed", "foreign": "flat:foreign",
           "remnant": "orphan", "neg": "advmod"}
_X_BY_DEPREL = {"cc": "CCONJ", "case": "ADP", "advmod": "ADV"}


def _feats(feats: str, extra: str | None = None) -> str:
    parts = [] if feats == "_" else [f.replace("Negative=", "Polarity=") for f in feats.split("|")]
    if extra and extra not in parts:
        parts.append(extra)
    return "|".join(sorted(parts, key=lambda f: f.split("=")[0].lower())) or "_"


def padt_v2_row(row: list[str]) -> list[str]:
    """One PADT v1 token row in UD v2 labels, without diacritics, lemma or XPOS."""
    idx, form, _lemma, upos, _xpos, feats, head, deprel, _deps, _misc = row
    base, _, sub = deprel.partition(":")
    extra = "Polarity=Neg" if base == "neg" else None
    new_rel = _DEPREL.get(base, base) + (":" + sub if sub and base not in _DEPREL else "")
    if upos == "CONJ":
        upos = "CCONJ"
    elif upos == "X" and "Abbr=Yes" not in feats:
        upos = _X_BY_DEPREL.get(base, "PROPN")
    return [idx, strip_marks(form) or form, "_", upos, "_", _feats(feats, extra), head, new_rel, "_", "_"]


def promote_conjunction_root(rows: list[list[str]]) -> list[list[str]]:
    """``و`` (root) <- ``قالت`` (parataxis) becomes ``قالت`` (root) <- ``و`` (cc).

    The conjunction's other children move to the new root; nothing changes when the root is
    not a conjunction or has no child to promote."""
    root = next((r for r in rows if r[6] == "0"), None)
    if root is None or root[3] != "CCONJ":
        return rows
    kids = [r for r in rows if r[6] == root[0] and r[7] != "punct"]
    if not kids:
        return rows
    new = next((r for r in kids if r[7] == "parataxis"), kids[0])
    for r in rows:
        if r[6] == root[0] and r is not new:
            r[6] = new[0]
    new[6], new[7] = "0", "root"
    root[6], root[7] = new[0], "cc"
    return rows


def nmod_to_obl(rows: list[list[str]]) -> list[list[str]]:
    """``قال ... في بيان`` : ``بيان`` nmod of the verb (UD v1) -> obl (UD v2)."""
    upos = {r[0]: r[3] for r in rows}
    for r in rows:
        base, _, sub = r[7].partition(":")
        if base == "nmod" and upos.get(r[6]) == "VERB":
            r[7] = "obl" + (":" + sub if sub else "")
    return rows


def read_conllu(path: Path) -> list[tuple[list[str], list[list[str]]]]:
    """Sentences of a CoNLL-U file as (comment lines, token rows)."""
    out = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.split("\n")
        comments = [ln for ln in lines if ln.startswith("#")]
        rows = [ln.split("\t") for ln in lines if ln and not ln.startswith("#")]
        out.append((comments, rows))
    return out


def padt_sentences(path: Path) -> list[str]:
    """A PADT v1 file as UD v2 CoNLL-U sentences (with ``# text`` built from the forms)."""
    out = []
    for comments, rows in read_conllu(path):
        new = nmod_to_obl(promote_conjunction_root(
            [padt_v2_row(r) for r in rows if r and r[0].isdigit()]))
        sid = next((c for c in comments if c.startswith("# sent_id")), None)
        head = [sid] if sid else []
        head.append("# text = " + " ".join(r[1] for r in new))
        out.append("\n".join(head + ["\t".join(r) for r in new]) + "\n")
    return out


def pud_for_tagging(sent: str) -> str:
    """A PADT-style PUD sentence with lemmas stripped of diacritics, XPOS and MISC minimal."""
    lines = []
    for ln in sent.rstrip("\n").split("\n"):
        if ln.startswith("#") or not ln:
            lines.append(ln)
            continue
        r = ln.split("\t")
        if r[0].isdigit():
            r[2] = strip_marks(r[2]) if r[2] != "_" else "_"
            r[4] = "_"
            r[9] = "SpaceAfter=No" if "SpaceAfter=No" in r[9].split("|") else "_"
        lines.append("\t".join(r))
    return "\n".join(lines) + "\n"


def padt_split(corpora: Path) -> dict[str, list[str]]:
    """PADT v1 dev + test: every 10th test sentence held out (``test``), the rest ``train``."""
    base = Path(corpora) / "ud_arabic_padt_v1"
    dev = padt_sentences(base / "ar-ud-dev.conllu")
    test = padt_sentences(base / "ar-ud-test.conllu")
    return {"train": dev + [s for i, s in enumerate(test) if i % 10],
            "test": [s for i, s in enumerate(test) if i % 10 == 0]}
