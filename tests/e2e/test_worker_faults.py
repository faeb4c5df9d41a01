"""Fault injection: a worker killed mid-job, and a model endpoint that fails and then recovers."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from mnemo.app import create_app
from mnemo.config import Settings
from mnemo.models.conversation import Conversation, ConversationStatus, NewConversation
from mnemo.providers.llm.chat_models import OpenAICompatibleModel
from mnemo.providers.llm.llm_extractor import LLMExtractor
from mnemo.services.container import Services
from mnemo.storage.tables import action_items, jobs, memories
from tests.conversations import PLANNING, body
from tests.e2e.conftest import MNEMO, environment
from tests.fakes.model_server import Script, model_server

pytestmark = pytest.mark.e2e


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def model_url(script: Script) -> Iterator[str]:
    with model_server(script) as url:
        yield f"{url}/v1"


def _worker(database_url: str, model_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = environment(MNEMO_DATABASE_URL=database_url, MNEMO_EXTRACTOR="llm", MNEMO_LLM_BASE_URL=model_url,
                      MNEMO_LLM_API_KEY="sk-test", MNEMO_LLM_RETRIES="0", MNEMO_JOB_LEASE_SECONDS="2",
                      MNEMO_WORKER_POLL_SECONDS="0.2")
    return subprocess.Popen([*MNEMO, "worker"], env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)


async def _queue_conversation(services: Services, uid: str) -> str:
    new = NewConversation.model_validate(body(PLANNING))
    conversation = Conversation(started_at=new.started_at, finished_at=new.finished_at,
                                status=ConversationStatus.processing,
                                transcript_segments=[s.to_segment() for s in new.transcript_segments])
    async with services.storage.write() as uow:
        await uow.conversations.add(uid, conversation)
        await services.processing.enqueue(uow, uid, conversation.id, {})
    return conversation.id


async def _wait_for_status(services: Services, uid: str, cid: str, status: ConversationStatus) -> Conversation:
    import asyncio

    for _ in range(300):
        async with services.storage.read() as uow:
            found = await uow.conversations.get(uid, cid)
        if found is not None and found.status == status:
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"conversation never reached {status}")


async def test_a_worker_killed_mid_job_leaves_it_to_another(
    services: Services, alice, database_url: str, model_url: str, script: Script, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    cid = await _queue_conversation(services, alice.uid)
    script.plan = ["hold", "hold", "hold"]
    first = _worker(database_url, model_url, tmp_path / "worker-1.log")
    try:
        for _ in range(300):
            if script.holding.is_set():
                break
            await asyncio.sleep(0.05)
        assert script.holding.is_set(), (tmp_path / "worker-1.log").read_text()
        os.kill(first.pid, signal.SIGKILL)
        first.wait(timeout=10)
    finally:
        if first.poll() is None:
            first.kill()
    async with services.storage.read() as uow:
        assert (await uow.conversations.get(alice.uid, cid)).status == ConversationStatus.processing
    second = _worker(database_url, model_url, tmp_path / "worker-2.log")
    try:
        done = await _wait_for_status(services, alice.uid, cid, ConversationStatus.completed)
    finally:
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=20)
    assert second.returncode == 0, (tmp_path / "worker-2.log").read_text()
    assert done.structured.title == "Physio appointment moved"
    async with services.storage.database.transaction(write=False) as db:
        count = lambda table: select(func.count()).select_from(table).where(table.c.uid == alice.uid)  # noqa: E731
        assert (await db.execute(count(action_items))).scalar_one() == 1
        assert (await db.execute(count(memories))).scalar_one() == 1
        job = (await db.execute(select(jobs).where(jobs.c.conversation_id == cid))).mappings().one()
    assert job["status"] == "done" and job["attempts"] == 2


async def test_a_broken_endpoint_fails_the_conversation_until_reprocess(
    settings: Settings, model_url: str, script: Script, tmp_path: Path
) -> None:
    failing = settings.model_copy(update={"job_max_attempts": 1})
    async with httpx.AsyncClient() as model_http:
        model = OpenAICompatibleModel(model_http, model_url, "sk-test", "m", timeout=1.0, retries=1)
        app = create_app(failing, LLMExtractor(model, malformed_retries=1))
        async with app.router.lifespan_context(app):
            _user, token = await app.state.services.users.create_user("Dana")
            headers = {"Authorization": f"Bearer {token}"}
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://mnemo.test") as client:
                script.default = "malformed"
                created = (await client.post("/v1/conversations", json=body(PLANNING), headers=headers)).json()
                conversation = created["conversation"]
                assert conversation["status"] == "failed"
                assert "not the JSON asked for" in conversation["processing_error"]
                assert (await client.get("/v1/action-items", headers=headers)).json()["action_items"] == []

                script.default = "ok"
                revived = await client.post(f"/v1/conversations/{conversation['id']}/reprocess", headers=headers)
                assert revived.status_code == 200
                assert revived.json()["status"] == "completed" and revived.json()["processing_error"] is None
                assert revived.json()["structured"]["title"] == "Physio appointment moved"
