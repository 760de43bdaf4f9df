"""A researcher's own resource files, merged over the package's (resources/README.md, "Your
own resources").

``kz.analyze(..., actors=PATH, cues=PATH, stance_lexicon=PATH, framing_terms=PATH)`` and the
CLI's ``--actors``, ``--cues``, ``--lexicon``, ``--framing`` take files in the documented
formats. A user row replaces the package row with the same key (actors: ``actor_id``; cues:
``lemma`` + ``pos`` + ``class`` of ``cues_lemma.csv``; stance cues: ``cue_id``; framing terms: ``term_id``)
and the other rows are added; every replacement is noted in the run manifest. A bad row raises
``ResourceError`` naming the user's file, line and field.
"""
from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import tempfile
from pathlib import Path
from typing import Any

from .errors import ResourceError
from .paths import resource
from .resource_files import read_resource_csv

#: setting name -> (packaged file, key columns)
LEXICONS = {
    "cues": ("cues_lemma.csv", ("lemma", "pos", "class")),
    "stance_lexicon": ("stance_lexicon.csv", ("cue_id",)),
    "framing_terms": ("framing_terms.csv", ("term_id",)),
}
KINDS = ("actors", *LEXICONS)
_WHERE_RE = re.compile(r"^(?P<path>.+?): line (?P<line>\d+)(?P<rest>:.*)?$", re.S)


#: columns a user's file may leave out (older files): the loader gives their default
OPTIONAL = {"stance_lexicon": ("match",)}


def digest(path: str | Path) -> str:
    """sha256 of a user file, or of a folder's files (names and bytes), for cache keys.

    >>> len(digest(resource("cues.csv")))
    64
    """
    p = Path(path)
    if not p.exists():
        raise ResourceError(f"{p}: no such file or folder")
    h = hashlib.sha256()
    files = sorted(q for q in p.rglob("*") if q.is_file()) if p.is_dir() else [p]
    for q in files:
        h.update(q.relative_to(p).as_posix().encode() if p.is_dir() else b"")
        h.update(hashlib.sha256(q.read_bytes()).digest())
    return h.hexdigest()


def load_merged(kind: str, user: str | Path) -> tuple[Any, list[str]]:
    """The package's lexicon ``kind`` with the user's rows merged over it, loaded by the
    module's own loader; returns (lexicon, notes).

    The merged rows are written to a temporary file for the loader, and a loader error on
    it is reported against the row's own file and line.
    """
    name, key = LEXICONS[kind]
    base_path, user_path = resource(name), Path(user)
    base = read_resource_csv(base_path, list(key))
    header = list(base[0][1]) if base else list(key)
    rows = read_resource_csv(user_path, [c for c in header if c not in OPTIONAL.get(kind, ())])
    for line, row in rows:
        extra = [c for c in row if c not in header]
        if extra:
            raise ResourceError(f"{user_path}: line {line}: unknown column(s) {extra} "
                                f"(the columns of {name} are {','.join(header)})")
    user_keys = {tuple(r[k] for k in key): line for line, r in rows}
    notes, merged, origin = [], [], []
    for line, r in base:
        k = tuple(r[c] for c in key)
        if k in user_keys:
            notes.append(f"{user_path}: line {user_keys[k]}: {'/'.join(k)} replaces the "
                         f"package's row ({name})")
            continue
        merged.append(r)
        origin.append((base_path, line))
    for line, r in rows:
        merged.append(r)
        origin.append((user_path, line))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(merged)
    fd, tmp = tempfile.mkstemp(prefix="kzcrisis-", suffix=f"-{name}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(buf.getvalue())
        try:
            return _loader(kind)(tmp), notes
        except ResourceError as err:
            raise ResourceError(_relocate(str(err), tmp, origin)) from None
    finally:
        os.unlink(tmp)


def _loader(kind: str):
    if kind == "cues":
        from .attribution import load_cue_lemmas

        return lambda p: load_cue_lemmas(str(p))
    if kind == "stance_lexicon":
        from .stance import load_stance_lexicon

        return load_stance_lexicon
    from .framing import load_framing_terms

    return load_framing_terms


def _relocate(message: str, tmp: str, origin: list[tuple[Path, int]]) -> str:
    """"TMP: line N: ..." -> "FILE: line M: ..." for the row's own file."""
    m = _WHERE_RE.match(message)
    if not m or m.group("path") != tmp:
        return message.replace(tmp, "(merged resources)")
    n = int(m.group("line")) - 2  # line 1 is the header
    if 0 <= n < len(origin):
        path, line = origin[n]
        return f"{path}: line {line}{m.group('rest') or ''}"
    return message
