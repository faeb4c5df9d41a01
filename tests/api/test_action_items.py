"""/v1/action-items: create, list with filters, read, update, complete, delete."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from tests.conftest import Caller
from tests.factories import store_conversation


async def _create(client: httpx.AsyncClient, caller: Caller, **body: object) -> dict:
    response = await client.post("/v1/action-items", json={"description": "Call the plumber", **body},
                                 headers=caller.headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_create_and_read_back(client: httpx.AsyncClient, alice: Caller) -> None:
    item = await _create(client, alice, due_at="2026-03-20T17:00:00+01:00")
    assert set(item) == {"id", "description", "completed", "created_at", "updated_at", "due_at",
                         "completed_at", "conversation_id"}
    assert item["description"] == "Call the plumber"
    assert item["completed"] is False and item["completed_at"] is None
    assert item["due_at"] == "2026-03-20T16:00:00Z"
    fetched = await client.get(f"/v1/action-items/{item['id']}", headers=alice.headers)
    assert fetched.status_code == 200 and fetched.json() == item


async def test_create_linked_to_a_conversation(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    conversation = await store_conversation(services, alice.uid)
    item = await _create(client, alice, conversation_id=conversation.id)
    body = (await client.get(f"/v1/conversations/{conversation.id}", headers=alice.headers)).json()
    assert [i["id"] for i in body["structured"]["action_items"]] == [item["id"]]


async def test_list_filters_and_pages(client: httpx.AsyncClient, services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    conversation = await store_conversation(services, alice.uid)
    made = [await _create(client, alice, description=f"task {i}") for i in range(3)]
    linked = await _create(client, alice, description="linked", conversation_id=conversation.id)
    done = await _create(client, alice, description="done", completed=True)

    async def page(query: str) -> dict:
        response = await client.get(f"/v1/action-items?{query}", headers=alice.headers)
        assert response.status_code == 200, response.text
        return response.json()

    everything = await page("")
    assert [i["id"] for i in everything["action_items"]] == [done["id"], linked["id"]] + [
        m["id"] for m in reversed(made)
    ]
    assert everything["has_more"] is False
    first = await page("limit=2")
    assert len(first["action_items"]) == 2 and first["has_more"] is True
    last = await page("limit=2&offset=4")
    assert len(last["action_items"]) == 1 and last["has_more"] is False
    assert [i["id"] for i in (await page("completed=true"))["action_items"]] == [done["id"]]
    assert len((await page("completed=false"))["action_items"]) == 4
    assert [i["id"] for i in (await page(f"conversation_id={conversation.id}"))["action_items"]] == [linked["id"]]
    future = datetime(2100, 1, 1, tzinfo=UTC).isoformat().replace("+00:00", "Z")
    assert (await page(f"start_date={future}"))["action_items"] == []
    assert len((await page(f"end_date={future}"))["action_items"]) == 5


async def test_update_fields_and_clear_the_due_date(client: httpx.AsyncClient, alice: Caller) -> None:
    item = await _create(client, alice, due_at="2026-03-20T10:00:00Z")
    changed = await client.patch(f"/v1/action-items/{item['id']}", json={"description": "Call the electrician"},
                                 headers=alice.headers)
    assert changed.status_code == 200
    assert changed.json()["description"] == "Call the electrician"
    assert changed.json()["due_at"] == "2026-03-20T10:00:00Z"
    cleared = await client.patch(f"/v1/action-items/{item['id']}", json={"due_at": None}, headers=alice.headers)
    assert cleared.json()["due_at"] is None
    assert cleared.json()["updated_at"] >= item["updated_at"]


async def test_completing_sets_and_clears_completed_at(client: httpx.AsyncClient, alice: Caller) -> None:
    item = await _create(client, alice)
    done = await client.patch(f"/v1/action-items/{item['id']}/completed?completed=true", headers=alice.headers)
    assert done.status_code == 200
    assert done.json()["completed"] is True and done.json()["completed_at"] is not None
    via_patch = await client.patch(f"/v1/action-items/{item['id']}", json={"completed": False}, headers=alice.headers)
    assert via_patch.json()["completed"] is False and via_patch.json()["completed_at"] is None


async def test_delete(client: httpx.AsyncClient, alice: Caller) -> None:
    item = await _create(client, alice)
    response = await client.delete(f"/v1/action-items/{item['id']}", headers=alice.headers)
    assert response.status_code == 204
    assert (await client.get(f"/v1/action-items/{item['id']}", headers=alice.headers)).status_code == 404
    assert (await client.delete(f"/v1/action-items/{item['id']}", headers=alice.headers)).status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"description": ""},
        {"description": "   "},
        {"description": 12},
        {"description": "x" * 2001},
        {"description": "ok", "completed": "sometimes"},
        {"description": "ok", "due_at": "next tuesday"},
        {"description": "ok", "conversation_id": "no-such-conversation"},
    ],
)
async def test_create_rejects_bad_input_and_stores_nothing(client: httpx.AsyncClient, alice: Caller, body) -> None:  # type: ignore[no-untyped-def]
    response = await client.post("/v1/action-items", json=body, headers=alice.headers)
    assert response.status_code in (400, 404, 422), response.text
    assert "detail" in response.json()
    assert (await client.get("/v1/action-items", headers=alice.headers)).json()["action_items"] == []


async def test_malformed_json_is_rejected(client: httpx.AsyncClient, alice: Caller) -> None:
    response = await client.post("/v1/action-items", content=b'{"description": ',
                                 headers={**alice.headers, "content-type": "application/json"})
    assert response.status_code == 422
    assert "detail" in response.json()


@pytest.mark.parametrize(
    "body", [{"description": ""}, {"description": None}, {"completed": None}, {"completed": "yes please"},
             {"due_at": "soon"}],
)
async def test_bad_updates_change_nothing(client: httpx.AsyncClient, alice: Caller, body) -> None:  # type: ignore[no-untyped-def]
    item = await _create(client, alice)
    response = await client.patch(f"/v1/action-items/{item['id']}", json=body, headers=alice.headers)
    assert response.status_code in (400, 422), response.text
    assert (await client.get(f"/v1/action-items/{item['id']}", headers=alice.headers)).json() == item


@pytest.mark.parametrize("query", ["limit=0", "limit=501", "offset=-3", "completed=perhaps", "start_date=x",
                                   "start_date=2026-02-01T00:00:00Z&end_date=2026-01-01T00:00:00Z"])
async def test_list_rejects_bad_parameters(client: httpx.AsyncClient, alice: Caller, query: str) -> None:
    response = await client.get(f"/v1/action-items?{query}", headers=alice.headers)
    assert response.status_code in (400, 422)


async def test_another_users_items_are_invisible_and_untouchable(
    client: httpx.AsyncClient, services, alice: Caller, bob: Caller
) -> None:  # type: ignore[no-untyped-def]
    item = await _create(client, alice)
    conversation = await store_conversation(services, alice.uid)
    assert (await client.get("/v1/action-items", headers=bob.headers)).json()["action_items"] == []
    by_conversation = await client.get(f"/v1/action-items?conversation_id={conversation.id}", headers=bob.headers)
    assert by_conversation.json()["action_items"] == []
    for method, path, kwargs in [
        ("GET", f"/v1/action-items/{item['id']}", {}),
        ("PATCH", f"/v1/action-items/{item['id']}", {"json": {"description": "hijacked"}}),
        ("PATCH", f"/v1/action-items/{item['id']}/completed?completed=true", {}),
        ("DELETE", f"/v1/action-items/{item['id']}", {}),
    ]:
        response = await client.request(method, path, headers=bob.headers, **kwargs)
        assert response.status_code == 404, (method, path)
        assert response.json() == {"detail": "Action item not found"}
    stolen_link = {"description": "mine now", "conversation_id": conversation.id}
    linking = await client.post("/v1/action-items", json=stolen_link, headers=bob.headers)
    assert linking.status_code == 404
    assert (await client.get(f"/v1/action-items/{item['id']}", headers=alice.headers)).json() == item
    assert (await client.get("/v1/action-items", headers=bob.headers)).json()["action_items"] == []
