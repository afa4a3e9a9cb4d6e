"""Optional error reporting: envelopes a Sentry DSN on 127.0.0.1 receives, no network.

The DSN points at a small HTTP server in a thread (sentry-sdk sends from its own thread);
it records each envelope the way Sentry's ingest would read it.
"""

from __future__ import annotations

import gzip
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from bot import reporting
from bot.config import Config, ObservabilityConfig, load_config
from bot.core.clock import VirtualClock
from bot.core.errors import ConfigError
from bot.core.markup import plain_text
from bot.service.types import Caller
from tests.helpers import ScriptedSender, make_config, running_app, utc

START = utc(2020, 11, 7, 9, 30)
RACE1 = utc(2020, 11, 7, 10, 15)


@dataclass
class Ingest:
    """What a Sentry server was sent: one list of (headers, payload) items per envelope."""

    port: int = 0
    paths: list[str] = field(default_factory=list)
    envelopes: list[list[tuple[dict[str, Any], dict[str, Any]]]] = field(default_factory=list)

    @property
    def dsn(self) -> str:
        return f"http://publickey@127.0.0.1:{self.port}/42"

    def events(self) -> list[dict[str, Any]]:
        return [body for env in self.envelopes for head, body in env if head["type"] == "event"]


@pytest.fixture
def ingest() -> Iterator[Ingest]:
    found = Ingest()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers["Content-Length"]))
            if self.headers.get("Content-Encoding") == "gzip":
                raw = gzip.decompress(raw)
            lines = raw.decode("utf-8").splitlines()
            items = [
                (json.loads(lines[i]), json.loads(lines[i + 1])) for i in range(1, len(lines), 2)
            ]
            found.paths.append(self.path)
            found.envelopes.append(items)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    found.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield found
    finally:
        reporting.stop()
        server.shutdown()
        server.server_close()


def reporting_config(tmp_path: Path, dsn: str) -> Config:
    config = make_config(tmp_path)
    errors = ObservabilityConfig(sentry_dsn=dsn, sentry_environment="test")
    return config.model_copy(update={"observability": errors})


def exception(event: dict[str, Any]) -> tuple[str, str]:
    value = event["exception"]["values"][-1]
    return value["type"], value["value"]


async def test_a_command_that_breaks_is_reported_once_with_where_and_which(
    tmp_path: Path, ingest: Ingest, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = VirtualClock(START)
    async with running_app(
        reporting_config(tmp_path, ingest.dsn), clock, (ScriptedSender(),)
    ) as app:
        assert "errors: reported to Sentry ([observability] sentry_dsn)" in app.notes

        async def broken(*args: object, **kwargs: object) -> None:
            raise RuntimeError("settings store exploded")

        monkeypatch.setattr(app.commands.subscriptions, "change", broken)
        fan = Caller("telegram", "1001", "1001", user_name="Anna")
        await app.commands.handle(fan, "/start")
        reply = await app.commands.handle(fan, "/settings", "tz Asia/Seoul")
        answer = plain_text(reply.post)
        assert "Något gick fel" in answer
        assert "exploded" not in answer  # the fan gets a sentence, Sentry the details
    # Stopping the App sends what is queued.
    (event,) = ingest.events()
    assert ingest.paths == ["/api/42/envelope/"]
    assert exception(event) == ("RuntimeError", "settings store exploded")
    assert event["tags"] == {"where": "command", "command": "settings", "platform": "telegram"}
    assert event["environment"] == "test"
    assert event["release"]
    assert "user" not in event  # no personal data


async def test_a_delivery_that_breaks_is_reported_and_retried(
    tmp_path: Path, ingest: Ingest
) -> None:
    clock = VirtualClock(START)
    sender = ScriptedSender(name="console", outcomes=[ValueError("adapter bug: bad embed")])
    config = reporting_config(tmp_path, ingest.dsn)
    async with running_app(config, clock, (sender,), console_target=True) as app:
        await clock.advance_to(RACE1 - timedelta(minutes=15))
        assert await app.settle()
        assert sender.sent == []  # refused once, then retried with backoff
        counts = await app.store.delivery_counts()
        assert counts.get("pending", 0) >= 1
    (event,) = ingest.events()
    assert exception(event) == ("ValueError", "adapter bug: bad embed")
    assert event["tags"] == {"where": "delivery", "platform": "console"}


async def test_without_a_dsn_nothing_is_reported(tmp_path: Path, ingest: Ingest) -> None:
    clock = VirtualClock(START)
    async with running_app(make_config(tmp_path), clock, (ScriptedSender(),)) as app:
        assert not any("Sentry" in note for note in app.notes)
        reporting.report(RuntimeError("nobody hears this"), "command")
    assert ingest.envelopes == []


def test_a_dsn_must_be_a_full_url(tmp_path: Path) -> None:
    path = tmp_path / "bot.toml"
    path.write_text('[observability]\nsentry_dsn = "abc@o1.ingest.sentry.io/5"\n')
    with pytest.raises(ConfigError, match=r"\[observability\] sentry_dsn: .* must start with"):
        load_config(path, env={})
