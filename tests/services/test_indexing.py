"""An embedder outage: conversations still complete and are indexed later; search and chat say so."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import numpy as np

from mnemo.app import create_app
from mnemo.models.conversation import NewConversation
from mnemo.providers.embeddings.local import LocalEmbedder
from mnemo.providers.embeddings.port import EmbeddingFailed
from mnemo.services.container import Services
from tests.api.test_chat import parse_stream
from tests.conftest import Caller
from tests.conversations import body
from tests.scripted import CountingExtractor
from tests.searching import HIKING


class OutageEmbedder:
    """The bundled model, unreachable while `down` is set."""

    name = "outage"
    dimensions = 384

    def __init__(self) -> None:
        self.down = True
        self._inner = LocalEmbedder()

    async def warm(self) -> None:
        """Nothing to load ahead."""

    async def embed(self, texts: Sequence[str]) -> np.ndarray:
        if self.down:
            raise EmbeddingFailed("the embeddings endpoint is unreachable")
        return await self._inner.embed(texts)


async def test_a_conversation_stored_during_an_outage_is_indexed_once_it_ends(
    services: Services, alice: Caller
) -> None:
    embedder = OutageEmbedder()
    degraded = Services.over(services.storage, CountingExtractor(), embedder, services.indexer.index)
    conversation = await degraded.conversations.create(alice.uid, NewConversation.model_validate(body(HIKING)))
    assert conversation.status.value == "completed", "processing does not wait for the index"
    assert await services.indexer.index.count(alice.uid) == 0
    embedder.down = False
    assert await degraded.indexer.catch_up() == 1
    assert await degraded.indexer.catch_up() == 0, "the flag is cleared once indexed"
    hits = await degraded.search.ranked(alice.uid, "golden retriever")
    assert hits and hits[0].chunk.conversation_id == conversation.id


async def test_search_and_chat_say_the_embedder_is_down(services: Services, alice: Caller) -> None:
    embedder = OutageEmbedder()
    degraded = Services.over(services.storage, CountingExtractor(), embedder, services.indexer.index)
    app = create_app()
    app.state.services = degraded
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mnemo.test") as client:
        response = await client.post("/v1/conversations/search", json={"query": "dog"}, headers=alice.headers)
        assert response.status_code == 503 and "unavailable" in response.json()["detail"]
        chat = await client.post("/v2/messages", json={"text": "What about the dog?"}, headers=alice.headers)
        assert chat.status_code == 200
        _, message = parse_stream(chat.content)
        assert message["text"].startswith("I can't search your memories right now") and message["memories_id"] == []
