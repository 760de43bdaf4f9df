"""Fault injection: the real ``kzcrisis analyze`` in subprocesses, killed, starved, raced.

Each case asserts the exit status, the message (one line naming the file and the fix, or
none) and that the manifest accounts for every input (loaded + skipped = inputs). No case
may print a traceback or an "unexpected error". The corpora are short articles written for
these tests in the styles of several outlets; one warm cache serves the cases where a cache
does not defeat the test.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

from kzcrisis.corpus import text_sha256
from kzcrisis.errors import KzError
from kzcrisis.paths import DATA_RAW, MODELS_DIR
from kzcrisis.schemas import CORPUS, PER_DOC

TABLES = {**PER_DOC, **CORPUS}

OPENINGS = ["أفادت وكالة الأنباء الرسمية بأن", "ذكرت مصادر دبلوماسية أن",
            "نقلت وسائل إعلام روسية أن", "أعلنت السلطات في نور سلطان أن",
            "أشارت تقارير صحفية إلى أن", "كشف مسؤولون أن"]
EVENTS = ["قوات حفظ السلام بدأت الانسحاب من ألماتي",
          "الهدوء عاد إلى شوارع المدينة بعد أيام من الاحتجاجات",
          "الحكومة أعادت خدمة الإنترنت إلى معظم المناطق",
          "أسعار الوقود المسال خفضت بعد المظاهرات", "حظر التجول رفع جزئيا في العاصمة"]
QUOTES = ["وقال الرئيس الكازاخستاني قاسم جومارت توكايف إن النظام الدستوري استعيد.",
          "ودعت الأمم المتحدة جميع الأطراف إلى ضبط النفس.",
          "وأكد المتحدث باسم الكرملين دميتري بيسكوف أن المهمة مؤقتة.",
          "وحذرت وزارة الخارجية الأمريكية من استخدام القوة ضد المتظاهرين.",
          "وأعربت الصين عن دعمها للإجراءات التي اتخذتها السلطات.",
          "وقالت منظمة معاهدة الأمن الجماعي إن قواتها ستغادر خلال أيام.",
          "وأضاف وزير الخارجية الروسي سيرغي لافروف أن الوضع تحت السيطرة."]


def article(i: int) -> str:
    """Short article ``i`` (two paragraphs: a report and a quoted reaction)."""
    return f"{OPENINGS[i % 6]} {EVENTS[i % 5]}.\n\n{QUOTES[i % 7]}\n"


def run_cli(*args: str, timeout: float = 300, user: list[str] | None = None,
            **kw) -> subprocess.CompletedProcess:
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    proc = subprocess.run([*(user or []), *cmd, *args], capture_output=True, text=True,
                          timeout=timeout, **kw)
    assert "Traceback" not in proc.stderr and "unexpected error" not in proc.stderr, proc.stderr
    return proc


def one_error(proc: subprocess.CompletedProcess) -> str:
    """The single stderr line of a failed run."""
    assert proc.returncode == 2, (proc.returncode, proc.stderr)
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def manifest(out: Path) -> dict:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def accounted(out: Path, n_inputs: int) -> dict[str, tuple[str, str]]:
    """Assert loaded + skipped = inputs; returns {file name: (status, reason)}."""
    m = manifest(out)
    n = m["n_documents"]
    assert n["loaded"] + n["skipped"] == n_inputs == len(m["documents"]), n
    return {Path(d["source_path"]).name: (d["status"], d["reason"]) for d in m["documents"]}


def digests(out: Path) -> dict[str, str]:
    return {p.relative_to(out).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


def leftovers(out: Path) -> list[str]:
    """Staging, trash or lock entries a run left beside ``out``."""
    return sorted(p.name for p in out.parent.glob(f".{out.name}.kzcrisis-*"))


@pytest.fixture(scope="module")
def corpus30(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus30")
    for i in range(30):
        (folder / f"doc{i:02d}.txt").write_text(article(i), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def warm_cache(tmp_path_factory) -> Path:
    """A cache shared by the cases it does not defeat (filled by the reference run)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(scope="module")
