"""Fan-out of one reminder to many chats, against the local fakes' real rate limits.

Why: a reminder is only useful if every fan gets it once and soon. The platforms cap the
send rate (Telegram ~30/s overall, Discord 50/s), so the best possible delivery time is
targets / rate; this measures how close the real path (Store outbox -> DeliveryWorker ->
adapter -> HTTP) gets to that, whether it ever trips a 429, and whether anything is lost
or duplicated. Peer runs send the same fan-outs the way the client libraries would on
their own: Telegram through python-telegram-bot's AIORateLimiter, Discord through
discord.py's built-in bucket handling (one gather over every channel).

Run from the repo root:  .venv/bin/python -m bench.bench_fanout [--telegram N --discord M]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import html
import importlib
import logging
import tempfile
import time
import warnings
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import discord
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, ChatMigrated, Forbidden, NetworkError, RetryAfter
from telegram.ext import AIORateLimiter, ApplicationBuilder
from telegram.request import HTTPXRequest

from bench._common import TimedSender, machine_note, table, today, update_section
from bot.config import Config, DiscordConfig, TelegramConfig
from bot.core.audience import Target
from bot.core.clock import SystemClock
from bot.core.markup import Bold, Button, Countdown, Href, Instant, Post, line, plain_text
from bot.delivery import DeliveryWorker
from bot.platforms.base import (
    ChatMoved,
    Limits,
    RetryLater,
    Sender,
    TargetGone,
    TransientFailure,
)
from bot.platforms.discord import render_embed
from bot.store.store import NotificationData, Store
from tests.fakes.fake_discord import FakeDiscord
from tests.fakes.fake_telegram import FakeTelegram

TELEGRAM_RATE = 30.0  # what Telegram (and the fake) allow overall, per second
TELEGRAM_PAID_RATE = 1000.0  # with allow_paid_broadcast (Telegram and the fake)
#: The fake's retry_after after a 429 in the peer run: a realistic wait from Telegram's
#: flood control (issue #16: 5 s, not the fake's default 1 s).
PEER_RETRY_AFTER = 5
DISCORD_RATE = 50.0  # Discord's global limit per bot, per second
FIRST_CHAT = 500_000_000
FIRST_CHANNEL = 800_000_000_000_000_000
GUILD = 700_000_000_000_000_000
PROBE_CHAT = 499_999_999  # a chat outside the fan-out, used to check the adapter works

log = logging.getLogger("bench.fanout")


def reminder_post() -> Post:
    """A post shaped like a real 15-minute reminder (bold, link, instant, button)."""
    start = datetime.now(UTC) + timedelta(minutes=15)
    return Post(
        title="Race 1 startar om 15 minuter",
        lines=(
            line("Monza · ", Bold("Race 1"), " · ", Instant(start, "day_time"), Countdown(start)),
            line("Följ live: ", Href("tidtagning", "https://example.org/timing")),
        ),
        buttons=(Button("Livestream", "https://example.org/live"),),
        ping=True,
    )


# -- minimal senders (used only when the real adapter is missing or broken) ------------------


class MinimalTelegramSender:
    """python-telegram-bot's Bot.send_message with HTML, errors mapped like an adapter would."""

    name = "telegram"

    def __init__(self, token: str, base_url: str, limits: Limits) -> None:
        self.limits = limits
        request = HTTPXRequest(connection_pool_size=limits.concurrency + 8)
        self.bot = Bot(token, base_url=base_url, request=request)

    async def open(self) -> None:
        await self.bot.initialize()

    async def close(self) -> None:
        await self.bot.shutdown()

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        text = html.escape(plain_text(post, target.tz))
        try:
            message = await self.bot.send_message(
                int(target.chat_id), text, parse_mode=ParseMode.HTML
            )
        except RetryAfter as exc:
            raise RetryLater(_seconds(exc.retry_after)) from exc
        except ChatMigrated as exc:
            raise ChatMoved(str(exc.new_chat_id)) from exc
        except (Forbidden, BadRequest) as exc:
            raise TargetGone(exc.message) from exc
        except NetworkError as exc:
            raise TransientFailure(str(exc)) from exc
        return [str(message.message_id)]

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        raise NotImplementedError("the fan-out bench only sends")


