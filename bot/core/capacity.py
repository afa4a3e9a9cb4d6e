"""How long one notification to everyone takes at a platform's rate, said plainly.

A private chat on Telegram takes one message per fan at 30/s overall: 100,000 fans need
about 56 minutes per notification, while a lead reminder is useful for 5 minutes after it
is due (issue #16). The operator reads this at start and in ``racebot check``.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from datetime import timedelta

#: Chat kinds where one post reaches many fans (a channel's members, a group).
SHARED = frozenset({"channel", "group", "supergroup"})

#: What to do instead, per platform, when a fan-out outlasts a reminder's usefulness.
ADVICE = {
    "telegram": "use a channel, groups or paid broadcasts",
    "discord": "post in server channels with a role ping instead of DMs",
}


def fanout_minutes(chats: int, per_second: float) -> float:
    """Minutes one post to ``chats`` chats takes at ``per_second`` messages a second."""
    return chats / per_second / 60 if per_second > 0 else float("inf")


def capacity_lines(
    census: Mapping[str, Mapping[str, int]],
    rates: Mapping[str, float],
    *,
    useful_minutes: float = 5.0,
    paid: Collection[str] = (),
) -> list[str]:
    """One line per platform with subscribers: private chats, minutes per notification at
    the configured rate, and advice when that outlasts ``useful_minutes`` (the grace).
    A platform in ``paid`` sends paid broadcasts: its rate is paid for, and the line says so."""
    lines = []
    for platform, kinds in sorted(census.items()):
        rate = rates.get(platform)
        total = sum(kinds.values())
        if rate is None or not total:
            continue
        private = sum(n for kind, n in kinds.items() if kind not in SHARED)
        minutes = fanout_minutes(total, rate)
        text = (
            f"capacity: {private} private chats on {platform.capitalize()} "
            f"(of {total} chats) need {_minutes(minutes)} per notification at {rate:g}/s"
        )
        if platform in paid:
            text += " (paid broadcasts: 0.1 Stars a message beyond the free 30/s)"

        if minutes > useful_minutes:
            text += f" — {ADVICE.get(platform, 'use shared channels')}"
        lines.append(text)
    return lines


def _minutes(minutes: float) -> str:
    if minutes < 1:
        return f"{minutes * 60:.0f} s"
    return f"{minutes:.0f} min"


def head_start(
    chats: Mapping[str, int], rates: Mapping[str, float], lead_minutes: int
) -> timedelta:
    """How much before its due time a lead reminder starts going out, so that a big
    fan-out is done by then: the slowest platform's time for its chats, in whole minutes
    (none below one), at most half the lead (a 15-minute reminder starts at most 7 min
    early and still says the truth: its countdown is worked out as each copy is sent)."""
    need = max(
        (fanout_minutes(n, rates[p]) for p, n in chats.items() if p in rates and n),
        default=0.0,
    )
    return timedelta(minutes=min(int(need), lead_minutes // 2))
