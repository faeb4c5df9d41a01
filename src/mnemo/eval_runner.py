"""Run the extraction evaluation against a server: a given one, or one started here for the purpose."""

from __future__ import annotations

import asyncio
import json
import tempfile
from pathlib import Path

import httpx

from .app import create_app
from .config import Settings
from .extraction_eval import Report, evaluate, labeled_files
from .local_server import serving
from .services.users import UserService
from .storage.database import Database
from .storage.migrate import upgrade
from .storage.unit_of_work import Storage


def run_extraction_eval(folder: Path, url: str | None = None, token: str | None = None) -> Report:
    if url is not None:
        with httpx.Client(base_url=url) as client:
            return evaluate(client, folder, lambda _label: {"Authorization": f"Bearer {token}"})
    labels = [json.loads(path.read_text()) for path in labeled_files(folder)]
    with tempfile.TemporaryDirectory(prefix="mnemo-eval-") as scratch:
        # A fresh database, and one user per file named as the file says, so no file sees another's memories.
        settings = Settings(data_dir=Path(scratch), database_url=f"sqlite:///{scratch}/eval.db", worker_in_server=False)
        tokens = asyncio.run(_users(settings, [label["user_name"] for label in labels]))
        by_file = {label["id"]: token for label, token in zip(labels, tokens, strict=True)}
        with serving(create_app(settings), lifespan="on") as base, httpx.Client(base_url=base) as client:
            return evaluate(client, folder, lambda label: {"Authorization": f"Bearer {by_file[label['id']]}"})


async def _users(settings: Settings, names: list[str]) -> list[str]:
    database = Database(settings.resolved_database_url)
    try:
        await upgrade(database)
        users = UserService(Storage(database))
        return [(await users.create_user(name))[1] for name in names]
    finally:
        await database.dispose()
