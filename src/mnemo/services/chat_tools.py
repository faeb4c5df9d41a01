"""The tools the chat agent may call, over the user's own data only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from mnemo.models.filters import ActionItemFilter, ConversationFilter
from mnemo.providers.llm.tools import ToolSpec
from mnemo.storage.unit_of_work import Storage

from .errors import InvalidInput, Unavailable
from .search import SearchService

_DATES = {"start_date": {"type": "string", "description": "ISO 8601 date or time, inclusive"},
          "end_date": {"type": "string", "description": "ISO 8601 date or time, inclusive"}}

TOOLS = [
    ToolSpec("search_conversations", "Search the user's conversations (transcripts and summaries) by meaning and "
             "keywords. Time words in the query (yesterday, last week, in March) narrow it by date.",
             {"type": "object", "properties": {"query": {"type": "string"}, **_DATES}, "required": ["query"]}),
    ToolSpec("search_memories", "Search the long-term facts known about the user.",
             {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}),
    ToolSpec("conversations_by_date", "List the user's conversations between two dates, newest first.",
             {"type": "object", "properties": _DATES, "required": ["start_date", "end_date"]}),
    ToolSpec("action_items", "List the user's action items (to-dos).",
             {"type": "object", "properties": {"completed": {"type": "boolean"}}}),
]


def _date(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidInput(f"not an ISO 8601 date: {value!r}") from error


class ChatTools:
    """Runs one tool call; returns the text the model reads and the conversation ids it saw."""

    def __init__(self, storage: Storage, search: SearchService, uid: str, time_zone: str) -> None:
        self._storage, self._search, self._uid, self._tz = storage, search, uid, time_zone

    async def run(self, name: str, arguments: dict[str, Any]) -> tuple[str, list[str]]:
        try:
            if name == "search_conversations":
                return await self._conversations(str(arguments.get("query", "")), _date(arguments.get("start_date")),
                                                 _date(arguments.get("end_date")))
            if name == "search_memories":
                return await self._memories(str(arguments.get("query", "")))
            if name == "conversations_by_date":
                return await self._by_date(_date(arguments.get("start_date")), _date(arguments.get("end_date")))
            if name == "action_items":
                return await self._action_items(arguments.get("completed"))
        except (InvalidInput, Unavailable) as error:
            return f"error: {error.detail}", []
        return f"error: there is no tool named {name!r}", []

    async def _conversations(self, query: str, start: datetime | None, end: datetime | None) -> tuple[str, list[str]]:
        found = await self._search.find(self._uid, query, start=start, end=end)
        hits = found.chunks[:6]
        lines = [f"[{h.chunk.conversation_id}] {h.chunk.text}" for h in hits if h.chunk.conversation_id]
        note = "" if found.time_filter is None or found.time_filter.applied else \
            f"(nothing matched {found.time_filter.phrase!r}; these are from any time)\n"
        return note + ("\n\n".join(lines) or "no matching conversations"), [
            h.chunk.conversation_id for h in hits if h.chunk.conversation_id]

    async def _memories(self, query: str) -> tuple[str, list[str]]:
        memories = await self._search.memories(self._uid, query, 10, 0)
        lines = [f"- {m.content}" + (f" (from [{m.conversation_id}])" if m.conversation_id else "")
                 for m in memories]
        return "\n".join(lines) or "no matching memories", [m.conversation_id for m in memories if m.conversation_id]

    async def _by_date(self, start: datetime | None, end: datetime | None) -> tuple[str, list[str]]:
        async with self._storage.read() as uow:
            found = await uow.conversations.list(self._uid, ConversationFilter(start_date=start, end_date=end), 20, 0)
        lines = [f"[{c.id}] {(c.started_at or c.created_at).isoformat()}: {c.structured.title} — "
                 f"{c.structured.overview}" for c in found]
        return "\n".join(lines) or "no conversations in that range", [c.id for c in found]

    async def _action_items(self, completed: Any) -> tuple[str, list[str]]:
        where = ActionItemFilter(completed=completed if isinstance(completed, bool) else None)
        async with self._storage.read() as uow:
            items = await uow.action_items.list(self._uid, where, 50, 0)
        lines = [f"- {'[done] ' if i.completed else ''}{i.description}" + (f" (due {i.due_at.isoformat()})"
                 if i.due_at else "") + (f" from [{i.conversation_id}]" if i.conversation_id else "") for i in items]
        return "\n".join(lines) or "no action items", [i.conversation_id for i in items if i.conversation_id]
