"""Memories, the facts about the wearer (Omi's /v3/memories routes)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from mnemo.models.categories import MemoryCategory
from mnemo.models.memory import Memory, MemoryVisibility
from mnemo.services.memories import BATCH_LIMIT, NewMemory
from mnemo.services.search import MAX_QUERY_CHARS

from .deps import ServicesDep, UidDep
from .responses import OK, model_response

router = APIRouter(prefix="/v3/memories", tags=["memories"])

MAX_PAGE = 5000
MAX_CONTENT = 5000


class MemoryCreate(BaseModel):
    content: str = Field(min_length=1, max_length=MAX_CONTENT)
    category: MemoryCategory = MemoryCategory.other
    visibility: MemoryVisibility = MemoryVisibility.private
    tags: list[Annotated[str, Field(max_length=100)]] = Field(default_factory=list, max_length=50)

    def as_new(self) -> NewMemory:
        return NewMemory(self.content, self.category, self.visibility, self.tags)


class MemoryBatch(BaseModel):
    memories: list[MemoryCreate] = Field(max_length=BATCH_LIMIT)


class MemoryBatchResult(BaseModel):
    memories: list[Memory]
    created_count: int


@router.get("", response_model=list[Memory])
async def list_memories(
    uid: UidDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    category: MemoryCategory | None = None,
    include_superseded: bool = False,
    query: Annotated[str | None, Query(max_length=MAX_QUERY_CHARS,
                                       description="search by meaning and keywords; best match first")] = None,
) -> Response:
    if query is not None:
        found = await services.search.memories(uid, query, limit, offset)
    else:
        found = await services.memories.list(uid, limit, offset, category, include_superseded)
    return model_response(list[Memory], found)


@router.post("", response_model=Memory)
async def create_memory(body: MemoryCreate, uid: UidDep, services: ServicesDep) -> Response:
    return model_response(Memory, await services.memories.create(uid, body.as_new()))


@router.post("/batch", response_model=MemoryBatchResult)
async def create_memories(body: MemoryBatch, uid: UidDep, services: ServicesDep) -> Response:
    created = await services.memories.create_many(uid, [m.as_new() for m in body.memories])
    return model_response(MemoryBatchResult, MemoryBatchResult(memories=created, created_count=len(created)))


@router.delete("")
async def delete_all_memories(uid: UidDep, services: ServicesDep) -> dict[str, object]:
    return {**OK, "deleted_count": await services.memories.delete_all(uid)}


@router.patch("/{memory_id}")
async def edit_memory(
    memory_id: str,
    value: Annotated[str, Query(min_length=1, max_length=MAX_CONTENT)],
    uid: UidDep,
    services: ServicesDep,
) -> dict[str, str]:
    await services.memories.edit(uid, memory_id, value)
    return OK


@router.delete("/{memory_id}")
async def delete_memory(memory_id: str, uid: UidDep, services: ServicesDep) -> dict[str, str]:
    await services.memories.delete(uid, memory_id)
    return OK


@router.post("/{memory_id}/review")
async def review_memory(memory_id: str, value: bool, uid: UidDep, services: ServicesDep) -> dict[str, str]:
    await services.memories.review(uid, memory_id, value)
    return OK


@router.patch("/{memory_id}/visibility")
async def set_visibility(
    memory_id: str, value: MemoryVisibility, uid: UidDep, services: ServicesDep
) -> dict[str, str]:
    await services.memories.set_visibility(uid, memory_id, value)
    return OK
