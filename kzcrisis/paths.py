"""The one paths/config module: every other module asks here where things live."""
from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
ROOT = PACKAGE_DIR.parent
RESOURCES = PACKAGE_DIR / "resources"
MODELS_DIR = PACKAGE_DIR / "models" / "ar"
DATA = ROOT / "data"
DATA_RAW = DATA / "raw"
DATA_GOLD = DATA / "gold"
REPORTS = ROOT / "reports"
#: Where the public training corpora live (read-only); CI has ../shared beside the checkout.
CORPORA = Path(os.environ.get("KZCRISIS_CORPORA", ROOT.parent / "shared" / "corpora"))


def resource(name: str) -> Path:
    """Path of a packaged resource file (actor dictionary, lexicons, patterns)."""
    return RESOURCES / name
