"""Start `mnemo serve` as a real process on a free port."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

MNEMO = [sys.executable, "-m", "mnemo"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MNEMO_")}
    return {**env, **extra}


@contextmanager
def running_server(folder: Path, env: dict[str, str], port: int | None = None) -> Iterator[tuple[str, list[str]]]:
    """Yield the base URL and the lines the server printed so far (filled in on exit)."""
    port = port or free_port()
    log = folder / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [*MNEMO, "serve", "--port", str(port)], cwd=folder, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        lines: list[str] = []
        try:
            wait_until_healthy(base, process, log)
            lines.extend(log.read_text().splitlines())
            yield base, lines
        finally:
            process.terminate()
            process.wait(timeout=20)


def wait_until_healthy(base: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError(f"server did not become healthy:\n{log.read_text()}")