def reference(corpus30, warm_cache, tmp_path_factory):
    """An uninterrupted cold run of the 30 articles, raced by a second run into the same
    --out (which must be refused, naming the first run's PID); returns (out, seconds, race)."""
    out = tmp_path_factory.mktemp("ref") / "out"
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    start = time.monotonic()
    first = subprocess.Popen([*cmd, "analyze", str(corpus30), "--out", str(out), "--cache",
                              str(warm_cache)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
    lock = out.parent / f".{out.name}.kzcrisis-lock"
    while not lock.exists() and first.poll() is None:
        time.sleep(0.02)
    second = run_cli("analyze", str(corpus30), "--out", str(out), "--cache", "off")
    _, err = first.communicate(timeout=600)
    seconds = time.monotonic() - start
    assert first.returncode == 0 and "Traceback" not in err, err
    return out, seconds, (first.pid, second)


# --- concurrent runs ----------------------------------------------------------------------

def test_second_run_into_the_same_out_is_refused_naming_the_holder(reference):
    out, _, (pid, second) = reference
    line = one_error(second)
    assert f"PID {pid}" in line and str(out) in line and "another --out" in line
    # the first run was not disturbed: every table has its header and the manifest's count
    m = manifest(out)
    for name, count in m["tables"].items():
        table = pd.read_csv(out / "tables" / f"{name}.csv", keep_default_na=False)
        assert list(table.columns) == TABLES[name] and len(table) == count, name
    accounted(out, 30)
    assert leftovers(out) == []


# --- kill -9 -------------------------------------------------------------------------------

def test_kill_9_at_random_points_then_rerun_gives_the_same_tables(corpus30, reference,
                                                                 tmp_path):
    ref_out, seconds, _ = reference
    cache = tmp_path / "cache"  # cold, so the kills land in annotation and cache writes too
    out = tmp_path / "out"
    # an earlier output with articles and figures that the new run does not write
    old = tmp_path / "old-corpus"
    old.mkdir()
    (old / "x.txt").write_text(article(3), encoding="utf-8")
    proc = run_cli("analyze", str(old), "--out", str(out), "--cache", str(tmp_path / "c2"),
                   "--figures")
    assert proc.returncode == 0, proc.stderr
    before = digests(out)
    assert any(k.startswith("articles/") for k in before)
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    def tables(folder: Path) -> dict[str, str]:
        return {k: v for k, v in digests(folder).items() if k.startswith(("tables/", "parquet/"))}

    complete = tables(ref_out)
    rng = random.Random(19)
    for delay in sorted(rng.uniform(0.3, max(1.0, seconds)) for _ in range(3)):
        child = subprocess.Popen([*cmd, "analyze", str(corpus30), "--out", str(out),
                                  "--cache", str(cache)], stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        now = digests(out)
        if tables(out) == complete and not (out / "articles").exists():
            before = now  # it had swapped its output in before the kill reached it
        # --out is the old output or the complete new one, never a mix; a kill inside the
        # last moves (milliseconds) leaves them beside --out for the next run to finish
        assert now == before or leftovers(out), \
            f"--out changed by a run killed after {delay:.2f}s"
    proc = run_cli("analyze", str(corpus30), "--out", str(out), "--cache", str(cache))
    assert proc.returncode == 0, proc.stderr
    assert tables(out) == complete
    ref, new = manifest(ref_out), manifest(out)
    assert ref.pop("settings").pop("cache") != new.pop("settings").pop("cache")
    assert new == ref
    assert not (out / "articles").exists() and not (out / "figures").exists()
    assert leftovers(out) == []
    accounted(out, 30)


def test_failed_run_leaves_out_as_it_was(corpus30, warm_cache, tmp_path):
    out = tmp_path / "out"
    assert run_cli("analyze", str(corpus30), "--out", str(out), "--cache",
                   str(warm_cache)).returncode == 0
    before = digests(out)
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"doc_id": "a", "text": "نص"}\n{"doc_id": "a", "text": "نص"}\n',
                   encoding="utf-8")
    line = one_error(run_cli("analyze", str(bad), "--out", str(out), "--cache", "off"))
    assert f"{bad}:2" in line and "duplicate doc_id" in line
    assert digests(out) == before and leftovers(out) == []


def test_foreign_folder_is_not_replaced(tmp_path, corpus30, warm_cache):
    out = tmp_path / "mine"
    (out / "tables").mkdir(parents=True)
    (out / "tables" / "budget.csv").write_text("a,b\n", encoding="utf-8")
    line = one_error(run_cli("analyze", str(corpus30), "--out", str(out), "--cache",
                             str(warm_cache)))
    assert str(out) in line and "no kzcrisis run wrote" in line
    assert (out / "tables" / "budget.csv").read_text(encoding="utf-8") == "a,b\n"


def test_files_no_run_wrote_stay_beside_a_reused_out(tmp_path, corpus30, warm_cache):
    out = tmp_path / "reports"
    out.mkdir()
    (out / "model_scores.csv").write_text("x\n", encoding="utf-8")
    for _ in range(2):
        assert run_cli("analyze", str(corpus30), "--out", str(out), "--cache",
                       str(warm_cache)).returncode == 0
    assert (out / "model_scores.csv").read_text(encoding="utf-8") == "x\n"
    assert sorted(p.name for p in out.iterdir()) == [".kzcrisis-output", "datapackage.json", "manifest.json",
                                                     "model_scores.csv", "parquet", "tables"]


# --- full disk and read-only or full cache -------------------------------------------------

def _namespace() -> list[str] | None:
    """A command prefix that runs in a private mount namespace, or None."""
    if shutil.which("unshare") is None:
        return None
    prefix = ["unshare", "-m"] if os.geteuid() == 0 else ["unshare", "-Urm"]
    try:
        ok = subprocess.run([*prefix, "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return None
    return prefix if ok else None


_INSIDE = r"""
import hashlib, json, os, subprocess, sys
small, out, corpus, _, result = sys.argv[1:6]
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", small], check=True)
def digests(folder):
    return {os.path.relpath(os.path.join(d, f), folder):
            hashlib.sha256(open(os.path.join(d, f), "rb").read()).hexdigest()
            for d, _, files in os.walk(folder) for f in files}
old = os.path.join(small, "out")
os.makedirs(os.path.join(old, "tables"))
with open(os.path.join(old, "manifest.json"), "w") as fh:
    json.dump({"manifest_version": 1}, fh)
with open(os.path.join(old, "tables", "documents.csv"), "w") as fh:
    fh.write("doc_id\nold\n")
before = digests(old)
st = os.statvfs(small)  # leave 24 KiB: too little for the tables, or for the cache entries
with open(os.path.join(small, "filler"), "wb") as fh:
    fh.write(b"\0" * (st.f_bavail * st.f_frsize - 24 * 1024))
exe = sys.argv[6:]
full = subprocess.run([*exe, "analyze", corpus, "--out", old, "--cache", "off"],
                      capture_output=True, text=True)
after = digests(old)
listing = sorted(os.listdir(small))
cached = subprocess.run([*exe, "analyze", corpus, "--out", out, "--cache",
                         os.path.join(small, "cache")], capture_output=True, text=True)
mnt = sys.argv[4]  # --out that is itself a mount point: staging goes inside it
subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", mnt], check=True)
mounted = [subprocess.run([*exe, "analyze", corpus, "--out", mnt, "--cache", "off"],
                          capture_output=True, text=True).returncode for _ in range(2)]
json.dump({"mounted": [mounted, sorted(os.listdir(mnt))],
           "full": [full.returncode, full.stderr], "same": before == after,
           "listing": listing,
           "cached": [cached.returncode, cached.stderr]}, open(result, "w"))
"""


def test_full_disk_and_full_cache(tmp_path, corpus30):
    prefix = _namespace()
    if prefix is None:
        pytest.skip("no private mount namespace here (unshare -m fails), so no small tmpfs "
                    "can be mounted for the full-disk case")
    small = tmp_path / "small"
    small.mkdir()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(6):
        shutil.copy(corpus30 / f"doc{i:02d}.txt", corpus)
    exe = shutil.which("kzcrisis", path=os.path.dirname(sys.executable))
    cmd = [exe] if exe else [sys.executable, "-m", "kzcrisis"]
    result = tmp_path / "result.json"
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    subprocess.run([*prefix, sys.executable, "-c", _INSIDE, str(small), str(tmp_path / "out"),
                    str(corpus), str(mnt), str(result), *cmd], check=True, timeout=600)
    found = json.loads(result.read_text(encoding="utf-8"))
    code, err = found["full"]
    assert code == 2 and "Traceback" not in err and "unexpected error" not in err, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "no space left" in lines[0] and str(small / "out") in lines[0]
    assert found["same"], "a run that hit a full disk changed --out"
    assert found["listing"] == ["filler", "out"], found["listing"]  # no staging, no lock
    code, err = found["cached"]
    assert code == 0 and "unexpected error" not in err, err
    warned = [line for line in err.splitlines() if "warning" in line and "cache" in line]
    assert len(warned) == 1 and "disk full" in warned[0] and str(small / "cache") in warned[0]
    accounted(tmp_path / "out", 6)
    codes, listing = found["mounted"]
    assert codes == [0, 0] and listing == [".kzcrisis-output", "datapackage.json", "manifest.json", "parquet",
                                           "tables"], found["mounted"]


def test_read_only_cache_warns_once_and_goes_on(open_tmp, corpus30):
    tmp_path = open_tmp
    cache = tmp_path / "cache"
    cache.mkdir()
    out = tmp_path / "out"
    (cache / "results").mkdir()
    (cache / "annotations").mkdir()
    for p in (cache, cache / "results", cache / "annotations"):
        p.chmod(0o555)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus30 / "doc00.txt", corpus)
    user = _non_root()
    if os.geteuid() == 0 and user is None:
        pytest.skip("root ignores file modes and neither setpriv nor runuser is here")
    proc = run_cli("analyze", str(corpus), "--out", str(out), "--cache", str(cache),
                   user=user if os.geteuid() == 0 else None)
    assert proc.returncode == 0, proc.stderr
    warned = [line for line in proc.stderr.splitlines() if "cache" in line]
    assert len(warned) == 1 and str(cache) in warned[0], proc.stderr
    accounted(out, 1)


# --- the corpus walker ---------------------------------------------------------------------

def _non_root() -> list[str] | None:
    """A prefix that runs a command as user nobody, or None."""
    if shutil.which("setpriv"):
        return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if shutil.which("runuser"):
        return ["runuser", "-u", "nobody", "--"]
    return None


@pytest.fixture()
def open_tmp():
    """A temporary folder every user can enter (pytest's tmp_path is root-only)."""
    folder = Path(tempfile.mkdtemp(prefix="kz-faults-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def test_walker_reads_regular_files_only_and_lists_the_rest(open_tmp, corpus30):
    folder = open_tmp / "corpus"
    folder.mkdir()
    shutil.copy(corpus30 / "doc00.txt", folder / "a.txt")
    outside = open_tmp / "secret.txt"
    outside.write_text(article(5), encoding="utf-8")
    os.mkfifo(folder / "pipe.txt")
    (folder / "loop1.txt").symlink_to(folder / "loop2.txt")
    (folder / "loop2.txt").symlink_to(folder / "loop1.txt")
    (folder / "out.txt").symlink_to(outside)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "inside.txt").symlink_to(folder / "a.txt")
    (folder / ".hidden.txt").write_text(article(6), encoding="utf-8")
    (folder / "sub").mkdir()
    sock = socket.socket(socket.AF_UNIX)
    sock.bind(str(folder / "sock.txt"))
    locked = folder / "locked.txt"
    locked.write_text(article(7), encoding="utf-8")
    locked.chmod(0)
    user = _non_root() if os.geteuid() == 0 else None
    out = open_tmp / "out"
    try:
        proc = run_cli("analyze", str(folder), "--out", str(out), "--cache", "off",
                       user=user, timeout=300)
    finally:
        sock.close()
    assert proc.returncode == 0, proc.stderr
    status = accounted(out, len(os.listdir(folder)))
    assert status["a.txt"] == ("loaded", "") and status["inside.txt"] == ("loaded", "")
    expect = {"pipe.txt": "FIFO", "loop1.txt": "symlink loop", "loop2.txt": "symlink loop",
              "out.txt": "outside the corpus folder", "passwd.txt": "outside the corpus",
              ".hidden.txt": "hidden file", "sub": "sub-folder", "sock.txt": "socket"}
    if user is not None or os.geteuid() != 0:
        expect["locked.txt"] = "permission denied"
    for name, reason in expect.items():
        assert status[name][0] == "skipped" and reason in status[name][1], (name, status[name])
    texts = (out / "tables" / "documents.csv").read_text(encoding="utf-8")
    assert "root:" not in texts and article(5).split(".")[0] not in texts
    inputs = {Path(i["path"]).name for i in manifest(out)["inputs"]}
    assert inputs == {"a.txt", "inside.txt"}


def test_fifo_given_directly_is_refused_without_blocking(tmp_path):
    fifo = tmp_path / "x.txt"
    os.mkfifo(fifo)
    line = one_error(run_cli("analyze", str(fifo), "--out", str(tmp_path / "o"), timeout=60))
    assert str(fifo) in line and "FIFO" in line


# --- the cache -------------------------------------------------------------------------------

def _entries_by_doc(cache: Path, layer: str) -> dict[str, Path]:
    found = {}
    for path in (cache / layer).rglob("*.parquet"):
        meta = pq.read_schema(path).metadata or {}
        found[meta[b"kzcrisis.doc_id"].decode()] = path
    return found


@pytest.mark.parametrize("layer", ["results", "annotations"])
def test_swapped_cache_entry_is_rejected(tmp_path, corpus30, warm_cache, layer):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("doc01.txt", "doc02.txt"):
        shutil.copy(corpus30 / name, corpus)
    cache = tmp_path / "cache"
    shutil.copytree(warm_cache, cache)
    good = tmp_path / "good"
    assert run_cli("analyze", str(corpus), "--out", str(good), "--cache",
                   str(cache)).returncode == 0
    entries = _entries_by_doc(cache, layer)
    a, b = entries["doc01"], entries["doc02"]
    b.unlink()
    shutil.copy(a, b.parent / a.name)  # doc01's valid entry under doc02's key
    if layer == "annotations":
        shutil.rmtree(cache / "results")
    out = tmp_path / "out"
    proc = run_cli("analyze", str(corpus), "--out", str(out), "--cache", str(cache))
    assert proc.returncode == 0, proc.stderr
    assert digests(out) == digests(good)
    assert not (b.parent / a.name).exists()  # the impostor was removed and rebuilt
    accounted(out, 2)


# --- where the output may go -----------------------------------------------------------------

@pytest.mark.parametrize("where, message", [
    (lambda d, c: (DATA_RAW, "off"), "raw data folder"),
    (lambda d, c: (DATA_RAW / "results", "off"), "raw data folder"),
    (lambda d, c: (d / "out", str(DATA_RAW / "cache")), "raw data folder"),
    (lambda d, c: (c / "results", "off"), "inside the input folder"),
    (lambda d, c: (c, "off"), "inside the input folder"),
    (lambda d, c: (d, "off"), "holds the input"),
    (lambda d, c: (d / "out", str(d)), "holds the input"),
])
def test_out_or_cache_in_the_raw_data_or_the_input_is_refused(tmp_path, corpus30, where,
                                                              message):
    before = {p.name: p.read_bytes() for p in DATA_RAW.iterdir()}
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus30 / "doc00.txt", corpus)
    out, cache = where(tmp_path, corpus)
    line = one_error(run_cli("analyze", str(corpus), "--out", str(out), "--cache", cache))
    assert message in line and "choose another" in line
    assert {p.name: p.read_bytes() for p in DATA_RAW.iterdir()} == before
    assert sorted(p.name for p in corpus.iterdir()) == ["doc00.txt"]


# --- encodings, ids, names, spreadsheets ---------------------------------------------------

ARTICLE = article(2) + article(4)


def _cp1252_mojibake(data: bytes) -> str:
    # what Windows does: bytes cp1252 leaves undefined pass through as C1 controls
    return "".join(chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
                   for b in data)


ENCODED = {
    # file name: (bytes, expected status, fragment of the reason or the encoding)
    "u16le.txt": (ARTICLE.encode("utf-16-le"), "loaded", "utf-16-le"),
    "u16be.txt": (ARTICLE.encode("utf-16-be"), "loaded", "utf-16-be"),
    "latin1.txt": (ARTICLE.encode().decode("latin-1").encode(), "loaded",
                   "mojibake repaired: UTF-8 read as Latin-1"),
    "cp1252.txt": (_cp1252_mojibake(ARTICLE.encode()).encode(), "loaded",
                   "mojibake repaired: UTF-8 read as Windows-1252"),
    "macroman.txt": (ARTICLE.encode().decode("mac_roman").encode(), "loaded",
                     "mojibake repaired: UTF-8 read as Mac Roman"),
    "w1256.txt": (ARTICLE.encode("cp1256").decode("cp1252", "replace").encode(), "loaded",
                  "mojibake repaired: Windows-1256 read as"),
    "lossy.txt": (ARTICLE.encode().decode("cp1252", "replace").encode(), "skipped",
                  "cannot be repaired exactly"),
    "binary.txt": (b"\x7fELF\x02\x01\x00\x00" * 40, "skipped", "binary file"),
    "entities.html": (("<p>" + ARTICLE + " &amp;lt;b&amp;gt;</p>").encode(), "loaded", ""),
}


def test_encodings_are_detected_repaired_or_refused(tmp_path, warm_cache):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, (data, _, _) in ENCODED.items():
        (folder / name).write_bytes(data)
    out = tmp_path / "out"
    proc = run_cli("analyze", str(folder), "--out", str(out), "--cache", str(warm_cache))
    assert proc.returncode == 0, proc.stderr
    status = accounted(out, len(ENCODED))
    docs = pq.read_table(out / "parquet" / "documents").to_pandas().set_index("doc_id")
    for name, (_, expected, fragment) in ENCODED.items():
        doc_id = Path(name).stem
        assert status[name][0] == expected, (name, status[name])
        if expected == "skipped":
            assert fragment in status[name][1] and str(folder / name) in status[name][1]
            continue
        assert fragment in status[name][1] or fragment in docs.encoding[doc_id], name
        if name != "entities.html":
            assert docs.sha256[doc_id] == text_sha256(ARTICLE), name
    text = pq.read_table(out / "parquet" / "sentences").to_pandas()
    text = " ".join(text[text.doc_id == "entities"].text)
    assert "&lt;b&gt;" in text and "<b>" not in text  # unescaped once, not twice
    assert "Windows-1252" in status["lossy.txt"][1]


def test_jsonl_ids_long_names_and_spreadsheet_cells(tmp_path, warm_cache):
    long_id = "مقال-" + "x" * 300
    lines = [{"doc_id": 0, "text": article(1), "title": '=HYPERLINK("http://x","اضغط")'},
             {"doc_id": False, "text": article(2), "title": "+سعر"},
             {"doc_id": 1.5, "text": article(3)},
             {"doc_id": None, "text": article(4)},
             {"text": article(5), "title": "-خبر"},
             {"doc_id": long_id, "text": article(6), "title": "@مصدر"}]
    path = tmp_path / "news.jsonl"
    path.write_text("".join(json.dumps(o, ensure_ascii=False) + "\n" for o in lines),
                    encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("analyze", str(path), "--out", str(out), "--cache", str(warm_cache),
                   "--figures", timeout=600)
    assert proc.returncode == 0, proc.stderr
    accounted(out, len(lines))
    m = manifest(out)
    ids = [d["doc_id"] for d in m["documents"]]
    assert ids == ["0", "false", "1.5", "news-4", "news-5", long_id]
    reasons = [d["reason"] for d in m["documents"]]
    assert "doc_id null: generated 'news-4'" in reasons[3]
    assert "doc_id missing: generated 'news-5'" in reasons[4]
    for doc_id, names in m["file_names"].items():
        for rel in names.values():
            matches = list(out.glob(rel + "*"))
            assert matches, (doc_id, rel)
            assert all(len(p.name.encode()) <= 255 for p in matches)
    assert len(m["file_names"][long_id]["article"].encode()) < 120
    csv_text = (out / "tables" / "documents.csv").read_text(encoding="utf-8")
    for title in ("'=HYPERLINK(", "'+سعر", "'-خبر", "'@مصدر"):
        assert title in csv_text
    titles = pq.read_table(out / "parquet" / "documents").column("title").to_pylist()
    assert titles[0] == '=HYPERLINK("http://x","اضغط")' and titles[4] == "-خبر"


@pytest.mark.parametrize("make, fragment", [
    (lambda p: p.write_text('{"text": "نص"}\n{"doc_id": "b", "text": "\\ud800 قال"}\n',
                            encoding="utf-8"), ":2: field 'text' holds a lone surrogate"),
    (lambda p: p.write_bytes(b'{"text": "\xd9\x82\xd8"}\n'), ":1: invalid UTF-8"),
    (lambda p: p.write_text('{"text": "نص"}\n[1, 2]\n', encoding="utf-8"), ":2: each line"),
])
def test_bad_jsonl_names_file_and_line(tmp_path, make, fragment):
    path = tmp_path / "c.jsonl"
    make(path)
    line = one_error(run_cli("analyze", str(path), "--out", str(tmp_path / "o")))
    assert f"{path}{fragment}" in line


def test_csv_field_over_the_csv_module_limit_is_loaded_and_reported(tmp_path, warm_cache):
    path = tmp_path / "big.csv"
    path.write_text("doc_id,text\nsmall," + article(1).replace("\n", " ") + "\nbig,"
                    + "ق" * 140_000 + "\n", encoding="utf-8")
    out = tmp_path / "out"
    proc = run_cli("analyze", str(path), "--out", str(out), "--cache", str(warm_cache),
                   "--max-chars", "100000")
    assert proc.returncode == 0, proc.stderr
    status = {d["doc_id"]: (d["status"], d["reason"]) for d in manifest(out)["documents"]}
    accounted(out, 2)
    assert status["small"] == ("loaded", "")
    assert status["big"][0] == "skipped" and "140,000 characters" in status["big"][1]


# --- models ------------------------------------------------------------------------------------

def _model_copy(tmp_path: Path, checksums: bool = True) -> Path:
    folder = tmp_path / "models"
    shutil.copytree(MODELS_DIR, folder)
    if not checksums:
        (folder / "checksums.sha256").unlink()
    return folder


@pytest.mark.parametrize("spoil, fragment", [
    (lambda f: (f / "checksums.sha256").unlink(), "has no checksums.sha256"),
    (lambda f: (f / "ar_mwt.pt").unlink(), "listed in"),
    (lambda f: (f / "ar_mwt.pt").write_bytes((f / "ar_mwt.pt").read_bytes() + b"x"),
     "does not match its sha256"),
    (lambda f: (f / "extra.pt").write_bytes(b"x"), "has no sha256"),
])
def test_models_folder_is_checked(tmp_path, spoil, fragment):
    folder = _model_copy(tmp_path)
    spoil(folder)
    corpus = tmp_path / "a.txt"
    corpus.write_text(article(0), encoding="utf-8")
    line = one_error(run_cli("analyze", str(corpus), "--out", str(tmp_path / "o"),
                             "--models", str(folder), "--cache", "off"))
    assert fragment in line and str(folder) in line


def test_trust_models_loads_an_unverified_folder(tmp_path, warm_cache):
    folder = _model_copy(tmp_path, checksums=False)
    corpus = tmp_path / "a.txt"
    corpus.write_text(article(0), encoding="utf-8")
    proc = run_cli("analyze", str(corpus), "--out", str(tmp_path / "o"), "--models",
                   str(folder), "--trust-models", "--cache", "off")
    assert proc.returncode == 0, proc.stderr
    m = manifest(tmp_path / "o")
    assert m["settings"]["trust_models"] is True
    accounted(tmp_path / "o", 1)


def test_embedded_models_are_checked_against_the_release_record(tmp_path):
    from kzcrisis.models import read_checksums
    from kzcrisis.models.trust import check_models, release_sums, verify_embedded

    # the in-code record and checksums.sha256 are written together by write_checksums
    assert release_sums() == read_checksums(MODELS_DIR)
    check_models("embedded")  # the shipped files pass
    folder = tmp_path / "ar"
    shutil.copytree(MODELS_DIR, folder)
    victim = sorted(release_sums())[0]
    (folder / victim).write_bytes((folder / victim).read_bytes()[:-1] + b"?")
    # rewriting checksums.sha256 too does not help: the record is in the package's code
    (folder / "checksums.sha256").write_text("", encoding="utf-8")
    with pytest.raises(KzError, match="release.py") as err:
        verify_embedded(folder)
    assert str(folder / victim) in str(err.value) and "--trust-models" in str(err.value)
    assert "\n" not in str(err.value)
