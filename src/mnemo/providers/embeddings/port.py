"""The embeddings port: texts in, unit-length float32 vectors out (one row per text)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np


class EmbeddingFailed(Exception):
    """The embedder could not embed the texts (model missing, endpoint down, wrong dimensions)."""


class Embedder(Protocol):
    name: str
    dimensions: int

    async def embed(self, texts: Sequence[str]) -> np.ndarray: ...

    async def warm(self) -> None:
        """Get ready to answer quickly (load a model); a no-op for remote embedders."""


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Scale every row to length 1, so cosine similarity is a dot product."""
    matrix = np.asarray(matrix, dtype=np.float32)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms
