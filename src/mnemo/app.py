"""The composition root: builds the FastAPI app and picks every adapter from Settings."""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path

from fastapi import FastAPI

from . import __version__
from .adapters import build_services
from .api import action_items, chat, conversations, health, listen, memories, search, users
from .api.errors import install_error_handlers
from .api.limits import BodySizeLimit
from .config import Settings
from .models.common import utcnow
from .providers.llm.port import Extractor
from .providers.stt.port import SpeechToText
from .services.container import Services
from .services.work_loop import process_until
from .storage.database import Database
from .storage.migrate import upgrade


def write_token_file(path: Path, token: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(token + "\n")


async def _create_first_user(services: Services, settings: Settings) -> None:
    created = await services.users.create_first_user()
    if created is None:
        return
    user, token = created
    write_token_file(settings.token_file, token)
    message = f"created user {user.name!r} ({user.uid}); its API token is in {settings.token_file.resolve()}"
    print(message, flush=True)


@asynccontextmanager
async def _background_worker(services: Services, settings: Settings) -> AsyncIterator[None]:
    if not settings.runs_worker_in_server:
        yield
        return
    stop = asyncio.Event()
    name = f"server-{os.getpid()}"
    task = asyncio.create_task(
        process_until(stop, services, settings.worker_poll_seconds, name)
    )
    try:
        yield
    finally:
        stop.set()
        await task


def _settle_heap() -> None:
    """Keep the garbage collector off the startup heap.

    Everything imported and built so far lives as long as the process; without this, every full
    collection walks it again, which shows up as latency spikes of tens of milliseconds.
    """
    gc.collect()
    gc.freeze()


def create_app(
    settings: Settings | None = None,
    extractor: Extractor | None = None,
    stt: dict[str, SpeechToText] | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> FastAPI:
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        database = Database(settings.resolved_database_url)
        try:
            await upgrade(database)
            services = await build_services(settings, database, extractor, stt, clock)
            app.state.services = services
            await _create_first_user(services, settings)
            warming = asyncio.create_task(services.search.warm_up())
            _settle_heap()
            try:
                async with _background_worker(services, settings):
                    yield
            finally:
                await warming
                await services.indexer.index.close()
        finally:
            await database.dispose()

    app = FastAPI(
        title="mnemo",
        version=__version__,
        summary="A self-hostable backend for AI wearables, speaking the Omi API.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    install_error_handlers(app)
    for module in (health, search, conversations, action_items, memories, chat, users, listen):
        app.include_router(module.router)
    app.add_middleware(BodySizeLimit, max_bytes=settings.max_body_bytes)
    return app
