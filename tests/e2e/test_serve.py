"""`mnemo serve` and `mnemo user create` as a newcomer runs them, over real HTTP."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx
import pytest

from tests.e2e.conftest import MNEMO, environment, running_server

pytestmark = pytest.mark.e2e


def _env_for(database_url: str) -> dict[str, str]:
    # SQLite runs on the default path (./data/mnemo.db); PostgreSQL through the setting.
    if database_url.startswith("sqlite"):
        return environment()
    return environment(MNEMO_DATABASE_URL=database_url)


def test_first_start_creates_a_user_and_its_token_works(tmp_path: Path, database_url: str) -> None:
    folder = tmp_path / "fresh"
    folder.mkdir()
    with running_server(folder, _env_for(database_url)) as (base, printed):
        token_file = folder / "data" / "token"
        token = token_file.read_text().strip()
        assert any(str(token_file) in line for line in printed), printed
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
            assert http.get("/v1/users/profile").json()["name"] == "local"
            created = http.post("/v3/memories", json={"content": "Plays the cello", "category": "personal"})
            assert created.status_code == 200
            assert [m["content"] for m in http.get("/v3/memories").json()] == ["Plays the cello"]
            assert http.get("/v1/conversations").json() == []
            assert http.get("/v3/memories", headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert http.get("/docs").status_code == 200
    if database_url.startswith("sqlite"):
        assert (folder / "data" / "mnemo.db").exists()

    with running_server(folder, _env_for(database_url)) as (base, printed):
        assert token_file.read_text().strip() == token, "a restart must not make a new user"
        assert not any("created user" in line for line in printed)
        with httpx.Client(base_url=base, headers=headers, timeout=10) as http:
            assert [m["content"] for m in http.get("/v3/memories").json()] == ["Plays the cello"]


def test_user_create_prints_a_token_that_the_server_accepts(tmp_path: Path, database_url: str) -> None:
    env = _env_for(database_url)
    done = subprocess.run([*MNEMO, "user", "create", "Carol Danvers"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60, check=True)
    token = done.stdout.strip().splitlines()[-1]
    assert token.startswith("mnemo_") and " " not in token
    with running_server(tmp_path, env) as (base, _printed), httpx.Client(base_url=base, timeout=10) as http:
        profile = http.get("/v1/users/profile", headers={"Authorization": f"Bearer {token}"})
        assert profile.status_code == 200 and profile.json()["name"] == "Carol Danvers"


def test_user_create_refuses_a_blank_name(tmp_path: Path) -> None:
    done = subprocess.run([*MNEMO, "user", "create", "   "], cwd=tmp_path, env=environment(),
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "user name must have 1 to 200 characters" in done.stderr
