"""Responses serialized straight from pydantic models (one pass in Rust, no re-validation)."""

from __future__ import annotations

from functools import cache
from typing import Any

from fastapi import Response
from pydantic import TypeAdapter

OK = {"status": "ok"}


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def model_response(kind: Any, value: Any, status_code: int = 200) -> Response:
    """`kind` is the declared type (e.g. `list[Conversation]`); `value` is serialized as it."""
    return Response(_adapter(kind).dump_json(value), status_code=status_code, media_type="application/json")
