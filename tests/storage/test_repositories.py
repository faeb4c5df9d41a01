"""Live segments go into the conversation in progress, in time order, and only the owner's."""

from __future__ import annotations

from mnemo.models.categories import ConversationSource
from mnemo.models.segment import SegmentIn
from mnemo.services.container import Services
from tests.conftest import Caller


async def _live(services: Services, uid: str) -> str:
    lifecycle = services.lifecycle
    started = await lifecycle.start(uid, ConversationSource.omi, "en", 120, lifecycle.clock())
    first = [SegmentIn(text=f"sentence {i}", speaker_id=i % 2, start=i * 5.0, end=i * 5.0 + 4).to_segment()
             for i in range(2)]
    assert await lifecycle.record(uid, started.id, first)
    return started.id


async def test_recorded_segments_keep_the_row_and_order_by_time(services: Services, alice: Caller) -> None:
    cid = await _live(services, alice.uid)
    async with services.storage.read() as uow:
        stored = await uow.conversations.get(alice.uid, cid)
    late = SegmentIn(text="and one more thing", speaker_id=1, start=30.0, end=31.0).to_segment()
    early = SegmentIn(text="first words", speaker_id=0, start=0.5, end=0.9).to_segment()
    assert await services.lifecycle.record(alice.uid, cid, [late, early])
    async with services.storage.read() as uow:
        found = await uow.conversations.get(alice.uid, cid)
    assert stored is not None and found is not None
    assert [s.text for s in found.transcript_segments] == [
        stored.transcript_segments[0].text, "first words", stored.transcript_segments[1].text, "and one more thing",
    ]
    assert found.structured.title == stored.structured.title


async def test_nobody_appends_to_another_users_conversation(services: Services, alice: Caller, bob: Caller) -> None:
    cid = await _live(services, alice.uid)
    intrusion = SegmentIn(text="not yours", start=9.0, end=10.0).to_segment()
    assert not await services.lifecycle.record(bob.uid, cid, [intrusion])
    async with services.storage.read() as uow:
        found = await uow.conversations.get(alice.uid, cid)
    assert found is not None and "not yours" not in [s.text for s in found.transcript_segments]
