"""Builders for stored data that tests read back through the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mnemo.models.conversation import Conversation, ConversationStatus
from mnemo.models.segment import SegmentIn, TranscriptSegment
from mnemo.models.structured import ActionItem, Event, Structured
from mnemo.services.container import Services

BASE_TIME = datetime(2026, 3, 14, 9, 0, tzinfo=UTC)


def segments(count: int = 3) -> list[TranscriptSegment]:
    return [
        SegmentIn(
            text=f"sentence number {i} of the conversation",
            speaker=f"SPEAKER_{i % 2:02d}",
            is_user=i % 2 == 0,
            start=i * 5.0,
            end=i * 5.0 + 4.5,
        ).to_segment()
        for i in range(count)
    ]


async def store_conversation(
    services: Services,
    uid: str,
    *,
    title: str = "Planning the garden",
    started_at: datetime = BASE_TIME,
    status: ConversationStatus = ConversationStatus.completed,
    discarded: bool = False,
    segment_count: int = 3,
    action_items: list[str] | None = None,
) -> Conversation:
    conversation = Conversation(
        started_at=started_at,
        finished_at=started_at + timedelta(minutes=5),
        status=status,
        discarded=discarded,
        structured=Structured(
            title=title,
            overview=f"An overview of {title.lower()}.",
            category="work",
            events=[Event(title="Seed order", start=started_at + timedelta(days=1), duration=15)],
        ),
        transcript_segments=segments(segment_count),
    )
    async with services.storage.write() as uow:
        await uow.conversations.add(uid, conversation)
        for description in action_items or []:
            await uow.action_items.add(uid, ActionItem(description=description, conversation_id=conversation.id))
    return conversation
