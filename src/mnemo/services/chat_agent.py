"""The tool-calling chat agent (with the `llm` adapter): the model searches the user's data with
tools, at most `max_steps` rounds, then answers; the conversations it cites become `memories_id`."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from mnemo.models.common import utcnow
from mnemo.models.message import Message, MessageSender
from mnemo.providers.llm.offline.answer import Answer
from mnemo.providers.llm.tools import ToolChatModel, Turn
from mnemo.storage.unit_of_work import Storage

from .chat_events import Think
from .chat_tools import TOOLS, ChatTools
from .search import SearchService

_CITATION = re.compile(r"\s*\[([0-9a-fA-F-]{36})\]")
_SYSTEM = """You are mnemo, the memory assistant of {name}, who wears a device that records their conversations.
It is now {now} ({time_zone}).
Answer questions about {name}'s life from their own data: call the tools to search their conversations and
memories, list conversations by date, or read their action items. Never invent facts; if the tools find
nothing, say so. Write a short, direct answer. After each statement that uses a conversation, cite it with
its id in square brackets, exactly as the tools show it, e.g. [3f2a...]."""


class ChatAgent:
    def __init__(self, model: ToolChatModel, storage: Storage, search: SearchService, max_steps: int = 4,
                 clock: Callable[[], datetime] = utcnow) -> None:
        self._model, self._storage, self._search = model, storage, search
        self._max_steps, self._clock = max_steps, clock

    async def run(self, uid: str, question: str, earlier: list[Message]) -> AsyncIterator[Think | Answer]:
        async with self._storage.read() as uow:
            user = await uow.users.get(uid)
        name, tz = (user.name, user.time_zone) if user else ("the user", "UTC")
        system = _SYSTEM.format(name=name, time_zone=tz, now=self._clock().astimezone(ZoneInfo(tz)).isoformat())
        tools = ChatTools(self._storage, self._search, uid, tz)
        turns = [Turn("user" if m.sender == MessageSender.human else "assistant", m.text) for m in earlier]
        turns.append(Turn("user", question))
        seen: list[str] = []
        for step in range(self._max_steps + 1):
            final = step == self._max_steps
            reply = await self._model.step(system, turns, TOOLS, final=final)
            if not reply.tool_calls or final:
                yield _cited(reply.text, seen)
                return
            turns.append(Turn("assistant", reply.text, reply.tool_calls))
            for call in reply.tool_calls:
                yield Think(f"Looking up: {call.name.replace('_', ' ')}")
                result, ids = await tools.run(call.name, call.arguments)
                seen.extend(ids)
                turns.append(Turn("tool", result, tool_call_id=call.id))


def _cited(text: str, seen: list[str]) -> Answer:
    """Citations are the seen conversation ids the answer names; the markers are taken out of the text."""
    known = set(seen)
    cited = [cid for cid in dict.fromkeys(_CITATION.findall(text)) if cid in known]
    return Answer(_CITATION.sub("", text).strip(), cited)
