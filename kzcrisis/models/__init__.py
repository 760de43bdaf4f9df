"""The embedded Stanza Arabic models: file names and sha256 checks (no stanza import here).

``checksums.sha256`` beside the models (``sha256sum`` format: ``<hex>  <file>``) is the
machine-readable copy of the table in ``MODEL_CARD.md``; both are written by
:func:`write_checksums` at the end of training.
"""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

from kzcrisis.errors import KzError
from kzcrisis.paths import MODELS_DIR

#: processor -> stable file name inside kzcrisis/models/ar/
MODEL_FILES: dict[str, str] = {
    "tokenize": "ar_tokenizer.pt",
    "mwt": "ar_mwt.pt",
    "pos": "ar_pos.pt",
    "lemma": "ar_lemma.pt",
    "depparse": "ar_depparse.pt",
    "ner": "ar_ner.pt",
    "pretrain": "ar_pretrain.pt",
    #: word frequencies of 10 M words of news: the clitic-split veto (not a Stanza model)
    "freq": "ar_word_freq.tsv",
    #: character language models (SaudiNewsNet), read by an NER trained with them
    "forward_charlm": "ar_forward_charlm.pt",
    "backward_charlm": "ar_backward_charlm.pt",
}
#: files a model set may lack (the character LMs: only an NER trained with them reads them)
OPTIONAL_FILES = frozenset({"forward_charlm", "backward_charlm"})
CHECKSUMS = "checksums.sha256"
_CARD = "MODEL_CARD.md"
_CARD_BEGIN = "<!-- checksums:begin -->"
_CARD_END = "<!-- checksums:end -->"
_LINE = re.compile(r"^([0-9a-f]{64})\s+\*?(\S+)$")


def sha256(path: Path) -> str:
    """Hex sha256 of a file."""
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def read_checksums(folder: Path = MODELS_DIR) -> dict[str, str]:
    """File name -> expected sha256, from ``checksums.sha256``."""
    path = Path(folder) / CHECKSUMS
    if not path.exists():
        raise KzError(f"{path} is missing: the embedded models cannot be verified "
                      "(reinstall kzcrisis or run `make models`)")
    out: dict[str, str] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        m = _LINE.match(line.strip())
        if not m:
            raise KzError(f"{path}:{n}: expected '<sha256>  <file>', got {line!r}")
        out[m.group(2)] = m.group(1)
    return out


def verify_models(folder: Path = MODELS_DIR, files: list[str] | None = None) -> None:
    """Raise KzError naming the first model file that is missing or whose sha256 differs."""
    folder = Path(folder)
    expected = read_checksums(folder)
    for name in files if files is not None else list(expected):
        path = folder / name
        if name not in expected:
            raise KzError(f"{path} has no checksum in {folder / CHECKSUMS}")
        if not path.exists():
            raise KzError(f"embedded model file {path} is missing (run `make models`)")
        if sha256(path) != expected[name]:
            raise KzError(f"embedded model file {path} does not match its sha256 in "
                          f"{CHECKSUMS} / {_CARD} (corrupted or replaced; run `make models`)")


def write_checksums(folder: Path = MODELS_DIR) -> dict[str, str]:
    """Write ``checksums.sha256``, the checksum table of ``MODEL_CARD.md`` and, for the
    embedded models, the in-code record ``kzcrisis/models/release.py`` (see ``trust.py``)."""
    folder = Path(folder)
    sums = {name: sha256(folder / name) for name in sorted(MODEL_FILES.values())
            if (folder / name).exists()}
    (folder / CHECKSUMS).write_text("".join(f"{h}  {n}\n" for n, h in sums.items()),
                                    encoding="utf-8")
    card = folder / _CARD
    if card.exists():
        text = card.read_text(encoding="utf-8")
        if _CARD_BEGIN in text and _CARD_END in text:
            rows = ["| file | bytes | sha256 |", "|---|---:|---|"]
            rows += [f"| `{n}` | {(folder / n).stat().st_size:,} | `{h}` |" for n, h in sums.items()]
            head, rest = text.split(_CARD_BEGIN, 1)
            tail = rest.split(_CARD_END, 1)[1]
            card.write_text(head + _CARD_BEGIN + "\n" + "\n".join(rows) + "\n" + _CARD_END + tail,
                            encoding="utf-8")
    if folder.resolve() == MODELS_DIR.resolve():
        (Path(__file__).parent / "release.py").write_text(render_release(sums), encoding="utf-8")
    return sums


def render_release(sums: dict[str, str]) -> str:
    """The source of :mod:`kzcrisis.models.release` for ``sums`` (byte-identical reruns)."""
    lines = ['"""sha256 of the embedded models at release; written by',
             "kzcrisis.models.write_checksums (do not edit by hand).",
             "",
             "A model file that differs from these is refused unless --trust-models:",
             "checksums.sha256 beside the models proves integrity, this module authenticity.",
             '"""',
             "SHA256: dict[str, str] = {"]
    lines += [f'    "{name}": "{digest}",' for name, digest in sorted(sums.items())]
    lines += ["}", ""]
    return "\n".join(lines)
