"""Search and chat in a real `mnemo serve` process: indexed by its own worker, kept across a restart."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import httpx
import pytest

from tests.conversations import body
from tests.e2e.conftest import environment, running_server
from tests.searching import HIKING

pytestmark = pytest.mark.e2e


def _until_searchable(http: httpx.Client, query: str, seconds: float = 60) -> list[dict]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        items = http.post("/v1/conversations/search", json={"query": query}).json()["items"]
        if items:
            return items
        time.sleep(0.2)
    raise AssertionError(f"nothing found for {query!r} within {seconds}s")


def test_a_conversation_is_searchable_and_cited_and_stays_so_after_a_restart(
    tmp_path: Path, database_url: str
) -> None:
    env = environment() if database_url.startswith("sqlite") else environment(MNEMO_DATABASE_URL=database_url)
    with running_server(tmp_path, env) as (base, _printed):
        token = (tmp_path / "data" / "token").read_text().strip()
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, headers=headers, timeout=60) as http:
            created = http.post("/v1/conversations", json=body(HIKING, "2026-04-11T15:00:00+00:00"))
            assert created.status_code == 200
            conversation_id = created.json()["conversation"]["id"]
            assert [i["id"] for i in _until_searchable(http, "golden retriever adoption")] == [conversation_id]
            health = http.get("/health").json()["adapters"]
            assert health["vector_index"] == ("lancedb" if database_url.startswith("sqlite") else "pgvector")
    with running_server(tmp_path, env) as (base, _printed), httpx.Client(base_url=base, headers=headers,
                                                                          timeout=60) as http:
        assert [i["id"] for i in _until_searchable(http, "golden retriever adoption")] == [conversation_id]
        stream = http.post("/v2/messages", json={"text": "What does Ruby want to adopt?"})
        done = stream.text.strip().split("\n\n")[-1]
        message = json.loads(base64.b64decode(done.removeprefix("done: ")))
        assert message["memories_id"] == [conversation_id] and "golden retriever" in message["text"]
