"""The service on the whole App: one vocabulary, typed operations, the error boundary."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import App
from bot.core.clock import VirtualClock
from bot.core.markup import plain_text
from bot.core.model import Driver, Event, Session, SessionKind, Text
from bot.core.reminders import PlanSettings, preview_due
from bot.core.texts import set_default_language, team_names, texts
from bot.service import fan
from bot.service.commands import Commands
from bot.service.settings import SettingsChange
from bot.service.types import Caller, Command, CommandGroup, Reply
from tests.helpers import ScriptedSender, make_config, running_app, utc

STAFF = Caller("telegram", "100", "100", user_name="staff", is_staff=True)
FAN = Caller("telegram", "200", "200", user_name="fan")
SV_FAN = Caller("telegram", "300", "300")
JARAMA = "tcr-europe-2020/r6"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[App]:
    # Saturday at Jarama, 09:30 UTC: qualifying is over, both races are still to come.
    clock = VirtualClock(utc(2020, 11, 7, 9, 30))
    async with running_app(make_config(tmp_path), clock, (ScriptedSender(),)) as app:
        yield app


def text(reply: Reply) -> str:
    return plain_text(reply.post)


@pytest.mark.parametrize("query", ["r1", "race1", "Race 1", "race-1", "RACE 1"])
async def test_delay_and_result_name_sessions_alike(app: App, query: str) -> None:
    draft = await app.commands.handle(STAFF, "delay", f"{query} 15")
    assert draft.confirm, text(draft)
    assert "Race 1" in text(draft)
    assert draft.private


async def test_an_unknown_session_is_named_in_the_callers_language(app: App) -> None:
    swedish = await app.commands.handle(STAFF, "delay", "r9 15")
    assert "Okänt pass: 'r9'" in text(swedish)
    assert "Välj ett av: " in text(swedish)
    english = Caller("telegram", "100", "100", language="en", is_staff=True)
    assert "Unknown session: 'r9'" in text(await app.commands.handle(english, "cancel", "r9"))


async def test_result_refusals_come_in_the_staff_members_language(app: App) -> None:
    swedish = text(await app.commands.handle(STAFF, "result", "q kalle 5"))
    assert "okänd förare “kalle”" in swedish
    assert "välj en av: " in swedish
    assert "så här: PASS FÖRARE PLATS" in swedish
    assert "unknown" not in swedish
    assert "usage" not in swedish
    english_staff = Caller("telegram", "100", "100", language="en", is_staff=True)
    english = text(await app.commands.handle(english_staff, "result", "q kalle 5"))
    assert "unknown driver “kalle”" in english
    assert "choose one of: " in english
    assert "usage: SESSION DRIVER PLACE" in english
    typed = text(await app.commands.result(english_staff, "q", "kalle 5"))  # Discord's options
    assert "unknown driver “kalle”" in typed


async def test_publish_counts_the_chats_it_reaches(app: App) -> None:
    for n in range(3):
        fan = Caller("telegram", f"5{n}", f"5{n}")
        await app.commands.handle(fan, "start")
    picky = Caller("telegram", "60", "60")
    await app.commands.handle(picky, "start")
    await app.commands.handle(picky, "settings", "kinds qualifying")
    draft = await app.commands.delay(STAFF, "r1", 10)  # typed, as Discord calls it
    assert draft.confirm
    done = await app.commands.confirm(STAFF, draft.confirm)
    assert text(done) == "Publicerat till 3 chattar."  # not the qualifying-only chat
    counts = await app.store.delivery_counts(f"{JARAMA}/race1/change-")
    assert sum(counts.values()) == 3


async def test_the_buttons_need_staff_and_only_the_author_publishes(app: App) -> None:
    draft = await app.commands.cancel(STAFF, "race2")
    assert draft.confirm
    refused = await app.commands.confirm(FAN, draft.confirm)
    assert text(refused) == "Det kommandot är inte tillgängligt för dig."
    other = Caller("telegram", "100", "101", is_staff=True)
    assert "inget att publicera" in text(await app.commands.confirm(other, draft.confirm))
    assert "Publicerat" in text(await app.commands.confirm(STAFF, draft.confirm))
    assert app.engine.catalog.find(f"{JARAMA}/race2").session.cancelled  # type: ignore[union-attr]


async def test_stop_rebuilds_the_timers(app: App) -> None:
    await app.commands.handle(FAN, "start")
    await app.commands.change_settings(FAN, SettingsChange(leads=(45,)))
    assert any("lead-45" in key for key in app.engine.timer.pending())
    await app.commands.handle(FAN, "stop")
    assert not any("lead-45" in key for key in app.engine.timer.pending())


async def test_typed_settings_change_all_at_once_or_not_at_all(app: App) -> None:
    await app.commands.handle(FAN, "start")
    refused = await app.commands.change_settings(
        FAN, SettingsChange(language="en", timezone="Mars/Olympus")
    )
    assert refused.settings is None
    assert refused.private
    target = await app.commands.subscriptions.get("telegram", FAN.chat_id)
    assert target is not None
    assert target.language == "sv"
    shown = await app.commands.change_settings(
        FAN, SettingsChange(language="en", kinds=(SessionKind.RACE,))
    )
    assert shown.settings is not None
    assert shown.settings.language == "en"
    assert shown.settings.kinds == (SessionKind.RACE,)
    assert "Saved" in text(shown)


async def test_one_set_of_kind_words(app: App) -> None:
    await app.commands.handle(FAN, "start")
    reply = await app.commands.handle(FAN, "settings", "kinds kval r")
    assert reply.settings is not None
    assert reply.settings.kinds == (SessionKind.QUALIFYING, SessionKind.RACE)
    reply = await app.commands.handle(FAN, "subscribe", "Träning")
    assert "pass: race, kval, träning" in text(reply)


async def test_an_unexpected_error_is_logged_and_answered_in_one_sentence(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(cmds: object, caller: Caller, args: str) -> Reply:
        raise RuntimeError("disk on fire")

    app.commands.register(CommandGroup(commands=(Command(("broken",), broken),)))
    english = Caller("telegram", "1", "1", language="en")
    with caplog.at_level(logging.ERROR):
        swedish = await app.commands.handle(SV_FAN, "broken")
        reply = await app.commands.handle(english, "broken")
    assert text(swedish) == "Något gick fel, inget ändrades. Försök igen om en stund."
    assert text(reply) == "Something went wrong and nothing was changed. Please try again later."
    assert "disk on fire" not in text(reply)
    failures = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(failures) == 2
    assert failures[0].exc_info is not None  # the traceback is in the log


def test_a_command_registered_twice_is_refused(app: App) -> None:
    async def again(cmds: object, caller: Caller, args: str) -> Reply:
        raise AssertionError

    with pytest.raises(ValueError, match="/next"):
        app.commands.register(CommandGroup(commands=(Command(("next",), again),)))


def test_the_team_comes_from_the_schedule_files() -> None:
    andreas = Driver("andreas", "Andreas", "Bäckman", "SWE")
    jessica = Driver("jessica", "Jessica", "Bäckman", "SWE")
    other = Driver("kim", "Kim", "Larsson", "SWE")
    assert team_names([andreas, jessica, andreas], "sv") == "Andreas och Jessica Bäckman"
    assert team_names([andreas, jessica], "en") == "Andreas and Jessica Bäckman"
    assert team_names([andreas, other, jessica], "sv") == (
        "Andreas Bäckman, Kim Larsson och Jessica Bäckman"
    )
    assert team_names([other], "en") == "Kim Larsson"
    assert team_names([], "sv") == ""


async def test_welcome_names_the_schedules_drivers(app: App) -> None:
    welcome = text(await app.commands.handle(FAN, "start"))
    assert "resultat från Andreas och Jessica Bäckman." in welcome


async def test_bot_language_and_timezone_are_the_defaults(tmp_path: Path) -> None:
    config = make_config(tmp_path)
    config.bot.language = "en"
    config.bot.timezone = "Asia/Seoul"
    clock = VirtualClock(utc(2020, 11, 7, 9, 30))
    async with running_app(config, clock, (ScriptedSender(),)) as app:
        assert app.commands.language_for("de-DE") == "en"
        assert app.commands.language_for("sv-SE") == "sv"
        assert app.commands.language_for("en-GB") == "en"
        await app.commands.handle(FAN, "start")
        target = await app.commands.subscriptions.get("telegram", FAN.chat_id)
        assert target is not None
        assert target.timezone == "Asia/Seoul"
        # A chat without a subscription sees the weekend in the configured (home) zone,
        # named in words the way the releases name theirs.
        lonely = Caller("telegram", "999", "999")
        schedule = (await app.commands.handle(lonely, "schedule")).post
        assert "(alla tider i Seoul-tid)" in plain_text(schedule)
        zone = await app.commands.reader_zone("telegram", lonely.chat_id)
        assert "19:15 Race 1" in plain_text(schedule, zone)  # 11:15 Swedish time


def test_the_service_makes_no_inline_language_choices() -> None:
    folder = Path(__file__).resolve().parent.parent / "bot" / "service"
    for path in folder.glob("*.py"):
        source = path.read_text(encoding="utf-8")
        for needle in ('== "sv"', '== "en"', '"en" if', '"sv" if'):
            assert needle not in source, f"{path.name}: {needle}"


async def test_a_typed_operation_needs_its_group_registered(app: App) -> None:
    bare = Commands(app.engine)
    bare.register(fan.group())
    refused = await bare.delay(FAN, "race1", 10)
    assert refused.confirm is None
    assert text(refused) == "Okänt kommando /delay."
    assert text(await bare.delay(STAFF, "race1", 10)) == "Okänt kommando /delay."


def test_telegram_settings_buttons_are_typed_changes() -> None:
    from bot.platforms.telegram import settings_change

    assert settings_change("leads", "60+15") == SettingsChange(leads=(60, 15))
    assert settings_change("kinds", "race+qualifying") == SettingsChange(
        kinds=(SessionKind.RACE, SessionKind.QUALIFYING)
    )
    assert settings_change("tz", "Asia/Seoul") == SettingsChange(timezone="Asia/Seoul")
    assert settings_change("language", "en") == SettingsChange(language="en")
    assert not settings_change("leads", "x")  # forged data changes nothing
    assert not settings_change("colour", "red")


async def test_a_home_zone_other_than_stockholm_is_named_in_words(tmp_path: Path) -> None:
    """``[bot] timezone`` is the zone the releases speak: times and their words follow it."""
    config = make_config(tmp_path)
    config.bot.timezone = "Europe/London"
    clock = VirtualClock(utc(2020, 11, 7, 9, 30))
    english = Caller("telegram", "400", "400", language="en")
    async with running_app(config, clock, (ScriptedSender(),)) as app:
        assert app.engine.home.key == "Europe/London"
        schedule = text(await app.commands.handle(SV_FAN, "schedule"))
        assert "Tidsschema (alla tider i London-tid)" in schedule
        assert "svensk tid" not in schedule
        assert "Timetable (all times London time)" in text(
            await app.commands.handle(english, "schedule")
        )
        # Race 1 is at 11:15 Swedish time, 10:15 in London in November.
        draft = text(await app.commands.handle(STAFF, "delay", "race1 15"))
        assert "skjuts upp 15 minuter, till 10:30 (London-tid). Publicera?" in draft
        refused = text(await app.commands.handle(STAFF, "result", "race2 andreas 5"))
        assert "London-tid)" in refused
        assert "svensk tid" not in refused
        await app.commands.handle(english, "start")
        target = await app.commands.subscriptions.get("telegram", english.chat_id)
        assert target is not None
        assert target.timezone == "Europe/London"


def test_the_preview_goes_out_in_the_evening_of_the_home_zone() -> None:
    start = utc(2021, 6, 5, 9, 0)
    session = Session("race1", Text("Race 1", "Race 1"), SessionKind.RACE, start)
    event = Event(
        id="r1",
        round=1,
        name="Silverstone",
        circuit="Silverstone",
        country="GB",
        track_tz=ZoneInfo("Europe/London"),
        first_day=date(2021, 6, 5),
        last_day=date(2021, 6, 6),
        sessions=(session,),
    )
    assert preview_due(event, PlanSettings(home=ZoneInfo("Europe/London"))) == utc(
        2021, 6, 4, 17, 0
    )  # 18:00 BST the evening before
    assert preview_due(event, PlanSettings()) == utc(2021, 6, 4, 16, 0)  # 18:00 CEST


def test_an_unknown_language_gets_the_configured_default() -> None:
    assert texts("de").code == "sv"
    set_default_language("en")
    assert texts("de").code == "en"
    assert texts("sv").code == "sv"
    with pytest.raises(ValueError, match="no texts in 'de'"):
        set_default_language("de")
