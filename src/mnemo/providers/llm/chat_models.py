"""Chat models that answer with a JSON document: OpenAI-compatible servers and Anthropic."""

from __future__ import annotations

import json
import re
from typing import Any, Protocol

import httpx

from .http import post_json
from .port import ExtractionFailed

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


def _parse(content: Any) -> Any:
    if not isinstance(content, str) or not content.strip():
        raise MalformedAnswer("the answer was empty")
    try:
        return json.loads(_FENCE.sub("", content))
    except json.JSONDecodeError as error:
        raise MalformedAnswer(f"the answer is not JSON: {content[:120]!r}") from error
