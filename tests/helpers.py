"""Shared test helpers: instants, a scripted sender, small schedules and configs."""

from __future__ import annotations

import asyncio
import contextlib
import textwrap
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from bot.app import App
from bot.config import BotConfig, Config, StorageConfig, WebConfig
from bot.core.audience import Target
from bot.core.clock import VirtualClock
from bot.core.markup import Post
from bot.platforms.base import Limits, Sender
from bot.timers import ClockTimer

ROOT = Path(__file__).resolve().parent.parent
SCHEDULES = ROOT / "schedules"
#: The press releases in ../shared/seeds (beside the checkout, in CI too).
SEEDS = ROOT.parent / "shared" / "seeds"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def post_json(title: str = "Hej") -> str:
    return Post(title=title).to_json()


@dataclass
class Sent:
    chat_id: str
    title: str
    message_ids: list[str]
    edit: bool = False
    at: datetime | None = None


Outcome = BaseException | None
Script = Callable[[Target, Post], Outcome]


@dataclass
class ScriptedSender:
    """A Sender that records every call and raises scripted outcomes.

    ``outcomes`` is a list consumed one per call (``None`` = success); ``script`` (if set)
    decides per call instead. ``clock`` stamps each successful send.
    """

    name: str = "fake"
    limits: Limits = field(default_factory=lambda: Limits(global_per_second=10_000.0))
    outcomes: list[Outcome] = field(default_factory=list)
    script: Script | None = None
    clock: object | None = None
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, str]] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    _next_id: int = 0

    def _outcome(self, target: Target, post: Post) -> None:
        self.calls.append((target.chat_id, post.title))
        outcome: Outcome = None
        if self.script is not None:
            outcome = self.script(target, post)
        elif self.outcomes:
            outcome = self.outcomes.pop(0)
        if outcome is not None:
            raise outcome

    def _now(self) -> datetime | None:
        now = getattr(self.clock, "now", None)
        return now() if now is not None else None

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        self.keys.append(key)
        self._outcome(target, post)
        self._next_id += 1
        ids = [f"m{self._next_id}"]
        self.sent.append(Sent(target.chat_id, post.title, ids, at=self._now()))
        return ids

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        self._outcome(target, post)
        self.sent.append(Sent(target.chat_id, post.title, list(message_ids), True, self._now()))
        return list(message_ids)

    def titles(self, chat_id: str | None = None) -> list[str]:
        return [s.title for s in self.sent if chat_id is None or s.chat_id == chat_id]


