"""The output folder of a run: locked, written in a staging folder, swapped in at the end.

``kzcrisis analyze PATH --out OUT`` never writes into ``OUT`` while it runs:

1. ``OUT``'s parent gets a lock file ``.OUT.kzcrisis.lock`` (``fcntl.flock``, the holder's
   PID inside), so a second run into the same folder stops at once with a one-line error
   naming that PID;
2. every table, figure and the manifest go to a fresh staging folder beside it,
   ``.OUT.kzcrisis-staging``;
3. only after the manifest is written, the run's entries of the old ``OUT`` (``tables/``,
   ``parquet/``, ``figures/``, ``articles/``, ``manifest.json``, ``datapackage.json`` and whatever the previous
   run listed in ``OUT/.kzcrisis-output``) are moved aside and the staged ones moved in.

A run that fails or is killed therefore leaves ``OUT`` as it was; a staging folder left by
``kill -9`` is removed (or, if it was already complete and being moved in, moved in) by the
next run under the lock. Files in ``OUT`` that no kzcrisis run wrote (``reports/`` also holds
the notebooks and benchmark figures) are kept; a folder that was never a kzcrisis output and
already holds a ``tables/`` (or another of the names above) is refused rather than replaced.
"""
from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from .errors import KzError

#: Top-level entries a run writes (besides those it lists in the marker file).
OWNED = ("manifest.json", "datapackage.json", "tables", "parquet", "figures", "articles")
#: Lists the entries of OUT that the last run wrote; written last into the staging folder.
MARKER = ".kzcrisis-output"
_MOVED = ".moved"  # in the trash folder: every old entry has been moved aside


def _side(out: Path, what: str) -> Path:
    """``.OUT.kzcrisis-WHAT`` beside ``out`` (``results`` -> ``.results.kzcrisis-staging``);
    ``OUT/.kzcrisis-WHAT`` inside it when ``out`` is a mount point, as a rename cannot cross
    from its parent's file system into it."""
    if _is_mount(out):
        return out / f".kzcrisis-{what}"
    return out.parent / f".{out.name}.kzcrisis-{what}"


def _is_mount(out: Path) -> bool:
    try:
        return os.stat(out).st_dev != os.stat(out.parent).st_dev
    except OSError:
        return False


def _real(path: Path) -> Path:
    """``path`` with every symlink resolved; never raises (a loop stays as it is)."""
    return Path(os.path.realpath(path))


def _is_inside(path: Path, folder: Path) -> bool:
    """True if ``path`` is ``folder`` or lies under it (both resolved)."""
    return path == folder or folder in path.parents


def check_locations(inputs: list[Path], input_path: Path | None, out: Path | None,
                    cache: Path | None) -> None:
    """Refuse an ``--out`` or ``--cache`` that would write into the raw data or the input.

    Refused: anything inside ``data/raw``; a folder inside the input folder; a folder that
    holds (at any depth) an input file. ``inputs`` are the files the loader read.

    >>> check_locations([], Path("data/raw"), Path("data/raw/results"), None)
    Traceback (most recent call last):
    kzcrisis.errors.KzError: --out data/raw/results is inside the raw data folder ...
    """
    from .paths import DATA_RAW

    raw = _real(DATA_RAW)
    # a DataFrame given in memory has no folder to protect, only data/raw
    source = _real(input_path) if input_path is not None else raw
    files = [_real(p) for p in inputs]
    for flag, folder in (("--out", out), ("--cache", cache)):
        if folder is None:
            continue
        where = _real(folder)
        fix = f"choose another {flag} folder"
        if _is_inside(where, raw):
            raise KzError(f"{flag} {folder} is inside the raw data folder {DATA_RAW}, which is "
                          f"read-only: {fix}")
        if source.is_dir() and _is_inside(where, source):
            raise KzError(f"{flag} {folder} is inside the input folder {input_path}: {fix} "
                          "(outside the corpus)")
        holder = next((f for f in [source, *files] if _is_inside(f, where)), None)
        if holder is not None:
            raise KzError(f"{flag} {folder} holds the input {holder}: {fix}, so that no run "
                          "can overwrite its own input")


# --- the lock ----------------------------------------------------------------------------

