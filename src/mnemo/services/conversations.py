"""Reading and editing conversations."""

from __future__ import annotations

from mnemo.models.conversation import Conversation
from mnemo.models.filters import ConversationFilter
from mnemo.storage.unit_of_work import Storage

from .errors import InvalidInput, NotFound


class ConversationService:
    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    async def list(self, uid: str, where: ConversationFilter, limit: int, offset: int) -> list[Conversation]:
        if where.start_date and where.end_date and where.start_date > where.end_date:
            raise InvalidInput("start_date must not be after end_date")
        async with self._storage.read() as uow:
            return await uow.conversations.list(uid, where, limit, offset)

    async def get(self, uid: str, conversation_id: str) -> Conversation:
        async with self._storage.read() as uow:
            conversation = await uow.conversations.get(uid, conversation_id)
        if conversation is None:
            raise NotFound("Conversation")
        return conversation

    async def set_title(self, uid: str, conversation_id: str, title: str) -> None:
        await self._edit(uid, conversation_id, title=title.strip())

    async def set_overview(self, uid: str, conversation_id: str, overview: str) -> None:
        await self._edit(uid, conversation_id, overview=overview.strip())

    async def delete(self, uid: str, conversation_id: str) -> None:
        async with self._storage.write() as uow:
            if not await uow.conversations.delete(uid, conversation_id):
                raise NotFound("Conversation")

    async def _edit(self, uid: str, conversation_id: str, **values: str) -> None:
        if any(not value for value in values.values()):
            raise InvalidInput(f"{', '.join(values)} must not be blank")
        async with self._storage.write() as uow:
            if not await uow.conversations.update_fields(uid, conversation_id, values):
                raise NotFound("Conversation")
