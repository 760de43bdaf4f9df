"""User-facing errors: one line that names the file and the fix."""
from __future__ import annotations


class KzError(Exception):
    """An error the CLI prints as one line (no traceback unless --debug)."""


class InputError(KzError):
    """A corpus file or folder that cannot be read as asked."""


class ResourceError(KzError):
    """A malformed resource file (actor dictionary, lexicon, patterns)."""
