"""Repository behaviour that no route shows yet: appending segments, scoped by the owner."""

from __future__ import annotations

from mnemo.models.segment import SegmentIn
from mnemo.services.container import Services
from tests.conftest import Caller
from tests.factories import store_conversation


async def test_appending_segments_keeps_the_row_and_orders_by_time(services: Services, alice: Caller) -> None:
    stored = await store_conversation(services, alice.uid, segment_count=2)
    late = SegmentIn(text="and one more thing", speaker_id=1, start=30.0, end=31.0).to_segment()
    early = SegmentIn(text="first words", speaker_id=0, start=0.5, end=0.9).to_segment()
    async with services.storage.write() as uow:
        assert await uow.conversations.append_segments(alice.uid, stored.id, [late, early])
    async with services.storage.read() as uow:
        found = await uow.conversations.get(alice.uid, stored.id)
    assert found is not None
    assert [s.text for s in found.transcript_segments] == [
        stored.transcript_segments[0].text, "first words", stored.transcript_segments[1].text, "and one more thing",
    ]
    assert found.structured.title == stored.structured.title


async def test_nobody_appends_to_another_users_conversation(services: Services, alice: Caller, bob: Caller) -> None:
    stored = await store_conversation(services, alice.uid, segment_count=1)
    intrusion = SegmentIn(text="not yours", start=9.0, end=10.0).to_segment()
    async with services.storage.write() as uow:
        assert not await uow.conversations.append_segments(bob.uid, stored.id, [intrusion])
    async with services.storage.read() as uow:
        found = await uow.conversations.get(alice.uid, stored.id)
    assert found is not None and [s.text for s in found.transcript_segments] == [stored.transcript_segments[0].text]
