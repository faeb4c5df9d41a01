"""GET/DELETE /v1/conversations/{id}, the list with its filters, title and overview edits."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select

from mnemo.models.conversation import ConversationStatus
from mnemo.storage.tables import action_items, memories, transcript_segments
from tests.conftest import Caller
from tests.factories import BASE_TIME, store_conversation


async def test_get_returns_the_omi_shape(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    stored = await store_conversation(services, alice.uid, action_items=["Order the seeds"])
    response = await client.get(f"/v1/conversations/{stored.id}", headers=alice.headers)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {
        "id", "created_at", "started_at", "finished_at", "source", "language", "status", "structured",
        "transcript_segments", "geolocation", "photos", "apps_results", "external_data", "discarded",
        "visibility", "postprocessing", "processing_error",
    }
    assert body["id"] == stored.id
    assert body["status"] == "completed"
    assert body["started_at"] == "2026-03-14T09:00:00Z"
    assert body["structured"]["title"] == "Planning the garden"
    assert body["structured"]["category"] == "work"
    assert body["structured"]["events"][0] == {
        "title": "Seed order", "description": "", "start": "2026-03-15T09:00:00Z", "duration": 15, "created": False,
    }
    [item] = body["structured"]["action_items"]
    assert item["description"] == "Order the seeds"
    assert item["conversation_id"] == stored.id
    segments = body["transcript_segments"]
    assert [s["text"] for s in segments] == [s.text for s in stored.transcript_segments]
    assert set(segments[0]) == {"id", "text", "speaker", "speaker_id", "is_user", "person_id", "start", "end"}
    assert segments[1]["speaker"] == "SPEAKER_01" and segments[1]["speaker_id"] == 1


async def test_list_is_newest_first_and_pages(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    ids = [
        (await store_conversation(services, alice.uid, title=f"c{i}", started_at=BASE_TIME + timedelta(hours=i))).id
        for i in range(5)
    ]
    first = await client.get("/v1/conversations?limit=2", headers=alice.headers)
    second = await client.get("/v1/conversations?limit=2&offset=2", headers=alice.headers)
    rest = await client.get("/v1/conversations?limit=10&offset=4", headers=alice.headers)
    assert [c["id"] for c in first.json()] == [ids[4], ids[3]]
    assert [c["id"] for c in second.json()] == [ids[2], ids[1]]
    assert [c["id"] for c in rest.json()] == [ids[0]]
    beyond = await client.get("/v1/conversations?offset=50", headers=alice.headers)
    assert beyond.status_code == 200 and beyond.json() == []


async def test_list_filters_by_status_discarded_and_dates(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    done = await store_conversation(services, alice.uid, started_at=BASE_TIME)
    live = await store_conversation(services, alice.uid, status=ConversationStatus.in_progress)
    dropped = await store_conversation(services, alice.uid, discarded=True, started_at=BASE_TIME + timedelta(days=2))
    failed = await store_conversation(services, alice.uid, status=ConversationStatus.failed)

    async def ids(query: str) -> set[str]:
        response = await client.get(f"/v1/conversations?{query}", headers=alice.headers)
        assert response.status_code == 200, response.text
        return {c["id"] for c in response.json()}

    assert await ids("") == {done.id, dropped.id}
    assert await ids("statuses=") == {done.id, dropped.id}
    assert await ids("statuses=in_progress") == {live.id}
    assert await ids("statuses=failed,completed") == {done.id, dropped.id, failed.id}
    assert await ids("include_discarded=false") == {done.id}
    assert await ids("start_date=2026-03-15T00:00:00Z") == {dropped.id}
    assert await ids("end_date=2026-03-15T00:00:00%2B00:00") == {done.id}
    assert await ids("start_date=2026-03-14T00:00:00&end_date=2026-03-14T23:59:59") == {done.id}


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=501", "limit=abc", "offset=-1", "statuses=finished", "include_discarded=maybe",
     "start_date=yesterday", "start_date=2026-03-15T00:00:00Z&end_date=2026-03-14T00:00:00Z"],
)
async def test_list_rejects_bad_parameters(client: httpx.AsyncClient, alice: Caller, query: str) -> None:
    response = await client.get(f"/v1/conversations?{query}", headers=alice.headers)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()


async def test_edit_title_and_overview(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    stored = await store_conversation(services, alice.uid)
    title = await client.patch(f"/v1/conversations/{stored.id}/title", params={"title": "Seeds & soil"},
                               headers=alice.headers)
    overview = await client.patch(f"/v1/conversations/{stored.id}/overview", json={"overview": "We chose tomatoes."},
                                  headers=alice.headers)
    assert title.status_code == 200 and title.json() == {"status": "Ok"}
    assert overview.status_code == 200 and overview.json() == {"status": "Ok"}
    body = (await client.get(f"/v1/conversations/{stored.id}", headers=alice.headers)).json()
    assert body["structured"]["title"] == "Seeds & soil"
    assert body["structured"]["overview"] == "We chose tomatoes."


@pytest.mark.parametrize(
    ("path", "kwargs"),
    [
        ("title", {"params": {"title": ""}}),
        ("title", {"params": {"title": "   "}}),
        ("title", {"params": {"title": "x" * 501}}),
        ("title", {}),
        ("overview", {"json": {}}),
        ("overview", {"json": {"overview": 42}}),
        ("overview", {"json": {"overview": "  "}}),
        ("overview", {"content": b"{not json", "headers": {"content-type": "application/json"}}),
    ],
)
async def test_bad_edits_change_nothing(client: httpx.AsyncClient, services, alice: Caller, path, kwargs) -> None:  # type: ignore[no-untyped-def]
    stored = await store_conversation(services, alice.uid)
    headers = {**alice.headers, **kwargs.pop("headers", {})}
    response = await client.patch(f"/v1/conversations/{stored.id}/{path}", headers=headers, **kwargs)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    body = (await client.get(f"/v1/conversations/{stored.id}", headers=alice.headers)).json()
    assert body["structured"]["title"] == "Planning the garden"
    assert body["structured"]["overview"] == "An overview of planning the garden."


async def test_delete_removes_segments_and_action_items_and_unlinks_memories(
    client: httpx.AsyncClient, services, alice: Caller
) -> None:  # type: ignore[no-untyped-def]
    from mnemo.models.memory import Memory

    stored = await store_conversation(services, alice.uid, action_items=["Water the beds"])
    kept = await store_conversation(services, alice.uid, action_items=["Buy a hose"])
    memory = Memory(uid=alice.uid, content="Grows tomatoes", conversation_id=stored.id)
    async with services.storage.write() as uow:
        await uow.memories.add_many([memory])

    response = await client.delete(f"/v1/conversations/{stored.id}", headers=alice.headers)
    assert response.status_code == 204 and response.content == b""
    assert (await client.get(f"/v1/conversations/{stored.id}", headers=alice.headers)).status_code == 404
    again = await client.delete(f"/v1/conversations/{stored.id}", headers=alice.headers)
    assert again.status_code == 404

    async with services.storage.database.transaction(write=False) as db:
        segment_owners = set((await db.execute(select(transcript_segments.c.conversation_id))).scalars())
        item_owners = set((await db.execute(select(action_items.c.conversation_id))).scalars())
        link = (await db.execute(select(memories.c.conversation_id).where(memories.c.id == memory.id))).scalar_one()
        count = (await db.execute(select(func.count()).select_from(memories))).scalar_one()
    assert segment_owners == {kept.id}
    assert item_owners == {kept.id}
    assert link is None and count == 1


async def test_unknown_ids_answer_404(client: httpx.AsyncClient, alice: Caller) -> None:
    for method, path, kwargs in [
        ("GET", "/v1/conversations/nope", {}),
        ("DELETE", "/v1/conversations/nope", {}),
        ("PATCH", "/v1/conversations/nope/title", {"params": {"title": "x"}}),
        ("PATCH", "/v1/conversations/nope/overview", {"json": {"overview": "x"}}),
    ]:
        response = await client.request(method, path, headers=alice.headers, **kwargs)
        assert response.status_code == 404, (method, path)
        assert response.json() == {"detail": "Conversation not found"}


async def test_another_users_conversations_are_invisible_and_untouchable(
    client: httpx.AsyncClient, services, alice: Caller, bob: Caller
) -> None:  # type: ignore[no-untyped-def]
    secret = await store_conversation(services, alice.uid, title="Alice's secret")
    listed = await client.get("/v1/conversations?statuses=in_progress,processing,completed,failed",
                              headers=bob.headers)
    assert listed.status_code == 200 and listed.json() == []
    attempts = [
        ("GET", f"/v1/conversations/{secret.id}", {}),
        ("PATCH", f"/v1/conversations/{secret.id}/title", {"params": {"title": "hijacked"}}),
        ("PATCH", f"/v1/conversations/{secret.id}/overview", {"json": {"overview": "hijacked"}}),
        ("DELETE", f"/v1/conversations/{secret.id}", {}),
    ]
    for method, path, kwargs in attempts:
        response = await client.request(method, path, headers=bob.headers, **kwargs)
        assert response.status_code == 404, (method, path)
        assert response.json() == {"detail": "Conversation not found"}
    body = (await client.get(f"/v1/conversations/{secret.id}", headers=alice.headers)).json()
    assert body["structured"]["title"] == "Alice's secret"
    assert body["structured"]["overview"] == "An overview of alice's secret."