class MinimalDiscordSender:
    """aiohttp POST to /channels/{id}/messages with the bot token, as Discord's REST API wants."""

    name = "discord"

    def __init__(self, token: str, api: str, limits: Limits) -> None:
        self.limits = limits
        self.token = token
        self.api = api
        self.session: aiohttp.ClientSession | None = None

    async def open(self) -> None:
        self.session = aiohttp.ClientSession(
            headers={"Authorization": f"Bot {self.token}"},
            connector=aiohttp.TCPConnector(limit=self.limits.concurrency + 8),
        )

    async def close(self) -> None:
        if self.session is not None:
            await self.session.close()

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        assert self.session is not None
        body = {"content": plain_text(post, target.tz)[:2000], "allowed_mentions": {"parse": []}}
        url = f"{self.api}/channels/{target.chat_id}/messages"
        try:
            async with self.session.post(url, json=body) as response:
                data: Any = await response.json(content_type=None)
                status = response.status
        except (aiohttp.ClientError, TimeoutError) as exc:
            raise TransientFailure(str(exc)) from exc
        if status == 429:
            raise RetryLater(float(data.get("retry_after", 1.0)))
        if status in (403, 404):
            raise TargetGone(str(data))
        if status >= 300:
            raise TransientFailure(f"{status}: {data}")
        return [str(data["id"])]

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        raise NotImplementedError("the fan-out bench only sends")


def _seconds(value: int | float | timedelta) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


# -- choosing the path: the real adapter when it exists and works --------------------------


@dataclass
class SendPath:
    """The sender a run uses and a label saying which code path it is."""

    sender: Sender
    label: str
    close: Callable[[], Any]


async def _probe(sender: Sender, target: Target) -> None:
    """One send to a chat outside the fan-out: proves the path works and warms the pool."""
    await sender.send(target, Post(title="probe"))


async def telegram_path(fake: FakeTelegram, *, paid: bool = False) -> SendPath:
    config = Config(
        telegram=TelegramConfig(token=fake.token, base_url=f"{fake.url}/bot", paid_broadcast=paid)
    )
    probe = Target(id=0, platform="telegram", chat_id=str(PROBE_CHAT))
    fake.add_private_chat(PROBE_CHAT, "Probe")
    reason = ""
    try:
        module = importlib.import_module("bot.platforms.telegram")
        adapter = module.TelegramAdapter(config, SystemClock())
        # Send-only start: the adapter's own PTB application, initialised, without polling.
        adapter.application = adapter.build()
        await adapter.application.initialize()
        try:
            await _probe(adapter, probe)
        except BaseException:
            await adapter.stop()
            raise
        return SendPath(
            adapter, "real TelegramAdapter (build()+initialize(), no polling)", adapter.stop
        )
    except Exception as exc:  # missing or half-written adapter: say so and fall back
        reason = f"{type(exc).__name__}: {exc}"
    tg = config.telegram
    limits = Limits(
        global_per_second=tg.global_rate,
        per_chat_interval=tg.per_chat_interval,
        group_interval=tg.group_interval,
    )
    sender = MinimalTelegramSender(fake.token, f"{fake.url}/bot", limits)
    await sender.open()
    await _probe(sender, probe)
    return SendPath(
        sender, f"minimal PTB Bot sender (adapter unavailable: {reason[:120]})", sender.close
    )


async def discord_path(fake: FakeDiscord) -> SendPath:
    config = Config(discord=DiscordConfig(token=fake.token, api_base=f"{fake.url}/api/v10"))
    probe_channel = FIRST_CHANNEL - 1
    fake.add_text_channel(GUILD, probe_channel, "probe")
    probe = Target(
        id=0, platform="discord", chat_id=str(probe_channel), chat_kind="channel",
        guild_id=str(GUILD),
    )  # fmt: skip
    reason = ""
    try:
        module = importlib.import_module("bot.platforms.discord")
        adapter = module.DiscordAdapter(config, SystemClock())
        try:
            # Send-only start: REST login (base URL already patched), no gateway, no sync.
            await adapter.client.login(fake.token)
            await _probe(adapter, probe)
        except BaseException:
            with contextlib.suppress(Exception):
                await adapter.stop()
            raise
        return SendPath(adapter, "real DiscordAdapter (client.login(), no gateway)", adapter.stop)
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"
    limits = Limits(
        global_per_second=config.discord.global_rate, per_chat_interval=1.0, group_interval=1.0
    )
    sender = MinimalDiscordSender(fake.token, f"{fake.url}/api/v10", limits)
    await sender.open()
    await _probe(sender, probe)
    return SendPath(
        sender, f"minimal aiohttp sender (adapter unavailable: {reason[:120]})", sender.close
    )


# -- one fan-out through Store + DeliveryWorker ---------------------------------------------


