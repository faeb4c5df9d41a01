"""LanceDB for the embedded profile: one table of chunks in the data folder, with a full-text
(BM25) index on the text, a B-tree on `uid`, a bitmap on `kind`, and an HNSW index on the vectors once
there are enough rows for it to beat a flat scan."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lancedb
import numpy as np
import pyarrow as pa
from lancedb.index import FTS, Bitmap, BTree, HnswSq

from mnemo.models.search import Chunk, ChunkKind, ScoredChunk

from .port import ChunkFilter

log = logging.getLogger("mnemo.vectors")
TABLE = "chunks"
_COLUMNS = ["id", "uid", "kind", "conversation_id", "memory_id", "at_us", "first_segment", "last_segment", "text"]


def _schema(dimensions: int) -> pa.Schema:
    return pa.schema([
        ("id", pa.string()), ("uid", pa.string()), ("kind", pa.string()),
        ("conversation_id", pa.string()), ("memory_id", pa.string()), ("at_us", pa.int64()),
        ("first_segment", pa.int32()), ("last_segment", pa.int32()), ("text", pa.string()),
        ("vector", pa.list_(pa.float32(), dimensions)),
    ])


def _quote(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _micros(moment: datetime) -> int:
    return int(moment.timestamp() * 1_000_000)


def _predicate(where: ChunkFilter) -> str:
    clauses = [f"uid = {_quote(where.uid)}"]
    if where.kinds:
        clauses.append(f"kind IN ({', '.join(_quote(k.value) for k in where.kinds)})")
    if where.start is not None:
        clauses.append(f"at_us >= {_micros(where.start)}")
    if where.end is not None:
        clauses.append(f"at_us < {_micros(where.end)}")
    return " AND ".join(clauses)


class LanceVectorIndex:
    name = "lancedb"

    def __init__(self, folder: Path, ann_threshold: int = 20_000) -> None:
        self._folder = folder
        self._ann_threshold = ann_threshold
        self._table: Any = None
        self._dimensions = 0
        self._writes = 0
        self._lock = asyncio.Lock()

    async def open(self, dimensions: int) -> None:
        self._folder.mkdir(parents=True, exist_ok=True)
        db = await lancedb.connect_async(str(self._folder))
        try:
            table = await db.open_table(TABLE)
        except ValueError:  # no table yet
            table = await db.create_table(TABLE, schema=_schema(dimensions))
        stored = (await table.schema()).field("vector").type.list_size
        if stored != dimensions:
            raise RuntimeError(f"the vector index in {self._folder} holds {stored}-d vectors but the embedder "
                               f"makes {dimensions}-d ones; move that folder away to re-index")
        indexed = {tuple(index.columns) for index in await table.list_indices()}
        if ("text",) not in indexed:
            await table.create_index("text", config=FTS(with_position=False))
        if ("uid",) not in indexed:
            await table.create_index("uid", config=BTree())
        if ("kind",) not in indexed:
            await table.create_index("kind", config=Bitmap())
        self._table, self._dimensions = table, dimensions

    async def replace_conversation(self, uid: str, conversation_id: str, chunks: Sequence[Chunk],
                                   vectors: np.ndarray) -> None:
        await self._delete(f"uid = {_quote(uid)} AND conversation_id = {_quote(conversation_id)}")
        await self.add(chunks, vectors)

    async def replace_memories(self, uid: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        await self.delete_memories(uid, [chunk.memory_id or "" for chunk in chunks])
        await self.add(chunks, vectors)

    async def delete_conversation(self, uid: str, conversation_id: str) -> None:
        await self._delete(f"uid = {_quote(uid)} AND conversation_id = {_quote(conversation_id)}")

    async def delete_memories(self, uid: str, memory_ids: Sequence[str] | None = None) -> None:
        if memory_ids is None:
            await self._delete(f"uid = {_quote(uid)} AND kind = 'memory'")
        elif memory_ids:
            await self._delete(f"uid = {_quote(uid)} AND memory_id IN ({', '.join(map(_quote, memory_ids))})")

    async def nearest(self, where: ChunkFilter, vector: np.ndarray, limit: int) -> list[ScoredChunk]:
        query = (self._table.query().nearest_to(vector.astype(np.float32)).distance_type("cosine")
                 .where(_predicate(where)).select(_COLUMNS).limit(limit))
        rows = (await query.to_arrow()).to_pylist()
        return [ScoredChunk(chunk=_chunk(row), score=1.0 - float(row["_distance"])) for row in rows]

    async def keyword(self, where: ChunkFilter, query: str, limit: int) -> list[ScoredChunk]:
        search = (self._table.query().nearest_to_text(query, columns="text").where(_predicate(where))
                  .select(_COLUMNS).limit(limit))
        rows = (await search.to_arrow()).to_pylist()
        return [ScoredChunk(chunk=_chunk(row), score=float(row["_score"])) for row in rows]

    async def count(self, uid: str) -> int:
        return int(await self._table.count_rows(f"uid = {_quote(uid)}"))

    async def maintain(self) -> None:
        async with self._lock:
            if not self._writes and not await self._unindexed_rows():
                return
            self._writes = 0
            indexed = {tuple(index.columns) for index in await self._table.list_indices()}
            rows = await self._table.count_rows()
            if ("vector",) not in indexed and rows >= self._ann_threshold:
                log.info("building the HNSW vector index over %d chunks", rows)
                await self._table.create_index("vector", config=HnswSq(distance_type="cosine"))
            await self._table.optimize()

    async def _unindexed_rows(self) -> int:
        """Rows written (by this or another process) that the full-text index does not cover yet."""
        for index in await self._table.list_indices():
            if tuple(index.columns) == ("text",):
                return int((await self._table.index_stats(index.name)).num_unindexed_rows)
        return 0

    async def close(self) -> None:
        self._table = None

    async def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        columns = {
            "id": [c.id for c in chunks], "uid": [c.uid for c in chunks], "kind": [c.kind.value for c in chunks],
            "conversation_id": [c.conversation_id or "" for c in chunks],
            "memory_id": [c.memory_id or "" for c in chunks], "at_us": [_micros(c.at) for c in chunks],
            "first_segment": [c.first_segment for c in chunks], "last_segment": [c.last_segment for c in chunks],
            "text": [c.text for c in chunks],
            "vector": pa.FixedSizeListArray.from_arrays(pa.array(vectors.astype(np.float32).ravel()),
                                                        self._dimensions),
        }
        await self._table.add(pa.table(columns, schema=_schema(self._dimensions)))
        self._writes += 1

    async def _delete(self, predicate: str) -> None:
        await self._table.delete(predicate)
        self._writes += 1


def _chunk(row: dict[str, Any]) -> Chunk:
    return Chunk(
        id=row["id"], uid=row["uid"], kind=ChunkKind(row["kind"]), text=row["text"],
        at=datetime.fromtimestamp(row["at_us"] / 1_000_000, UTC),
        conversation_id=row["conversation_id"] or None, memory_id=row["memory_id"] or None,
        first_segment=row["first_segment"], last_segment=row["last_segment"],
    )
