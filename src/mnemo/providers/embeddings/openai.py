"""Any OpenAI-compatible `POST {base_url}/embeddings` endpoint (OpenAI, Ollama, vLLM, llama.cpp)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import httpx
import numpy as np

from mnemo.providers.llm.http import post_json
from mnemo.providers.llm.port import ExtractionFailed

from .port import EmbeddingFailed, unit_rows


class OpenAIEmbedder:
    """Asks for `dimensions` (text-embedding-3 models shorten their vectors on request) and refuses
    answers of any other length, since the index was built for one size."""

    name = "openai"

    def __init__(self, client: httpx.AsyncClient, base_url: str, api_key: str, model: str, dimensions: int,
                 timeout: float = 30.0, retries: int = 3, batch_size: int = 128) -> None:
        self._client, self._url = client, base_url.rstrip("/") + "/embeddings"
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._model, self.dimensions = model, dimensions
        self._timeout, self._retries, self._batch_size = timeout, retries, batch_size

    async def warm(self) -> None:
        """Nothing to load: the endpoint holds the model."""

    async def embed(self, texts: Sequence[str]) -> np.ndarray:
        rows: list[np.ndarray] = []
        for start in range(0, len(texts), self._batch_size):
            rows.append(await self._batch(list(texts[start:start + self._batch_size])))
        return np.vstack(rows) if rows else np.zeros((0, self.dimensions), dtype=np.float32)

    async def _batch(self, texts: list[str]) -> np.ndarray:
        body = {"model": self._model, "input": texts, "dimensions": self.dimensions, "encoding_format": "float"}
        try:
            data = await post_json(self._client, self._url, body, self._headers, request_timeout=self._timeout,
                                   retries=self._retries)
        except ExtractionFailed as error:
            raise EmbeddingFailed(str(error)) from error
        return unit_rows(self._vectors(data, len(texts)))

    def _vectors(self, data: dict[str, Any], expected: int) -> np.ndarray:
        try:
            items = sorted(data["data"], key=lambda item: item["index"])
            matrix = np.array([item["embedding"] for item in items], dtype=np.float32)
        except (KeyError, TypeError, ValueError) as error:
            raise EmbeddingFailed(f"the embeddings endpoint answered without embeddings: {str(data)[:200]}") from error
        if matrix.ndim != 2 or matrix.shape[0] != expected:
            raise EmbeddingFailed(f"asked for {expected} embeddings, got {matrix.shape[0] if matrix.ndim else 0}")
        if matrix.shape[1] != self.dimensions:
            raise EmbeddingFailed(f"the endpoint returned {matrix.shape[1]}-d vectors; the index holds "
                                  f"{self.dimensions}-d ones (set MNEMO_EMBEDDING_DIMENSIONS or another model)")
        return matrix
