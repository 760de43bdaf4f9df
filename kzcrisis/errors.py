"""User-facing errors: one line that names the file and the fix."""
from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any


class KzError(Exception):
    """An error the CLI prints as one line (no traceback unless --debug)."""


class InputError(KzError):
    """A corpus file or folder that cannot be read as asked."""


class ResourceError(KzError):
    """A malformed resource file (actor dictionary, lexicon, patterns)."""


def one_line_errors(main: Callable[..., int]) -> Callable[..., int]:
    """Wrap a module's ``main(argv)``: a :class:`KzError` is printed as one line on stderr
    (``kzcrisis: error: ...``) and the exit status is 2, never a traceback.

    >>> @one_line_errors
    ... def main(argv=None):
    ...     raise KzError("data/x.csv: no text column; pass --text-column")
    >>> main()  # doctest: +SKIP (prints to stderr)
    2
    """
    @functools.wraps(main)
    def run(*args: Any, **kwargs: Any) -> int:
        try:
            return main(*args, **kwargs)
        except KzError as err:
            print(f"kzcrisis: error: {err}", file=sys.stderr)
            return 2
    return run
