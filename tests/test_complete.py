"""Suggestions while typing: the pure choice builders and Commands.complete over the seeds."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path

import pytest

from bot.app import App
from bot.core.clock import VirtualClock
from bot.core.complete import (
    CHOICE_MAX,
    MAX_CHOICES,
    Choice,
    driver_completions,
    event_choices,
    series_choices,
)
from bot.core.model import Driver
from bot.core.schedule import load_catalog
from bot.service.types import Caller
from tests.helpers import SCHEDULES, ScriptedSender, make_config, running_app, utc

DRIVERS = (
    Driver("andreas", "Andreas", "Bäckman", "SWE"),
    Driver("jessica", "Jessica", "Bäckman", "SWE"),
)
STAFF = Caller("discord", "1", "2", is_staff=True)
FAN = Caller("discord", "1", "3")


@pytest.mark.parametrize(
    ("typed", "values"),
    [
        ("", ["andreas", "jessica"]),
        ("j", ["jessica"]),
        ("JES", ["jessica"]),
        ("backm", ["andreas", "jessica"]),  # the last name, without its accent
        ("andreas 15", ["andreas 15 jessica"]),  # after a place: the remaining driver
        ("andreas 15 ", ["andreas 15 jessica"]),
        ("andreas dnf j", ["andreas dnf jessica"]),
        ("andreas 15 jessica", []),  # complete: the place comes next
        ("andreas 15 jessica 16", []),  # everybody is named
        ("x", []),
    ],
)
def test_driver_completions(typed: str, values: list[str]) -> None:
    assert [c.value for c in driver_completions(typed, DRIVERS)] == values


def test_driver_completion_labels_name_the_driver() -> None:
    (choice,) = driver_completions("andreas 15 j", DRIVERS)
    assert choice == Choice("andreas 15 jessica (Jessica Bäckman)", "andreas 15 jessica")


def test_choices_respect_discords_limits() -> None:
    long = Choice("x" * 300, "y" * 300)
    assert len(long.label) == CHOICE_MAX
    assert long.label.endswith("…")
    assert len(long.value) == CHOICE_MAX
    many = tuple(Driver(f"d{i}", f"Driver{i}", "X") for i in range(40))
    assert len(driver_completions("", many)) == MAX_CHOICES


def test_events_coming_first_then_latest_past() -> None:
    catalog = load_catalog(SCHEDULES)
    now = utc(2021, 6, 28)
    values = [c.value for c in event_choices(catalog.events(), "", now)]
    assert values[:2] == ["wtcr-2021/r3", "wtcr-2021/r4"]  # Aragón on 9-11 July is next
    past = values.index("wtcr-2021/r2")  # Estoril ended the day before: the latest past one
    assert values[past:] == ["wtcr-2021/r2", "wtcr-2021/r1", "tcr-europe-2020/r6"]
    assert [c.value for c in event_choices(catalog.events(), "jarama", now)] == [
        "tcr-europe-2020/r6"
    ]


def test_series_by_id_or_name() -> None:
    catalog = load_catalog(SCHEDULES)
    assert [c.value for c in series_choices(catalog.series, "gt4")] == ["gt4-european-series-2023"]
    assert len(series_choices(catalog.series, "")) == len(catalog.series)


@pytest.fixture
async def app(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[App]:
    start: datetime = getattr(request, "param", utc(2020, 11, 7, 9, 30))
    clock = VirtualClock(start)
    async with running_app(make_config(tmp_path), clock, (ScriptedSender(),)) as app:
        yield app


async def test_delay_offers_the_weekends_sessions_not_yet_over(app: App) -> None:
    # 2020-11-07 09:30 UTC at Jarama: qualifying is over, both races are still to come.
    choices = app.commands.complete(STAFF, "delay", "session", "")
    assert [c.value for c in choices] == ["race1", "race2"]
    assert choices[0].label == "Race 1 · lör 7 nov 11:15 (race1)"  # Swedish time
    english = Caller("discord", "1", "2", language="en", is_staff=True)
    assert app.commands.complete(english, "cancel", "session", "2")[0].label.startswith(
        "Race 2 · Sat 7 Nov"
    )


async def test_staff_suggestions_are_not_shown_to_fans(app: App) -> None:
    assert app.commands.complete(FAN, "delay", "session", "") == []
    assert app.commands.complete(FAN, "result", "places", "") == []
    assert app.commands.complete(STAFF, "nope", "session", "") == []


@pytest.mark.parametrize("app", [utc(2021, 6, 27, 12)], indirect=True)
async def test_result_suggests_sessions_and_drivers_of_the_started_weekend(app: App) -> None:
    sessions = app.commands.complete(STAFF, "result", "session", "race")
    assert [c.value for c in sessions] == ["race1", "race2"]
    places = app.commands.complete(STAFF, "result", "places", "andreas 15 j")
    assert [c.value for c in places] == ["andreas 15 jessica"]


@pytest.mark.parametrize("app", [utc(2019, 1, 1)], indirect=True)
async def test_result_before_any_weekend_suggests_nothing(app: App) -> None:
    assert app.commands.complete(STAFF, "result", "session", "") == []


async def test_fans_get_weekend_and_series_suggestions(app: App) -> None:
    weekends = app.commands.complete(FAN, "schedule", "event", "estoril")
    assert [c.value for c in weekends] == ["wtcr-2021/r2"]
    assert app.commands.complete(FAN, "calendar", "series", "wtcr")[0].value == "wtcr-2021"