@dataclass
class Outcome:
    name: str
    path: str
    targets: int
    seconds: float
    ideal: float
    floor: float  # targets / the sender's configured rate: the best its limiter allows
    flood_429s: int
    lost: int
    duplicated: int
    enqueue_s: float = 0.0
    statuses: dict[str, int] = field(default_factory=dict)
    retried: int = 0

    @property
    def ratio(self) -> float:
        return self.seconds / self.ideal


@contextlib.asynccontextmanager
async def open_store(folder: Path, name: str) -> AsyncIterator[Store]:
    store = await Store.open(f"sqlite:///{folder / name}.db")
    try:
        yield store
    finally:
        await store.close()


async def add_history(store: Store, rows: int, now: datetime) -> float:
    """``rows`` sent deliveries from earlier notifications (a day old: inside the
    retention), so the fan-out runs against a full outbox; returns seconds taken."""
    from sqlalchemy import bindparam, text

    from bot.store.tables import UTCDateTime

    started = time.perf_counter()
    subscribers = len(await store.targets())
    notes = -(-rows // max(1, subscribers))
    old = bindparam("old", type_=UTCDateTime())
    async with store.db.write() as conn:
        for n in range(notes):
            await conn.execute(
                text(
                    "INSERT INTO notifications (key, kind, due, posts, version, created_at,"
                    " queued) VALUES (:key, 'announce', :old, '{}', 1, :old, true)"
                ).bindparams(old),
                {"key": f"bench/history/{n}", "old": now - timedelta(days=1)},
            )
        await conn.execute(
            text(
                "INSERT INTO deliveries (notification_key, subscription_id, platform, status,"
                " expires, next_attempt_at, attempts, sent_version, updated_at, sent_at)"
                " SELECT n.key, s.id, s.platform, 'sent', :old, :old, 1, 1, :old, :old"
                " FROM notifications n CROSS JOIN subscriptions s"
                " WHERE n.key LIKE 'bench/history/%' LIMIT :rows"
            ).bindparams(old),
            {"old": now - timedelta(days=1), "rows": rows},
        )
    return time.perf_counter() - started


async def fan_out(
    store: Store,
    path: SendPath,
    chat_ids: list[str],
    chat_kind: str,
    guild: str | None,
    *,
    kinds: dict[str, str] | None = None,
    history: int = 0,
) -> tuple[TimedSender, float, dict[str, int], int]:
    """Subscribe the chats, queue one notification for all, run the worker until done."""
    clock = SystemClock()
    now = clock.now()
    platform = path.sender.name
    for chat_id in chat_ids:
        kind = (kinds or {}).get(chat_id, chat_kind)
        await store.subscribe(platform, chat_id, now, chat_kind=kind, guild_id=guild)
    if history:
        took = await add_history(store, history, now)
        print(f"  history: {history} sent rows in {took:.1f} s", flush=True)
    targets = [t for t in await store.targets() if t.platform == platform]
    finished = 0
    done = asyncio.Event()

    def on_event(what: str, _item: object, _detail: str) -> None:
        nonlocal finished
        if what in ("sent", "failed", "expired", "gone"):
            finished += 1
            if finished >= len(targets):
                done.set()

    timed = TimedSender(path.sender)
    worker = DeliveryWorker(store, timed, clock, on_event=on_event)
    note = NotificationData(
        key=f"bench/{platform}/fanout",
        kind="announce",
        due=now,
        expires=now + timedelta(hours=1),
        posts={"sv": reminder_post().to_json()},
    )
    worker.start()
    await asyncio.sleep(0.2)  # its first (empty) claim: an idle worker, as in a running bot
    # The clock starts at the fire: rows are streamed in while the first ones go out, the
    # worker woken after each batch, as Engine.fire does.
    timed.fired = time.perf_counter()
    await store.enqueue(note, targets, clock.now(), on_batch=lambda _batch: worker.wake())
    enqueue_s = time.perf_counter() - timed.fired
    limit = 60 + 3 * len(targets) / path.sender.limits.global_per_second
    try:
        await asyncio.wait_for(done.wait(), limit)
    except TimeoutError:
        log.warning("%s: not finished after %.0f s", platform, limit)
    await worker.stop()
    return timed, enqueue_s, await store.delivery_counts(), worker.retried


async def run_telegram(
    n: int,
    folder: Path,
    *,
    history: int = 0,
    blocked: int = 0,
    groups: int = 0,
    paid: bool = False,
) -> Outcome:
    """``n`` chats: ``groups`` of them groups, ``blocked`` of the private ones blocked the
    bot (each send to them draws a 403 and drops the chat); ``history`` sent rows first;
    ``paid``: paid broadcasts on (the fake's paid rate, 1000/s, for those sends)."""
    async with FakeTelegram() as fake:
        chats = [FIRST_CHAT + i for i in range(n)]
        kinds: dict[str, str] = {}
        for chat in chats[: n - groups]:
            fake.add_private_chat(chat, f"Fan {chat - FIRST_CHAT}")
        for chat in chats[n - groups :]:
            fake.add_group(chat, f"Group {chat}")
            kinds[str(chat)] = "group"
        gone = set(chats[: min(blocked, n - groups)])
        for chat in gone:
            fake.fail_next(chat, "blocked", times=5)
        path = await telegram_path(fake, paid=paid)
        before = fake.stats.flood_429s
        try:
            async with open_store(folder, "telegram") as store:
                timed, enqueue_s, statuses, retried = await fan_out(
                    store,
                    path,
                    [str(c) for c in chats],
                    "private",
                    None,
                    kinds=kinds,
                    history=history,
                )
        finally:
            await path.close()
        counts = [len(fake.messages.get(c, [])) for c in chats if c not in gone]
        mix = [f"{n - groups} private"]
        mix += [f"{len(gone)} of them blocked"] if gone else []
        mix += [f"{groups} groups"] if groups else []
        mix += [f"{history} sent rows before"] if history else []
        name = "Telegram · DeliveryWorker" + (f" ({', '.join(mix)})" if len(mix) > 1 else "")
        return Outcome(
            name.replace("DeliveryWorker", "DeliveryWorker, paid broadcasts") if paid else name,
            path.label,
            n,
            timed.elapsed,
            n / (TELEGRAM_PAID_RATE if paid else TELEGRAM_RATE),
            n / path.sender.limits.global_per_second,
            fake.stats.flood_429s - before,
            sum(c == 0 for c in counts),
            sum(c > 1 for c in counts),
            enqueue_s,
            statuses,
            retried,
        )


async def run_discord(n: int, folder: Path) -> Outcome:
    async with FakeDiscord() as fake:
        fake.add_guild(GUILD, "Team", owner_id=10)
        channels = [FIRST_CHANNEL + i for i in range(n)]
        for channel in channels:
            fake.add_text_channel(GUILD, channel, f"fans-{channel - FIRST_CHANNEL}")
        with fake.patch_route_base():
            path = await discord_path(fake)
            before = fake.stats.status[429]
            try:
                async with open_store(folder, "discord") as store:
                    timed, enqueue_s, statuses, retried = await fan_out(
                        store, path, [str(c) for c in channels], "channel", str(GUILD)
                    )
            finally:
                await path.close()
        counts = [len(fake.messages.get(c, [])) for c in channels]
        return Outcome(
            "Discord · DeliveryWorker",
            path.label,
            n,
            timed.elapsed,
            n / DISCORD_RATE,
            n / path.sender.limits.global_per_second,
            fake.stats.status[429] - before,
            sum(c == 0 for c in counts),
            sum(c > 1 for c in counts),
            enqueue_s,
            statuses,
            retried,
        )


async def run_peer(n: int) -> Outcome:
    """The same Telegram fan-out through PTB's AIORateLimiter (defaults), gather over all;
    each 429 asks for ``PEER_RETRY_AFTER`` seconds."""
    async with FakeTelegram(retry_after=PEER_RETRY_AFTER) as fake:
        chats = [FIRST_CHAT + i for i in range(n)]
        for chat in chats:
            fake.add_private_chat(chat, f"Fan {chat - FIRST_CHAT}")
        app = (
            ApplicationBuilder()
            .token(fake.token)
            .base_url(f"{fake.url}/bot")
            .rate_limiter(AIORateLimiter())
            .updater(None)
            .build()
        )
        await app.initialize()
        text = html.escape(plain_text(reminder_post()))
        retries = 0
        failed = 0
        acks: list[float] = []

        async def one(chat: int) -> None:
            nonlocal retries, failed
            for _ in range(30):
                try:
                    await app.bot.send_message(chat, text, parse_mode=ParseMode.HTML)
                except RetryAfter as exc:  # max_retries=0 by default: the caller must retry
                    retries += 1
                    await asyncio.sleep(_seconds(exc.retry_after))
                else:
                    acks.append(time.perf_counter())
                    return
            failed += 1

        quiet = logging.getLogger("telegram.ext")
        level = quiet.level
        quiet.setLevel(logging.CRITICAL)  # it logs every 429 at ERROR with a traceback
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                started = time.perf_counter()
                await asyncio.gather(*(one(chat) for chat in chats))
        finally:
            quiet.setLevel(level)
            await app.shutdown()
        counts = [len(fake.messages.get(c, [])) for c in chats]
        return Outcome(
            f"Telegram · PTB AIORateLimiter (peer, retry_after {PEER_RETRY_AFTER} s)",
            "PTB Application + AIORateLimiter() defaults, asyncio.gather, retry after 429",
            n,
            (max(acks) - started) if acks else float("nan"),
            n / TELEGRAM_RATE,
            n / TELEGRAM_RATE,
            fake.stats.flood_429s,
            sum(c == 0 for c in counts),
            sum(c > 1 for c in counts),
            retried=retries,
            statuses={"sent": len(acks), "gave_up": failed},
        )


async def run_discord_peer(n: int) -> Outcome:
    """The same Discord fan-out through discord.py alone: its buckets, its 429 retries."""
    async with FakeDiscord() as fake:
        fake.add_guild(GUILD, "Team", owner_id=10)
        channels = [FIRST_CHANNEL + i for i in range(n)]
        for channel in channels:
            fake.add_text_channel(GUILD, channel, f"fans-{channel - FIRST_CHANNEL}")
        acks: list[float] = []
        failed = 0
        with fake.patch_route_base():
            client = discord.Client(intents=discord.Intents.default())
            await client.login(fake.token)
            embed = render_embed(reminder_post())

            async def one(channel: int) -> None:
                nonlocal failed
                try:
                    await client.get_partial_messageable(channel).send(embed=embed)
                except discord.HTTPException:
                    failed += 1
                else:
                    acks.append(time.perf_counter())

            quiet = logging.getLogger("discord.http")
            level = quiet.level
            quiet.setLevel(logging.ERROR)  # it warns on every 429 it retries
            try:
                started = time.perf_counter()
                await asyncio.gather(*(one(channel) for channel in channels))
            finally:
                quiet.setLevel(level)
                await client.close()
        counts = [len(fake.messages.get(c, [])) for c in channels]
        return Outcome(
            "Discord · discord.py alone (peer)",
            "discord.Client.login(), asyncio.gather of channel.send, library 429 handling",
            n,
            (max(acks) - started) if acks else float("nan"),
            n / DISCORD_RATE,
            n / DISCORD_RATE,
            fake.stats.status[429],
            sum(c == 0 for c in counts),
            sum(c > 1 for c in counts),
            statuses={"sent": len(acks), "failed": failed},
        )


# -- report -----------------------------------------------------------------------------


def _platform(outcome: Outcome) -> str:
    return outcome.name.split(" ", 1)[0]


def render(outcomes: list[Outcome], peers: list[Outcome]) -> str:
    rows = []
    for o in outcomes + peers:
        vs_peer = "—"
        peer = next((p for p in peers if _platform(p) == _platform(o)), None)
        if peer is not None and o is not peer and "paid" not in o.name:  # no paid peer
            vs_peer = f"{o.seconds / peer.seconds:.2f}"
        rows.append(
            [
                o.name,
                str(o.targets),
                f"{o.seconds:.2f}",
                f"{o.ideal:.2f}",
                f"{o.ratio:.3f}",
                f"{o.floor / o.ideal:.3f}",
                vs_peer,
                str(o.flood_429s),
                str(o.lost),
                str(o.duplicated),
            ]
        )
    return table(
        [
            "run",
            "targets",
            "delivery s",
            "ideal s",
            "ratio",
            "config floor",
            "vs peer",
            "429s",
            "lost",
            "dup",
        ],
        rows,
    )


def section(text: str, outcomes: list[Outcome], peers: list[Outcome], argv: str) -> str:
    paths = "\n".join(f"- {o.name}: {o.path}" for o in outcomes + peers)
    details = "\n".join(
        f"- {o.name}: outbox statuses {o.statuses}, worker retries {o.retried}, "
        f"enqueue {o.enqueue_s * 1000:.0f} ms"
        for o in outcomes
    )
    return f"""Taken {today()} on {machine_note()}.

Reproduce: `.venv/bin/python -m bench.bench_fanout{argv}` (quick run:
`--telegram 300 --discord 100 --no-peer`).

One reminder to every target, through the real Store (SQLite in a temp dir) and
DeliveryWorker, against the local fakes (`tests/fakes`) with their default limits
(Telegram: at most 30 sends in any sliding second overall, 1/s per private chat, 20/min
per group, and 1000 in any second for sends with `allow_paid_broadcast`; Discord: 50/s
global, 5 per 5 s per channel). *Delivery* runs from the fire (the rows streamed into the
outbox while the worker, idle and woken per batch, sends the first ones) to the last ack.
*Ideal* is targets / the fake's rate: a sliding one-second window of 30 admits 30/s in the
long run (it would also take a burst of 30 at the start, (⌈N/30⌉ − 1) s for N sends, which
no client pacing itself evenly uses); *ratio* = delivery / ideal (goal ≤ 1.05); *config
floor* is the best ratio the worker's configured rate allows (Telegram 29/s, paid 1000/s,
Discord 45/s by default); *vs peer* is delivery time over the same platform's peer run
(PTB's AIORateLimiter, the fake's 429s asking for {PEER_RETRY_AFTER} s as Telegram's flood
control does; discord.py's own bucket handling; the peers' clock starts at their first
send). Goals: 0 × 429, 0 lost, 0 duplicated.

{text}

Paths used:
{paths}

Details:
{details}
"""


async def main_async(args: argparse.Namespace) -> None:
    outcomes: list[Outcome] = []
    peers: list[Outcome] = []
    with tempfile.TemporaryDirectory(prefix="racebot-bench-") as tmp:
        folder = Path(tmp)
        if args.telegram:
            print(f"telegram: {args.telegram} private chats via DeliveryWorker …", flush=True)
            outcomes.append(await run_telegram(args.telegram, folder))
        if args.telegram and (args.history or args.blocked or args.groups):
            print("telegram: the same with history / blocked chats / groups …", flush=True)
            with tempfile.TemporaryDirectory(prefix="racebot-bench-") as other:
                outcomes.append(
                    await run_telegram(
                        args.telegram,
                        Path(other),
                        history=args.history,
                        blocked=args.blocked,
                        groups=args.groups,
                    )
                )
        if args.telegram and not args.no_paid:
            print("telegram: the same with paid broadcasts …", flush=True)
            with tempfile.TemporaryDirectory(prefix="racebot-bench-") as other:
                outcomes.append(await run_telegram(args.telegram, Path(other), paid=True))
        if args.discord:
            print(f"discord: {args.discord} channels via DeliveryWorker …", flush=True)
            outcomes.append(await run_discord(args.discord, folder))
        if args.telegram and not args.no_peer:
            print(f"peer: {args.telegram} private chats via PTB AIORateLimiter …", flush=True)
            peers.append(await run_peer(args.telegram))
        if args.discord and not args.no_peer:
            print(f"peer: {args.discord} channels via discord.py alone …", flush=True)
            peers.append(await run_discord_peer(args.discord))
    text = render(outcomes, peers)
    print()
    print(text)
    for o in outcomes + peers:
        print(f"  {o.name}: {o.path}")
    if not args.no_write:
        argv = f" --telegram {args.telegram} --discord {args.discord}"
        for flag in ("history", "blocked", "groups"):
            if getattr(args, flag):
                argv += f" --{flag} {getattr(args, flag)}"
        argv += " --no-peer" if args.no_peer else ""
        argv += " --no-paid" if args.no_paid else ""
        update_section("Fan-out", section(text, outcomes, peers, argv))
        print("\nwrote the Fan-out section of bench/RESULTS.md")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--telegram", type=int, default=2000, help="private chats (0 = skip)")
    parser.add_argument("--discord", type=int, default=200, help="channels (0 = skip)")
    parser.add_argument("--no-peer", action="store_true", help="skip the peer runs")
    parser.add_argument("--no-paid", action="store_true", help="skip the paid-broadcast run")
    parser.add_argument(
        "--history", type=int, default=0, help="sent rows in the outbox first (e.g. 1000000)"
    )
    parser.add_argument("--blocked", type=int, default=0, help="private chats that blocked us")
    parser.add_argument("--groups", type=int, default=0, help="of the chats, groups")
    parser.add_argument("--no-write", action="store_true", help="do not touch RESULTS.md")
    parser.add_argument(
        "--processes",
        type=int,
        default=1,
        help="2+: real racebot processes on one PostgreSQL sharing one token (bench_processes)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    if args.processes > 1:
        from bench import bench_processes

        asyncio.run(bench_processes.main_async(args))
        return
    asyncio.run(main_async(args))


if __name__ == "__main__":
    main()
