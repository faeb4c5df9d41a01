"""Every service, built once over one storage; the composition root hands this to the API."""

from __future__ import annotations

from dataclasses import dataclass

from mnemo.storage.unit_of_work import Storage

from .action_items import ActionItemService
from .conversations import ConversationService
from .memories import MemoryService
from .users import UserService


@dataclass(frozen=True)
class Services:
    storage: Storage
    users: UserService
    conversations: ConversationService
    action_items: ActionItemService
    memories: MemoryService

    @classmethod
    def over(cls, storage: Storage) -> Services:
        return cls(
            storage=storage,
            users=UserService(storage),
            conversations=ConversationService(storage),
            action_items=ActionItemService(storage),
            memories=MemoryService(storage),
        )
