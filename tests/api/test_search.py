"""POST /v1/conversations/search and GET /v3/memories?query=: ranking, paging, isolation, bad input."""

from __future__ import annotations

import httpx

from mnemo.services.container import Services
from tests.conftest import Caller
from tests.searching import BUDGET, DENTIST, ESPRESSO, HIKING, post, search, search_ids


async def _corpus(client: httpx.AsyncClient, caller: Caller) -> dict[str, dict]:
    return {
        "hiking": await post(client, caller, HIKING, "2026-04-11T15:00:00+00:00"),
        "dentist": await post(client, caller, DENTIST, "2026-04-12T09:00:00+00:00"),
        "budget": await post(client, caller, BUDGET, "2026-04-13T11:00:00+00:00"),
    }


async def test_the_conversation_that_answers_ranks_first(client: httpx.AsyncClient, alice: Caller) -> None:
    corpus = await _corpus(client, alice)
    assert (await search_ids(client, alice, "who wants to adopt a dog?"))[0] == corpus["hiking"]["id"]
    assert (await search_ids(client, alice, "when is my teeth cleaning"))[0] == corpus["dentist"]["id"]
    assert (await search_ids(client, alice, "Lisbon travel costs"))[0] == corpus["budget"]["id"]


async def test_the_response_has_omi_paging_and_evidence(client: httpx.AsyncClient, alice: Caller) -> None:
    corpus = await _corpus(client, alice)
    response = await search(client, alice, "golden retriever adoption", per_page=1)
    assert response.status_code == 200
    page = response.json()
    assert set(page) >= {"items", "total_pages", "current_page", "per_page"}
    assert page["current_page"] == 1 and page["per_page"] == 1 and page["total_pages"] >= 1
    assert [item["id"] for item in page["items"]] == [corpus["hiking"]["id"]]
    assert page["items"][0]["transcript_segments"], "items are whole conversations"
    evidence = page["evidence"][0]
    assert evidence["conversation_id"] == corpus["hiking"]["id"] and "retriever" in evidence["text"]
    assert page["time_filter"] is None


async def test_pages_cover_every_match_once(client: httpx.AsyncClient, alice: Caller) -> None:
    await _corpus(client, alice)
    first = (await search(client, alice, "appointment spreadsheet hiking", per_page=2)).json()
    seen = [item["id"] for item in first["items"]]
    for page in range(2, first["total_pages"] + 1):
        seen += [i["id"] for i in (await search(client, alice, "appointment spreadsheet hiking", per_page=2,
                                                page=page)).json()["items"]]
    assert len(seen) == len(set(seen)) == 3


async def test_a_page_beyond_the_end_is_empty(client: httpx.AsyncClient, alice: Caller) -> None:
    await _corpus(client, alice)
    response = await search(client, alice, "dentist", page=50)
    assert response.status_code == 200
    assert response.json()["items"] == [] and response.json()["current_page"] == 50


async def test_explicit_dates_filter_the_results(client: httpx.AsyncClient, alice: Caller) -> None:
    corpus = await _corpus(client, alice)
    ids = await search_ids(client, alice, "appointment spreadsheet hiking", start_date="2026-04-12T00:00:00Z",
                           end_date="2026-04-12T23:59:59Z")
    assert ids == [corpus["dentist"]["id"]]


async def test_discarded_conversations_only_when_asked(client: httpx.AsyncClient, alice: Caller) -> None:
    short = await post(client, alice, [(True, "Espresso?"), (False, "Espresso.")])
    assert short["discarded"] is True
    assert await search_ids(client, alice, "espresso") == []
    assert await search_ids(client, alice, "espresso", include_discarded=True) == [short["id"]]


async def test_bad_input_is_a_clear_4xx(client: httpx.AsyncClient, alice: Caller) -> None:
    await _corpus(client, alice)
    for payload in ({"query": ""}, {"query": "   "}, {"query": "x" * 100_000}, {"query": "dentist", "page": 0},
                    {"query": "dentist", "per_page": 1000}, {}, {"query": 5}):
        response = await client.post("/v1/conversations/search", json=payload, headers=alice.headers)
        assert response.status_code in (400, 422), (payload, response.status_code)
        assert "detail" in response.json()
    backwards = await search(client, alice, "dentist", start_date="2026-05-01T00:00:00Z",
                             end_date="2026-04-01T00:00:00Z")
    assert backwards.status_code == 400 and "start_date" in backwards.json()["detail"]
    garbage = await client.post("/v1/conversations/search", content=b"{not json", headers=alice.headers)
    assert garbage.status_code == 422
    assert (await client.post("/v1/conversations/search", json={"query": "dentist"})).status_code == 401


