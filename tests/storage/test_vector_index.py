"""Both vector indexes, LanceDB (beside SQLite) and pgvector (in PostgreSQL), behave the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import lancedb
import numpy as np
import pytest
from sqlalchemy import text

from mnemo.models.search import Chunk, ChunkKind
from mnemo.services.users import UserService
from mnemo.storage.database import Database
from mnemo.storage.unit_of_work import Storage
from mnemo.storage.vectors.lance import LanceVectorIndex
from mnemo.storage.vectors.pgvector import PgVectorIndex
from mnemo.storage.vectors.port import ChunkFilter, VectorIndex

DIM = 384
T0 = datetime(2026, 5, 1, 12, tzinfo=UTC)


def _axis(i: int) -> np.ndarray:
    vector = np.zeros(DIM, dtype=np.float32)
    vector[i] = 1.0
    return vector


@pytest.fixture
async def indexed(database_url: str, tmp_path: Path) -> AsyncIterator[tuple[VectorIndex, list[str], Database]]:
    database = Database(database_url)
    users = UserService(Storage(database))
    uids = [(await users.create_user(name))[0].uid for name in ("ann", "ben")]
    index: VectorIndex = PgVectorIndex(database) if database.dialect == "postgresql" else LanceVectorIndex(
        tmp_path / "lance")
    await index.open(DIM)
    try:
        yield index, uids, database
    finally:
        await index.close()
        await database.dispose()


def _chunks(uid: str, conversation_id: str, texts: list[str], at: datetime, kind: ChunkKind = ChunkKind.transcript
            ) -> list[Chunk]:
    return [Chunk(id=f"{uid[:8]}:{conversation_id}:{i}", uid=uid, kind=kind, text=t, at=at,
                  conversation_id=conversation_id, first_segment=i, last_segment=i) for i, t in enumerate(texts)]


async def test_queries_see_one_user_and_respect_kind_and_time(
    indexed: tuple[VectorIndex, list[str], Database]
) -> None:
    index, (ann, ben), _ = indexed
    await index.replace_conversation(ann, "c1", _chunks(ann, "c1", ["walking the dog in the park", "tax forms"], T0),
                                     np.stack([_axis(0), _axis(1)]))
    await index.replace_conversation(ann, "c2", _chunks(ann, "c2", ["dog food order"], T0 + timedelta(days=2),
                                                        ChunkKind.summary), np.stack([_axis(2)]))
    await index.replace_conversation(ben, "c3", _chunks(ben, "c3", ["dog dog dog"], T0), np.stack([_axis(0)]))

    nearest = await index.nearest(ChunkFilter(ann), _axis(0), 10)
    assert nearest[0].chunk.text == "walking the dog in the park"
    assert nearest[0].score == pytest.approx(1.0, abs=1e-4)
    assert {h.chunk.uid for h in nearest} == {ann} and len(nearest) == 3

    keyword = await index.keyword(ChunkFilter(ann), "dogs", 10)
    assert {h.chunk.conversation_id for h in keyword} == {"c1", "c2"}
    assert await index.keyword(ChunkFilter(ben), "tax", 10) == []
    assert await index.keyword(ChunkFilter(ann), "?!", 10) == []

    summaries = await index.nearest(ChunkFilter(ann, kinds=(ChunkKind.summary,)), _axis(0), 10)
    assert [h.chunk.conversation_id for h in summaries] == ["c2"]
    later = await index.keyword(ChunkFilter(ann, start=T0 + timedelta(days=1), end=T0 + timedelta(days=3)), "dog", 10)
    assert [h.chunk.conversation_id for h in later] == ["c2"]
    hit = later[0].chunk
    assert hit.at == T0 + timedelta(days=2) and hit.kind is ChunkKind.summary


async def test_replacing_and_deleting(indexed: tuple[VectorIndex, list[str], Database]) -> None:
    index, (ann, ben), _ = indexed
    await index.replace_conversation(ann, "c1", _chunks(ann, "c1", ["first", "second"], T0),
                                     np.stack([_axis(0), _axis(1)]))
    await index.replace_conversation(ann, "c1", _chunks(ann, "c1", ["only"], T0), np.stack([_axis(3)]))
    assert await index.count(ann) == 1
    memory = Chunk(id="m:1", uid=ann, kind=ChunkKind.memory, text="likes tea", at=T0, memory_id="1")
    await index.replace_memories(ann, [memory], np.stack([_axis(4)]))
    await index.replace_memories(ann, [memory.model_copy(update={"text": "likes coffee"})], np.stack([_axis(4)]))
    assert [h.chunk.text for h in await index.keyword(ChunkFilter(ann), "coffee tea", 5)] == ["likes coffee"]
    await index.replace_memories(ben, [Chunk(id="m:2", uid=ben, kind=ChunkKind.memory, text="likes tea", at=T0,
                                             memory_id="2")], np.stack([_axis(4)]))

    await index.delete_memories(ann)
    assert await index.count(ann) == 1 and await index.count(ben) == 1
    await index.delete_conversation(ann, "c1")
    assert await index.count(ann) == 0
    await index.delete_memories(ben, ["2"])
    assert await index.count(ben) == 0
    await index.maintain()


async def test_the_keyword_and_vector_indexes_exist(
    indexed: tuple[VectorIndex, list[str], Database], tmp_path: Path
) -> None:
    index, (ann, _), database = indexed
    await index.replace_conversation(ann, "c1", _chunks(ann, "c1", ["walking the dog"], T0), np.stack([_axis(0)]))
    await index.maintain()
    if database.dialect == "postgresql":
        async with database.transaction(write=False) as connection:
            rows = (await connection.execute(text("SELECT indexdef FROM pg_indexes WHERE tablename = 'chunks'"))).all()
        definitions = " ".join(row[0] for row in rows)
        assert "USING hnsw (embedding vector_cosine_ops)" in definitions and "USING gin (tsv)" in definitions
    else:
        table = await (await lancedb.connect_async(str(tmp_path / "lance"))).open_table("chunks")
        found = {tuple(i.columns): i for i in await table.list_indices()}
        assert found[("text",)].index_type == "FTS" and found[("uid",)].index_type == "BTree"
        assert (await table.index_stats(found[("text",)].name)).num_unindexed_rows == 0, "maintain folds rows in"


async def test_a_dimension_mismatch_is_refused(indexed: tuple[VectorIndex, list[str], Database]) -> None:
    index, _, _ = indexed
    with pytest.raises(RuntimeError, match="384"):
        await index.open(1536)
