"""Conversations with their transcript segments (rows of their own, appended without rewrites)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter
from sqlalchemy import Select, delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncConnection

from mnemo.models.conversation import Conversation, ConversationStatus
from mnemo.models.filters import ConversationFilter
from mnemo.models.segment import TranscriptSegment

from ..tables import conversations, transcript_segments
from .action_items import ActionItemRepository

_STRUCTURED = ("title", "overview", "emoji", "category", "events")
_JSON_LISTS = ("photos", "apps_results")


def _row_values(uid: str, conversation: Conversation) -> dict[str, Any]:
    data = conversation.model_dump(mode="json", exclude={"structured", "transcript_segments"})
    structured = conversation.structured.model_dump(mode="json", include=set(_STRUCTURED))
    values = {**data, **structured, "uid": uid}
    for key in ("created_at", "started_at", "finished_at"):
        values[key] = getattr(conversation, key)
    values["started_at"] = conversation.started_at or conversation.created_at
    return values


def _segment_values(conversation_id: str, segment: TranscriptSegment) -> dict[str, Any]:
    return {"conversation_id": conversation_id, **segment.model_dump()}


def _filtered(query: Select[Any], where: ConversationFilter) -> Select[Any]:
    query = query.where(conversations.c.status.in_([s.value for s in where.statuses]))
    if not where.include_discarded:
        query = query.where(conversations.c.discarded.is_(False))
    if where.start_date is not None:
        query = query.where(conversations.c.started_at >= where.start_date)
    if where.end_date is not None:
        query = query.where(conversations.c.started_at <= where.end_date)
    return query


_SEGMENT_FIELDS = tuple(TranscriptSegment.model_fields)
# One validation pass over whole pages is several times faster than building models one by one.
_CONVERSATIONS = TypeAdapter(list[Conversation])


class ConversationRepository:
    def __init__(self, connection: AsyncConnection) -> None:
        self._db = connection
        self._action_items = ActionItemRepository(connection)

    async def add(self, uid: str, conversation: Conversation) -> None:
        await self._db.execute(insert(conversations).values(**_row_values(uid, conversation)))
        await self.upsert_segments([(conversation.id, s) for s in conversation.transcript_segments])

    async def statuses(self, conversation_ids: Sequence[str]) -> dict[str, tuple[str, str]]:
        """(owner uid, status) of each of these conversations that exists."""
        query = select(conversations.c.id, conversations.c.uid, conversations.c.status).where(
            conversations.c.id.in_(list(conversation_ids))
        )
        return {row[0]: (row[1], row[2]) for row in await self._db.execute(query)}

    async def upsert_segments(self, rows: Sequence[tuple[str, TranscriptSegment]]) -> None:
        """Store (conversation id, segment) pairs in one statement: new ones inserted, merged ones rewritten."""
        if not rows:
            return
        upsert = postgresql_insert if self._db.dialect.name == "postgresql" else sqlite_insert
        statement = upsert(transcript_segments)
        statement = statement.on_conflict_do_update(
            index_elements=["conversation_id", "id"],
            set_={"text": statement.excluded.text, "end": statement.excluded.end,
                  "speaker": statement.excluded.speaker, "speaker_id": statement.excluded.speaker_id},
        )
        await self._db.execute(statement, [_segment_values(cid, s) for cid, s in rows])

    async def touch(self, conversation_ids: Sequence[str], at: datetime) -> None:
        if conversation_ids:
            query = update(conversations).where(conversations.c.id.in_(list(conversation_ids)))
            await self._db.execute(query.values(last_activity_at=at))

    async def begin_finalizing(self, uid: str, conversation_id: str) -> bool:
        """Move an in-progress conversation to processing; False if it was not in progress (any more)."""
        query = update(conversations).where(
            conversations.c.uid == uid,
            conversations.c.id == conversation_id,
            conversations.c.status == ConversationStatus.in_progress.value,
        )
        return (await self._db.execute(query.values(status=ConversationStatus.processing.value))).rowcount == 1

    async def idle_in_progress(self, idle_since: datetime) -> list[tuple[str, str, datetime, int | None]]:
        """(uid, id, last activity, timeout) of in-progress conversations quiet since `idle_since`."""
        query = select(
            conversations.c.uid, conversations.c.id, conversations.c.last_activity_at, conversations.c.timeout_seconds
        ).where(
            conversations.c.status == ConversationStatus.in_progress.value,
            conversations.c.last_activity_at < idle_since,
        )
        return [tuple(row) for row in await self._db.execute(query)]  # type: ignore[misc]

    async def activity(self, uid: str, conversation_id: str) -> tuple[str, datetime | None, int | None] | None:
        """(status, last activity, timeout) of one conversation, without loading its transcript."""
        query = select(conversations.c.status, conversations.c.last_activity_at, conversations.c.timeout_seconds).where(
            conversations.c.uid == uid, conversations.c.id == conversation_id
        )
        row = (await self._db.execute(query)).first()
        return (row[0], row[1], row[2]) if row else None

    async def has_segments(self, conversation_id: str) -> bool:
        query = select(transcript_segments.c.row_id).where(transcript_segments.c.conversation_id == conversation_id)
        return (await self._db.execute(query.limit(1))).first() is not None

    async def exists(self, uid: str, conversation_id: str) -> bool:
        query = select(conversations.c.id).where(conversations.c.uid == uid, conversations.c.id == conversation_id)
        return (await self._db.execute(query)).first() is not None

    async def get(self, uid: str, conversation_id: str) -> Conversation | None:
        query = select(conversations).where(conversations.c.uid == uid, conversations.c.id == conversation_id)
        rows = list((await self._db.execute(query)).mappings())
        found = await self._assemble(uid, rows)
        return found[0] if found else None

    async def list(self, uid: str, where: ConversationFilter, limit: int, offset: int) -> list[Conversation]:
        query = _filtered(select(conversations).where(conversations.c.uid == uid), where)
        query = query.order_by(conversations.c.started_at.desc(), conversations.c.id).limit(limit).offset(offset)
        return await self._assemble(uid, list((await self._db.execute(query)).mappings()))

    async def matching(
        self, uid: str, conversation_ids: Sequence[str], where: ConversationFilter
    ) -> list[Conversation]:
        """Those of these conversations that pass the filter (in no particular order)."""
        query = _filtered(select(conversations).where(conversations.c.id.in_(list(conversation_ids))), where)
        # By primary key, the owner checked after: see MemoryRepository.by_ids.
        rows = [row for row in (await self._db.execute(query)).mappings() if row["uid"] == uid]
        return await self._assemble(uid, rows)

    async def needing_index(self, limit: int) -> list[tuple[str, str]]:
        """(uid, id) of completed conversations whose vectors are not yet written."""
        query = select(conversations.c.uid, conversations.c.id).where(
            conversations.c.needs_index.is_(True), conversations.c.status == ConversationStatus.completed.value
        )
        return [(row[0], row[1]) for row in await self._db.execute(query.limit(limit))]

    async def update_fields(self, uid: str, conversation_id: str, values: dict[str, Any]) -> bool:
        query = update(conversations).where(conversations.c.uid == uid, conversations.c.id == conversation_id)
        return (await self._db.execute(query.values(**values))).rowcount == 1

    async def delete(self, uid: str, conversation_id: str) -> bool:
        """Delete a conversation; its segments and action items go with it, memories lose the link."""
        query = delete(conversations).where(conversations.c.uid == uid, conversations.c.id == conversation_id)
        return (await self._db.execute(query)).rowcount == 1

    async def _segments(self, conversation_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
        ids = list(conversation_ids)
        grouped: dict[str, list[dict[str, Any]]] = {cid: [] for cid in ids}
        if not ids:
            return grouped
        query = (
            select(transcript_segments.c.conversation_id, *(transcript_segments.c[f] for f in _SEGMENT_FIELDS))
            .where(transcript_segments.c.conversation_id.in_(ids))
            .order_by(transcript_segments.c.conversation_id, transcript_segments.c.start, transcript_segments.c.row_id)
        )
        for row in (await self._db.execute(query)).all():
            grouped[row[0]].append(dict(zip(_SEGMENT_FIELDS, row[1:], strict=True)))
        return grouped

    async def _assemble(self, uid: str, rows: list[Mapping[str, Any]]) -> list[Conversation]:
        ids = [row["id"] for row in rows]
        segments = await self._segments(ids)
        items = await self._action_items.for_conversations(uid, ids)
        pages = []
        for row in rows:
            data = {k: v for k, v in row.items() if k not in _STRUCTURED and k != "uid"}
            for key in _JSON_LISTS:
                data[key] = data[key] or []
            structured = {k: row[k] for k in _STRUCTURED}
            structured["action_items"] = items[row["id"]]
            data["structured"] = structured
            data["transcript_segments"] = segments[row["id"]]
            pages.append(data)
        return _CONVERSATIONS.validate_python(pages)
