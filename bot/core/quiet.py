"""Quiet hours: posts that fall inside a chat's window go out without a notification sound.

The window is wall-clock time in the chat's own zone, so it follows DST: 22–07 in Sweden
is 21:00–06:00 UTC in summer and 22:00–07:00 in winter, also across the night the clocks
change. It may wrap midnight (22–07) or not (13–15); start == end means no window.
"""

from __future__ import annotations

import dataclasses
import re
from datetime import datetime

from bot.core.audience import Target
from bot.core.markup import Post, reveal
from bot.core.timeutil import zone

MINUTES_PER_DAY = 24 * 60

_WINDOW = re.compile(
    r"(?:kl\.?\s*)?(\d{1,2})(?:[:.](\d{2}))?\s*(?:-|–|—|till|to)\s*(\d{1,2})(?:[:.](\d{2}))?",
    re.IGNORECASE,
)


def parse_window(text: str) -> tuple[int, int] | None:
    """ "22-07", "22–7", "22:00-07:30", "kl 22 till 07" as (start, end) minutes; else None."""
    match = _WINDOW.fullmatch(text.strip())
    if match is None:
        return None
    sh, sm, eh, em = (int(g) if g else 0 for g in match.groups())
    if sh > 24 or eh > 24 or sm > 59 or em > 59:
        return None
    start, end = (sh * 60 + sm) % MINUTES_PER_DAY, (eh * 60 + em) % MINUTES_PER_DAY
    if start == end:
        return None
    return start, end


def window_text(window: tuple[int, int]) -> str:
    """ "22:00–07:00"."""
    start, end = window
    return f"{start // 60:02d}:{start % 60:02d}–{end // 60:02d}:{end % 60:02d}"


def in_window(window: tuple[int, int] | None, target_zone: str, at: datetime) -> bool:
    """Whether ``at`` (aware) falls inside ``window`` on the wall clock of ``target_zone``."""
    if window is None:
        return False
    start, end = window
    local = at.astimezone(zone(target_zone))
    minute = local.hour * 60 + local.minute
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end


def for_target(post: Post, target: Target, at: datetime) -> Post:
    """The post as this chat gets it at ``at``: places shown unless it hides spoilers,
    and silent inside its quiet window (decided at send time, not when queued)."""
    shown = post if target.spoilers else reveal(post)
    silent = in_window(target.quiet, target.timezone, at)
    return dataclasses.replace(shown, silent=silent) if silent != shown.silent else shown
