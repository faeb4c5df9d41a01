"""Conversations: list, read, edit, delete (Omi's /v1/conversations routes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Response
from pydantic import BaseModel, Field

from mnemo.models.conversation import Conversation, ConversationStatus, NewConversation
from mnemo.models.filters import ConversationFilter
from mnemo.models.message import Message

from .deps import ServicesDep, UidDep
from .queries import utc_or_none
from .responses import model_response

router = APIRouter(prefix="/v1/conversations", tags=["conversations"])

MAX_PAGE = 500
_OK = {"status": "Ok"}


class OverviewUpdate(BaseModel):
    overview: str = Field(min_length=1, max_length=20_000)


def _statuses(raw: str) -> tuple[ConversationStatus, ...]:
    names = [name.strip() for name in raw.split(",") if name.strip()]
    if not names:
        return ConversationFilter.statuses
    try:
        return tuple(ConversationStatus(name) for name in names)
    except ValueError:
        allowed = ", ".join(s.value for s in ConversationStatus)
        raise HTTPException(422, f"statuses must be a comma-separated list of: {allowed}") from None


@router.get("", response_model=list[Conversation])
async def list_conversations(
    uid: UidDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
    statuses: Annotated[str, Query(max_length=200)] = "processing,completed",
    include_discarded: bool = True,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
) -> Response:
    where = ConversationFilter(
        statuses=_statuses(statuses),
        include_discarded=include_discarded,
        start_date=utc_or_none(start_date),
        end_date=utc_or_none(end_date),
    )
    found = await services.conversations.list(uid, where, limit, offset)
    return model_response(list[Conversation], found)


class ProcessedConversation(BaseModel):
    conversation: Conversation
    messages: list[Message] = Field(default_factory=list)


@router.post("", response_model=ProcessedConversation)
async def create_conversation(
    uid: UidDep, services: ServicesDep, body: NewConversation | None = None
) -> Response:
    """With a body: store and process a finished conversation. Without: finalize the one in progress.

    Answers once processing has finished or failed (a failed first attempt shows `processing_error`
    while its retry waits).
    """
    if body is None:
        conversation = await services.conversations.finalize_in_progress(uid)
    else:
        conversation = await services.conversations.create(uid, body)
    return model_response(ProcessedConversation, ProcessedConversation(conversation=conversation))


@router.post("/{conversation_id}/reprocess", response_model=Conversation)
async def reprocess_conversation(conversation_id: str, uid: UidDep, services: ServicesDep) -> Response:
    return model_response(Conversation, await services.conversations.reprocess(uid, conversation_id))


@router.get("/{conversation_id}", response_model=Conversation)
async def get_conversation(conversation_id: str, uid: UidDep, services: ServicesDep) -> Response:
    return model_response(Conversation, await services.conversations.get(uid, conversation_id))


@router.delete("/{conversation_id}", status_code=204)
async def delete_conversation(conversation_id: str, uid: UidDep, services: ServicesDep) -> Response:
    await services.conversations.delete(uid, conversation_id)
    return Response(status_code=204)


@router.patch("/{conversation_id}/title")
async def set_title(
    conversation_id: str,
    title: Annotated[str, Query(min_length=1, max_length=500)],
    uid: UidDep,
    services: ServicesDep,
) -> dict[str, str]:
    await services.conversations.set_title(uid, conversation_id, title)
    return _OK


@router.patch("/{conversation_id}/overview")
async def set_overview(
    conversation_id: str, body: OverviewUpdate, uid: UidDep, services: ServicesDep
) -> dict[str, str]:
    await services.conversations.set_overview(uid, conversation_id, body.overview)
    return _OK
