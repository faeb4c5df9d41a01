"""One JSON POST to a model endpoint, with a timeout and bounded retries.

Timeouts, connection errors, 429 and 5xx answers are retried with exponential backoff (a
429's Retry-After is honoured, up to a cap); other 4xx answers fail at once.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx

from .port import ExtractionFailed

log = logging.getLogger("mnemo.llm")
MAX_RETRY_AFTER_SECONDS = 30.0


async def post_json(
    client: httpx.AsyncClient,
    url: str,
    body: dict[str, Any],
    headers: dict[str, str],
    *,
    request_timeout: float,
    retries: int,
    backoff_seconds: float = 0.5,
) -> dict[str, Any]:
    problem = "no attempt made"
    for attempt in range(retries + 1):
        delay = backoff_seconds * 2**attempt
        try:
            response = await client.post(url, json=body, headers=headers, timeout=request_timeout)
        except httpx.TimeoutException:
            problem = f"no answer within {request_timeout:g}s"
        except httpx.TransportError as error:
            problem = f"connection failed: {error}"
        else:
            if response.status_code == 429 or response.status_code >= 500:
                problem = f"HTTP {response.status_code}: {response.text[:200]}"
                delay = max(delay, _retry_after(response))
            elif response.status_code >= 400:
                raise ExtractionFailed(f"model endpoint refused the request: HTTP {response.status_code}: "
                                       f"{response.text[:300]}")
            else:
                try:
                    return response.json()
                except ValueError:
                    problem = "the endpoint answered with something that is not JSON"
        if attempt < retries:
            log.info("model call to %s failed (%s); retrying in %.1fs", url, problem, delay)
            await asyncio.sleep(delay)
    raise ExtractionFailed(f"model endpoint failed after {retries + 1} attempts: {problem}")


def _retry_after(response: httpx.Response) -> float:
    try:
        return min(float(response.headers.get("retry-after", "0")), MAX_RETRY_AFTER_SECONDS)
    except ValueError:
        return 0.0
