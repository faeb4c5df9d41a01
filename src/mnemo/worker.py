"""The background worker: claims processing jobs, retries failures, fails what is abandoned.

It runs inside `mnemo serve` on the embedded profile, and as `mnemo worker` processes (any number,
on any machine, against one PostgreSQL) on the server profile.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket

from .adapters import build_services
from .config import Settings
from .services.work_loop import process_until
from .storage.database import Database
from .storage.migrate import upgrade


def worker_name() -> str:
    return f"{socket.gethostname()}-{os.getpid()}"


async def run(settings: Settings) -> None:
    database = Database(settings.resolved_database_url)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    try:
        await upgrade(database)
        name = worker_name()
        print(f"worker {name} processing jobs from {database.dialect}", flush=True)
        services = await build_services(settings, database)
        await process_until(stop, services, settings.worker_poll_seconds, name)
    finally:
        await database.dispose()