class _Lock:
    """An exclusive, non-blocking lock on a file holding the owner's PID."""

    def __init__(self, path: Path, out: Path) -> None:
        self.path, self.out, self.fd = path, out, -1

    def acquire(self) -> None:
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as err:
                raise KzError(f"{self.out}: cannot create output folder (cannot write its lock "
                              f"file {self.path}: {err.strerror})") from None
            if not _try_lock(fd):
                holder = _read_pid(fd)
                os.close(fd)
                raise KzError(f"{self.out} is being written by another kzcrisis run (PID "
                              f"{holder or 'unknown'}, lock file {self.path}): wait for it to "
                              "finish or choose another --out")
            # the previous holder may have removed the file between our open and our lock
            try:
                same = os.fstat(fd).st_ino == os.stat(self.path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd

    def release(self) -> None:
        if self.fd < 0:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()  # before unlocking: a waiter then sees another inode
        os.close(self.fd)
        self.fd = -1


def _try_lock(fd: int) -> bool:
    try:
        import fcntl
    except ImportError:  # Windows
        import msvcrt

        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as err:
        if err.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
            return False
        raise
    return True


def _read_pid(fd: int) -> str:
    try:
        return os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except (OSError, AttributeError):
        return ""


# --- staging and swapping -----------------------------------------------------------------

def _owned_names(out: Path) -> set[str]:
    """The entries of ``out`` that earlier runs wrote."""
    names = set(OWNED)
    with contextlib.suppress(OSError, ValueError, TypeError):
        names |= set(json.loads((out / MARKER).read_text(encoding="utf-8")))
    return names | {MARKER}


def _was_output(out: Path) -> bool:
    """True if ``out`` holds a kzcrisis run (marker file, or a manifest of an older run)."""
    if (out / MARKER).is_file():
        return True
    try:
        return "manifest_version" in json.loads((out / "manifest.json").read_text("utf-8"))
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def _check_target(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise KzError(f"--out {out} is a file, not a folder: choose a folder")
    if out.is_dir() and not _was_output(out):
        clash = sorted(n for n in OWNED if (out / n).exists())
        if clash:
            raise KzError(f"--out {out} already holds {', '.join(clash)} that no kzcrisis run "
                          "wrote: choose a new or empty folder (or a previous --out)")


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _swap_in(out: Path, staging: Path, trash: Path) -> None:
    """Move the old run's entries to ``trash`` and the staged ones into ``out``; resumable."""
    if not (trash / _MOVED).exists():
        trash.mkdir(exist_ok=True)
        if out.is_dir():
            names = sorted(_owned_names(out) - {MARKER}) + [MARKER]  # the marker last
            for name in names:
                if (out / name).exists() or (out / name).is_symlink():
                    os.replace(out / name, trash / name)
        (trash / _MOVED).touch()
    out.mkdir(parents=True, exist_ok=True)
    names = sorted(os.listdir(staging))
    # the marker last: a folder with a marker is a complete output
    for name in [n for n in names if n != MARKER] + [n for n in names if n == MARKER]:
        os.replace(staging / name, out / name)
    _fsync_dir(out)
    gone = _side(out, f"trash-{os.getpid()}")
    os.replace(trash, gone)
    staging.rmdir()
    shutil.rmtree(gone, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _recover(out: Path, staging: Path, trash: Path) -> None:
    """Finish or undo what a killed run left beside ``out`` (called under the lock)."""
    for leftover in _side(out, "x").parent.glob(_side(out, "trash-*").name):
        _remove(leftover)
    if staging.is_dir() and ((trash / _MOVED).exists() or (staging / MARKER).exists()):
        _swap_in(out, staging, trash)  # the killed run was complete: finish moving it in
        return
    _remove(staging)
    _remove(trash)


def _write_marker(staging: Path) -> None:
    names = sorted(n for n in os.listdir(staging) if n != MARKER)
    (staging / MARKER).write_text(json.dumps(names) + "\n", encoding="utf-8")
    _fsync_dir(staging)


@contextlib.contextmanager
def staged_output(out: str | Path) -> Iterator[Path]:
    """Lock ``out``, yield a fresh staging folder, and swap it into ``out`` on success.

    On an exception the staging folder is removed and ``out`` is untouched.

    >>> with staged_output("results") as folder:   # doctest: +SKIP
    ...     (folder / "manifest.json").write_text("{}")
    """
    given = Path(out)
    out = Path(os.path.abspath(given))  # "." and "results/" get a name and a parent
    if out == out.parent:
        raise KzError(f"--out {given}: not the root folder; choose a folder for the output")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise KzError(f"{given}: cannot create output folder (a file is in the way of "
                      f"{out.parent}): choose another --out") from None
    except OSError as err:
        raise KzError(f"{given}: cannot create output folder ({err.strerror})") from None
    if not os.access(out.parent, os.W_OK | os.X_OK):
        raise KzError(f"{out}: output folder is not writable (its parent {out.parent} is "
                      "read-only): choose another --out")
    lock = _Lock(_side(out, "lock"), out)
    lock.acquire()
    staging, trash = _side(out, "staging"), _side(out, "old")
    try:
        _recover(out, staging, trash)
        _check_target(out)
        try:
            staging.mkdir()
        except OSError as err:
            raise KzError(f"{out}: cannot create output folder ({err.strerror})") from None
        try:
            yield staging
        except BaseException:
            _remove(staging)
            raise
        _write_marker(staging)
        _swap_in(out, staging, trash)
    finally:
        lock.release()
