"""PUT /v1/users/time-zone and GET /v1/users/profile."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import Caller


async def test_profile_shows_the_caller(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    body = (await client.get("/v1/users/profile", headers=alice.headers)).json()
    assert body["uid"] == alice.uid and body["name"] == "Alice" and body["time_zone"] == "UTC"
    assert set(body) == {"uid", "name", "time_zone", "created_at"}
    assert (await client.get("/v1/users/profile", headers=bob.headers)).json()["name"] == "Bob"


async def test_setting_the_time_zone(client: httpx.AsyncClient, alice: Caller, bob: Caller) -> None:
    response = await client.put("/v1/users/time-zone", json={"time_zone": "America/Los_Angeles"},
                                headers=alice.headers)
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "time_zone": "America/Los_Angeles"}
    assert (await client.get("/v1/users/profile", headers=alice.headers)).json()["time_zone"] == "America/Los_Angeles"
    assert (await client.get("/v1/users/profile", headers=bob.headers)).json()["time_zone"] == "UTC"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"time_zone": "Mars/Olympus_Mons"}, 400),
        ({"time_zone": "+02:00"}, 400),
        ({"time_zone": "../../etc/passwd"}, 400),
        ({"time_zone": " Europe/Berlin"}, 400),
        ({"time_zone": ""}, 422),
        ({"time_zone": 5}, 422),
        ({}, 422),
    ],
)
async def test_invalid_time_zones_change_nothing(client: httpx.AsyncClient, alice: Caller, body, status) -> None:  # type: ignore[no-untyped-def]
    response = await client.put("/v1/users/time-zone", json=body, headers=alice.headers)
    assert response.status_code == status
    assert "detail" in response.json()
    assert (await client.get("/v1/users/profile", headers=alice.headers)).json()["time_zone"] == "UTC"
