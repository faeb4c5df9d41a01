"""What the model is asked to return: three small JSON documents, validated by pydantic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from mnemo.models.categories import ConversationCategory, MemoryCategory


class SummaryOut(BaseModel):
    discarded: bool = Field(description="true when nothing in the conversation is worth keeping")
    title: str = Field(description="at most 10 words")
    overview: str = Field(description="two or three sentences")
    emoji: str = Field(description="one emoji")
    category: str = Field(description="one of: " + ", ".join(c.value for c in ConversationCategory))


class ActionItemOut(BaseModel):
    description: str
    due_at: datetime | None = Field(default=None, description="ISO 8601 with UTC offset, or null")


class EventOut(BaseModel):
    title: str
    description: str = ""
    start: datetime = Field(description="ISO 8601 with UTC offset")
    duration: int = Field(default=60, ge=0, description="minutes")


class TasksOut(BaseModel):
    action_items: list[ActionItemOut] = Field(default_factory=list)
    events: list[EventOut] = Field(default_factory=list)


class MemoryOut(BaseModel):
    content: str
    category: str = Field(description="one of: " + ", ".join(c.value for c in MemoryCategory if c.value != "other"))


class MemoriesOut(BaseModel):
    memories: list[MemoryOut] = Field(default_factory=list, max_length=4)


def json_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A self-contained JSON schema (no $refs), which every structured-output server accepts."""
    schema = model.model_json_schema()
    definitions = schema.pop("$defs", {})

    def inline(node: Any) -> Any:
        if isinstance(node, dict):
            if "$ref" in node:
                return inline(definitions[node["$ref"].split("/")[-1]])
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return inline(schema)
