"""Action items (Omi's /v1/action-items routes)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from mnemo.models.filters import ActionItemFilter
from mnemo.models.structured import ActionItem
from mnemo.services.action_items import ActionItemChanges

from .deps import ServicesDep, UidDep
from .queries import utc_or_none
from .responses import model_response

router = APIRouter(prefix="/v1/action-items", tags=["action-items"])

MAX_PAGE = 500
MAX_DESCRIPTION = 2000


class NewActionItem(BaseModel):
    description: str = Field(min_length=1, max_length=MAX_DESCRIPTION)
    completed: bool = False
    due_at: datetime | None = None
    conversation_id: str | None = Field(default=None, max_length=64)


class ActionItemUpdate(BaseModel):
    description: str | None = Field(default=None, min_length=1, max_length=MAX_DESCRIPTION)
    completed: bool | None = None
    due_at: datetime | None = None


class ActionItemPage(BaseModel):
    action_items: list[ActionItem]
    has_more: bool


@router.get("", response_model=ActionItemPage)
async def list_action_items(
    uid: UidDep,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
    completed: bool | None = None,
    conversation_id: Annotated[str | None, Query(max_length=64)] = None,
    start_date: datetime | None = None,
    end_date: datetime | None = None,
) -> Response:
    where = ActionItemFilter(
        completed=completed,
        conversation_id=conversation_id,
        start_date=utc_or_none(start_date),
        end_date=utc_or_none(end_date),
    )
    items, has_more = await services.action_items.list(uid, where, limit, offset)
    return model_response(ActionItemPage, ActionItemPage(action_items=items, has_more=has_more))


@router.post("", response_model=ActionItem)
async def create_action_item(body: NewActionItem, uid: UidDep, services: ServicesDep) -> Response:
    item = await services.action_items.create(
        uid,
        body.description,
        completed=body.completed,
        due_at=utc_or_none(body.due_at),
        conversation_id=body.conversation_id,
    )
    return model_response(ActionItem, item)


@router.get("/{item_id}", response_model=ActionItem)
async def get_action_item(item_id: str, uid: UidDep, services: ServicesDep) -> Response:
    return model_response(ActionItem, await services.action_items.get(uid, item_id))


@router.patch("/{item_id}", response_model=ActionItem)
async def update_action_item(
    item_id: str, body: ActionItemUpdate, uid: UidDep, services: ServicesDep
) -> Response:
    changes = ActionItemChanges(
        description=body.description,
        completed=body.completed,
        due_at=utc_or_none(body.due_at),
        fields_set=set(body.model_fields_set),
    )
    return model_response(ActionItem, await services.action_items.update(uid, item_id, changes))


@router.patch("/{item_id}/completed", response_model=ActionItem)
async def set_completed(item_id: str, completed: bool, uid: UidDep, services: ServicesDep) -> Response:
    return model_response(ActionItem, await services.action_items.set_completed(uid, item_id, completed))


@router.delete("/{item_id}", status_code=204)
async def delete_action_item(item_id: str, uid: UidDep, services: ServicesDep) -> Response:
    await services.action_items.delete(uid, item_id)
    return Response(status_code=204)
