"""pgvector for the server profile: the `chunks` table (migration 0004) in the same PostgreSQL,
with an HNSW index for cosine distance and a GIN index over an English `tsvector` for keywords.

Keywords are ranked by `ts_rank` (term frequency, length-normalized) over an OR of the query's
words: PostgreSQL has no BM25, and `ts_rank_cd` cost twice as much at 100,000 chunks.

pgvector 0.6 filters after the HNSW scan, so each query raises `hnsw.ef_search` well above the
number of rows it asks for; PostgreSQL's planner takes the `uid` B-tree (an exact scan) when a
user has few chunks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, VARCHAR

from mnemo.models.search import Chunk, ChunkKind, ScoredChunk

from ..database import Database
from .port import ChunkFilter

_COLUMNS = "id, uid, kind, conversation_id, memory_id, at, first_segment, last_segment, text"
_WORD = re.compile(r"\w+", re.UNICODE)
EF_SEARCH = 200


def _literal(vector: np.ndarray) -> str:
    return "[" + ",".join(f"{x:.7g}" for x in vector.astype(np.float32).tolist()) + "]"


def _filter(where: ChunkFilter) -> tuple[str, dict[str, Any]]:
    clauses, params = ["uid = :uid"], {"uid": where.uid}
    if where.kinds:
        clauses.append("kind = ANY(:kinds)")
        params["kinds"] = [k.value for k in where.kinds]
    if where.start is not None:
        clauses.append("at >= :start")
        params["start"] = where.start
    if where.end is not None:
        clauses.append("at < :end")
        params["end"] = where.end
    return " AND ".join(clauses), params


def _bind(statement: str, params: dict[str, Any]) -> Any:
    query = text(statement)
    if "kinds" in params:
        query = query.bindparams(bindparam("kinds", type_=ARRAY(VARCHAR)))
    return query


class PgVectorIndex:
    name = "pgvector"

    def __init__(self, database: Database) -> None:
        self._db = database

    async def open(self, dimensions: int) -> None:
        async with self._db.transaction(write=False) as connection:
            stored = (await connection.execute(text(
                "SELECT atttypmod FROM pg_attribute WHERE attrelid = to_regclass('chunks') AND attname = 'embedding'"
            ))).scalar()
        if stored is None:
            raise RuntimeError("the PostgreSQL database has no `chunks` table: its server lacks the pgvector "
                               "extension (install it, then run `mnemo migrate`), or set MNEMO_VECTOR_INDEX=lancedb")
        if stored != dimensions:
            raise RuntimeError(f"the chunks table holds {stored}-d vectors but the embedder makes {dimensions}-d ones")

    async def replace_conversation(self, uid: str, conversation_id: str, chunks: Sequence[Chunk],
                                   vectors: np.ndarray) -> None:
        async with self._db.transaction(write=True) as connection:
            await connection.execute(text("DELETE FROM chunks WHERE uid = :uid AND conversation_id = :cid"),
                                     {"uid": uid, "cid": conversation_id})
            await self._insert(connection, chunks, vectors)

    async def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        async with self._db.transaction(write=True) as connection:
            await self._insert(connection, chunks, vectors)

    async def replace_memories(self, uid: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        query = text("DELETE FROM chunks WHERE uid = :uid AND memory_id = ANY(:ids)").bindparams(
            bindparam("ids", type_=ARRAY(VARCHAR)))
        async with self._db.transaction(write=True) as connection:
            await connection.execute(query, {"uid": uid, "ids": [c.memory_id for c in chunks]})
            await self._insert(connection, chunks, vectors)

    async def delete_conversation(self, uid: str, conversation_id: str) -> None:
        async with self._db.transaction(write=True) as connection:
            await connection.execute(text("DELETE FROM chunks WHERE uid = :uid AND conversation_id = :cid"),
                                     {"uid": uid, "cid": conversation_id})

    async def delete_memories(self, uid: str, memory_ids: Sequence[str] | None = None) -> None:
        async with self._db.transaction(write=True) as connection:
            if memory_ids is None:
                await connection.execute(text("DELETE FROM chunks WHERE uid = :uid AND kind = 'memory'"),
                                         {"uid": uid})
            elif memory_ids:
                query = text("DELETE FROM chunks WHERE uid = :uid AND memory_id = ANY(:ids)").bindparams(
                    bindparam("ids", type_=ARRAY(VARCHAR)))
                await connection.execute(query, {"uid": uid, "ids": list(memory_ids)})

    async def nearest(self, where: ChunkFilter, vector: np.ndarray, limit: int) -> list[ScoredChunk]:
        clause, params = _filter(where)
        statement = (f"SELECT {_COLUMNS}, 1 - (embedding <=> CAST(:vector AS vector)) AS score FROM chunks "
                     f"WHERE {clause} ORDER BY embedding <=> CAST(:vector AS vector) LIMIT :limit")
        params.update(vector=_literal(vector), limit=limit)
        async with self._db.transaction(write=False) as connection:
            await connection.execute(text(f"SET LOCAL hnsw.ef_search = {max(EF_SEARCH, limit)}"))
            rows = (await connection.execute(_bind(statement, params), params)).mappings().all()
        return [_scored(row) for row in rows]

    async def keyword(self, where: ChunkFilter, query: str, limit: int) -> list[ScoredChunk]:
        words = _WORD.findall(query.lower())
        if not words:
            return []
        clause, params = _filter(where)
        statement = (f"SELECT {_COLUMNS}, ts_rank(tsv, q, 1) AS score "
                     f"FROM chunks, to_tsquery('english', :terms) AS q "
                     f"WHERE {clause} AND tsv @@ q ORDER BY score DESC LIMIT :limit")
        params.update(terms=" | ".join(dict.fromkeys(words)), limit=limit)
        async with self._db.transaction(write=False) as connection:
            rows = (await connection.execute(_bind(statement, params), params)).mappings().all()
        return [_scored(row) for row in rows]

    async def count(self, uid: str) -> int:
        async with self._db.transaction(write=False) as connection:
            return int((await connection.execute(text("SELECT count(*) FROM chunks WHERE uid = :uid"),
                                                 {"uid": uid})).scalar_one())

    async def maintain(self) -> None:
        """PostgreSQL keeps its indexes current on every write; autovacuum does the rest."""

    async def close(self) -> None:
        """The connection pool belongs to the Database."""

    async def _insert(self, connection: Any, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        if not chunks:
            return
        rows = [{
            "id": c.id, "uid": c.uid, "kind": c.kind.value, "conversation_id": c.conversation_id,
            "memory_id": c.memory_id, "at": c.at, "first_segment": c.first_segment,
            "last_segment": c.last_segment, "text": c.text, "embedding": _literal(vector),
        } for c, vector in zip(chunks, vectors, strict=True)]
        await connection.execute(text(
            f"INSERT INTO chunks ({_COLUMNS}, embedding) VALUES (:id, :uid, :kind, :conversation_id, :memory_id, "
            ":at, :first_segment, :last_segment, :text, CAST(:embedding AS vector)) "
            "ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text, embedding = EXCLUDED.embedding, at = EXCLUDED.at"
        ), rows)


def _scored(row: Any) -> ScoredChunk:
    chunk = Chunk(id=row["id"], uid=row["uid"], kind=ChunkKind(row["kind"]), text=row["text"], at=row["at"],
                  conversation_id=row["conversation_id"], memory_id=row["memory_id"],
                  first_segment=row["first_segment"], last_segment=row["last_segment"])
    return ScoredChunk(chunk=chunk, score=float(row["score"]))
