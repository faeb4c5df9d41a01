"""Chat models (OpenAI-compatible servers and Anthropic) that answer with a JSON document or call tools."""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

import httpx

from .http import post_json
from .port import ExtractionFailed
from .tools import Reply, ToolCall, ToolSpec, Turn

_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


class MalformedAnswer(ValueError):
    """The model answered, but not with the JSON document it was asked for."""


class ModelRefused(ExtractionFailed):
    """The model declined to answer."""


class JsonChatModel(Protocol):
    async def answer_json(self, system: str, user: str, name: str, schema: dict[str, Any]) -> Any: ...


class OpenAICompatibleModel:
    """`POST {base_url}/chat/completions`: OpenAI, Ollama, vLLM, llama.cpp server, OpenRouter."""

    def __init__(self, client: httpx.AsyncClient, base_url: str, api_key: str, model: str,
                 timeout: float, retries: int) -> None:
        self._client, self._url = client, base_url.rstrip("/") + "/chat/completions"
        self._headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._model, self._timeout, self._retries = model, timeout, retries

    async def answer_json(self, system: str, user: str, name: str, schema: dict[str, Any]) -> Any:
        body = {
            "model": self._model,
            "temperature": 0,
            "messages": [{"role": "system", "content": system}, {"role": "user", "content": user}],
            "response_format": {"type": "json_schema", "json_schema": {"name": name, "schema": schema}},
        }
        data = await post_json(self._client, self._url, body, self._headers, request_timeout=self._timeout,
                               retries=self._retries)
        try:
            message = data["choices"][0]["message"]
        except (KeyError, IndexError, TypeError) as error:
            raise MalformedAnswer(f"no message in the answer: {str(data)[:200]}") from error
        if message.get("refusal"):
            raise ModelRefused(f"the model refused: {message['refusal']}")
        return _parse(message.get("content"))


    async def step(self, system: str, turns: list[Turn], tools: list[ToolSpec], final: bool = False) -> Reply:
        body = {
            "model": self._model,
            "temperature": 0,
            "messages": [{"role": "system", "content": system}, *map(_openai_message, turns)],
            "tools": [{"type": "function", "function": {"name": t.name, "description": t.description,
                                                        "parameters": t.parameters}} for t in tools],
            "tool_choice": "none" if final else "auto",
        }
        data = await post_json(self._client, self._url, body, self._headers, request_timeout=self._timeout,
                               retries=self._retries)
        try:
            message = data["choices"][0]["message"]
            calls = [ToolCall(c["id"], c["function"]["name"], _arguments(c["function"].get("arguments")))
                     for c in message.get("tool_calls") or []]
        except (KeyError, IndexError, TypeError) as error:
            raise MalformedAnswer(f"no usable message in the answer: {str(data)[:200]}") from error
        return Reply(text=message.get("content") or "", tool_calls=calls)


class AnthropicModel:
    """`POST {base_url}/v1/messages`, with the answer forced through a tool whose input is the schema."""

    VERSION = "2023-06-01"

    def __init__(self, client: httpx.AsyncClient, base_url: str, api_key: str, model: str,
                 timeout: float, retries: int) -> None:
        self._client, self._url = client, base_url.rstrip("/") + "/v1/messages"
        self._headers = {"x-api-key": api_key, "anthropic-version": self.VERSION}
        self._model, self._timeout, self._retries = model, timeout, retries

    async def answer_json(self, system: str, user: str, name: str, schema: dict[str, Any]) -> Any:
        body = {
            "model": self._model,
            "max_tokens": 2048,
            "temperature": 0,
            "system": system,
            "messages": [{"role": "user", "content": user}],
            "tools": [{"name": name, "description": f"Record the {name}.", "input_schema": schema}],
            "tool_choice": {"type": "tool", "name": name},
        }
        data = await post_json(self._client, self._url, body, self._headers, request_timeout=self._timeout,
                               retries=self._retries)
        if data.get("stop_reason") == "refusal":
            raise ModelRefused("the model refused to answer")
        for block in data.get("content") or []:
            if block.get("type") == "tool_use" and block.get("name") == name:
                return block.get("input")
        text = "".join(block.get("text", "") for block in data.get("content") or [] if block.get("type") == "text")
        return _parse(text)


    async def step(self, system: str, turns: list[Turn], tools: list[ToolSpec], final: bool = False) -> Reply:
        body = {
            "model": self._model,
            "max_tokens": 2048,
            "temperature": 0,
            "system": system,
            "messages": _anthropic_messages(turns),
            "tools": [{"name": t.name, "description": t.description, "input_schema": t.parameters} for t in tools],
            "tool_choice": {"type": "none" if final else "auto"},
        }
        data = await post_json(self._client, self._url, body, self._headers, request_timeout=self._timeout,
                               retries=self._retries)
        if data.get("stop_reason") == "refusal":
            raise ModelRefused("the model refused to answer")
        blocks = data.get("content") or []
        calls = [ToolCall(b["id"], b["name"], b.get("input") or {}) for b in blocks if b.get("type") == "tool_use"]
        text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
        return Reply(text=text, tool_calls=calls)


def _openai_message(turn: Turn) -> dict[str, Any]:
    if turn.role == "tool":
        return {"role": "tool", "tool_call_id": turn.tool_call_id, "content": turn.text}
    message: dict[str, Any] = {"role": turn.role, "content": turn.text or None}
    if turn.tool_calls:
        message["tool_calls"] = [{"id": c.id, "type": "function",
                                  "function": {"name": c.name, "arguments": json.dumps(c.arguments)}}
                                 for c in turn.tool_calls]
    return message


def _anthropic_messages(turns: list[Turn]) -> list[dict[str, Any]]:
    """Tool results travel as `tool_result` blocks of a user message; consecutive ones share it."""
    messages: list[dict[str, Any]] = []
    for turn in turns:
        if turn.role == "tool":
            block = {"type": "tool_result", "tool_use_id": turn.tool_call_id, "content": turn.text}
            if messages and messages[-1]["role"] == "user" and isinstance(messages[-1]["content"], list):
                messages[-1]["content"].append(block)
            else:
                messages.append({"role": "user", "content": [block]})
        elif turn.role == "assistant":
            content: list[dict[str, Any]] = [{"type": "text", "text": turn.text}] if turn.text else []
            content += [{"type": "tool_use", "id": c.id, "name": c.name, "input": c.arguments}
                        for c in turn.tool_calls]
            messages.append({"role": "assistant", "content": content})
        else:
            messages.append({"role": "user", "content": turn.text})
    return messages


def _arguments(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    try:
        parsed = json.loads(raw or "{}")
    except json.JSONDecodeError as error:
        raise MalformedAnswer(f"tool arguments are not JSON: {str(raw)[:120]!r}") from error
    if not isinstance(parsed, dict):
        raise MalformedAnswer("tool arguments are not a JSON object")
    return parsed


def _parse(content: Any) -> Any:
    if not isinstance(content, str) or not content.strip():
        raise MalformedAnswer("the answer was empty")
    try:
        return json.loads(_FENCE.sub("", content))
    except json.JSONDecodeError as error:
        raise MalformedAnswer(f"the answer is not JSON: {content[:120]!r}") from error
