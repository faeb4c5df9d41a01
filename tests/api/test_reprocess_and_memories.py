"""Reprocessing without duplicates, memory de-duplication and superseding, finalizing in progress."""

from __future__ import annotations

import httpx

from mnemo.models.conversation import Conversation, ConversationStatus
from tests.conftest import Caller
from tests.conversations import PLANNING, SMALL_TALK, body
from tests.factories import segments


async def _create(client: httpx.AsyncClient, caller: Caller, payload: dict) -> dict:
    response = await client.post("/v1/conversations", json=payload, headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()["conversation"]


async def _memories(client: httpx.AsyncClient, caller: Caller, query: str = "") -> list[dict]:
    return (await client.get(f"/v3/memories?{query}", headers=caller.headers)).json()


async def test_reprocess_replaces_without_duplicates(client: httpx.AsyncClient, alice: Caller) -> None:
    conversation = await _create(client, alice, body(PLANNING))
    items_before = (await client.get("/v1/action-items", headers=alice.headers)).json()["action_items"]
    memories_before = await _memories(client, alice)
    for _ in range(2):
        response = await client.post(f"/v1/conversations/{conversation['id']}/reprocess", headers=alice.headers)
        assert response.status_code == 200
        assert response.json()["status"] == "completed"
    items_after = (await client.get("/v1/action-items", headers=alice.headers)).json()["action_items"]
    memories_after = await _memories(client, alice)
    assert [i["description"] for i in items_after] == [i["description"] for i in items_before]
    assert sorted(m["content"] for m in memories_after) == sorted(m["content"] for m in memories_before)


async def test_reprocess_never_discards(client: httpx.AsyncClient, alice: Caller) -> None:
    dropped = await _create(client, alice, body(SMALL_TALK))
    assert dropped["discarded"] is True
    again = await client.post(f"/v1/conversations/{dropped['id']}/reprocess", headers=alice.headers)
    assert again.status_code == 200
    assert again.json()["discarded"] is False and again.json()["status"] == "completed"


async def test_reprocess_of_unknown_or_foreign_conversations(client: httpx.AsyncClient, alice: Caller,
                                                             bob: Caller) -> None:
    conversation = await _create(client, alice, body(PLANNING))
    assert (await client.post("/v1/conversations/nope/reprocess", headers=alice.headers)).status_code == 404
    foreign = await client.post(f"/v1/conversations/{conversation['id']}/reprocess", headers=bob.headers)
    assert foreign.status_code == 404
    assert await _memories(client, bob) == []


async def test_near_duplicate_memories_are_not_added(client: httpx.AsyncClient, alice: Caller) -> None:
    first = body(PLANNING, skip_processing=True, custom_memories=[{"content": "Is allergic to ibuprofen",
                                                                   "category": "health"}])
    second = body(PLANNING, skip_processing=True, custom_memories=[{"content": "is allergic to Ibuprofen.",
                                                                    "category": "health"}])
    await _create(client, alice, first)
    await _create(client, alice, second)
    assert [m["content"] for m in await _memories(client, alice)] == ["Is allergic to ibuprofen"]


async def test_a_contradiction_supersedes_the_old_memory(client: httpx.AsyncClient, alice: Caller) -> None:
    paris = body(PLANNING, skip_processing=True, custom_memories=[{"content": "Lives in Paris"}])
    berlin = body(PLANNING, skip_processing=True, custom_memories=[{"content": "Moved to Berlin"}])
    await _create(client, alice, paris)
    await _create(client, alice, berlin)
    current = await _memories(client, alice)
    assert [m["content"] for m in current] == ["Moved to Berlin"]
    everything = {m["content"]: m for m in await _memories(client, alice, "include_superseded=true")}
    assert everything["Lives in Paris"]["superseded_by"] == current[0]["id"]


async def test_finalizing_the_conversation_in_progress(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    live = Conversation(status=ConversationStatus.in_progress, transcript_segments=segments(4))
    async with services.storage.write() as uow:
        await uow.conversations.add(alice.uid, live)
    response = await client.post("/v1/conversations", headers=alice.headers)
    assert response.status_code == 200, response.text
    assert response.json()["conversation"]["id"] == live.id
    assert response.json()["conversation"]["status"] == "completed"
    assert (await client.post("/v1/conversations", headers=alice.headers)).status_code == 404


async def test_finalizing_an_empty_conversation_deletes_it(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    live = Conversation(status=ConversationStatus.in_progress)
    async with services.storage.write() as uow:
        await uow.conversations.add(alice.uid, live)
    response = await client.post("/v1/conversations", headers=alice.headers)
    assert response.status_code == 404
    assert (await client.get(f"/v1/conversations/{live.id}", headers=alice.headers)).status_code == 404
