"""Action items: rows of their own, optionally linked to the conversation they came from."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from mnemo.models.filters import ActionItemFilter
from mnemo.models.structured import ActionItem

from ..tables import action_items


def _item(row: Mapping[str, Any]) -> ActionItem:
    return ActionItem.model_validate(_fields(row))


def _fields(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in row.items() if k != "uid"}


class ActionItemRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._db = connection

    async def add(self, uid: str, item: ActionItem) -> None:
        await self._db.execute(insert(action_items).values(uid=uid, **item.model_dump()))

    async def get(self, uid: str, item_id: str) -> ActionItem | None:
        query = select(action_items).where(action_items.c.uid == uid, action_items.c.id == item_id)
        row = (await self._db.execute(query)).mappings().first()
        return _item(row) if row else None

    async def list(self, uid: str, where: ActionItemFilter, limit: int, offset: int) -> list[ActionItem]:
        query = select(action_items).where(action_items.c.uid == uid)
        if where.completed is not None:
            query = query.where(action_items.c.completed == where.completed)
        if where.conversation_id is not None:
            query = query.where(action_items.c.conversation_id == where.conversation_id)
        if where.start_date is not None:
            query = query.where(action_items.c.created_at >= where.start_date)
        if where.end_date is not None:
            query = query.where(action_items.c.created_at <= where.end_date)
        query = query.order_by(action_items.c.created_at.desc(), action_items.c.id).limit(limit).offset(offset)
        return [_item(row) for row in (await self._db.execute(query)).mappings()]

    async def for_conversations(self, uid: str, conversation_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        """The items of each conversation, as plain field dicts ready for validation in bulk."""
        ids = list(conversation_ids)
        grouped: dict[str, list[dict[str, Any]]] = {cid: [] for cid in ids}
        if not ids:
            return grouped
        # The uid is checked on the rows, not in SQL: with it in the WHERE clause SQLite picks the
        # uid index and walks every item the user has instead of the few these conversations hold.
        query = (
            select(action_items)
            .where(action_items.c.conversation_id.in_(ids))
            .order_by(action_items.c.created_at, action_items.c.id)
        )
        for row in (await self._db.execute(query)).mappings():
            if row["uid"] == uid:
                grouped[row["conversation_id"]].append(_fields(row))
        return grouped

    async def replace_for_conversation(self, uid: str, conversation_id: str, items: list[ActionItem]) -> None:
        """Make `items` the conversation's whole set (processing twice leaves one set)."""
        await self._db.execute(
            delete(action_items).where(action_items.c.uid == uid, action_items.c.conversation_id == conversation_id)
        )
        if items:
            await self._db.execute(insert(action_items), [{"uid": uid, **item.model_dump()} for item in items])

    async def update(self, uid: str, item_id: str, values: dict[str, Any]) -> bool:
        query = update(action_items).where(action_items.c.uid == uid, action_items.c.id == item_id)
        return (await self._db.execute(query.values(**values))).rowcount == 1

    async def delete(self, uid: str, item_id: str) -> bool:
        query = delete(action_items).where(action_items.c.uid == uid, action_items.c.id == item_id)
        return (await self._db.execute(query)).rowcount == 1
