"""One builder for schedule fixtures: small TOML schedules in the shipped files' layout.

The layout is fixed (series, then each event, its sessions indented two spaces, one blank
line between blocks) so that a fixture's line numbers are stable: a test that breaks one
key can assert the ``file:line`` the error names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

Value = str | int | date | datetime


def _toml(value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lines(values: dict[str, Value], indent: str = "") -> list[str]:
    return [f"{indent}{key} = {_toml(value)}" for key, value in values.items()]


@dataclass
class Sess:
    """One ``[[events.sessions]]``: the four keys every session has, then any others."""

    id: str
    name: str
    kind: str
    start: datetime
    extra: dict[str, Value] = field(default_factory=dict)

    def toml(self) -> list[str]:
        keys: dict[str, Value] = {"id": self.id, "name": self.name, "kind": self.kind}
        keys["start"] = self.start
        return ["  [[events.sessions]]", *_lines({**keys, **self.extra}, "  ")]


def session(key: str, name: str, kind: str, start: datetime, **extra: Value) -> Sess:
    """A session; ``extra`` keys (``duration``, ``fold``, …) follow ``start`` in order."""
    return Sess(key, name, kind, start, dict(extra))


@dataclass
class Event:
    """One ``[[events]]`` with its sessions (a one-day Swedish event unless told)."""

    id: str
    round: int
    name: str
    circuit: str
    first_day: date
    sessions: list[Sess]
    last_day: date | None = None
    country: str = "SE"
    track_timezone: str = "Europe/Stockholm"
    timezone: str | None = None

    def toml(self) -> list[str]:
        keys: dict[str, Value] = {
            "id": self.id,
            "round": self.round,
            "name": self.name,
            "circuit": self.circuit,
            "country": self.country,
            "track_timezone": self.track_timezone,
        }
        if self.timezone is not None:
            keys["timezone"] = self.timezone
        keys |= {"first_day": self.first_day, "last_day": self.last_day or self.first_day}
        lines = ["[[events]]", *_lines(keys)]
        for one in self.sessions:
            lines += ["", *one.toml()]
        return lines


def schedule_toml(
    series: str, name: str, season: int, events: list[Event], *, timezone: str | None = None
) -> str:
    """A whole schedule file's text."""
    keys: dict[str, Value] = {"id": series, "name": name, "season": season}
    if timezone is not None:
        keys["timezone"] = timezone
    lines = ["[series]", *_lines(keys)]
    for one in events:
        lines += ["", *one.toml()]
    return "\n".join(lines) + "\n"


def knutstorp_2026(*sessions: Sess) -> Event:
    """Round 1 at Ring Knutstorp on Saturday 6 June 2026 (a day without DST edges)."""
    return Event("r1", 1, "Knutstorp", "Ring Knutstorp", date(2026, 6, 6), list(sessions))
