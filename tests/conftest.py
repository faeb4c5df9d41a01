"""Fixtures: every API test runs twice, on SQLite and on PostgreSQL (pgvector-capable, via pgserver).

Each test gets a database of its own: a copy of a migrated SQLite file, or a PostgreSQL database
cloned from a migrated template. Set MNEMO_TEST_POSTGRES_URL to use a server of your own instead
of the private one pgserver starts.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from sqlalchemy.engine import make_url

from mnemo.app import create_app
from mnemo.config import Settings
from mnemo.services.container import Services
from mnemo.storage.database import Database
from mnemo.storage.migrate import upgrade
from tests.scripted import CountingExtractor

TEMPLATE_DB = "mnemo_test_template"


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _asyncpg_dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _run_apart(coroutine: Coroutine[Any, Any, None]) -> None:
    """Run setup on its own loop in a thread: session fixtures may be first asked for mid-test."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, coroutine).result()


async def _migrate(url: str) -> None:
    database = Database(url)
    try:
        await upgrade(database)
    finally:
        await database.dispose()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """A PostgreSQL server for the session: MNEMO_TEST_POSTGRES_URL, or a private pgserver one."""
    configured = os.environ.get("MNEMO_TEST_POSTGRES_URL")
    if configured:
        yield configured
        return
    import pgserver

    folder = tempfile.mkdtemp(prefix="mnemo-pg-")
    server = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_template(postgres_admin_url: str) -> str:
    async def build() -> None:
        admin = await asyncpg.connect(_asyncpg_dsn(postgres_admin_url))
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE_DB}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{TEMPLATE_DB}"')
        finally:
            await admin.close()
        await _migrate(_with_database(postgres_admin_url, TEMPLATE_DB))

    _run_apart(build())
    return TEMPLATE_DB


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "mnemo.db"
    _run_apart(_migrate(f"sqlite:///{path}"))
    return path


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, migrated database for one test."""
    if request.param == "sqlite":
        target = tmp_path / "data" / "mnemo.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(request.getfixturevalue("sqlite_template"), target)
        yield f"sqlite:///{target}"
        return
    admin_url = request.getfixturevalue("postgres_admin_url")
    template = request.getfixturevalue("postgres_template")
    name = f"mnemo_test_{uuid.uuid4().hex[:12]}"
    admin = await asyncpg.connect(_asyncpg_dsn(admin_url))
    try:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        yield _with_database(admin_url, name)
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(
        data_dir=tmp_path / "data", database_url=database_url, max_body_bytes=256 * 1024, worker_in_server=False
    )


@pytest.fixture
def extractor() -> CountingExtractor:
    return CountingExtractor()


@pytest.fixture
async def app(settings: Settings, extractor: CountingExtractor):  # type: ignore[no-untyped-def]
    application = create_app(settings, extractor)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def services(app) -> Services:  # type: ignore[no-untyped-def]
    return app.state.services


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:  # type: ignore[no-untyped-def]
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mnemo.test") as http:
        yield http


@dataclass(frozen=True)
class Caller:
    uid: str
    token: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


@pytest.fixture
async def alice(services: Services) -> Caller:
    user, token = await services.users.create_user("Alice")
    return Caller(user.uid, token)


@pytest.fixture
async def bob(services: Services) -> Caller:
    user, token = await services.users.create_user("Bob")
    return Caller(user.uid, token)