def metric_samples(text: str) -> dict[str, float]:
    """A /metrics page as {'name{label="value",...}': value}, labels sorted by name."""
    from prometheus_client.parser import text_string_to_metric_families

    found: dict[str, float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            labels = ",".join(f'{k}="{v}"' for k, v in sorted(sample.labels.items()))
            found[f"{sample.name}{{{labels}}}" if labels else sample.name] = sample.value
    return found


def sync_url(url: str) -> str:
    """The same database for a plain synchronous SQLAlchemy engine (checks beside the App)."""
    parsed = make_url(url)
    if parsed.drivername.startswith("postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    elif parsed.drivername.startswith("sqlite"):
        parsed = parsed.set(drivername="sqlite")
    return parsed.render_as_string(hide_password=False)


def write_schedule(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The database of an end-to-end fixture: the test's ``db_url`` when it asks for one
    (SQLite, then PostgreSQL when configured), else a SQLite file of its own."""
    if "db_url" in request.fixturenames:
        return str(request.getfixturevalue("db_url"))
    return f"sqlite:///{tmp_path}/t.db"


def make_config(
    tmp_path: Path,
    schedules: Path = SCHEDULES,
    *,
    url: str | None = None,
    retention_days: int = 30,
    **reminders: object,
) -> Config:
    """A config on ``schedules`` with no web server; ``url``: the database (else SQLite);
    ``retention_days``: a test that jumps months ahead and reads old rows keeps them."""
    data: dict[str, object] = {
        "bot": BotConfig(schedules=schedules),
        "storage": StorageConfig(
            url=url or f"sqlite:///{tmp_path}/racebot.db", retention_days=retention_days
        ),
        "web": WebConfig(enabled=False),
    }
    config = Config(**data)  # type: ignore[arg-type]
    if reminders:
        config = config.model_copy(
            update={"reminders": config.reminders.model_copy(update=reminders)}
        )
    return config


async def bulk_subscribe(
    store: object, platform: str, chat_ids: list[str], now: datetime, **fields: object
) -> None:
    """Insert many subscriptions in one statement (``Store.subscribe`` is one per call)."""
    from sqlalchemy import insert

    from bot.store.store import Store
    from bot.store.tables import Subscription

    assert isinstance(store, Store)
    rows = [
        {
            "platform": platform,
            "chat_id": chat_id,
            "chat_kind": "private",
            "language": "sv",
            "timezone": "Europe/Stockholm",
            "active": True,
            "created_at": now,
            "updated_at": now,
            **fields,
        }
        for chat_id in chat_ids
    ]
    async with store.engine.begin() as conn:
        await conn.execute(insert(Subscription), rows)


async def delivery_rows(store: object) -> list[tuple[str, str, str, datetime | None]]:
    """(notification key, chat id, status, sent_at) for every delivery, in send order."""
    from sqlalchemy import select

    from bot.store.store import Store
    from bot.store.tables import Delivery, Subscription

    assert isinstance(store, Store)
    async with store.engine.connect() as conn:
        result = await conn.execute(
            select(
                Delivery.notification_key, Subscription.chat_id, Delivery.status, Delivery.sent_at
            )
            .join(Subscription, Subscription.id == Delivery.subscription_id)
            .order_by(Delivery.sent_at, Delivery.id)
        )
        rows = []
        for key, chat, status, sent_at in result.all():
            rows.append((key, chat, status, sent_at.replace(tzinfo=UTC) if sent_at else None))
        return rows


@contextlib.asynccontextmanager
async def running_app(
    config: Config,
    clock: VirtualClock,
    senders: tuple[Sender, ...] = (),
    *,
    console_target: bool = False,
) -> AsyncIterator[App]:
    """The whole App on virtual time with no idle polling: the one way tests build an App.

    ``console_target``: subscribe the console chat (the engine tests read its posts).
    """
    app = App(
        config,
        clock=clock,
        timer=ClockTimer(clock),
        senders=senders,
        console_target=console_target,
        idle_poll=3600,
    )
    await app.start()
    try:
        yield app
    finally:
        await app.stop()


@dataclass
class AppHarness:
    """A running App and its virtual clock: what every end-to-end test drives.

    The platform worlds (tests/test_telegram.py, tests/discord/world.py) and the engine's
    harness add their fakes to it; all wait for deliveries through the one ``settle``.
    """

    app: App
    clock: VirtualClock

    async def settle(self, rounds: int = 1000) -> None:
        """Wait until no delivery is ready or in flight and the engine is idle; fail if never."""
        if not await self.app.settle(rounds):
            raise AssertionError("deliveries did not settle")

    async def advance_to(self, at: datetime) -> None:
        await self.clock.advance_to(at)
        await self.settle()

    async def run_to(self, end: datetime) -> None:
        """Jump from timer to timer up to ``end``, letting deliveries finish at each stop."""
        while True:
            await self.settle()
            deadline = self.clock.next_deadline()
            if deadline is None or deadline > end:
                break
            await self.clock.advance_to(deadline)
        if end > self.clock.now():
            await self.clock.advance_to(end)
        await self.settle()


async def eventually(check: Callable[[], Awaitable[bool]], seconds: float = 5.0) -> None:
    """Poll a condition every few ms (the chat clients handle updates concurrently)."""
    for _ in range(int(seconds / 0.005)):
        if await check():
            return
        await asyncio.sleep(0.005)
    raise AssertionError("condition not met in time")
