"""/v3/memories: create, batch, list, edit, review, visibility, delete one and delete all."""

from __future__ import annotations

import httpx
import pytest

from mnemo.models.memory import Memory
from tests.conftest import Caller


async def _create(client: httpx.AsyncClient, caller: Caller, content: str = "Likes green tea", **body) -> dict:  # type: ignore[no-untyped-def]
    response = await client.post("/v3/memories", json={"content": content, **body}, headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def _listed(client: httpx.AsyncClient, caller: Caller, query: str = "") -> list[dict]:
    response = await client.get(f"/v3/memories?{query}", headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_create_returns_the_memory(client: httpx.AsyncClient, alice: Caller) -> None:
    memory = await _create(client, alice, category="preferences", tags=["drinks"])
    assert set(memory) == {"id", "uid", "content", "category", "visibility", "tags", "created_at", "updated_at",
                           "conversation_id", "reviewed", "user_review", "manually_added", "edited", "superseded_by"}
    assert memory["uid"] == alice.uid
    assert memory["category"] == "preferences"
    assert memory["visibility"] == "private"
    assert memory["tags"] == ["drinks"]
    assert memory["manually_added"] is True and memory["edited"] is False and memory["reviewed"] is False
    assert await _listed(client, alice) == [memory]


async def test_unknown_categories_become_other(client: httpx.AsyncClient, alice: Caller) -> None:
    assert (await _create(client, alice, category="interesting"))["category"] == "other"
    assert (await _create(client, alice, category="HEALTH"))["category"] == "health"


async def test_list_is_newest_first_pages_and_filters(client: httpx.AsyncClient, alice: Caller) -> None:
    made = [await _create(client, alice, f"fact {i}", category="work" if i % 2 else "personal") for i in range(5)]
    newest_first = [m["id"] for m in reversed(made)]
    assert [m["id"] for m in await _listed(client, alice)] == newest_first
    assert [m["id"] for m in await _listed(client, alice, "limit=2&offset=1")] == newest_first[1:3]
    assert {m["content"] for m in await _listed(client, alice, "category=work")} == {"fact 1", "fact 3"}
    assert await _listed(client, alice, "offset=99") == []


async def test_superseded_memories_are_hidden_unless_asked(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    current = await _create(client, alice, "Lives in Berlin")
    old = Memory(uid=alice.uid, content="Lives in Paris", superseded_by=current["id"])
    async with services.storage.write() as uow:
        await uow.memories.add_many([old])
    assert [m["id"] for m in await _listed(client, alice)] == [current["id"]]
    everything = await _listed(client, alice, "include_superseded=true")
    assert {m["id"] for m in everything} == {current["id"], old.id}
    assert next(m for m in everything if m["id"] == old.id)["superseded_by"] == current["id"]


async def test_batch_creates_up_to_one_hundred(client: httpx.AsyncClient, alice: Caller) -> None:
    batch = [{"content": f"fact {i}", "category": "personal"} for i in range(100)]
    response = await client.post("/v3/memories/batch", json={"memories": batch}, headers=alice.headers)
    assert response.status_code == 200
    body = response.json()
    assert body["created_count"] == 100 and len(body["memories"]) == 100
    assert len(await _listed(client, alice, "limit=500")) == 100
    empty = await client.post("/v3/memories/batch", json={"memories": []}, headers=alice.headers)
    assert empty.json() == {"memories": [], "created_count": 0}


@pytest.mark.parametrize(
    "body",
    [
        {"memories": [{"content": f"fact {i}"} for i in range(101)]},
        {"memories": [{"content": "fine"}, {"content": ""}]},
        {"memories": [{"content": "fine"}, {"content": "   "}]},
        {"memories": "not a list"},
        {},
    ],
)
async def test_bad_batches_store_nothing(client: httpx.AsyncClient, alice: Caller, body) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/v3/memories/batch", json=body, headers=alice.headers)
    assert response.status_code in (400, 422)
    assert "detail" in response.json()
    assert await _listed(client, alice) == []


@pytest.mark.parametrize(
    "body",
    [{}, {"content": ""}, {"content": "  "}, {"content": 5}, {"content": "x" * 5001},
     {"content": "ok", "visibility": "everyone"}, {"content": "ok", "tags": "one"}],
)
async def test_create_rejects_bad_input(client: httpx.AsyncClient, alice: Caller, body) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/v3/memories", json=body, headers=alice.headers)
    assert response.status_code in (400, 422)
    assert await _listed(client, alice) == []


async def test_edit_review_and_visibility(client: httpx.AsyncClient, alice: Caller) -> None:
    memory = await _create(client, alice)
    mid = memory["id"]
    edited = await client.patch(f"/v3/memories/{mid}", params={"value": "Likes jasmine tea"}, headers=alice.headers)
    reviewed = await client.post(f"/v3/memories/{mid}/review?value=false", headers=alice.headers)
    public = await client.patch(f"/v3/memories/{mid}/visibility?value=public", headers=alice.headers)
    for response in (edited, reviewed, public):
        assert response.status_code == 200 and response.json() == {"status": "ok"}
    [after] = await _listed(client, alice)
    assert after["content"] == "Likes jasmine tea" and after["edited"] is True
    assert after["reviewed"] is True and after["user_review"] is False
    assert after["visibility"] == "public"
    assert after["updated_at"] > memory["updated_at"]


@pytest.mark.parametrize(
    ("method", "suffix"),
    [("PATCH", "?value="), ("PATCH", "?value=%20%20"), ("PATCH", ""), ("POST", "/review?value=perhaps"),
     ("POST", "/review"), ("PATCH", "/visibility?value=everyone"), ("PATCH", "/visibility")],
)
async def test_bad_changes_leave_the_memory_alone(client: httpx.AsyncClient, alice: Caller, method, suffix) -> None:  # type: ignore[no-untyped-def]
    memory = await _create(client, alice)
    response = await client.request(method, f"/v3/memories/{memory['id']}{suffix}", headers=alice.headers)
    assert response.status_code in (400, 422)
    assert await _listed(client, alice) == [memory]


async def test_delete_one(client: httpx.AsyncClient, alice: Caller) -> None:
    gone, kept = await _create(client, alice, "a"), await _create(client, alice, "b")
    response = await client.delete(f"/v3/memories/{gone['id']}", headers=alice.headers)
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert await _listed(client, alice) == [kept]
    assert (await client.delete(f"/v3/memories/{gone['id']}", headers=alice.headers)).status_code == 404


async def test_unknown_ids_answer_404(client: httpx.AsyncClient, alice: Caller) -> None:
    for method, suffix in [("PATCH", "?value=x"), ("DELETE", ""), ("POST", "/review?value=true"),
                           ("PATCH", "/visibility?value=public")]:
        response = await client.request(method, f"/v3/memories/nope{suffix}", headers=alice.headers)
        assert response.status_code == 404 and response.json() == {"detail": "Memory not found"}


async def test_delete_all_leaves_other_users_whole(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    for i in range(3):
        await _create(client, alice, f"alice fact {i}")
    bobs = [await _create(client, bob, f"bob fact {i}") for i in range(2)]
    response = await client.delete("/v3/memories", headers=alice.headers)
    assert response.status_code == 200 and response.json() == {"status": "ok", "deleted_count": 3}
    assert await _listed(client, alice) == []
    assert await _listed(client, bob) == list(reversed(bobs))


async def test_another_users_memories_are_invisible_and_untouchable(
    client: httpx.AsyncClient, alice: Caller, bob: Caller
) -> None:
    memory = await _create(client, alice, "Alice's secret")
    assert await _listed(client, bob) == []
    for method, suffix in [("PATCH", "?value=hijacked"), ("DELETE", ""), ("POST", "/review?value=false"),
                           ("PATCH", "/visibility?value=public")]:
        response = await client.request(method, f"/v3/memories/{memory['id']}{suffix}", headers=bob.headers)
        assert response.status_code == 404, (method, suffix)
    assert await _listed(client, alice) == [memory]
