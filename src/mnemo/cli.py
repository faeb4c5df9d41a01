"""The `mnemo` command: serve, create users, migrate."""

from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from .app import create_app
from .config import Settings
from .eval_runner import run_extraction_eval
from .extraction_eval import render
from .services.errors import InvalidInput
from .services.users import UserService
from .storage.database import Database
from .storage.migrate import upgrade
from .storage.unit_of_work import Storage
from .stream_client import stream_file
from .worker import run as run_worker

cli = typer.Typer(help="mnemo: a self-hostable backend for AI wearables.", no_args_is_help=True)
user_cli = typer.Typer(help="Manage users and their API tokens.", no_args_is_help=True)
cli.add_typer(user_cli, name="user")

DataDir = Annotated[Path | None, typer.Option(help="data folder (default: ./data or MNEMO_DATA_DIR)")]


def _settings(data_dir: Path | None, **overrides: object) -> Settings:
    values = {k: v for k, v in overrides.items() if v is not None}
    if data_dir is not None:
        values["data_dir"] = data_dir
    return Settings(**values)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="address to listen on (default 127.0.0.1)")] = None,
    port: Annotated[int | None, typer.Option(help="port to listen on (default 8000)")] = None,
    data_dir: DataDir = None,
) -> None:
    """Start the API server (migrates the database first; creates a user on first start)."""
    settings = _settings(data_dir, host=host, port=port)
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
    )


async def _with_storage(settings: Settings, action):  # type: ignore[no-untyped-def]
    database = Database(settings.resolved_database_url)
    try:
        await upgrade(database)
        return await action(Storage(database))
    finally:
        await database.dispose()


@user_cli.command("create")
def create_user(name: str, data_dir: DataDir = None) -> None:
    """Create a user and print its API token (alone, on the last line)."""
    settings = _settings(data_dir)

    async def action(storage: Storage):  # type: ignore[no-untyped-def]
        return await UserService(storage).create_user(name)

    try:
        user, token = asyncio.run(_with_storage(settings, action))
    except InvalidInput as error:
        typer.echo(f"error: {error.detail}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"created user {user.name!r} with uid {user.uid}; its token (shown once):")
    typer.echo(token)


@cli.command()
def worker(data_dir: DataDir = None) -> None:
    """Process conversations from the database's job queue until stopped (server profile)."""
    asyncio.run(run_worker(_settings(data_dir)))


eval_cli = typer.Typer(help="Measure what mnemo extracts against labeled conversations.", no_args_is_help=True)
cli.add_typer(eval_cli, name="eval")


@eval_cli.command("extraction")
def eval_extraction(
    folder: Annotated[Path, typer.Argument(help="folder of labeled .json files", exists=True, file_okay=False)],
    url: Annotated[str | None, typer.Option(help="a running server; default: an in-process one")] = None,
    token: Annotated[str | None, typer.Option(help="API token for --url")] = None,
    out: Annotated[Path, typer.Option(help="where to write the figures as JSON")] = Path("extraction-eval.json"),
) -> None:
    """Post every labeled conversation in FOLDER as its user would, and score the extraction."""
    if url is not None and token is None:
        typer.echo("error: --url needs --token", err=True)
        raise typer.Exit(2)
    report = run_extraction_eval(folder, url, token)
    figures = report.figures()
    out.write_text(json.dumps(figures, indent=2) + "\n")
    typer.echo(render(figures))
    typer.echo(f"wrote {out}")


@cli.command()
def stream(
    file: Annotated[Path, typer.Argument(help="a WAV or anything PyAV reads", exists=True, dir_okay=False)],
    codec: Annotated[str, typer.Option(help="pcm16 or opus")] = "pcm16",
    speed: Annotated[float, typer.Option(help="1.0 is real time; 0 sends as fast as possible")] = 1.0,
    stop: Annotated[bool, typer.Option(help="finalize at the end and print the processed conversation")] = False,
    url: Annotated[str, typer.Option(help="the server")] = "http://127.0.0.1:8000",
    token: Annotated[str | None, typer.Option(help="API token (default: MNEMO_TOKEN or data/token)")] = None,
    data_dir: DataDir = None,
) -> None:
    """Stream FILE to a server as a device would; print live segments, then the conversation."""
    if codec not in ("pcm16", "opus"):
        typer.echo("error: --codec must be pcm16 or opus", err=True)
        raise typer.Exit(2)
    settings = _settings(data_dir)
    chosen = token or os.environ.get("MNEMO_TOKEN") or (
        settings.token_file.read_text().strip() if settings.token_file.exists() else None)
    if not chosen:
        typer.echo("error: no token: pass --token, set MNEMO_TOKEN, or run where data/token is", err=True)
        raise typer.Exit(2)
    conversation = asyncio.run(stream_file(file, url, chosen, codec, speed, stop))
    if conversation is not None:
        typer.echo(json.dumps(conversation, indent=2))


@cli.command()
def migrate(data_dir: DataDir = None) -> None:
    """Bring the database to the newest schema (the server also does this on start)."""
    settings = _settings(data_dir)

    async def action(_storage: Storage) -> None:
        return None

    asyncio.run(_with_storage(settings, action))
    typer.echo(f"database at {settings.resolved_database_url} is up to date")


def main() -> None:
    cli()
