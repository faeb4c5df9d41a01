"""The loop every worker runs, in `mnemo serve` or in `mnemo worker`."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from .lifecycle import LifecycleService
from .processing import ProcessingService

log = logging.getLogger("mnemo.worker")


async def process_until(
    stop: asyncio.Event, processing: ProcessingService, lifecycle: LifecycleService, poll_seconds: float, name: str
) -> None:
    """Process jobs until `stop` is set; when idle, finalize timed-out conversations, fail abandoned
    jobs, and wait a little."""
    while not stop.is_set():
        try:
            if await processing.run_next(name):
                continue
            if await lifecycle.sweep():
                continue
            await processing.fail_abandoned()
        except Exception:  # the database may be briefly unreachable; keep the worker alive
            log.exception("worker loop error; retrying in %.1fs", poll_seconds)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), poll_seconds)
