"""Run the real ``racebot`` as a child process (``Racebot``, ``start_bot``), and a PostgreSQL
of the test's own.

For the fault tests: the bot is the shipped entry point (its own event loop, signal
handling and logging), the faults are real (a server stopped with pg_ctl, a filesystem
that is full), and every figure is read back from what the fake platform received.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import signal
import socket
import sys
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from glob import glob
from pathlib import Path

import pytest
from sqlalchemy import update

from bot.core.markup import Post
from bot.store.store import SENDING, NotificationData, Store
from bot.store.tables import Delivery
from tests.helpers import ROOT, bulk_subscribe


async def start_bot(config: Path, log: Path) -> asyncio.subprocess.Process:
    """``python -m bot.cli run --config CONFIG``, output appended to ``log``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RACEBOT_")}
    with log.open("ab") as out:
        return await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot.cli",
            "run",
            "--config",
            str(config),
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=out,
        )


async def stop_bot(process: asyncio.subprocess.Process, grace: float = 15.0) -> None:
    """SIGTERM and wait (the bot finishes the sends in hand); SIGKILL after ``grace``."""
    if process.returncode is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), grace)
    except TimeoutError:
        process.kill()
        await process.wait()


async def wait_for(predicate: Callable[[], bool], limit: float, what: str, log: Path) -> None:
    """Poll ``predicate`` every 10 ms; fail with the bot's log tail after ``limit`` s."""
    loop = asyncio.get_running_loop()
    end = loop.time() + limit
    while not predicate():
        if loop.time() > end:
            tail = log.read_text(errors="replace")[-3000:]  # noqa: ASYNC240 - failing anyway
            pytest.fail(f"timed out waiting for {what}\n{tail}")
        await asyncio.sleep(0.01)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def postgres_bin() -> Path | None:
    """The newest installed PostgreSQL's bin folder, if initdb and pg_ctl are there."""
    for folder in sorted(glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    return None


async def subscribe_and_announce(url: str, chat_ids: list[str], key: str, title: str) -> None:
    """Subscribe Telegram chats and queue one announcement to all of them (``title``
    empty: subscribe only), before the bot process starts."""
    now = datetime.now(UTC)
    store = await Store.open(url)
    try:
        await bulk_subscribe(store, "telegram", chat_ids, now)
        if title:
            note = NotificationData(
                key=key,
                kind="announce",
                due=now,
                expires=now + timedelta(days=1),
                posts={"sv": Post(title=title).to_json()},
            )
            assert await store.enqueue(note, await store.targets(), now) == len(chat_ids)
    finally:
        await store.close()


async def expire_leases(url: str) -> dict[str, int]:
    """After a kill: end the dead process's leases now instead of in 30 s (the one thing
    done by hand), and return the delivery counts as the dead process left them."""
    store = await Store.open(url)
    try:
        counts = await store.delivery_counts()
        async with store.engine.begin() as conn:
            await conn.execute(
                update(Delivery)
                .where(Delivery.status == SENDING)
                .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
            )
        return counts
    finally:
        await store.close()


class PrivatePostgres:
    """A PostgreSQL cluster in a temp folder on a free port, run as the postgres user
    (initdb and pg_ctl refuse root), to be stopped and started at chosen moments."""

    def __init__(self) -> None:
        found = postgres_bin()
        if found is None:
            pytest.skip("PostgreSQL binaries not found in /usr/lib/postgresql/*/bin")
        if os.geteuid() == 0 and shutil.which("runuser") is None:
            pytest.skip("running as root without runuser: cannot start PostgreSQL")
        self.bin = found
        self.port = free_port()
        self.folder = Path(tempfile.mkdtemp(prefix="racebot-pg-"))
        self.data = self.folder / "data"
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    async def _run(self, *args: str) -> None:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        out, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} failed: {out.decode(errors='replace')}")

    async def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        await self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust")
        await self.start()

    async def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c full_page_writes=off"
        )
        log = str(self.folder / "server.log")
        await self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    async def stop(self) -> None:
        """Fast shutdown: open connections are cut, as when an operator restarts it."""
        await self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    async def destroy(self) -> None:
        with contextlib.suppress(RuntimeError):
            await self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


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
