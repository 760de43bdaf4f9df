"""How `make` installs: the torch build it picks and the pip command lines it runs.

CI has the local torch wheel, so the fallback to PyTorch's CPU index cannot happen for real
there: these tests run scripts/install-torch.sh with a stand-in interpreter that records every
pip command line and fails the offline attempt, and read `make -n`'s plan.
"""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from kzcrisis.paths import ROOT

SCRIPT = ROOT / "scripts" / "install-torch.sh"
CPU_INDEX = "https://download.pytorch.org/whl/cpu"
# a stand-in for $(PY): records its arguments, one call per line; fails when FAIL_ON is among
# them (FAIL_ON=--no-index: a machine where pip finds no local torch wheel)
FAKE_PY = """#!/bin/sh
echo "$*" >> "$CALLS"
for a in "$@"; do for f in $FAIL_ON; do [ "$a" = "$f" ] && exit 1; done; done
exit 0
"""


def _install(tmp_path, mode: str | None, fail_on: str = "") -> tuple[int, list[str], str]:
    fake = tmp_path / "python"
    fake.write_text(FAKE_PY)
    fake.chmod(0o755)
    calls = tmp_path / "calls.txt"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KZCRISIS_")}
    env.update(CALLS=str(calls), FAIL_ON=fail_on)
    if mode is not None:
        env["KZCRISIS_TORCH"] = mode
    proc = subprocess.run(["sh", str(SCRIPT), str(fake), str(ROOT / "requirements.lock")],
                          env=env, capture_output=True, text=True, timeout=30)
    lines = calls.read_text().splitlines() if calls.exists() else []
    return proc.returncode, lines, proc.stderr


def _pinned_torch() -> str:
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    return next(ln.split("==")[1].strip() for ln in lock.splitlines()
                if ln.startswith("torch=="))


@pytest.mark.parametrize("mode, fail_on, expected", [
    # a local wheel (these machines, CI): one offline call, no index is ever asked
    (None, "", ["-m pip install --quiet --no-index --no-deps torch=={v}"]),
    ("cpu", "", ["-m pip install --quiet --no-index --no-deps torch=={v}"]),
    # no local wheel: the offline call fails, then the CPU-only build from PyTorch's index
    (None, "--no-index", ["-m pip install --quiet --no-index --no-deps torch=={v}",
                          "-m pip install --quiet --no-deps --index-url " + CPU_INDEX
                          + " --extra-index-url https://pypi.org/simple torch=={v}"]),
    # the CUDA build: PyPI's default wheel with its CUDA libraries, no offline attempt
    ("cuda", "", ["-m pip install --quiet --index-url https://pypi.org/simple torch=={v}"]),
])
def test_install_torch_command_lines(tmp_path, mode, fail_on, expected):
    rc, calls, _ = _install(tmp_path, mode, fail_on)
    assert rc == 0
    assert calls == [e.format(v=_pinned_torch()) for e in expected]


def test_install_torch_fallback_says_why(tmp_path):
    _, _, stderr = _install(tmp_path, None, "--no-index")
    assert "no local torch" in stderr and CPU_INDEX in stderr


def test_install_torch_failing_fallback_fails_make(tmp_path):
    rc, calls, _ = _install(tmp_path, None, "--no-index --index-url")
    assert rc != 0 and len(calls) == 2


def test_install_torch_rejects_unknown_build(tmp_path):
    rc, calls, stderr = _install(tmp_path, "rocm")
    assert rc == 2 and calls == [] and "use cpu (default) or cuda" in stderr


def _make_plan(*args: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    proc = subprocess.run(["make", "-n", "-C", str(ROOT), *args], capture_output=True,
                          text=True, timeout=30)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


@pytest.mark.parametrize("args, mode", [((), "cpu"), (("KZCRISIS_TORCH=cuda",), "cuda")])
def test_make_venv_installs_torch_before_the_lock(tmp_path, args, mode):
    plan = _make_plan("venv", f"VENV={tmp_path / 'venv'}", *args)
    torch = next(i for i, ln in enumerate(plan) if "scripts/install-torch.sh" in ln)
    lock = next(i for i, ln in enumerate(plan) if "install --quiet -r requirements.lock" in ln)
    assert torch < lock
    assert plan[torch].startswith(f"KZCRISIS_TORCH={mode} ")
    assert str(tmp_path / "venv" / "bin" / "python") in plan[torch]


def test_make_reproduce_with_corpus_passes_it_to_analysis_and_notebooks(tmp_path):
    plan = _make_plan("reproduce", "CORPUS=my_articles/", f"STAMP={tmp_path / 'stamp'}")
    assert any("kzcrisis analyze my_articles/ --out reports" in ln for ln in plan)
    assert any("kzcrisis.notebooks" in ln and "--corpus my_articles/" in ln for ln in plan)
    default = _make_plan("reproduce", f"STAMP={tmp_path / 'stamp'}")
    assert any("kzcrisis analyze data/raw" in ln for ln in default)
    assert not any("--corpus" in ln for ln in default)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_make_lab_serves_jupyterlab(tmp_path):
    """`make lab` on the venv this test runs in, on a free port; /lab answers, then it stops."""
    if shutil.which("make") is None or shutil.which("curl") is None:
        pytest.skip("make or curl is not installed")
    venv = os.path.dirname(os.path.dirname(sys.executable))
    if not os.path.exists(os.path.join(venv, "bin", "jupyter")):
        pytest.skip("jupyter is not installed in this interpreter's venv")
    port = _free_port()
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(tmp_path / "rt"),
           "JUPYTER_CONFIG_DIR": str(tmp_path / "cfg"), "JUPYTER_DATA_DIR": str(tmp_path / "data")}
    log = open(tmp_path / "lab.log", "w")
    # STAMP=: the venv is already built (make venv would otherwise compare the lock's hash)
    proc = subprocess.Popen(
        ["make", "-s", "-C", str(ROOT), "lab", f"VENV={venv}", f"STAMP={tmp_path / 'stamp'}",
         f"LAB_PORT={port}", "LAB_ARGS=--ServerApp.token= --ServerApp.ip=127.0.0.1"],
        stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    (tmp_path / "stamp").touch()
    try:
        url = f"http://127.0.0.1:{port}/lab"
        deadline = time.monotonic() + 120
        body = ""
        while time.monotonic() < deadline and proc.poll() is None:
            out = subprocess.run(["curl", "-s", "-f", url], capture_output=True, text=True)
            if out.returncode == 0:
                body = out.stdout
                break
            time.sleep(1)
        assert body, f"JupyterLab did not answer on {url}: " + (tmp_path / "lab.log").read_text()
        assert "JupyterLab" in body
        # notebooks/ is the root the server shows
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/contents") as resp:
            listing = resp.read().decode()
        assert "01_cleaning.ipynb" in listing
    finally:
        os.killpg(proc.pid, 15)  # make and the jupyter server it started, by their group id
        proc.wait(timeout=30)
        log.close()
