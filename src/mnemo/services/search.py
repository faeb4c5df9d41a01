"""Hybrid search over a user's memories, summaries and transcript windows.

Vector similarity and keyword (BM25) relevance each rank up to `candidates` chunks; the two
rankings are fused by weighted reciprocal rank. Time words in the question become a time filter in the
user's time zone; when nothing matches inside that span the search runs again over all time and
the answer says so. Hits are read back through the database, scoped to the user, so nothing
deleted (or another user's) can appear.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass, field
from datetime import datetime

from mnemo.models.common import utcnow
from mnemo.models.conversation import Conversation, ConversationStatus
from mnemo.models.filters import ConversationFilter
from mnemo.models.memory import Memory
from mnemo.models.search import ChunkKind, Evidence, ScoredChunk, SearchMode, TimeFilterReport, TimeSpan
from mnemo.providers.embeddings.port import Embedder, EmbeddingFailed
from mnemo.providers.llm.offline.time_words import time_span, without_time_words
from mnemo.storage.unit_of_work import Storage
from mnemo.storage.vectors.port import ChunkFilter, VectorIndex

from .errors import InvalidInput, Unavailable

log = logging.getLogger("mnemo.search")
MAX_QUERY_CHARS = 2000
# Reciprocal rank fusion with a small constant (top ranks count most) and BM25 weighted above the
# vectors: on LoCoMo dev this beat k=60 with equal weights and either ranking alone
# (bench/locomo.py; the figures are in the notes of issue #5).
RRF_K = 10
KEYWORD_WEIGHT = 1.5


@dataclass(frozen=True)
class ConversationSearch:
    query: str
    page: int = 1
    per_page: int = 10
    include_discarded: bool = False
    start_date: datetime | None = None
    end_date: datetime | None = None


@dataclass
class Found:
    """Chunks ranked best first, and how the query's time words were used (if it had any)."""

    chunks: list[ScoredChunk]
    time_filter: TimeFilterReport | None = None


@dataclass
class ConversationPage:
    items: list[Conversation]
    total_pages: int
    current_page: int
    per_page: int
    time_filter: TimeFilterReport | None = None
    evidence: list[Evidence] = field(default_factory=list)


def fuse(rankings: list[tuple[float, list[ScoredChunk]]], limit: int) -> list[ScoredChunk]:
    """Weighted reciprocal rank fusion: each (weight, ranking) adds weight / (RRF_K + rank) to a chunk."""
    scores: dict[str, float] = {}
    chunks: dict[str, ScoredChunk] = {}
    for weight, ranking in rankings:
        for rank, hit in enumerate(ranking, 1):
            scores[hit.chunk.id] = scores.get(hit.chunk.id, 0.0) + weight / (RRF_K + rank)
            chunks.setdefault(hit.chunk.id, hit)
    best = sorted(scores, key=lambda key: -scores[key])[:limit]
    return [ScoredChunk(chunk=chunks[key].chunk, score=scores[key]) for key in best]


def spread(hits: list[ScoredChunk]) -> list[ScoredChunk]:
    """Move a transcript window behind the others when it overlaps a better-ranked window of the same
    conversation: overlapping windows repeat each other, and the places below them are worth more
    to something else."""
    kept: list[ScoredChunk] = []
    repeats: list[ScoredChunk] = []
    covered: dict[str, list[tuple[int, int]]] = {}
    for hit in hits:
        chunk = hit.chunk
        spans = covered.setdefault(chunk.conversation_id or "", [])
        if chunk.kind is ChunkKind.transcript and any(
                chunk.first_segment <= last and first <= chunk.last_segment for first, last in spans):
            repeats.append(hit)
            continue
        if chunk.kind is ChunkKind.transcript:
            spans.append((chunk.first_segment, chunk.last_segment))
        kept.append(hit)
    return kept + repeats


def _checked(query: str) -> str:
    query = query.strip()
    if not query:
        raise InvalidInput("query must not be blank")
    if len(query) > MAX_QUERY_CHARS:
        raise InvalidInput(f"query is longer than {MAX_QUERY_CHARS} characters")
    return query


