"""Run the real ``racebot run`` process in a test: config, start, wait, stop, read its log."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import ROOT


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def write_config(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "bot.toml"
    path.write_text(body, encoding="utf-8")
    return path


class Racebot:
    """One ``python -m bot.cli <args>`` child with its output in ``log``."""

    def __init__(self, tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.args = args
        self.log = tmp_path / "racebot.log"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("RACEBOT_")}
        self.env.update(env or {})
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> Racebot:
        with self.log.open("ab") as out:
            self.proc = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                *self.args,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=out,
            )
        return self

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    async def exit_code(self, limit: float = 30) -> int:
        assert self.proc is not None
        try:
            return await asyncio.wait_for(self.proc.wait(), limit)
        except TimeoutError:
            pytest.fail(f"racebot did not exit within {limit} s\n{self.text()[-3000:]}")

    async def wait_for(self, predicate: Callable[[], bool], limit: float, what: str) -> float:
        """Poll ``predicate`` every 10 ms; fail with the log's tail after ``limit`` s."""
        loop = asyncio.get_running_loop()
        start = loop.time()
        while not predicate():
            if self.proc is not None and self.proc.returncode is not None:
                pytest.fail(f"racebot exited ({self.proc.returncode}) before {what}\n{self.text()}")
            if loop.time() - start > limit:
                pytest.fail(f"timed out waiting for {what}\n{self.text()[-3000:]}")
            await asyncio.sleep(0.01)
        return loop.time() - start

    async def wait_log(self, needle: str, limit: float = 20, count: int = 1) -> None:
        await self.wait_for(lambda: self.text().count(needle) >= count, limit, repr(needle))

    def signal(self, sig: signal.Signals) -> None:
        assert self.proc is not None
        self.proc.send_signal(sig)

    async def stop(self) -> int:
        """SIGTERM, then kill after 15 s; returns the exit code."""
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), 15)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        assert self.proc.returncode is not None
        return self.proc.returncode

    async def __aenter__(self) -> Racebot:
        return await self.start()

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()
