"""The LLM extractor against a local server speaking the OpenAI and Anthropic protocols."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from mnemo.models.extraction import ExtractionContext
from mnemo.models.segment import SegmentIn
from mnemo.providers.llm.chat_models import AnthropicModel, OpenAICompatibleModel
from mnemo.providers.llm.llm_extractor import LLMExtractor
from mnemo.providers.llm.port import ExtractionFailed
from tests.conversations import PLANNING
from tests.fakes.model_server import Script

SEGMENTS = [SegmentIn(text=text, speaker_id=0 if user else 1, is_user=user, start=i, end=i + 0.5).to_segment()
            for i, (user, text) in enumerate(PLANNING)]
CONTEXT = ExtractionContext(user_name="Alice", time_zone="Europe/Berlin", now=datetime(2026, 4, 14, 9, tzinfo=UTC),
                            started_at=datetime(2026, 4, 14, 8, tzinfo=UTC), existing_memories=["Has a cat"])


@pytest.fixture(params=["openai", "anthropic"])
def extractor(request: pytest.FixtureRequest, base_url: str, http: httpx.AsyncClient) -> LLMExtractor:
    if request.param == "openai":
        model = OpenAICompatibleModel(http, f"{base_url}/v1", "sk-test", "gpt-test", timeout=2.0, retries=2)
    else:
        model = AnthropicModel(http, base_url, "sk-ant-test", "claude-test", timeout=2.0, retries=2)
    return LLMExtractor(model)


async def test_a_good_answer_becomes_an_extraction(extractor: LLMExtractor) -> None:
    extraction = await extractor.extract(SEGMENTS, CONTEXT)
    assert extraction.title == "Physio appointment moved" and extraction.category.value == "health"
    [event] = extraction.events
    assert event.start == datetime(2026, 4, 16, 14, 0, tzinfo=UTC) and event.duration == 45
    [item] = extraction.action_items
    assert item.due_at == datetime(2026, 4, 15, 7, 0, tzinfo=UTC), "a time without offset is the user's local time"
    assert [m.content for m in extraction.memories] == ["Allergic to ibuprofen"]


async def test_the_three_questions_are_asked_at_once(extractor: LLMExtractor, script: Script) -> None:
    script.delay = 0.3
    await extractor.extract(SEGMENTS, CONTEXT)
    assert sorted(task for task, _, _ in script.received) == ["memories", "summary", "tasks"]
    last_arrival = max(arrived for _, arrived, _ in script.received)
    first_answer = min(answered for _, _, answered in script.received)
    assert last_arrival < first_answer, "every call was in flight before any was answered"


async def test_malformed_answers_are_asked_again(extractor: LLMExtractor, script: Script) -> None:
    script.plan = ["malformed", "malformed"]
    extraction = await extractor.extract(SEGMENTS, CONTEXT)
    assert extraction.title == "Physio appointment moved"


@pytest.mark.parametrize(("mode", "message"), [("malformed", "not the JSON asked for"), ("refusal", "refused"),
                                               ("500", "failed after 3 attempts"), ("401", "HTTP 401")])
async def test_lasting_trouble_ends_in_a_clear_failure(extractor: LLMExtractor, script: Script, mode: str,
                                                       message: str) -> None:
    script.default = mode
    with pytest.raises(ExtractionFailed, match=message):
        await extractor.extract(SEGMENTS, CONTEXT)


async def test_rate_limits_are_waited_out(extractor: LLMExtractor, script: Script) -> None:
    script.plan = ["429", "429"]
    extraction = await extractor.extract(SEGMENTS, CONTEXT)
    assert extraction.events


async def test_a_silent_endpoint_times_out(base_url: str, http: httpx.AsyncClient, script: Script) -> None:
    script.default = "timeout"
    extractor = LLMExtractor(OpenAICompatibleModel(http, f"{base_url}/v1", "k", "m", timeout=0.2, retries=1))
    with pytest.raises(ExtractionFailed, match=r"no answer within 0\.2s"):
        await extractor.extract(SEGMENTS, CONTEXT)


async def test_the_prompt_carries_the_rules_and_context(base_url: str, script: Script) -> None:
    seen: list[dict] = []

    async def record(request: httpx.Request) -> None:
        import json

        seen.append(json.loads(request.content))

    async with httpx.AsyncClient(event_hooks={"request": [record]}) as client:
        model = OpenAICompatibleModel(client, f"{base_url}/v1", "k", "m", timeout=2.0, retries=0)
        await LLMExtractor(model).extract(SEGMENTS, CONTEXT)
    system = seen[0]["messages"][0]["content"]
    assert "Alice" in system and "Europe/Berlin" in system and "Has a cat" in system
    assert "Tuesday" in system and "recurring habits" in system
    transcript = seen[0]["messages"][1]["content"]
    assert "User: Oh, okay. When works?" in transcript and "Speaker 1: Hi, it's Priya" in transcript
