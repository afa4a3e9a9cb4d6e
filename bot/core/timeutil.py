"""Local wall-clock time <-> UTC instants, and dates in Swedish and English words.

Press releases give times "i svensk tid" as wall-clock readings. A reading can fall in
the spring DST gap (does not exist) or the autumn fold (exists twice); both are refused
unless the writer says which instant is meant.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date, get_day_names, get_month_names

from bot.core.texts import CATALOGUES, capitalized, texts

SWEDISH_TIME = ZoneInfo("Europe/Stockholm")


class LocalTimeError(ValueError):
    """A wall-clock reading that does not name exactly one instant."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.hint = hint


def zone(name: str) -> ZoneInfo:
    """An IANA zone by name, with a clear error for typos."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise LocalTimeError(
            f"unknown time zone {name!r}",
            "use an IANA name such as Europe/Stockholm, Asia/Macau or Asia/Seoul",
        ) from exc


def to_utc(local: datetime, tz: ZoneInfo, fold: int | None = None) -> datetime:
    """Turn a wall-clock reading in ``tz`` into an aware UTC instant, refusing guesses."""
    if local.tzinfo is not None:
        return local.astimezone(UTC)
    first = local.replace(tzinfo=tz, fold=0)
    second = local.replace(tzinfo=tz, fold=1)
    stamp = local.strftime("%Y-%m-%d %H:%M")
    after_jump = first.astimezone(UTC).astimezone(tz)
    if after_jump.replace(tzinfo=None) != local:
        raise LocalTimeError(
            f"{stamp} does not exist in {tz.key} (the clocks jump forward over it)",
            "check the time; if it is right, write it with its UTC offset, "
            f"e.g. {after_jump.isoformat(timespec='seconds')}",
        )
    if first.utcoffset() != second.utcoffset():
        if fold is None:
            offsets = f"{_offset(first)} or {_offset(second)}"
            raise LocalTimeError(
                f"{stamp} occurs twice in {tz.key} (the clocks go back): {offsets}",
                "add fold = 0 for the first (summer time) or fold = 1 for the second, "
                "or write the UTC offset",
            )
        return (second if fold else first).astimezone(UTC)
    return first.astimezone(UTC)


def _offset(instant: datetime) -> str:
    return instant.strftime("%z")[:3] + ":" + instant.strftime("%z")[3:]


def local(instant: datetime, tz: ZoneInfo = SWEDISH_TIME) -> datetime:
    return instant.astimezone(tz)


def hhmm(instant: datetime, tz: ZoneInfo = SWEDISH_TIME) -> str:
    return instant.astimezone(tz).strftime("%H:%M")


def day_heading(day: date, language: str) -> str:
    """'Fredag 6 november' / 'Friday 6 November', as the press releases head each day."""
    return capitalized(format_date(day, "EEEE d MMMM", locale=_locale(language)))


def short_day(day: date, language: str) -> str:
    """'fre 6 nov' / 'Fri 6 Nov' for one-line mentions."""
    return format_date(day, "EEE d MMM", locale=_locale(language)).replace(".", "")


def date_range(first: date, last: date, language: str) -> str:
    """'6–7 november' / '6–7 November', '29 september–1 oktober'."""
    loc = _locale(language)
    if first == last:
        return format_date(first, "d MMMM", locale=loc)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{format_date(last, 'd MMMM', locale=loc)}"
    return f"{format_date(first, 'd MMMM', locale=loc)}–{format_date(last, 'd MMMM', locale=loc)}"


def _locale(language: str) -> str:
    return texts(language).locale


def weekday_number(word: str) -> int | None:
    """Monday=0 for a weekday name in Swedish or English, full or abbreviated."""
    needle = word.strip().lower().rstrip(".")
    for loc in (t.locale for t in CATALOGUES.values()):
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=loc).items():
                if name.lower().rstrip(".") == needle:
                    return int(number)
    return None


def month_number(word: str) -> int | None:
    """January=1 for a month name in Swedish or English, full or abbreviated."""
    needle = word.strip().lower().rstrip(".")
    for loc in (t.locale for t in CATALOGUES.values()):
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=loc).items():
                if name.lower().rstrip(".") == needle:
                    return int(number)
    return None


_DURATION = re.compile(
    r"^\s*(?:(?P<count>\d+)\s*[x×]\s*)?(?P<amount>\d+)\s*(?P<unit>min(?:ut|uter|utes?)?|h|hours?|tim(?:me|mar)?)?\s*$",
    re.IGNORECASE,
)


def parse_duration(text: str | int) -> timedelta:
    """'60 min', '2 x 20 min', '1 h' or a plain number of minutes."""
    if isinstance(text, int):
        if text <= 0:
            raise ValueError("a duration must be positive")
        return timedelta(minutes=text)
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"cannot read the duration {text!r}; write e.g. '60 min' or '2 x 20 min'")
    amount = int(match["amount"]) * int(match["count"] or 1)
    unit = (match["unit"] or "min").lower()
    minutes = amount * 60 if unit.startswith(("h", "tim")) else amount
    if minutes <= 0:
        raise ValueError("a duration must be positive")
    return timedelta(minutes=minutes)


def countdown(delta: timedelta, language: str) -> str:
    """'2 h 5 min' style countdown, shared by both languages."""
    minutes = max(0, int(delta.total_seconds() // 60))
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    parts = []
    if days:
        parts.append(f"{days} d")
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts)
