"""Chat: answers about the wearer's life from their own conversations and memories, with citations.

Each question is routed: small talk gets a direct answer; anything else is answered from
retrieved evidence, either by the extractive answerer (offline) or by a tool-calling agent (with
an LLM). Follow-ups ("and what did she say after that?") are resolved against the history.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from datetime import datetime

from mnemo.models.common import utcnow
from mnemo.models.message import Message, MessageSender
from mnemo.models.search import ChunkKind
from mnemo.providers.llm.offline.answer import Answer, ExtractiveAnswerer, Passage
from mnemo.providers.llm.offline.language import sentences
from mnemo.storage.unit_of_work import Storage

from .chat_agent import ChatAgent
from .chat_events import ChatEvent, Data, Done, Think
from .chat_router import asks_what_came_next, direct_reply, is_follow_up, needs_context
from .errors import InvalidInput, Unavailable
from .search import SearchService

MAX_MESSAGE_CHARS = 4000
HISTORY_TURNS = 10
EVIDENCE_CHUNKS = 8
NOT_FOUND = "I couldn't find anything about that in your conversations or memories."


def _pieces(text: str) -> list[str]:
    """The answer in small pieces, as a model would stream it."""
    return re.findall(r"\S+\s*|\n", text) or [text]


class ChatService:
    def __init__(self, storage: Storage, search: SearchService, answerer: ExtractiveAnswerer,
                 agent: ChatAgent | None = None, clock: Callable[[], datetime] = utcnow) -> None:
        self._storage = storage
        self._search = search
        self._answerer = answerer
        self._agent = agent
        self.uses_agent = agent is not None
        self._clock = clock

    async def history(self, uid: str, limit: int, offset: int) -> list[Message]:
        async with self._storage.read() as uow:
            return await uow.messages.latest(uid, limit, offset)

    async def clear(self, uid: str) -> int:
        async with self._storage.write() as uow:
            return await uow.messages.delete_all(uid)

    async def ask(self, uid: str, text: str, app_id: str | None = None) -> Message:
        """Check and store the question; the reply is then streamed by `reply`."""
        text = text.strip()
        if not text:
            raise InvalidInput("text must not be blank")
        if len(text) > MAX_MESSAGE_CHARS:
            raise InvalidInput(f"text is longer than {MAX_MESSAGE_CHARS} characters")
        question = Message(text=text, sender=MessageSender.human, app_id=app_id, created_at=self._clock())
        async with self._storage.write() as uow:
            await uow.messages.add(uid, question)
        return question

    async def reply(self, uid: str, question: Message) -> AsyncIterator[ChatEvent]:
        async with self._storage.read() as uow:
            earlier = [m for m in await uow.messages.latest(uid, HISTORY_TURNS + 1) if m.id != question.id]
            user = await uow.users.get(uid)
        earlier.reverse()
        name, time_zone = (user.name, user.time_zone) if user else ("there", "UTC")
        if not needs_context(question.text):
            answer = Answer(direct_reply(question.text, name), [])
        elif self._agent is not None:
            answer = Answer("", [])
            async for event in self._agent.run(uid, question.text, earlier):
                if isinstance(event, Answer):
                    answer = event
                else:
                    yield event
        else:
            yield Think("Searching your conversations and memories")
            try:
                answer = await self._offline(uid, question.text, earlier, time_zone)
            except Unavailable as error:  # the stream has begun: say it instead of breaking it
                answer = Answer(f"I can't search your memories right now ({error.detail}). Please try again later.",
                                [])
        for piece in _pieces(answer.text):
            yield Data(piece)
        message = Message(text=answer.text, sender=MessageSender.ai, app_id=question.app_id,
                          memories_id=answer.cited, created_at=max(self._clock(), question.created_at))
        async with self._storage.write() as uow:
            await uow.messages.add(uid, message)
        yield Done(message)

    async def _offline(self, uid: str, text: str, earlier: list[Message], time_zone: str) -> Answer:
        previous_question = next((m for m in reversed(earlier) if m.sender == MessageSender.human), None)
        previous_answer = next((m for m in reversed(earlier) if m.sender == MessageSender.ai), None)
        follow_up = is_follow_up(text) and previous_question is not None
        if follow_up and asks_what_came_next(text) and previous_answer and previous_answer.memories_id:
            continued = await self._what_came_next(uid, previous_answer)
            if continued is not None:
                return continued
        query = f"{previous_question.text} {text}" if follow_up and previous_question else text
        found = await self._search.find(uid, query)
        hits = found.chunks
        if follow_up and previous_answer and previous_answer.memories_id:
            cited = set(previous_answer.memories_id)
            hits = [h for h in hits if h.chunk.conversation_id in cited] or hits
        passages = [Passage(h.chunk.text, h.chunk.conversation_id, rank, h.chunk.at,
                            paraphrase=h.chunk.kind == ChunkKind.summary)
                    for rank, h in enumerate(hits[:EVIDENCE_CHUNKS])]
        answer = await self._answerer.answer(query, passages, time_zone)
        return answer or Answer(NOT_FOUND, [])

    async def _what_came_next(self, uid: str, previous: Message) -> Answer | None:
        """The segments that follow the ones the previous answer quoted, in the same conversation."""
        async with self._storage.read() as uow:
            conversation = await uow.conversations.get(uid, previous.memories_id[0])
        if conversation is None:
            return None
        segments = conversation.transcript_segments
        quoted = [i for i, s in enumerate(segments) if any(part in previous.text for part in sentences(s.text))]
        if not quoted or quoted[-1] + 1 >= len(segments):
            return None
        following = segments[quoted[-1] + 1:quoted[-1] + 3]
        text = " ".join(f"{'You' if s.is_user else f'Speaker {s.speaker_id}'}: {s.text.strip()}" for s in following)
        return Answer(f"After that: {text}", [conversation.id])
