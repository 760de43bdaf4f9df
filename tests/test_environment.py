"""The pinned environment: lock file, pyproject and environment.yml say the same thing."""
from __future__ import annotations

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


def _conda_deps() -> set[str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    assert "conda-forge" in env["channels"]
    names = {_canon(_NAME.match(d).group(1)) for d in env["dependencies"] if isinstance(d, str)}
    pips = [d for d in env["dependencies"] if isinstance(d, dict)]
    assert pips and "-e ." in pips[0]["pip"], "environment.yml must install the package (-e .)"
    return names


def test_environment_yml_names_every_runtime_dependency():
    conda = _conda_deps()
    missing = {CONDA_NAMES.get(n, n) for n in _names(_pyproject()["project"]["dependencies"])}
    assert missing - conda == set()
    assert "python" in conda


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
