"""Every route but /health wants a valid bearer token."""

from __future__ import annotations

import re

import httpx
import pytest

from tests.conftest import Caller

_SAMPLE_ID = "00000000-0000-0000-0000-000000000000"


def _protected_operations(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    operations = []
    for path, methods in app.openapi()["paths"].items():
        if path == "/health":
            continue
        concrete = re.sub(r"\{[^}]+\}", _SAMPLE_ID, path)
        operations.extend((method.upper(), concrete) for method in methods)
    return operations


async def test_health_needs_no_token(client: httpx.AsyncClient) -> None:
    response = await client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["adapters"]["database"] in {"sqlite", "postgresql"}
    assert body["adapters"]["extractor"] == "counting"  # the test's scripted extractor
    assert body["adapters"]["default_speech_to_text"] in body["adapters"]["speech_to_text"]
    expected_index = "pgvector" if body["adapters"]["database"] == "postgresql" else "lancedb"
    assert body["adapters"]["vector_index"] == expected_index
    assert body["adapters"]["embedder"] == "local" and body["adapters"]["chat"] == "extractive"


async def test_every_other_route_rejects_a_missing_token(client: httpx.AsyncClient, app) -> None:  # type: ignore[no-untyped-def]
    operations = _protected_operations(app)
    assert len(operations) >= 20
    for method, path in operations:
        response = await client.request(method, path)
        assert response.status_code == 401, (method, path, response.text)
        assert response.json() == {"detail": "missing or invalid bearer token"}
        assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize(
    "header",
    [
        "Bearer mnemo_not-a-real-token",
        "Bearer ",
        "Basic dXNlcjpwYXNz",
        "mnemo_token-without-scheme",
        "Bearer " + "x" * 5000,
    ],
)
async def test_wrong_tokens_are_rejected(client: httpx.AsyncClient, app, header: str) -> None:  # type: ignore[no-untyped-def]
    for method, path in _protected_operations(app):
        response = await client.request(method, path, headers={"Authorization": header})
        assert response.status_code == 401, (method, path, header[:20])


async def test_a_valid_token_is_accepted(client: httpx.AsyncClient, alice: Caller) -> None:
    response = await client.get("/v1/users/profile", headers=alice.headers)
    assert response.status_code == 200
    assert response.json()["uid"] == alice.uid


async def test_the_first_start_writes_a_working_token(client: httpx.AsyncClient, settings) -> None:  # type: ignore[no-untyped-def]
    token = settings.token_file.read_text().strip()
    assert token.startswith("mnemo_")
    assert settings.token_file.stat().st_mode & 0o777 == 0o600
    response = await client.get("/v1/users/profile", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.json()["name"] == "local"


async def test_tokens_are_stored_only_as_hashes(services, alice: Caller) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from mnemo.storage.tables import api_tokens

    async with services.storage.database.transaction(write=False) as connection:
        stored = (await connection.execute(select(api_tokens.c.token_hash))).scalars().all()
    assert alice.token not in stored
    assert all(len(value) == 64 for value in stored)


async def test_openapi_docs_are_served(client: httpx.AsyncClient) -> None:
    response = await client.get("/docs")
    assert response.status_code == 200
    assert "swagger" in response.text.lower()
    schema = (await client.get("/openapi.json")).json()
    assert "/v3/memories/batch" in schema["paths"]
