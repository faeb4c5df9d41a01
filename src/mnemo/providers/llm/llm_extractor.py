"""The LLM extractor: three independent questions, asked at once, answers validated by pydantic.

Summary, tasks (action items and events) and memories do not depend on each other, so a
conversation takes as long as the slowest of the three calls, not their sum. An answer that is
not the JSON asked for is asked again a bounded number of times.
"""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ValidationError

from mnemo.models.extraction import (
    MAX_MEMORIES,
    MAX_TITLE_WORDS,
    ExtractedActionItem,
    ExtractedMemory,
    Extraction,
    ExtractionContext,
    transcript_text,
)
from mnemo.models.segment import TranscriptSegment
from mnemo.models.structured import Event

from .chat_models import JsonChatModel, MalformedAnswer
from .port import ExtractionFailed
from .prompts import system_prompt, user_prompt
from .schemas import MemoriesOut, SummaryOut, TasksOut, json_schema

Answer = TypeVar("Answer", bound=BaseModel)


class LLMExtractor:
    name = "llm"

    def __init__(self, model: JsonChatModel, malformed_retries: int = 2) -> None:
        self._model = model
        self._malformed_retries = malformed_retries

    async def extract(self, segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction:
        system, transcript = system_prompt(context), transcript_text(segments)
        summary, tasks, memories = await asyncio.gather(
            self._ask(system, "summary", transcript, SummaryOut),
            self._ask(system, "tasks", transcript, TasksOut),
            self._ask(system, "memories", transcript, MemoriesOut),
        )
        zone = ZoneInfo(context.time_zone)
        if summary.discarded and context.allow_discard:
            return Extraction(discarded=True, category=summary.category)
        return Extraction(
            title=" ".join(summary.title.split()[:MAX_TITLE_WORDS]),
            overview=summary.overview,
            emoji=summary.emoji or "🧠",
            category=summary.category,
            action_items=[ExtractedActionItem(description=i.description, due_at=_local(i.due_at, zone))
                          for i in tasks.action_items if i.description.strip()],
            events=[Event(title=e.title, description=e.description, start=_local(e.start, zone),
                          duration=e.duration) for e in tasks.events],
            memories=[ExtractedMemory(content=m.content, category=m.category)
                      for m in memories.memories[:MAX_MEMORIES] if m.content.strip()],
        )

    async def _ask(self, system: str, task: str, transcript: str, shape: type[Answer]) -> Answer:
        problem: Exception | None = None
        for _ in range(self._malformed_retries + 1):
            try:
                raw = await self._model.answer_json(system, user_prompt(task, transcript), task, json_schema(shape))
                return shape.model_validate(raw)
            except (MalformedAnswer, ValidationError) as error:
                problem = error
        raise ExtractionFailed(f"the model's {task} answer was not the JSON asked for: {problem}")


def _local(value: datetime | None, zone: ZoneInfo) -> datetime | None:
    """Times without an offset are read in the user's time zone."""
    if value is None:
        return None
    return value.replace(tzinfo=zone) if value.tzinfo is None else value
