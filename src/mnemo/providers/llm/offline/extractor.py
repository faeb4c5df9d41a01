"""The offline extractor: every field of an extraction, by rules, with no network and no model."""

from __future__ import annotations

import asyncio
from datetime import datetime
from zoneinfo import ZoneInfo

from mnemo.models.extraction import ExtractedActionItem, ExtractedMemory, Extraction, ExtractionContext
from mnemo.models.segment import TranscriptSegment
from mnemo.models.structured import Event

from . import summary
from .actions import FoundItem, find_action_items
from .events import find_events
from .language import Turn, turns, words
from .memories import find_memories
from .temporal import default_clock

# Below this many words a conversation with nothing extracted is small talk.
SMALL_TALK_WORDS = 60


class OfflineExtractor:
    name = "offline"

    async def extract(self, segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction:
        # Rules are quick, but a long transcript still should not hold up the event loop.
        return await asyncio.to_thread(extract, segments, context)


def extract(segments: list[TranscriptSegment], context: ExtractionContext) -> Extraction:
    zone = ZoneInfo(context.time_zone)
    reference = context.started_at.astimezone(zone)
    spoken = turns(segments)
    name = context.user_name or "The user"
    found_events = find_events(spoken, reference, context.time_zone)
    event_days = {event.turn: event.start.date() for event in found_events}
    found_items = find_action_items(spoken, reference, event_days)
    found_memories = find_memories(spoken, name)
    if context.allow_discard and _nothing_worth_keeping(spoken, found_items, found_events, found_memories):
        return Extraction(discarded=True, title="", overview="", category=summary.category(spoken))
    chosen = summary.category(spoken)
    highlights = [event.title for event in found_events] + [item.description for item in found_items[:1]]
    title, overview = summary.title_and_overview(spoken, highlights)
    return Extraction(
        title=title,
        overview=overview,
        emoji=summary.emoji(chosen),
        category=chosen,
        action_items=[_action_item(item, zone) for item in found_items],
        events=[
            Event(title=e.title, description=e.description, start=e.start, duration=_duration(e.title))
            for e in found_events
        ],
        memories=[
            ExtractedMemory(content=m.content, category=m.category)
            for m in found_memories
            if not _known(m.content, context.existing_memories)
        ],
    )


def _nothing_worth_keeping(spoken: list[Turn], *found: list) -> bool:  # type: ignore[type-arg]
    if not any(turn.is_user for turn in spoken):
        return True  # the wearer never spoke: a TV, a radio, strangers nearby
    if any(found):
        return False
    return sum(len(words(turn.text)) for turn in spoken) < SMALL_TALK_WORDS


def _action_item(item: FoundItem, zone: ZoneInfo) -> ExtractedActionItem:
    due = None
    if item.due is not None:
        due = datetime.combine(item.due, default_clock(item.due_text), tzinfo=zone)
    return ExtractedActionItem(description=item.description, due_at=due)


def _duration(title: str) -> int:
    lowered = title.lower()
    if "flight" in lowered:
        return 0
    if any(word in lowered for word in ("dinner", "offsite", "party")):
        return 120
    return 60 if any(word in lowered for word in ("appointment", "demo", "session", "meeting")) else 30


def _known(content: str, existing: list[str]) -> bool:
    lowered = content.lower()
    return any(lowered == known.lower() for known in existing)


__all__ = ["OfflineExtractor", "extract"]
