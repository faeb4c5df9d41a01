"""A local stand-in for hosted chat models, speaking the OpenAI chat-completions and the Anthropic
messages wire protocols, with scripted misbehaviour: malformed JSON, refusals, 429s, 5xx, delays,
and requests held until released."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mnemo.local_server import serving

GOOD_ANSWERS: dict[str, Any] = {
    "summary": {"discarded": False, "title": "Physio appointment moved", "overview": "The clinic moved the "
                "appointment to Thursday.", "emoji": "💪", "category": "health"},
    "tasks": {"action_items": [{"description": "Email the insurance number to the clinic",
                                "due_at": "2026-04-15T09:00:00"}],
              "events": [{"title": "Physio appointment", "start": "2026-04-16T16:00:00+02:00", "duration": 45}]},
    "memories": {"memories": [{"content": "Allergic to ibuprofen", "category": "health"}]},
}


@dataclass
class Script:
    """What the server does next. `plan` is consumed one entry per request; when empty, `default`."""

    plan: list[str] = field(default_factory=list)
    default: str = "ok"
    delay: float = 0.0
    answers: dict[str, Any] = field(default_factory=lambda: dict(GOOD_ANSWERS))
    received: list[tuple[str, float, float]] = field(default_factory=list)  # (task, arrived, answered)
    bodies: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    holding: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def next_mode(self) -> str:
        with self.lock:
            return self.plan.pop(0) if self.plan else self.default


def _task_of(body: dict[str, Any]) -> str:
    if "response_format" in body:
        return body["response_format"]["json_schema"]["name"]
    choice = body.get("tool_choice")
    if isinstance(choice, dict) and choice.get("type") == "tool":
        return choice["name"]
    return "agent"


def _agent_move(question: str, tool_result: str | None, final: bool,
                insist: bool = False) -> tuple[str, dict[str, Any] | None]:
    """The scripted agent: search for the question first, then answer from the first hit and cite it.
    An insisting agent keeps calling tools for as long as it is allowed to."""
    if (tool_result is None or insist) and not final:
        return "", {"name": "search_conversations", "arguments": {"query": question}}
    hit = next((line for line in (tool_result or "").splitlines() if line.startswith("[")), None)
    if hit is None:
        return "I found nothing about that.", None
    cid, _, text = hit[1:].partition("] ")
    return f"From your conversation:\n{text} [{cid}]", None


def _openai_agent(body: dict[str, Any], insist: bool) -> dict[str, Any]:
    messages = body["messages"]
    question = next(m["content"] for m in reversed(messages) if m["role"] == "user")
    results = [m["content"] for m in messages if m["role"] == "tool"]
    text, call = _agent_move(question, results[-1] if results else None, body.get("tool_choice") == "none", insist)
    message: dict[str, Any] = {"role": "assistant", "content": text or None, "refusal": None}
    if call is not None:
        message["tool_calls"] = [{"id": f"call_{len(messages)}", "type": "function", "function": {
            "name": call["name"], "arguments": json.dumps(call["arguments"])}}]
    return message


def _anthropic_agent(body: dict[str, Any], insist: bool) -> list[dict[str, Any]]:
    messages = body["messages"]
    question = next(m["content"] for m in reversed(messages) if m["role"] == "user" and isinstance(m["content"], str))
    results = [b["content"] for m in messages if isinstance(m["content"], list)
               for b in m["content"] if b.get("type") == "tool_result"]
    final = body.get("tool_choice", {}).get("type") == "none"
    text, call = _agent_move(question, results[-1] if results else None, final, insist)
    if call is not None:
        return [{"type": "tool_use", "id": f"toolu_{len(messages)}", "name": call["name"], "input": call["arguments"]}]
    return [{"type": "text", "text": text}]


async def _behave(script: Script, task: str) -> Response | Any:
    mode = script.next_mode()
    if script.delay:
        await asyncio.sleep(script.delay)
    if mode == "hold":
        script.holding.set()
        await asyncio.to_thread(script.release.wait)
        mode = "ok"
    if mode == "429":
        return JSONResponse({"error": {"message": "Rate limit reached"}}, 429, headers={"retry-after": "0"})
    if mode == "500":
        return JSONResponse({"error": {"message": "overloaded"}}, 500)
    if mode == "401":
        return JSONResponse({"error": {"message": "Incorrect API key provided"}}, 401)
    if mode == "timeout":
        await asyncio.sleep(30)
    return mode


async def chat_completions(request: Request) -> Response:
    script: Script = request.app.state.script
    body = await request.json()
    task, arrived = _task_of(body), time.monotonic()
    outcome = await _behave(script, task)
    if isinstance(outcome, Response):
        return outcome
    script.bodies.append(body)
    message: dict[str, Any]
    if task == "agent":
        message = _openai_agent(body, outcome == "agent_insists")
    else:
        message = {"role": "assistant", "content": json.dumps(script.answers[task]), "refusal": None}
    if outcome == "malformed":
        message["content"] = '{"title": "cut off in the middle'
    elif outcome == "refusal":
        message = {"role": "assistant", "content": None, "refusal": "I can't help with that."}
    script.received.append((task, arrived, time.monotonic()))
    return JSONResponse({"id": "chatcmpl-fake", "object": "chat.completion", "model": body["model"],
                         "choices": [{"index": 0, "message": message, "finish_reason": "stop"}],
                         "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})


async def messages(request: Request) -> Response:
    script: Script = request.app.state.script
    if request.headers.get("anthropic-version") is None or not request.headers.get("x-api-key"):
        return JSONResponse({"type": "error", "error": {"type": "authentication_error"}}, 401)
    body = await request.json()
    task, arrived = _task_of(body), time.monotonic()
    outcome = await _behave(script, task)
    if isinstance(outcome, Response):
        return outcome
    script.bodies.append(body)
    content: list[dict[str, Any]]
    if task == "agent":
        content = _anthropic_agent(body, outcome == "agent_insists")
    else:
        content = [{"type": "tool_use", "id": "toolu_fake", "name": task, "input": script.answers[task]}]
    stop = "tool_use" if content[-1]["type"] == "tool_use" else "end_turn"
    if outcome == "malformed":
        content = [{"type": "text", "text": "Sure! Here is some JSON: {oops"}]
        stop = "end_turn"
    elif outcome == "refusal":
        content, stop = [], "refusal"
    script.received.append((task, arrived, time.monotonic()))
    return JSONResponse({"id": "msg_fake", "type": "message", "role": "assistant", "model": body["model"],
                         "content": content, "stop_reason": stop, "usage": {"input_tokens": 1, "output_tokens": 1}})


async def embeddings(request: Request) -> Response:
    """OpenAI's embeddings endpoint: a deterministic vector per input, of the size asked for."""
    script: Script = request.app.state.script
    body = await request.json()
    outcome = await _behave(script, "embeddings")
    if isinstance(outcome, Response):
        return outcome
    script.bodies.append(body)
    size = body.get("dimensions", 1536) + (1 if outcome == "wrong_dimensions" else 0)
    data = []
    for index, text in enumerate(body["input"]):
        seed = sum(ord(c) * (i + 1) for i, c in enumerate(text))
        data.append({"object": "embedding", "index": index,
                     "embedding": [((seed * (k + 7)) % 97) / 97.0 - 0.5 for k in range(size)]})
    data.reverse()  # the protocol orders by `index`, not by position
    return JSONResponse({"object": "list", "data": data, "model": body["model"],
                         "usage": {"prompt_tokens": 1, "total_tokens": 1}})


@contextmanager
def model_server(script: Script) -> Iterator[str]:
    """Serve on a free loopback port in a thread; yields the base URL."""
    app = Starlette(routes=[Route("/v1/chat/completions", chat_completions, methods=["POST"]),
                            Route("/v1/messages", messages, methods=["POST"]),
                            Route("/v1/embeddings", embeddings, methods=["POST"])])
    app.state.script = script
    with serving(app) as url:
        try:
            yield url
        finally:
            script.release.set()  # held requests finish, so the server can stop
