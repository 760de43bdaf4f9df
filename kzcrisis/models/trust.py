"""Which model files a run may load: integrity and authenticity checks before Stanza starts.

* Embedded models: ``checksums.sha256`` beside them proves *integrity* (no damaged file),
  but whoever can replace a model can rewrite that file too. The package therefore also
  records the sha256 of each embedded model *in code*, in :mod:`kzcrisis.models.release`,
  written by :func:`kzcrisis.models.write_checksums` at release; a shipped file that
  differs from it is refused unless the user says ``--trust-models`` (``trust=True``).
* ``--models PATH``: the folder's own ``checksums.sha256`` must list every model file it
  holds, and each must match; a listed file that is missing is refused, as is a folder
  without checksums (unless ``--trust-models``).
* ``official``: Stanza's own download, checked by Stanza.
"""
from __future__ import annotations

from pathlib import Path

from kzcrisis.errors import KzError
from kzcrisis.models import CHECKSUMS, read_checksums, sha256
from kzcrisis.paths import MODELS_DIR

RELEASE_MODULE = "kzcrisis/models/release.py"
_MODEL_SUFFIXES = (".pt", ".tsv", ".json")


def release_sums() -> dict[str, str]:
    """File name -> sha256 of the embedded models, as recorded in code at release."""
    from kzcrisis.models.release import SHA256

    return dict(SHA256)


def verify_embedded(folder: Path = MODELS_DIR) -> dict[str, str]:
    """Check every shipped model file against :func:`release_sums`; returns the sums.

    >>> verify_embedded()  # doctest: +SKIP
    {'ar_mwt.pt': 'b31f...', ...}
    """
    expected = release_sums()
    for name, digest in sorted(expected.items()):
        path = Path(folder) / name
        if not path.exists():
            raise KzError(f"embedded model file {path} is missing (reinstall kzcrisis, or "
                          "pass --trust-models to skip this check)")
        if sha256(path) != digest:
            raise KzError(f"embedded model file {path} does not match the sha256 recorded "
                          f"in {RELEASE_MODULE} (tampered or replaced): reinstall kzcrisis, "
                          "or pass --trust-models if you replaced it on purpose")
    return expected


def verify_folder(folder: Path) -> dict[str, str]:
    """Check a ``--models PATH`` folder against its own ``checksums.sha256``."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise KzError(f"--models {folder}: no such folder (give 'embedded', 'official' or a "
                      "folder of Stanza models)")
    if not (folder / CHECKSUMS).is_file():
        raise KzError(f"--models {folder} has no {CHECKSUMS}, so its models cannot be "
                      f"verified: write one (cd {folder} && sha256sum *.pt > {CHECKSUMS}) or "
                      "pass --trust-models")
    expected = read_checksums(folder)
    for name, digest in sorted(expected.items()):
        path = folder / name
        if not path.is_file():
            raise KzError(f"--models: {path} is listed in {folder / CHECKSUMS} but missing")
        if sha256(path) != digest:
            raise KzError(f"--models: {path} does not match its sha256 in "
                          f"{folder / CHECKSUMS} (damaged or replaced)")
    unlisted = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                      if p.is_file() and p.suffix in (".pt", ".tsv")
                      and p.relative_to(folder).as_posix() not in expected)
    if unlisted:
        raise KzError(f"--models: {folder / unlisted[0]} has no sha256 in "
                      f"{folder / CHECKSUMS}: add it, or pass --trust-models")
    return expected


def check_models(models: str, trust: bool = False) -> None:
    """Refuse, before any work, model files that are not the ones they claim to be.

    ``models`` is a run's ``--models`` value; ``trust=True`` (``--trust-models``) skips the
    checks against the release record and the folder's checksums.
    """
    if trust or str(models) == "official":
        return
    if str(models) == "embedded":
        verify_embedded()
    else:
        verify_folder(Path(models))
