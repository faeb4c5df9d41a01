"""Errors are JSON with a clear status: oversized bodies, wrong content, unknown routes."""

from __future__ import annotations

import httpx

from tests.conftest import Caller


async def test_oversized_bodies_get_413_and_store_nothing(client: httpx.AsyncClient, alice: Caller) -> None:
    huge = {"memories": [{"content": "x" * 4000} for _ in range(100)]}
    response = await client.post("/v3/memories/batch", json=huge, headers=alice.headers)
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]
    assert (await client.get("/v3/memories", headers=alice.headers)).json() == []


async def test_streamed_bodies_without_a_length_are_limited_too(client: httpx.AsyncClient, alice: Caller) -> None:
    async def chunks():  # type: ignore[no-untyped-def]
        yield b'{"content": "'
        for _ in range(300):
            yield b"y" * 1024
        yield b'"}'

    response = await client.post("/v3/memories", content=chunks(),
                                 headers={**alice.headers, "content-type": "application/json"})
    assert response.status_code == 413
    assert (await client.get("/v3/memories", headers=alice.headers)).json() == []


async def test_non_json_bodies_are_rejected(client: httpx.AsyncClient, alice: Caller) -> None:
    for content, kind in [(b"\xff\xfe\x00garbage", "application/json"), (b"content=tea", "text/plain"),
                          (b"[1, 2, 3]", "application/json"), (b"null", "application/json")]:
        response = await client.post("/v3/memories", content=content,
                                     headers={**alice.headers, "content-type": kind})
        assert response.status_code in (400, 415, 422), (content, response.status_code)
        assert "detail" in response.json()
    assert (await client.get("/v3/memories", headers=alice.headers)).json() == []


async def test_unknown_routes_and_methods(client: httpx.AsyncClient, alice: Caller) -> None:
    missing = await client.get("/v9/nothing", headers=alice.headers)
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    wrong_method = await client.put("/v3/memories", headers=alice.headers)
    assert wrong_method.status_code == 405 and "detail" in wrong_method.json()
