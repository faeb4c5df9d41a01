"""The chat agent with the `llm` adapter: tool calls over both wire protocols, against a local fake."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx
import pytest

from mnemo.app import create_app
from mnemo.config import Settings
from mnemo.services.chat_tools import ChatTools
from mnemo.services.container import Services
from tests.api.test_chat import ask
from tests.conftest import Caller
from tests.fakes.model_server import Script, model_server
from tests.scripted import CountingExtractor
from tests.searching import DENTIST, HIKING, post


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture(params=["openai", "anthropic"])
def llm_settings(request: pytest.FixtureRequest, settings: Settings, script: Script) -> Iterator[Settings]:
    with model_server(script) as url:
        yield settings.model_copy(update={
            "extractor": "llm", "llm_provider": request.param, "llm_api_key": "sk-test",
            "llm_base_url": url + "/v1" if request.param == "openai" else url, "llm_retries": 0,
        })


@pytest.fixture
async def agent_client(llm_settings: Settings) -> AsyncIterator[tuple[httpx.AsyncClient, Caller, Caller]]:
    app = create_app(llm_settings, CountingExtractor())
    async with app.router.lifespan_context(app):
        dana = await app.state.services.users.create_user("Dana")
        eve = await app.state.services.users.create_user("Eve")
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://mnemo.test") as client:
            yield client, Caller(dana[0].uid, dana[1]), Caller(eve[0].uid, eve[1])


async def test_the_agent_searches_then_answers_with_citations(
    agent_client: tuple[httpx.AsyncClient, Caller, Caller], script: Script
) -> None:
    client, dana, _ = agent_client
    hiking = await post(client, dana, HIKING, "2026-04-11T15:00:00+00:00")
    await post(client, dana, DENTIST, "2026-04-12T09:00:00+00:00")
    events, message = await ask(client, dana, "Who wants to adopt a golden retriever?")
    assert ("think", "Looking up: search conversations") in events
    assert message["memories_id"] == [hiking["id"]]
    assert hiking["id"] not in message["text"], "citation markers are taken out of the text"
    data = [payload for kind, payload in events if kind == "data"]
    assert any("__CRLF__" in piece for piece in data) and all("\n" not in piece for piece in data)
    assert "".join(data).replace("__CRLF__", "\n") == message["text"]
    agent_calls = [b for b in script.bodies if "tools" in b and not b.get("response_format")
                   and (b.get("tool_choice") in ("auto", "none") or b.get("tool_choice", {}).get("type") != "tool")]
    assert len(agent_calls) == 2
    assert {t.get("name") or t["function"]["name"] for t in agent_calls[0]["tools"]} == {
        "search_conversations", "search_memories", "conversations_by_date", "action_items"}


async def test_small_talk_skips_the_agent(
    agent_client: tuple[httpx.AsyncClient, Caller, Caller], script: Script
) -> None:
    client, dana, _ = agent_client
    _, message = await ask(client, dana, "thanks!")
    assert message["memories_id"] == [] and script.bodies == []


async def test_the_agent_never_sees_another_users_data(
    agent_client: tuple[httpx.AsyncClient, Caller, Caller], script: Script
) -> None:
    client, dana, eve = agent_client
    await post(client, dana, HIKING)
    _, message = await ask(client, eve, "Who wants to adopt a golden retriever?")
    assert message["memories_id"] == []
    tool_results = [m for b in script.bodies for m in b["messages"]
                    if m.get("role") == "tool" or (isinstance(m.get("content"), list) and m["role"] == "user")]
    assert tool_results and all("retriever" not in str(m) for m in tool_results)


async def test_the_agent_stops_after_its_step_budget(
    agent_client: tuple[httpx.AsyncClient, Caller, Caller], script: Script, llm_settings: Settings
) -> None:
    client, dana, _ = agent_client
    hiking = await post(client, dana, HIKING)
    script.default = "agent_insists"
    events, message = await ask(client, dana, "Who wants to adopt a golden retriever?")
    calls = [b for b in script.bodies if "tools" in b]
    assert len(calls) == llm_settings.chat_max_steps + 1
    last_choice = calls[-1]["tool_choice"]
    assert last_choice in ("none", {"type": "none"}), "the last call may not use tools"
    assert len([kind for kind, _ in events if kind == "think"]) == llm_settings.chat_max_steps
    assert message["memories_id"] == [hiking["id"]]


async def test_every_tool_reads_only_the_callers_data(services: Services, client: httpx.AsyncClient,
                                                      alice: Caller, bob: Caller) -> None:
    hiking = await post(client, alice, HIKING, "2026-04-11T15:00:00+00:00")
    await post(client, bob, DENTIST, "2026-04-11T16:00:00+00:00")
    tools = ChatTools(services.storage, services.search, alice.uid, "UTC")
    found, ids = await tools.run("search_conversations", {"query": "golden retriever"})
    assert ids[0] == hiking["id"] and "retriever" in found
    listed, ids = await tools.run("conversations_by_date", {"start_date": "2026-04-11", "end_date": "2026-04-12"})
    assert ids == [hiking["id"]] and "dental" not in listed.lower()
    for caller, task in ((alice, "Send Ruby the adoption agency link"), (bob, "Call the dentist back")):
        created = await client.post("/v1/action-items", json={"description": task}, headers=caller.headers)
        assert created.status_code == 200, created.text
    items, _ = await tools.run("action_items", {"completed": False})
    assert "Send Ruby the adoption agency link" in items and "dentist" not in items.lower()
    memories, _ = await tools.run("search_memories", {"query": "dentist appointment"})
    assert "dentist" not in memories.lower()
    bad, ids = await tools.run("conversations_by_date", {"start_date": "last tuesday", "end_date": "x"})
    assert bad.startswith("error:") and ids == []
    unknown, _ = await tools.run("delete_everything", {})
    assert unknown.startswith("error:")
