"""Every service, built once over one storage; the composition root hands this to the API."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mnemo.models.common import utcnow
from mnemo.providers.embeddings.port import Embedder
from mnemo.providers.llm.offline.answer import ExtractiveAnswerer
from mnemo.providers.llm.port import Extractor
from mnemo.providers.llm.tools import ToolChatModel
from mnemo.providers.stt.port import SpeechToText
from mnemo.storage.unit_of_work import Storage
from mnemo.storage.vectors.port import VectorIndex

from .action_items import ActionItemService
from .chat import ChatService
from .chat_agent import ChatAgent
from .chunking import WindowSettings
from .conversations import ConversationService
from .indexing import Indexer
from .lifecycle import LifecycleService, LifecycleSettings
from .memories import MemoryService
from .processing import ProcessingService, ProcessingSettings
from .search import SearchService
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
    indexer: Indexer
    search: SearchService
    chat: ChatService
    stt: dict[str, SpeechToText]
    default_stt: str

    @classmethod
    def over(
        cls,
        storage: Storage,
        extractor: Extractor,
        embedder: Embedder,
        index: VectorIndex,
        *,
        chat_model: ToolChatModel | None = None,
        chat_max_steps: int = 4,
        windows: WindowSettings | None = None,
        processing: ProcessingSettings | None = None,
        lifecycle: LifecycleSettings | None = None,
        stt: dict[str, SpeechToText] | None = None,
        default_stt: str = "local",
        clock: Callable[[], datetime] = utcnow,
    ) -> Services:
        indexer = Indexer(storage, embedder, index, windows)
        processor = ProcessingService(storage, extractor, processing, indexer=indexer)
        lifecycle_service = LifecycleService(storage, processor, lifecycle)
        search = SearchService(storage, embedder, index, clock)
        agent = ChatAgent(chat_model, storage, search, chat_max_steps, clock) if chat_model is not None else None
        return cls(
            storage=storage,
            users=UserService(storage),
            conversations=ConversationService(storage, processor, lifecycle_service, indexer),
            action_items=ActionItemService(storage),
            memories=MemoryService(storage, indexer),
            processing=processor,
            lifecycle=lifecycle_service,
            indexer=indexer,
            search=search,
            chat=ChatService(storage, search, ExtractiveAnswerer(embedder), agent, clock),
            stt=stt or {},
            default_stt=default_stt,
        )