class SearchService:
    def __init__(self, storage: Storage, embedder: Embedder, index: VectorIndex,
                 clock: Callable[[], datetime] = utcnow, candidates: int = 100) -> None:
        self._storage = storage
        self._embedder = embedder
        self.embedder_name = embedder.name
        self._index = index
        self._clock = clock
        self._candidates = candidates

    async def warm_up(self) -> None:
        """Load the embedding model ahead of the first search; a failure shows again on first use."""
        try:
            await self._embedder.warm()
        except Exception:  # logged, not fatal: the server still serves everything but search
            log.exception("the embedder could not be loaded")

    async def ranked(self, uid: str, query: str, kinds: Collection[ChunkKind] = (),
                     start: datetime | None = None, end: datetime | None = None,
                     mode: SearchMode = SearchMode.hybrid, limit: int | None = None) -> list[ScoredChunk]:
        """Chunks for this query, best first: the retrieval every other search is built on."""
        where = ChunkFilter(uid, tuple(kinds), start, end)
        depth = limit or self._candidates
        searches, weights = [], []
        if mode is not SearchMode.keyword:
            # Embed first, then run both index queries together: on two cores this beats overlapping
            # the embedding with the keyword query (bench/search.py).
            try:
                vector = (await self._embedder.embed([query]))[0]
            except EmbeddingFailed as error:
                raise Unavailable(f"search is unavailable: {error}") from error
            searches.append(self._index.nearest(where, vector, depth))
            weights.append(1.0)
        keywords = without_time_words(query)
        if mode is not SearchMode.vector and keywords.strip():
            searches.append(self._index.keyword(where, keywords, depth))
            weights.append(KEYWORD_WEIGHT)
        rankings = list(await asyncio.gather(*searches))
        if mode is not SearchMode.hybrid:
            return spread(rankings[0][:depth] if rankings else [])
        return spread(fuse(list(zip(weights, rankings, strict=True)), depth))

    async def find(self, uid: str, query: str, kinds: Collection[ChunkKind] = (), *,
                   start: datetime | None = None, end: datetime | None = None,
                   keep: Callable[[list[ScoredChunk]], Awaitable[list[ScoredChunk]]] | None = None,
                   mode: SearchMode = SearchMode.hybrid) -> Found:
        """Search with the query's time words applied, falling back to all time if they leave nothing."""
        query = _checked(query)
        span = await self._span(uid, query)
        report = None
        if span is not None:
            narrowed_start = max(filter(None, (start, span.start)))
            narrowed_end = min(filter(None, (end, span.end)))
            hits = await self.ranked(uid, query, kinds, narrowed_start, narrowed_end, mode)
            if keep is not None:
                hits = await keep(hits)
            report = TimeFilterReport(phrase=span.phrase, start=span.start, end=span.end, applied=bool(hits))
            if hits:
                return Found(hits, report)
        hits = await self.ranked(uid, query, kinds, start, end, mode)
        if keep is not None:
            hits = await keep(hits)
        return Found(hits, report)

    async def conversations(self, uid: str, request: ConversationSearch) -> ConversationPage:
        if request.start_date and request.end_date and request.start_date > request.end_date:
            raise InvalidInput("start_date must not be after end_date")
        where = ConversationFilter(statuses=(ConversationStatus.completed,),
                                   include_discarded=request.include_discarded,
                                   start_date=request.start_date, end_date=request.end_date)
        found_conversations: dict[str, Conversation] = {}

        async def keep(hits: list[ScoredChunk]) -> list[ScoredChunk]:
            ids = list(dict.fromkeys(h.chunk.conversation_id for h in hits if h.chunk.conversation_id))
            async with self._storage.read() as uow:
                rows = await uow.conversations.matching(uid, ids, where)
            found_conversations.clear()
            found_conversations.update({c.id: c for c in rows})
            return [h for h in hits if h.chunk.conversation_id in found_conversations]

        found = await self.find(uid, request.query, start=request.start_date, end=request.end_date, keep=keep)
        order = list(dict.fromkeys(h.chunk.conversation_id for h in found.chunks if h.chunk.conversation_id))
        first = (request.page - 1) * request.per_page
        page_ids = order[first:first + request.per_page]
        best: dict[str, ScoredChunk] = {}
        for hit in found.chunks:
            best.setdefault(hit.chunk.conversation_id or "", hit)
        return ConversationPage(
            items=[found_conversations[cid] for cid in page_ids],
            total_pages=math.ceil(len(order) / request.per_page),
            current_page=request.page,
            per_page=request.per_page,
            time_filter=found.time_filter,
            evidence=[evidence(best[cid]) for cid in page_ids],
        )

    async def memories(self, uid: str, query: str, limit: int, offset: int) -> list[Memory]:
        """The user's current memories that match the query, best first."""
        current: dict[str, Memory] = {}

        async def keep(hits: list[ScoredChunk]) -> list[ScoredChunk]:
            ids = [h.chunk.memory_id for h in hits if h.chunk.memory_id]
            async with self._storage.read() as uow:
                rows = await uow.memories.by_ids(uid, ids)
            current.clear()
            current.update({m.id: m for m in rows if m.superseded_by is None})
            return [h for h in hits if h.chunk.memory_id in current]

        found = await self.find(uid, query, (ChunkKind.memory,), keep=keep)
        ids = list(dict.fromkeys(h.chunk.memory_id for h in found.chunks if h.chunk.memory_id))
        return [current[mid] for mid in ids[offset:offset + limit]]

    async def _span(self, uid: str, query: str) -> TimeSpan | None:
        async with self._storage.read() as uow:
            user = await uow.users.get(uid)
        return time_span(query, self._clock(), user.time_zone if user else "UTC")


def evidence(hit: ScoredChunk) -> Evidence:
    chunk = hit.chunk
    return Evidence(kind=chunk.kind, text=chunk.text, conversation_id=chunk.conversation_id,
                    memory_id=chunk.memory_id, first_segment=chunk.first_segment,
                    last_segment=chunk.last_segment, score=hit.score)
