"""The loop every worker runs, in `mnemo serve` or in `mnemo worker`."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from .container import Services

log = logging.getLogger("mnemo.worker")
MAINTAIN_EVERY_SECONDS = 30.0


async def process_until(stop: asyncio.Event, services: Services, poll_seconds: float, name: str) -> None:
    """Process jobs until `stop` is set; when idle, finalize timed-out conversations, index what is
    flagged, fail abandoned jobs, fold new vectors into the index, and wait a little."""
    maintained = time.monotonic()
    while not stop.is_set():
        try:
            if await services.processing.run_next(name):
                continue
            if await services.lifecycle.sweep():
                continue
            if await services.indexer.catch_up():
                continue
            await services.processing.fail_abandoned()
            if time.monotonic() - maintained >= MAINTAIN_EVERY_SECONDS:
                maintained = time.monotonic()
                await services.indexer.index.maintain()
        except Exception:  # the database may be briefly unreachable; keep the worker alive
            log.exception("worker loop error; retrying in %.1fs", poll_seconds)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), poll_seconds)