async def test_another_users_data_is_never_found(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    alices = {c["id"] for c in (await _corpus(client, alice)).values()}
    bobs = await post(client, bob, ESPRESSO)
    for query in ("golden retriever", "dentist appointment Thursday", "Lisbon travel costs", "Ruby", "espresso"):
        assert set(await search_ids(client, bob, query)) <= {bobs["id"]}
        assert not alices & set(await search_ids(client, bob, query, include_discarded=True))
        memories = (await client.get("/v3/memories", params={"query": query}, headers=bob.headers)).json()
        assert all(m["conversation_id"] == bobs["id"] for m in memories)
    assert await search_ids(client, bob, "espresso machine") == [bobs["id"]]
    assert bobs["id"] not in await search_ids(client, alice, "espresso machine", include_discarded=True)


async def test_deleting_a_conversation_removes_it_from_search_and_the_index(
    client: httpx.AsyncClient, services: Services, alice: Caller
) -> None:
    corpus = await _corpus(client, alice)
    before = await services.indexer.index.count(alice.uid)
    deleted = corpus["hiking"]["id"]
    assert (await client.delete(f"/v1/conversations/{deleted}", headers=alice.headers)).status_code == 204
    assert deleted not in await search_ids(client, alice, "golden retriever hiking Ruby")
    hits = await services.search.ranked(alice.uid, "golden retriever hiking Ruby")
    assert all(h.chunk.conversation_id != deleted for h in hits)
    assert await services.indexer.index.count(alice.uid) < before


async def test_reprocessing_reindexes_without_duplicates(
    client: httpx.AsyncClient, services: Services, alice: Caller
) -> None:
    corpus = await _corpus(client, alice)
    before = await services.indexer.index.count(alice.uid)
    for _ in range(2):
        response = await client.post(f"/v1/conversations/{corpus['budget']['id']}/reprocess", headers=alice.headers)
        assert response.status_code == 200
    assert await services.indexer.index.count(alice.uid) == before
    assert (await search_ids(client, alice, "Lisbon travel costs"))[0] == corpus["budget"]["id"]


async def test_memory_search_ranks_and_follows_edits(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    created = (await client.post("/v3/memories/batch", json={"memories": [
        {"content": "Is allergic to peanuts", "category": "health"},
        {"content": "Works as a nurse at the city hospital", "category": "work"},
        {"content": "Has a cat named Miso", "category": "personal"},
    ]}, headers=alice.headers)).json()["memories"]
    found = (await client.get("/v3/memories", params={"query": "what pet do I have"}, headers=alice.headers)).json()
    assert found[0]["content"] == "Has a cat named Miso"
    job = (await client.get("/v3/memories", params={"query": "job", "limit": 1}, headers=alice.headers)).json()
    assert [m["content"] for m in job] == ["Works as a nurse at the city hospital"]

    cat = next(m for m in created if "Miso" in m["content"])
    edited = await client.patch(f"/v3/memories/{cat['id']}", params={"value": "Has a parrot named Kiwi"},
                                headers=alice.headers)
    assert edited.status_code == 200
    found = (await client.get("/v3/memories", params={"query": "parrot"}, headers=alice.headers)).json()
    assert found[0]["content"] == "Has a parrot named Kiwi"
    assert all("Miso" not in m["content"] for m in found)

    assert (await client.get("/v3/memories", params={"query": "peanuts"}, headers=bob.headers)).json() == []
    assert (await client.delete(f"/v3/memories/{cat['id']}", headers=alice.headers)).status_code == 200
    found = (await client.get("/v3/memories", params={"query": "parrot"}, headers=alice.headers)).json()
    assert all(m["id"] != cat["id"] for m in found)
    assert (await client.delete("/v3/memories", headers=alice.headers)).status_code == 200
    assert (await client.get("/v3/memories", params={"query": "peanuts"}, headers=alice.headers)).json() == []


async def test_memory_search_bad_input(client: httpx.AsyncClient, alice: Caller) -> None:
    before = (await client.get("/v3/memories", headers=alice.headers)).json()
    for params in ({"query": ""}, {"query": "   "}, {"query": "x" * 5000}):
        response = await client.get("/v3/memories", params=params, headers=alice.headers)
        assert response.status_code in (400, 422), params
    assert (await client.get("/v3/memories", headers=alice.headers)).json() == before
