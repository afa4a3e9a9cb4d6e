"""Weekends from releases in the database: versions, one transaction, the merge rule with
the shipped files, `racebot schedule` and `racebot export-schedule` (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import dataclasses
import shutil
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.authoring.release import read_release
from bot.authoring.weekends import overlay
from bot.cli import main
from bot.core.schedule import load_catalog
from bot.store.store import Store
from bot.store.weekends import ReleaseWrite, SessionResults, StoredWeekend
from tests.helpers import SCHEDULES
from tests.test_release import ARAGON, BARCELONA, JARAMA, WTCR_ANNOUNCED

NOW = datetime(2020, 11, 2, 8, tzinfo=UTC)
FILES = load_catalog(SCHEDULES)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    try:
        yield opened
    finally:
        await opened.close()


def stored(text: str, now: datetime = NOW) -> list[StoredWeekend]:
    plan = read_release(text, FILES, now)
    return [_to_stored(p.weekend) for p in plan.weekends]


def _to_stored(weekend: object) -> StoredWeekend:
    fields = ("series_id", "series_name", "season", "round", "event_id", "block")
    return StoredWeekend(**{f: getattr(weekend, f) for f in fields})


async def test_each_publish_is_a_new_version_and_the_newest_is_in_force(store: Store) -> None:
    (jarama,) = stored(JARAMA)
    first = await store.weekends.apply(
        ReleaseWrite([jarama]), platform="telegram", user_id="7001", user_name="staffan", now=NOW
    )
    moved = dataclasses.replace(jarama, block=jarama.block.replace("T11:15", "T11:45"))
    later = datetime(2020, 11, 3, tzinfo=UTC)
    second = await store.weekends.apply(
        ReleaseWrite([moved]), platform="discord", user_id="42", user_name="Mechanic", now=later
    )
    assert [w.version for w in (*first, *second)] == [1, 2]
    (current,) = await store.weekends.current()
    assert current.version == 2
    assert "11:45" in current.block
    history = await store.weekends.history("tcr-europe-2020", 6)
    assert [(w.version, w.created_by, w.created_at) for w in history] == [
        (1, "telegram:7001 staffan", NOW),
        (2, "discord:42 Mechanic", later),
    ]
    audit = [a for a in await store.audit_log() if a.action == "release"]
    assert [a.detail["weekends"] for a in audit] == [
        ["tcr-europe-2020/r6 v2"],
        ["tcr-europe-2020/r6 v1"],
    ]


@pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")  # the NULL key is the point
async def test_a_release_that_fails_half_way_records_nothing(store: Store) -> None:
    (jarama,) = stored(JARAMA)
    broken = SessionResults("tcr-europe-2020", "r6", "race1", [{"driver_id": None}])
    with pytest.raises(Exception):  # noqa: B017, PT011 - the database refuses the NULL driver
        await store.weekends.apply(
            ReleaseWrite([jarama], [broken]), platform="t", user_id="1", user_name=None, now=NOW
        )
    assert await store.weekends.current() == []
    assert [a for a in await store.audit_log() if a.action == "release"] == []


def test_the_merge_rule_replaces_the_same_round_and_adds_the_others() -> None:
    (barcelona,) = stored(BARCELONA, datetime(2023, 9, 25, tzinfo=UTC))
    merged = overlay(FILES, [barcelona])
    gt4 = merged.get("gt4-european-series-2023")
    assert gt4 is not None
    assert [e.id for e in gt4.events] == ["r1", "r2", "r3", "r4", "r5", "r6"]
    r6 = gt4.event("r6")
    assert r6 is not None
    assert [s.id for s in r6.sessions][:2] == ["fp1", "fp2"]
    assert r6.sessions[0].start == datetime(2023, 9, 29, 9, 20, tzinfo=UTC)
    # a weekend of a series no file has makes that series
    without = load_catalog(_folder_without("wtcr-2021.toml"))
    calendar = [_to_stored(p.weekend) for p in read_release(WTCR_ANNOUNCED, without, NOW).weekends]
    wtcr = overlay(without, calendar).get("wtcr-2021")
    assert wtcr is not None
    assert [e.name for e in wtcr.events][:2] == ["Nürburgring Nordschleife", "Vila Real"]
    assert len(wtcr.events) == 8


def _folder_without(name: str) -> Path:
    import tempfile

    folder = Path(tempfile.mkdtemp())
    for path in SCHEDULES.glob("*.toml"):
        if path.name != name:
            shutil.copy(path, folder / path.name)
    return folder


async def test_schedule_and_export_show_the_database_weekend(
    store: Store, db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _folder_without("tcr-europe-2020.toml")
    (jarama,) = stored(JARAMA)
    await store.weekends.apply(
        ReleaseWrite([jarama]), platform="telegram", user_id="1", user_name="s", now=NOW
    )
    config = tmp_path / "bot.toml"
    config.write_text(
        f'[bot]\nschedules = "{folder}"\n[storage]\nurl = "{db_url}"\n[web]\nenabled = false\n',
        encoding="utf-8",
    )
    args = ["schedule", "--config", str(config), "--series", "tcr-europe-2020"]
    assert await asyncio.to_thread(main, args) == 0
    shown = capsys.readouterr().out
    assert "Jarama" in shown
    assert "11:15" in shown

    out = tmp_path / "tcr.toml"
    export = ["export-schedule", "--config", str(config), "-o", str(out)]
    assert await asyncio.to_thread(main, export) == 0
    checked = tmp_path / "checked"
    checked.mkdir()
    shutil.copy(out, checked / out.name)
    config.write_text(
        f'[bot]\nschedules = "{checked}"\n[storage]\nurl = "{db_url}"\n',
        encoding="utf-8",
    )
    assert await asyncio.to_thread(main, ["check", "--config", str(config)]) == 0
    assert "5 sessions" in capsys.readouterr().out


def test_the_draft_checks_past_dates_and_standings_of_a_later_round() -> None:
    late = read_release(JARAMA, FILES, datetime(2020, 11, 10, tzinfo=UTC))
    assert ("past", {"day": "2020-11-07"}) in late.checks
    early = read_release(ARAGON, FILES, datetime(2021, 6, 27, 12, tzinfo=UTC))
    assert ("standings_later", {"after": "3", "round": "2"}) in early.checks
    assert len(early.standings) == 4  # staff can still publish: the check only warns
