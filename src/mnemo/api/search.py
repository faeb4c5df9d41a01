"""Search over conversations (Omi's POST /v1/conversations/search)."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from mnemo.models.conversation import Conversation
from mnemo.models.search import Evidence, TimeFilterReport
from mnemo.services.search import MAX_QUERY_CHARS, ConversationSearch

from .deps import ServicesDep, UidDep
from .queries import utc_or_none
from .responses import model_response

router = APIRouter(prefix="/v1/conversations", tags=["search"])
MAX_PER_PAGE = 100


class SearchRequest(BaseModel):
    query: str = Field(min_length=1, max_length=MAX_QUERY_CHARS)
    page: int = Field(default=1, ge=1, le=10_000)
    per_page: int = Field(default=10, ge=1, le=MAX_PER_PAGE)
    include_discarded: bool = False
    start_date: datetime | None = None
    end_date: datetime | None = None


class SearchPage(BaseModel):
    items: list[Conversation]
    total_pages: int
    current_page: int
    per_page: int
    time_filter: TimeFilterReport | None = Field(
        default=None, description="the time words found in the query; `applied: false` when nothing matched in "
        "that span and the results come from all time")
    evidence: list[Evidence] = Field(default_factory=list, description="the best match in each item, in order")


@router.post("/search", response_model=SearchPage)
async def search_conversations(body: SearchRequest, uid: UidDep, services: ServicesDep) -> Response:
    page = await services.search.conversations(uid, ConversationSearch(
        query=body.query, page=body.page, per_page=body.per_page, include_discarded=body.include_discarded,
        start_date=utc_or_none(body.start_date), end_date=utc_or_none(body.end_date),
    ))
    return model_response(SearchPage, SearchPage(
        items=page.items, total_pages=page.total_pages, current_page=page.current_page, per_page=page.per_page,
        time_filter=page.time_filter, evidence=page.evidence,
    ))
