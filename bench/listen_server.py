"""A real `mnemo` server whose speech recognition is replaced by a load-test recognizer.

The load-test recognizer does no recognition: it emits one segment for every second of audio it
receives, so bench/listen.py measures the server's own overhead per socket.

    .venv/bin/python bench/listen_server.py PORT DATA_DIR
"""

from __future__ import annotations

import sys
from pathlib import Path

import uvicorn

from mnemo.app import create_app
from mnemo.config import Settings
from mnemo.providers.stt.port import Utterance
from mnemo.providers.stt.streams import ResultQueue

BYTES_PER_SECOND = 32_000


class LoadTestStream(ResultQueue):
    def __init__(self) -> None:
        super().__init__()
        self._received = 0
        self._seconds = 0

    async def send(self, pcm: bytes) -> None:
        self._received += len(pcm)
        while self._received >= (self._seconds + 1) * BYTES_PER_SECOND:
            self._seconds += 1
            self.put(Utterance(f"second {self._seconds}.", self._seconds - 1.0, float(self._seconds)))

    async def flush(self) -> None:
        return None

    async def close(self) -> None:
        self.end()


class LoadTestSpeechToText:
    name = "loadtest"

    async def open(self, language: str) -> LoadTestStream:
        return LoadTestStream()


def main() -> None:
    port, folder = int(sys.argv[1]), Path(sys.argv[2])
    settings = Settings(data_dir=folder, database_url=f"sqlite:///{folder}/bench.db", worker_in_server=False,
                        log_level="warning")
    app = create_app(settings, stt={"loadtest": LoadTestSpeechToText()})
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", ws_max_queue=64)


if __name__ == "__main__":
    main()
