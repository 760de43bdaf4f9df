"""The pinned environment: lock file, pyproject and environment.yml say the same thing."""
from __future__ import annotations

import os
import re
import tomllib

import pytest
import yaml

from kzcrisis.paths import ROOT

# pip name -> conda-forge name where they differ
CONDA_NAMES = {"torch": "pytorch", "matplotlib": "matplotlib-base"}
_NAME = re.compile(r"^\s*([A-Za-z0-9_.\-]+)")


def _canon(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _names(requirements: list[str]) -> set[str]:
    return {_canon(_NAME.match(r).group(1)) for r in requirements}


def _env(name: str) -> dict:
    env = yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))
    assert env["name"] == "kzcrisis" and "conda-forge" in env["channels"]
    return env


def _conda_names(env: dict) -> set[str]:
    return {_canon(_NAME.match(d).group(1)) for d in env["dependencies"] if isinstance(d, str)}


def _conda_deps() -> set[str]:
    env = _env("environment.yml")
    pips = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pips and "-e ." in pips[0]["pip"], "environment.yml must install the package (-e .)"
    return _conda_names(env)


def _runtime() -> set[str]:
    return {CONDA_NAMES.get(n, n) for n in _names(_pyproject()["project"]["dependencies"])}


def test_environment_yml_names_every_runtime_dependency():
    conda = _conda_deps()
    assert _runtime() - conda == set()
    assert "python" in conda


def test_binder_environment_names_every_runtime_dependency_without_editable_install():
    # repo2docker builds the environment before it copies the repository: "-e ." cannot
    # work there, so binder/postBuild installs the package once the files are in place
    env = _env("binder/environment.yml")
    assert not [d for d in env["dependencies"] if not isinstance(d, str)], \
        "binder/environment.yml must not have a pip: section (postBuild installs kzcrisis)"
    names = _conda_names(env)
    assert _runtime() - names == set()
    assert {"python", "pip", "jupyterlab", "nbval"} <= names
    assert "python=3.11" in env["dependencies"]
    # same lower bounds as the root file wherever both name a package
    root = {d.split("#")[0].strip() for d in _env("environment.yml")["dependencies"]
            if isinstance(d, str)}
    ours = {d.split("#")[0].strip() for d in env["dependencies"]}
    shared = {_canon(_NAME.match(d).group(1)) for d in root} & names
    assert {d for d in root if _canon(_NAME.match(d).group(1)) in shared} == \
        {d for d in ours if _canon(_NAME.match(d).group(1)) in shared}


def test_binder_postbuild_installs_the_package_without_dependencies():
    post = ROOT / "binder" / "postBuild"
    assert os.access(post, os.X_OK), "binder/postBuild must be executable"
    lines = [ln.strip() for ln in post.read_text(encoding="utf-8").splitlines()
             if ln.strip() and not ln.lstrip().startswith("#")]
    assert "pip install --no-deps -e ." in lines
    assert not [ln for ln in lines if ln.startswith(("pip install", "conda install"))
                and ln != "pip install --no-deps -e ."], "dependencies belong in environment.yml"


@pytest.mark.parametrize("extra", ["train", "dask", "dev"])
def test_environment_yml_names_extras(extra):
    conda = _conda_deps()
    wanted = {CONDA_NAMES.get(n, n) for n in _names(_pyproject()["project"]
                                                       ["optional-dependencies"][extra])}
    wanted.discard("pip-tools")  # only for `make lock`, which runs in .venv
    assert wanted - conda == set()


def test_lock_pins_every_dependency_exactly_and_torch_without_local_tag():
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = dict(re.findall(r"(?m)^([A-Za-z0-9_.\-]+)==(\S+)", lock))
    pins = {_canon(k): v for k, v in pins.items()}
    project = _pyproject()["project"]
    wanted = _names(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        wanted |= _names(extra)
    assert wanted - set(pins) == set()
    assert pins["torch"] == "2.13.0"  # not 2.13.0+cpu: PyPI has no such version
    assert "torch==2.13.0" in project["dependencies"]
