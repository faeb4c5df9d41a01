"""The vector index port. Every query is scoped to one uid before anything else."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np

from mnemo.models.search import Chunk, ChunkKind, ScoredChunk


@dataclass(frozen=True)
class ChunkFilter:
    """What a query may return: always one user; optionally some kinds and a time span [start, end)."""

    uid: str
    kinds: Collection[ChunkKind] = ()
    start: datetime | None = None
    end: datetime | None = None


class VectorIndex(Protocol):
    name: str

    async def open(self, dimensions: int) -> None:
        """Create or check the index for vectors of this size."""

    async def replace_conversation(self, uid: str, conversation_id: str, chunks: Sequence[Chunk],
                                   vectors: np.ndarray) -> None:
        """Drop every chunk of the conversation (its summary, windows and memories), then add these."""

    async def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Write chunks that are new (nothing of theirs is indexed yet)."""

    async def replace_memories(self, uid: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """Write these memory chunks (one per memory), replacing what those memories had."""

    async def delete_conversation(self, uid: str, conversation_id: str) -> None: ...

    async def delete_memories(self, uid: str, memory_ids: Sequence[str] | None = None) -> None:
        """Drop these memories' chunks, or every memory chunk of the user when `memory_ids` is None."""

    async def nearest(self, where: ChunkFilter, vector: np.ndarray, limit: int) -> list[ScoredChunk]:
        """By cosine similarity, best first (score: similarity)."""

    async def keyword(self, where: ChunkFilter, query: str, limit: int) -> list[ScoredChunk]:
        """By full-text relevance, best first."""

    async def count(self, uid: str) -> int: ...

    async def maintain(self) -> None:
        """Fold recent writes into the indexes (called by the worker when idle)."""

    async def close(self) -> None: ...
