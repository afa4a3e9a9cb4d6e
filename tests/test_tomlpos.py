"""TomlLocator: from an error path such as ('events', 1, 'sessions', 0, 'start') to a line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.core.tomlpos import TomlLocator

TEXT = """\
title = "root key"
season = 2026
[series]  # the head, with a comment
id = "wtcr-2021"
name = "FIA WTCR"

  [[series.format]]
  id = "fp1"
  kind = "practice"

  [[series.format]]   # second template
  id = "fp2"

[[links]]
id = "eurosport"
label = "Eurosport"

[[events]]  # round 1
id = "r1"
name = "Nürburgring"

  [[events.links]]
  id = "facebook"
  url = "https://facebook.com/x"

  [[events.sessions]]
  id = "fp1"
  start = 2021-06-03T10:00:00

  [[events.sessions]] # second session of r1
  id = "fp2"
  links = ["facebook"]
  start = 2021-06-03T14:00:00

[[events]]
id = "r2"

  [[ events.sessions ]]
  "id" = "q"
  start = 2021-06-26T15:00:00

  [[events.links]]
  label = "Kanal 9"

[[links]]
id = "kanal9"
"""


@pytest.fixture(scope="module")
def locator() -> TomlLocator:
    tomllib.loads(TEXT)  # the sample itself is valid TOML
    return TomlLocator(TEXT)


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        # keys in the root table, before any header
        (("title",), 1),
        (("season",), 2),
        # a plain table with an inline comment on its header
        (("series",), 3),
        (("series", "id"), 4),
        (("series", "name"), 5),
        # [[series.format]] under [series]
        (("series", "format", 0), 7),
        (("series", "format", 0, "id"), 8),
        (("series", "format", 0, "kind"), 9),
        (("series", "format", 1, "id"), 12),
        # top-level array of tables
        (("links", 0, "id"), 15),
        (("links", 0, "label"), 16),
        (("links", 1, "id"), 46),
        # [[events]] and its nested arrays, counted per event
        (("events", 0), 18),
        (("events", 0, "id"), 19),
        (("events", 0, "name"), 20),
        (("events", 0, "links", 0, "id"), 23),
        (("events", 0, "links", 0, "url"), 24),
        (("events", 0, "sessions", 0, "id"), 27),
        (("events", 0, "sessions", 0, "start"), 28),
        (("events", 0, "sessions", 1, "id"), 31),
        (("events", 0, "sessions", 1, "start"), 33),
        (("events", 0, "sessions", 1, "links", 0), 32),
        (("events", 1, "id"), 36),
        # spaces inside the brackets and a quoted key
        (("events", 1, "sessions", 0, "id"), 39),
        (("events", 1, "sessions", 0, "start"), 40),
        (("events", 1, "links", 0, "label"), 43),
    ],
)
def test_line_of_a_key(locator: TomlLocator, loc: tuple[str | int, ...], line: int) -> None:
    assert locator.line(loc) == line


@pytest.mark.parametrize(
    ("loc", "line"),
    [
        # missing keys point at the header of their table
        (("series", "season"), 3),
        (("series", "format", 1, "kind"), 11),
        (("events", 1, "links", 0, "id"), 42),
        (("events", 1, "round"), 35),
        # a key of the event is not searched for in its sessions
        (("events", 1, "start"), 35),
        (("events", 0, "sessions", 0, "links"), 26),
    ],
)
def test_missing_key_points_at_the_table_header(
    locator: TomlLocator, loc: tuple[str | int, ...], line: int
) -> None:
    assert locator.line(loc) == line


def test_unknown_root_key_and_missing_table_have_no_line(locator: TomlLocator) -> None:
    assert locator.line(("drivers",)) is None
    assert locator.line(("drivers", 0, "id")) is None
    assert locator.line(("events", 7, "id")) is None
    assert locator.line(()) is None


def test_inline_comment_on_a_key_line() -> None:
    text = '[series] # head\nid = "x" # the id\nname="y"#n\n'
    locator = TomlLocator(text)
    assert locator.line(("series", "id")) == 2
    assert locator.line(("series", "name")) == 3


def test_a_key_is_not_matched_by_a_longer_key() -> None:
    text = '[[events]]\ntrack_timezone = "Asia/Macau"\ntimezone = "Asia/Macau"\n'
    locator = TomlLocator(text)
    assert locator.line(("events", 0, "timezone")) == 3
    assert locator.line(("events", 0, "track_timezone")) == 2


def test_inline_array_of_tables_points_at_its_key() -> None:
    text = '[series]\nid = "x"\n\n[[events]]\nid = "r1"\nsessions = [{ id = "fp1" }]\n'
    locator = TomlLocator(text)
    assert locator.line(("events", 0, "sessions", 0, "id")) == 6


def test_windows_line_endings() -> None:
    text = '[series]\r\nid = "x"\r\n[[events]]\r\nid = "r1"\r\n[[events]]\r\nid = "r2"\r\n'
    locator = TomlLocator(text)
    assert locator.line(("events", 1, "id")) == 6


def test_shipped_file_lines() -> None:
    path = Path(__file__).resolve().parent.parent / "schedules" / "gt4-european-series-2023.toml"
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    locator = TomlLocator(text)

    def number(needle: str) -> int:
        (found,) = [n for n, line in enumerate(lines, start=1) if needle in line]
        return found

    assert locator.line(("series", "rounds")) == number("rounds = 6")
    assert locator.line(("links", 3, "label")) == number('label = "LIVE TV RACE 2"')
    assert locator.line(("events", 4, "track_timezone")) == number('"Europe/Berlin"')
    q_duration = locator.line(("events", 5, "sessions", 2, "duration"))
    assert q_duration == number('duration = "2 x 20 min"')
    assert locator.line(("events", 5, "sessions", 4, "links", 0)) == number('["live-tv-race2"]')
