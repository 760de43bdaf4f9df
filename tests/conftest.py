"""Shared fixtures."""
from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def pipeline():
    """The embedded Stanza Arabic pipeline (tokenize, mwt, ner), loaded once per session."""
    from kzcrisis.nlp import load_pipeline

    return load_pipeline("embedded")
