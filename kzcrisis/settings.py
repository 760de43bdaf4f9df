"""How a run is made: the settings of ``kz.analyze``/``kz.run`` and ``kzcrisis analyze``."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    """How a run is made; every field is recorded in the manifest.

    >>> Settings(workers=2).chunk_size, Settings().chunk_size
    (16, 128)
    """

    models: str = "embedded"
    cache: str | None = None  # folder; None = default user cache; "off" = no cache
    chunk_size: int | None = None  # None: 128 serial, 16 on Dask (spreads the load)
    batch_size: int = 32
    workers: int = 1
    scheduler: str | None = None
    progress: bool = False  # one bar over the run's documents, on stderr
    max_chars: int = 1_000_000  # longer documents are skipped with their reason
    trust_models: bool = False  # skip the sha256 checks of models.trust (--trust-models)
    # a researcher's own resource files, merged over the package's (user_resources.py)
    actors: str | None = None
    cues: str | None = None
    stance_lexicon: str | None = None
    framing_terms: str | None = None

    def __post_init__(self) -> None:
        if self.chunk_size is None:
            distributed = self.workers > 1 or bool(self.scheduler)
            object.__setattr__(self, "chunk_size", 16 if distributed else 128)
