"""Helpers shared by the bench scripts: timing wrapper, percentiles, RESULTS.md sections."""

from __future__ import annotations

import os
import platform
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bot.core.audience import Target
from bot.core.markup import Post
from bot.platforms.base import Limits, Sender

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
INTRO = (
    "# Benchmark results\n\n"
    "Figures written by the scripts in `bench/` (see `bench/README.md`). Each script "
    "replaces only its own section; re-run a script to refresh it.\n\n"
)


@dataclass
class TimedSender:
    """Wraps a Sender to stamp each call: delivery time is the fire (``fired``, when the
    caller set it) or else the first send, to the last ack."""

    inner: Sender
    starts: list[float] = field(default_factory=list)
    acks: list[float] = field(default_factory=list)
    fired: float | None = None
    name: str = field(init=False)
    limits: Limits = field(init=False)

    def __post_init__(self) -> None:
        self.name = self.inner.name
        self.limits = self.inner.limits

    async def send(self, target: Target, post: Post, *, key: str = "") -> list[str]:
        self.starts.append(time.perf_counter())
        ids = await self.inner.send(target, post, key=key)
        self.acks.append(time.perf_counter())
        return ids

    async def edit(self, target: Target, message_ids: list[str], post: Post) -> list[str]:
        self.starts.append(time.perf_counter())
        ids = await self.inner.edit(target, message_ids, post)
        self.acks.append(time.perf_counter())
        return ids

    @property
    def elapsed(self) -> float:
        if not self.acks:
            return float("nan")
        return max(self.acks) - (min(self.starts) if self.fired is None else self.fired)


def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile; enough for a bench table and free of numpy."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    rank = max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[rank]


def machine_note() -> str:
    cpus = os.cpu_count() or 0
    load = os.getloadavg()
    return (
        f"{platform.system()} {platform.machine()}, {cpus} cores, "
        f"Python {sys.version.split()[0]} (everything in one process and one event loop); "
        f"load average {load[0]:.1f} / {load[1]:.1f} (1 / 5 min) when written, on a machine "
        "shared with other jobs"
    )


def today() -> str:
    """The real date from the system clock (the results should say when they were taken)."""
    return datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z")


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A Markdown table; it also reads fine on a terminal."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    lines = [
        "| " + " | ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)) + " |",
        "|" + "|".join("-" * (w + 2) for w in widths) + "|",
    ]
    lines += [
        "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    ]
    return "\n".join(lines)


def update_section(heading: str, body: str, path: Path = RESULTS) -> None:
    """Replace only ``## heading`` up to the next ``## `` (other scripts own the rest)."""
    title = f"## {heading}"
    text = path.read_text(encoding="utf-8") if path.exists() else INTRO
    lines = text.splitlines(keepends=True)
    start = next((i for i, ln in enumerate(lines) if ln.rstrip() == title), None)
    block = f"{title}\n\n{body.strip()}\n\n"
    if start is None:
        if text and not text.endswith("\n"):
            text += "\n"
        if text and not text.endswith("\n\n"):
            text += "\n"
        path.write_text(text + block, encoding="utf-8")
        return
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    new = [*lines[:start], block, *lines[end:]]
    path.write_text("".join(new).rstrip("\n") + "\n", encoding="utf-8")


class LoopLag:
    """The longest the event loop was blocked while it ran: a probe task asks for 1 ms
    sleeps and records how late each wake-up came (``async with LoopLag() as lag``)."""

    def __init__(self, tick: float = 0.001) -> None:
        self.tick = tick
        self.lags: list[float] = []
        self._task: object = None

    async def __aenter__(self) -> LoopLag:
        import asyncio

        async def probe() -> None:
            loop = asyncio.get_running_loop()
            while True:
                before = loop.time()
                await asyncio.sleep(self.tick)
                self.lags.append(loop.time() - before - self.tick)

        self._task = asyncio.create_task(probe())
        await asyncio.sleep(0)
        return self

    async def __aexit__(self, *exc: object) -> None:
        import asyncio

        assert isinstance(self._task, asyncio.Task)
        await asyncio.sleep(self.tick * 2)  # let the probe see the last block
        self._task.cancel()

    @property
    def worst_ms(self) -> float:
        return max(self.lags, default=0.0) * 1000
