"""Both embedders: the bundled all-MiniLM-L6-v2, and an OpenAI-compatible endpoint (a local fake)."""

from __future__ import annotations

import httpx
import numpy as np
import pytest

from mnemo.providers.embeddings.local import LocalEmbedder
from mnemo.providers.embeddings.openai import OpenAIEmbedder
from mnemo.providers.embeddings.port import EmbeddingFailed
from tests.fakes.model_server import Script


async def test_local_embeddings_are_unit_vectors_that_capture_meaning() -> None:
    embedder = LocalEmbedder()
    vectors = await embedder.embed(["My dog loves the park.", "The puppy plays on the grass.",
                                    "Quarterly tax filing deadline"])
    assert vectors.shape == (3, 384) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.2
    assert (await embedder.embed([])).shape == (0, 384)


async def test_local_embedding_is_the_same_alone_or_in_a_batch() -> None:
    embedder = LocalEmbedder()
    batch = await embedder.embed([f"sentence {i} about gardening" for i in range(70)])
    alone = await embedder.embed(["sentence 42 about gardening"])
    assert np.allclose(batch[42], alone[0], atol=1e-4)


async def test_openai_embeddings_in_batches_and_in_order(script: Script, base_url: str,
                                                         http: httpx.AsyncClient) -> None:
    embedder = OpenAIEmbedder(http, base_url + "/v1", "sk-test", "text-embedding-3-small", 384, batch_size=2)
    texts = ["one", "two", "three"]
    vectors = await embedder.embed(texts)
    assert vectors.shape == (3, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert [body["input"] for body in script.bodies] == [["one", "two"], ["three"]]
    assert all(body["dimensions"] == 384 and body["model"] == "text-embedding-3-small" for body in script.bodies)
    again = await embedder.embed(["three"])
    assert np.allclose(again[0], vectors[2])


async def test_openai_embeddings_retry_then_fail_clearly(script: Script, base_url: str,
                                                         http: httpx.AsyncClient) -> None:
    embedder = OpenAIEmbedder(http, base_url + "/v1", "", "m", 384, retries=1)
    script.plan = ["500"]
    assert (await embedder.embed(["works after one retry"])).shape == (1, 384)
    script.plan = ["wrong_dimensions"]
    with pytest.raises(EmbeddingFailed, match="385-d"):
        await embedder.embed(["the server ignored the dimensions"])
    script.plan = ["401"]
    with pytest.raises(EmbeddingFailed, match="401"):
        await embedder.embed(["bad key"])
