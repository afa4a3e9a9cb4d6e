"""Slash commands through the real discord.py client: names, answers, suggestions, errors."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime

import pytest

from bot.core.markup import Bold, Countdown, Href, Instant, Post, ZoneNote, line
from bot.platforms.discord import render_embed, render_lines
from tests.discord.world import ADMIN, ALERTS, FAN, GENERAL, GUILD, MECHANIC, OWNER, Env


def test_render_escapes_and_formats() -> None:
    at = datetime(2020, 11, 7, 10, 15, tzinfo=UTC)
    post = Post(
        title="t",
        lines=(
            line("a*b_", Bold("x"), Href("Live [1]", "https://x.test/a"), Instant(at)),
            line(Instant(at, "time", local=True), " x", Countdown(at, " – om 2 h")),
            line(ZoneNote("(alla tider i svensk tid)")),
        ),
    )
    text = render_lines(post.lines, zoneinfo.ZoneInfo("Europe/Stockholm"), "sv")
    unix = int(at.timestamp())
    assert text.splitlines() == [
        "a\\*b\\_**x**[Live [1\\]](https://x.test/a)lör 7 nov 11:15",
        f"<t:{unix}:t> x · <t:{unix}:R>",  # the reader's own clock, a live countdown
        "(tiderna i din egen tidszon)",
    ]
    assert "fields" not in render_embed(post).to_dict()
    assert Post.from_json(post.to_json()) == post


async def test_commands_carry_swedish_names_and_descriptions(env: Env) -> None:
    next_ = env.fake.get_command("next")
    assert next_["name_localizations"]["sv-SE"] == "nästa"
    assert next_["description"] == "Next session with countdown"
    assert next_["description_localizations"]["sv-SE"] == "nästa pass med nedräkning"
    delay = env.fake.get_command("delay")
    assert delay["name_localizations"]["sv-SE"] == "försena"
    assert delay["description_localizations"]["sv-SE"].startswith("PASS MINUTER")
    (session, minutes) = delay["options"]
    assert session["name"] == "session"
    assert session["name_localizations"]["sv-SE"] == "pass"
    assert session["autocomplete"] is True
    assert session["description_localizations"]["sv-SE"] == "t.ex. race1"
    assert minutes["name_localizations"]["sv-SE"] == "minuter"
    setup = env.fake.get_command("setup")
    assert setup["name_localizations"]["sv-SE"] == "konfigurera"
    language = next(o for o in setup["options"] if o["name"] == "language")
    assert [c["name_localizations"]["sv-SE"] for c in language["choices"]] == [
        "Svenska",
        "Engelska",
    ]
    names = [c.get("name_localizations", {}).get("sv-SE") for c in env.fake.commands[None]]
    assert len(names) == len(set(names)), "Swedish names must be unique"


STAFF_COMMANDS = {
    "report-result",
    "post-standings",
    "delay",
    "cancel",
    "announce",
    "release",
    "staff",
    "setup",
}


async def test_staff_commands_are_absent_from_a_fans_picker(env: Env) -> None:
    fan = set(env.fake.visible_commands(GUILD, FAN))
    assert fan & STAFF_COMMANDS == set()
    assert {"next", "schedule", "results", "standings", "subscribe", "help"} <= fan
    assert set(env.fake.visible_commands(GUILD, ADMIN)) >= STAFF_COMMANDS
    standings = env.fake.get_command("standings")
    assert standings.get("options", []) == []  # fans see no staff paste option
    post = env.fake.get_command("post-standings")
    assert post["name_localizations"]["sv-SE"] == "publicera-ställning"
    result = env.fake.get_command("report-result")
    assert result["name_localizations"]["sv-SE"] == "rapportera-resultat"
    assert env.fake.get_command("results")["name_localizations"]["sv-SE"] == "resultat"
    # the staff role sees them once an admin grants it under Integrations, not /setup
    assert set(env.fake.visible_commands(GUILD, MECHANIC)) & STAFF_COMMANDS == set()
    env.grant_staff_commands()
    assert set(env.fake.visible_commands(GUILD, MECHANIC)) & STAFF_COMMANDS == STAFF_COMMANDS - {
        "setup"
    }


async def test_admin_help_lists_each_command_once_and_how_to_grant_the_staff_role(
    env: Env,
) -> None:
    for locale, note in (("sv-SE", "Integrationer"), ("en-US", "Integrations")):
        answer = await env.command(OWNER, "help", locale=locale)
        (embed,) = answer.embeds
        names = [row.split(" – ")[0] for row in embed["description"].splitlines() if " – " in row]
        assert len(names) == len(set(names)), names
        assert note in embed["description"]
    text = str((await env.command(OWNER, "help")).embeds)
    for name in ("/ställning", "/publicera-ställning", "/rapportera-resultat", "/resultat"):
        assert f"**{name}**" in text, name
    assert note not in str((await env.command(FAN, "help", locale="en-US")).embeds)


async def test_fan_cannot_delay_and_cannot_see_setup(env: Env) -> None:
    with pytest.raises(PermissionError):  # default_member_permissions: Discord hides it
        await env.command(FAN, "delay", {"session": "race1", "minutes": 10})
    with pytest.raises(PermissionError):
        await env.fake.invoke_command(GUILD, GENERAL, FAN, "setup", {"channel": GENERAL})
    assert await env.subscription(GENERAL) is None
    assert env.app.commands.engine.catalog.find("tcr-europe-2020/r6/race1") is not None


async def test_next_answers_in_english_for_an_english_client(env: Env) -> None:
    answer = await env.command(FAN, "next", locale="en-GB")
    (embed,) = answer.embeds
    assert embed["title"] == "⏭ Race 1 – Jarama"
    assert "Swedish time" in embed["description"] or "CET" in embed["description"]
    assert not answer.ephemeral  # race information is for the whole channel


async def test_help_lists_what_discord_offers_under_the_clients_names(env: Env) -> None:
    fan = await env.command(FAN, "help")
    assert fan.ephemeral
    text = str(fan.embeds)
    for name in ("/nästa", "/prenumerera", "/inställningar", "/kalender"):
        assert name in text, name
    for absent in ("/start", "/stop", "/publish", "/försena"):
        assert absent not in text, absent
    staff = str((await env.command(OWNER, "help", locale="en-US")).embeds)
    assert "/delay" in staff
    assert "/subscribe" in staff
    assert "role ping in the server" in staff


async def test_personal_answers_are_ephemeral(env: Env) -> None:
    assert (await env.command(FAN, "calendar")).ephemeral
    assert not (await env.command(FAN, "schedule")).ephemeral


async def test_staff_announce_publish_button(env: Env) -> None:
    await env.setup_alerts()
    draft = await env.command(OWNER, "announce", {"text": "Heja *Bäckman*!"})
    assert draft.ephemeral
    ids = [c["custom_id"] for row in draft.components for c in row["components"]]
    publish = next(i for i in ids if i.startswith("rb:ok:"))
    assert draft.original_id is not None
    click = await env.fake.click_button(GUILD, GENERAL, OWNER, draft.original_id, publish)
    await click.wait_response()
    await env.settle()
    assert "Publicerat" in (env.fake.message(draft.original_id)["content"] or "")
    (posted,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert "Heja \\*Bäckman\\*!" in posted["embeds"][0]["description"]
    assert posted["allowed_mentions"]["parse"] == []


async def test_calendar_sends_the_ics_file_and_links(env: Env) -> None:
    answer = await env.fake.invoke_command(GUILD, GENERAL, FAN, "calendar")
    response = await answer.wait_response()
    text = str(response)
    assert "webcal://" in text
    assert "racebot.ics" in text
    files = [a for a in response.get("data", {}).get("attachments", []) if a.get("filename")]
    assert files, response
    body = files[0].get("bytes") or files[0].get("content") or b""
    assert b"BEGIN:VCALENDAR" in body


async def test_staff_get_session_suggestions_and_fans_none(env: Env) -> None:
    typed = await env.fake.autocomplete(
        GUILD, GENERAL, OWNER, "delay", {"session": "ra"}, focused="session"
    )
    await typed.wait_response()
    assert [(c["name"], c["value"]) for c in typed.choices] == [
        ("Race 1 · lör 7 nov 11:15 (race1)", "race1"),
        ("Race 2 · lör 7 nov 14:05 (race2)", "race2"),
    ]
    fan = await env.fake.autocomplete(GUILD, GENERAL, FAN, "cancel", {"session": ""}, "session")
    await fan.wait_response()
    assert fan.choices == []


@pytest.mark.parametrize("env", [datetime(2021, 6, 27, 15, 0, tzinfo=UTC)], indirect=True)
async def test_result_suggests_drivers_while_places_are_typed(env: Env) -> None:
    typed = await env.fake.autocomplete(
        GUILD,
        GENERAL,
        OWNER,
        "report-result",
        {"session": "race2", "places": "andreas 17 j"},
        focused="places",
    )
    await typed.wait_response()
    assert [c["value"] for c in typed.choices] == ["andreas 17 jessica"]
    session = await env.fake.autocomplete(
        GUILD, GENERAL, OWNER, "report-result", {"session": "kval", "places": ""}, focused="session"
    )
    await session.wait_response()
    assert [c["value"] for c in session.choices] == ["q"]


async def test_weekend_and_zone_suggestions_for_fans(env: Env) -> None:
    weekend = await env.fake.autocomplete(
        GUILD, GENERAL, FAN, "schedule", {"weekend": "estor"}, focused="weekend"
    )
    await weekend.wait_response()
    assert [c["value"] for c in weekend.choices] == ["wtcr-2021/r2"]
    zone = await env.fake.autocomplete(
        GUILD, GENERAL, FAN, "settings", {"timezone": "seoul"}, focused="timezone"
    )
    await zone.wait_response()
    assert [c["value"] for c in zone.choices] == ["Asia/Seoul"]


async def test_a_failing_command_gets_one_polite_answer(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(env.app.commands, "handle", broken)
    answer = await env.command(FAN, "next")
    assert answer.ephemeral
    assert answer.content == "Något gick fel, inget ändrades. Försök igen om en stund."
    assert "Traceback" not in (answer.content or "")
    assert "database went away" in caplog.text  # the log keeps the cause


async def test_the_staff_role_may_use_staff_commands_but_not_setup(env: Env) -> None:
    env.grant_staff_commands()
    draft = await env.command(MECHANIC, "delay", {"session": "race1", "minutes": 10})
    assert draft.ephemeral
    assert draft.content is not None
    assert draft.content.startswith("Race 1 – Jarama skjuts upp 10 minuter, till 11:25")
    assert any(
        c["custom_id"].startswith("rb:ok:") for row in draft.components for c in row["components"]
    )
    with pytest.raises(PermissionError):
        await env.fake.invoke_command(GUILD, GENERAL, MECHANIC, "setup", {"channel": GENERAL})


async def test_a_failing_publish_button_still_answers(
    env: Env, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    draft = await env.command(OWNER, "announce", {"text": "Heja"})
    ids = [c["custom_id"] for row in draft.components for c in row["components"]]
    publish = next(i for i in ids if i.startswith("rb:ok:"))

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database went away")

    monkeypatch.setattr(env.app.store, "take_pending", broken)
    assert draft.original_id is not None
    click = await env.fake.click_button(GUILD, GENERAL, OWNER, draft.original_id, publish)
    await click.wait_response()
    content = env.fake.message(draft.original_id)["content"] or ""
    assert content == "Något gick fel, inget ändrades. Försök igen om en stund."
    assert "database went away" in caplog.text


async def test_typed_delay_finds_race_1_by_its_shorthand(env: Env) -> None:
    draft = await env.command(OWNER, "delay", {"session": "r1", "minutes": 10})
    assert draft.ephemeral
    assert "Race 1" in (draft.content or str(draft.embeds)), draft.content
    assert draft.components  # Publish / Cancel


async def test_delays_and_cancellations_read_as_fans_would_say_them(env: Env) -> None:
    await env.setup_alerts()
    later = await env.command(OWNER, "delay", {"session": "race1", "minutes": 10})
    assert (later.content or "").startswith("Race 1 – Jarama skjuts upp 10 minuter, till 11:25")
    earlier = await env.command(OWNER, "delay", {"session": "race1", "minutes": -5}, locale="en-US")
    assert "is brought forward 5 minutes, to 11:10" in (earlier.content or "")
    posted = len(env.fake.messages[ALERTS])
    await env.staff_publish("cancel", {"session": "race2"})
    (post,) = env.fake.messages[ALERTS][posted:]
    (embed,) = post["embeds"]
    assert embed["title"].startswith("❌ Inställt: Race 2")
    assert embed["description"].startswith("Passet körs inte. Det skulle ha startat ")
    assert "Race 2" not in embed["description"]  # the title says it once
