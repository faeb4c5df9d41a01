"""Action items: the wearer's to-dos, made by processing or by hand."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from mnemo.models.common import utcnow
from mnemo.models.filters import ActionItemFilter
from mnemo.models.structured import ActionItem
from mnemo.storage.unit_of_work import Storage, UnitOfWork

from .errors import InvalidInput, NotFound


@dataclass
class ActionItemChanges:
    """A partial update: only the fields named in `fields_set` change (so `due_at` can be cleared)."""

    description: str | None = None
    completed: bool | None = None
    due_at: datetime | None = None
    fields_set: set[str] = field(default_factory=set)


class ActionItemService:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def create(
        self,
        uid: str,
        description: str,
        completed: bool = False,
        due_at: datetime | None = None,
        conversation_id: str | None = None,
    ) -> ActionItem:
        now = utcnow()
        item = ActionItem(
            description=_description(description),
            completed=completed,
            due_at=due_at,
            completed_at=now if completed else None,
            conversation_id=conversation_id,
            created_at=now,
            updated_at=now,
        )
        async with self._storage.write() as uow:
            if conversation_id is not None and not await uow.conversations.exists(uid, conversation_id):
                raise NotFound("Conversation")
            await uow.action_items.add(uid, item)
        return item

    async def list(
        self, uid: str, where: ActionItemFilter, limit: int, offset: int
    ) -> tuple[list[ActionItem], bool]:
        """A page of items, newest first, and whether more follow."""
        if where.start_date and where.end_date and where.start_date > where.end_date:
            raise InvalidInput("start_date must not be after end_date")
        async with self._storage.read() as uow:
            items = await uow.action_items.list(uid, where, limit + 1, offset)
        return items[:limit], len(items) > limit

    async def get(self, uid: str, item_id: str) -> ActionItem:
        async with self._storage.read() as uow:
            return await _existing(uow, uid, item_id)

    async def update(self, uid: str, item_id: str, changes: ActionItemChanges) -> ActionItem:
        values: dict[str, Any] = {}
        if "description" in changes.fields_set:
            if changes.description is None:
                raise InvalidInput("description must not be null")
            values["description"] = _description(changes.description)
        if "due_at" in changes.fields_set:
            values["due_at"] = changes.due_at
        async with self._storage.write() as uow:
            current = await _existing(uow, uid, item_id)
            if "completed" in changes.fields_set:
                if changes.completed is None:
                    raise InvalidInput("completed must not be null")
                values.update(_completion(current, changes.completed))
            if values:
                await uow.action_items.update(uid, item_id, {**values, "updated_at": utcnow()})
            return await _existing(uow, uid, item_id)

    async def set_completed(self, uid: str, item_id: str, completed: bool) -> ActionItem:
        return await self.update(uid, item_id, ActionItemChanges(completed=completed, fields_set={"completed"}))

    async def delete(self, uid: str, item_id: str) -> None:
        async with self._storage.write() as uow:
            if not await uow.action_items.delete(uid, item_id):
                raise NotFound("Action item")


def _description(text: str) -> str:
    text = text.strip()
    if not text:
        raise InvalidInput("description must not be blank")
    return text


def _completion(current: ActionItem, completed: bool) -> dict[str, Any]:
    if completed == current.completed:
        return {}
    return {"completed": completed, "completed_at": utcnow() if completed else None}


async def _existing(uow: UnitOfWork, uid: str, item_id: str) -> ActionItem:
    item = await uow.action_items.get(uid, item_id)
    if item is None:
        raise NotFound("Action item")
    return item
