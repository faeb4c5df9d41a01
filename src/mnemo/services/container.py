"""Every service, built once over one storage; the composition root hands this to the API."""

from __future__ import annotations

from dataclasses import dataclass

from mnemo.providers.llm.port import Extractor
from mnemo.providers.stt.port import SpeechToText
from mnemo.storage.unit_of_work import Storage

from .action_items import ActionItemService
from .conversations import ConversationService
from .lifecycle import LifecycleService, LifecycleSettings
from .memories import MemoryService
from .processing import ProcessingService, ProcessingSettings
from .users import UserService


@dataclass(frozen=True)
class Services:
    storage: Storage
    users: UserService
    conversations: ConversationService
    action_items: ActionItemService
    memories: MemoryService
    processing: ProcessingService
    lifecycle: LifecycleService
    stt: dict[str, SpeechToText]
    default_stt: str

    @classmethod
    def over(
        cls,
        storage: Storage,
        extractor: Extractor,
        processing: ProcessingSettings | None = None,
        lifecycle: LifecycleSettings | None = None,
        stt: dict[str, SpeechToText] | None = None,
        default_stt: str = "local",
    ) -> Services:
        processor = ProcessingService(storage, extractor, processing)
        lifecycle_service = LifecycleService(storage, processor, lifecycle)
        return cls(
            storage=storage,
            users=UserService(storage),
            conversations=ConversationService(storage, processor, lifecycle_service),
            action_items=ActionItemService(storage),
            memories=MemoryService(storage),
            processing=processor,
            lifecycle=lifecycle_service,
            stt=stt or {},
            default_stt=default_stt,
        )
