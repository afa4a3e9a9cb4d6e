"""Servers: /setup, the alert role, DMs for fans who prefer them, and what ends a subscription."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.discord.world import (
    ADMIN,
    ALERT_ROLE,
    ALERTS,
    FAN,
    GENERAL,
    GUILD,
    NEWS,
    OWNER,
    RACE1,
    Env,
    eventually,
)


async def test_setup_again_moves_the_reminders(env: Env, db_url: str) -> None:
    await env.setup_alerts()
    moved = await env.command(OWNER, "setup", {"channel": NEWS, "language": "en"})
    assert moved.content == (
        "Sparat: påminnelserna går till #news, på engelska.\nDe går inte längre till #alerts."
    )
    old, new = await env.subscription(ALERTS), await env.subscription(NEWS)
    assert old is not None
    assert not old.active
    assert new is not None
    assert (new.active, new.language, new.role_id) == (True, "en", None)
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (reminder,) = await env.fake.wait_for_messages(NEWS, 1)
    assert reminder["content"] is None  # no role chosen: no ping
    assert reminder["embeds"][0]["title"] == "⏱ Race 1 – Jarama starts in 15 min"
    assert env.fake.messages.get(ALERTS, []) == []


async def test_setup_refuses_a_channel_the_bot_cannot_post_in(env: Env) -> None:
    env.fake.set_channel_permission(NEWS, bot_can_send=False)
    refused = await env.command(OWNER, "setup", {"channel": NEWS})
    assert refused.ephemeral
    assert env.readable(refused.content) == (
        "Jag kan inte använda #news: jag saknar Skicka meddelanden. Ge min roll det i "
        "kanalens behörigheter och kör /konfigurera igen."
    )
    assert await env.subscription(NEWS) is None
    assert env.fake.stats.status[403] == 0  # found in the cache, not by a refused request


async def test_fan_subscribe_gives_and_takes_the_alert_role(env: Env) -> None:
    await env.setup_alerts()
    join = await env.command(FAN, "subscribe")
    assert join.ephemeral
    assert "@Race alerts" in (join.content or "")
    assert "/avprenumerera tar bort rollen" in env.readable(join.content)
    unsubscribe = env.fake.get_command("unsubscribe")["id"]
    assert f"</unsubscribe:{unsubscribe}> tar bort rollen" in (join.content or "")  # clickable
    assert env.fake.role_changes == [("add", GUILD, FAN, ALERT_ROLE)]
    twice = await env.command(FAN, "subscribe")
    assert "@Race alerts" in (twice.content or "")
    assert len(env.fake.role_changes) == 1  # already has it: no request

    leave = await env.command(FAN, "unsubscribe")
    assert leave.ephemeral
    assert leave.content == "Rollen @Race alerts är borttagen, du pingas inte längre."
    assert env.fake.role_changes[-1] == ("remove", GUILD, FAN, ALERT_ROLE)
    assert await env.subscription(GENERAL) is None  # the channels are untouched
    alerts = await env.subscription(ALERTS)
    assert alerts is not None
    assert alerts.active
    again = await env.command(FAN, "unsubscribe")
    assert again.content == "Du prenumererar inte här."
    assert len(env.fake.role_changes) == 2  # nothing to take: no request


async def test_admin_subscribe_with_choices_changes_the_channel(env: Env) -> None:
    await env.setup_alerts()
    await env.command(OWNER, "subscribe", {"choices": "race"}, channel=ALERTS)
    assert env.fake.role_changes == []
    saved = await env.subscription(ALERTS)
    assert saved is not None
    assert saved.kinds is not None
    assert [k.value for k in saved.kinds] == ["race"]


async def test_fan_without_a_server_role_is_told_the_ways_in(env: Env) -> None:
    answer = await env.command(FAN, "subscribe")
    assert env.fake.role_changes == []
    assert env.readable(answer.content) == (
        "Den här servern har ingen påminnelseroll ännu. Be en admin köra /konfigurera, eller "
        "skriv /prenumerera med via: Direktmeddelande för att få påminnelserna som "
        "direktmeddelanden."
    )


async def test_fan_gets_reminders_by_dm_and_tunes_them(env: Env, db_url: str) -> None:
    joined = await env.command(FAN, "subscribe", {"via": "dm", "choices": "race"})
    assert joined.response_type == 5  # "thinking…" at once; DM requests may wait on limits
    # The answer edits the original response, not the deprecated "first followup".
    assert joined.deferred_answer == "edit_original"
    assert joined.followups == []
    assert joined.ephemeral
    assert joined.content is not None
    assert joined.content.startswith("Klart! Påminnelserna kommer som direktmeddelanden.")
    (welcome,) = await env.fake.wait_for_dms(FAN, 1)
    assert welcome["content"].startswith("Hej! Här får du påminnelser")
    tuned = await env.command(FAN, "settings", {"language": "en", "reminders": "30"})
    assert tuned.ephemeral
    assert "**Language: **English" in str(tuned.embeds)
    assert "**Reminders (minutes before): **30" in str(tuned.embeds)

    await env.advance_to(RACE1 - timedelta(minutes=30))
    dms = await env.fake.wait_for_dms(FAN, 2)
    reminder = dms[-1]
    assert reminder["embeds"][0]["title"] == "⏱ Race 1 – Jarama starts in 30 min"
    assert reminder["content"] is None
    assert reminder["allowed_mentions"]["parse"] == []
    assert reminder["allowed_mentions"].get("roles") in ([], None)

    stopped = await env.command(FAN, "unsubscribe", {"via": "dm"})
    assert stopped.content == "Direktmeddelandena är avstängda."
    await env.advance_to(RACE1)
    assert len(env.fake.dms[FAN]) == 2  # "LIVE NU" did not come


async def test_fan_with_closed_dms_is_told_how_to_open_them(env: Env) -> None:
    env.fake.block_dms(FAN)
    answer = await env.command(FAN, "subscribe", {"via": "dm"})
    assert answer.content == (
        "Jag kan inte skicka direktmeddelanden till dig. Tillåt direktmeddelanden från "
        "servermedlemmar (serverns integritetsinställningar) och försök igen."
    )
    current = await env.app.store.targets()
    assert [t for t in current if t.chat_kind == "private"] == []


async def test_settings_without_dms_explain_how_to_get_them(env: Env) -> None:
    answer = await env.command(FAN, "settings", {"language": "en"})
    assert answer.ephemeral
    assert "via: Direktmeddelande" in (answer.content or "")


async def test_admin_settings_change_the_servers_channel(env: Env) -> None:
    await env.setup_alerts()
    answer = await env.command(OWNER, "server-settings", {"reminders": "45, 10"})
    assert answer.ephemeral
    saved = await env.subscription(ALERTS)
    assert saved is not None
    assert saved.leads == (45, 10)
    bad = await env.command(
        OWNER, "server-settings", {"reminders": "30", "timezone": "Mars/Olympus"}
    )
    assert "Mars/Olympus" in (bad.content or "")
    still = await env.subscription(ALERTS)
    assert still is not None
    assert (still.timezone, still.leads) == ("Europe/Stockholm", (45, 10))  # all or nothing


async def test_deleted_channel_stops_at_once_and_the_admin_hears_it(env: Env) -> None:
    await env.setup_alerts(by=ADMIN)
    await env.fake.delete_channel(ALERTS)

    async def stopped() -> bool:
        current = await env.subscription(ALERTS)
        return current is not None and not current.active

    await eventually(stopped)
    (dm,) = await env.fake.wait_for_dms(ADMIN, 1)
    assert env.readable(dm["content"]) == (
        "Kanalen #alerts i Bäckman fans togs bort, så påminnelserna där är avstängda. "
        "Kör /konfigurera för att välja en ny kanal."
    )
    await env.advance_to(RACE1)
    assert env.fake.stats.status[404] == 0  # never tried the deleted channel


async def test_removing_the_bot_stops_the_server(env: Env) -> None:
    await env.setup_alerts()
    await env.fake.remove_bot_from_guild(GUILD)

    async def stopped() -> bool:
        current = await env.subscription(ALERTS)
        return current is not None and not current.active

    await eventually(stopped)
    await env.advance_to(RACE1)
    assert env.fake.stats.status[403] == 0


async def test_a_server_left_while_offline_is_stopped_on_connect(env: Env) -> None:
    gone_guild = "999999999999999999"
    await env.app.store.subscribe(
        "discord", "888", env.clock.now(), chat_kind="channel", guild_id=gone_guild
    )
    adapter = env.app.adapters[0]
    await adapter.servers.reconcile()  # type: ignore[attr-defined]
    stale = await env.subscription(888)
    assert stale is not None
    assert not stale.active


async def test_deleted_alert_role_means_posts_without_ping(env: Env) -> None:
    await env.setup_alerts(by=ADMIN)
    await env.fake.delete_role(GUILD, ALERT_ROLE)

    async def unpinged() -> bool:
        current = await env.subscription(ALERTS)
        return current is not None and current.role_id is None and current.active

    await eventually(unpinged)
    (dm,) = await env.fake.wait_for_dms(ADMIN, 1)
    assert env.readable(dm["content"]) == (
        "Rollen @Race alerts i Bäckman fans togs bort: påminnelserna skickas nu utan ping. "
        "Kör /konfigurera för att välja en ny roll."
    )
    await env.advance_to(RACE1 - timedelta(minutes=15))
    (reminder,) = await env.fake.wait_for_messages(ALERTS, 1)
    assert reminder["content"] is None
    assert reminder["mention_roles"] == []


async def test_setup_warns_about_what_the_bot_may_not_do(env: Env) -> None:
    env.fake.set_bot_permissions(
        GUILD, manage_roles=False, manage_events=False, create_events=False
    )
    env.fake.add_role(GUILD, ALERT_ROLE + 1, "Quiet", mentionable=False)
    await env.fake.flush_gateway()
    answer = await env.setup_alerts(role=ALERT_ROLE + 1)
    assert env.readable(answer.content) == (
        "Sparat: påminnelserna går till #alerts, @Quiet, på svenska.\n"
        "Varning: jag kan inte dela ut @Quiet när fans skriver /prenumerera. Ge mig Hantera "
        "roller och lägg min roll ovanför @Quiet.\n"
        "Varning: @Quiet går inte att pinga. Gör rollen nämnbar (Tillåt alla att @nämna den "
        "här rollen).\n"
        "Tips: ge mig Hantera evenemang så lägger jag helgens pass som evenemang i servern."
    )
    fan = await env.command(FAN, "subscribe")
    assert "Jag får inte dela ut rollen @Quiet" in (fan.content or "")
    await env.settle()
    assert env.fake.role_changes == []
    assert env.fake.stats.status[403] == 0  # told from the cache, never asked Discord


async def test_a_failing_role_change_is_answered(env: Env) -> None:
    await env.setup_alerts()
    await env.events_synced()
    env.fake.fail_next_guild(GUILD, 503)
    answer = await env.command(FAN, "subscribe")
    assert answer.content == "Det gick inte att ändra rollen just nu, försök igen om en stund."
    assert env.fake.member_roles(GUILD, FAN) == []


async def test_commands_in_a_dm_with_the_bot(env: Env) -> None:
    joined = await env.fake.invoke_dm_command(FAN, "subscribe", {"choices": "race"})
    await joined.wait_response()
    assert "Prenumerationen är sparad" in (joined.content or "")
    (dm_target,) = [t for t in await env.app.store.targets() if t.chat_kind == "private"]
    assert dm_target.kinds is not None
    assert [k.value for k in dm_target.kinds] == ["race"]
    tuned = await env.fake.invoke_dm_command(FAN, "settings", {"timezone": "Asia/Seoul"})
    await tuned.wait_response()
    assert "**Tidszon: **Seoul" in str(tuned.embeds)
    await env.advance_to(RACE1 - timedelta(minutes=15))
    reminder = (await env.fake.wait_for_dms(FAN, 1))[-1]
    assert "19:15" in reminder["embeds"][0]["description"]  # 10:15 UTC in Seoul
    with pytest.raises(PermissionError):
        await env.fake.invoke_dm_command(FAN, "setup", {"channel": ALERTS})
    stop = await env.fake.invoke_dm_command(FAN, "unsubscribe")
    await stop.wait_response()
    assert stop.content == "Du får inga fler utskick. Skriv /prenumerera för att börja igen."
    again = await env.fake.invoke_dm_command(FAN, "unsubscribe", locale="en-US")
    await again.wait_response()
    assert again.content == "This chat is not subscribed. Send /subscribe."


async def test_setup_keeps_the_channel_and_its_admin_as_fields(env: Env) -> None:
    await env.setup_alerts(by=ADMIN)
    saved = await env.subscription(ALERTS)
    assert saved is not None
    assert (saved.channel_name, saved.admin_id, saved.title) == ("alerts", str(ADMIN), "#alerts")


async def test_server_and_personal_settings_are_two_commands(env: Env) -> None:
    await env.setup_alerts()
    server = env.fake.get_command("server-settings")
    assert server["name_localizations"]["sv-SE"] == "serverinställningar"
    assert "server-settings" not in env.fake.visible_commands(GUILD, FAN)
    personal = env.fake.get_command("settings")
    assert "DM" in personal["description_localizations"]["sv-SE"]
    # an admin's /settings is their own DMs, never the channel's reminders
    mine = await env.command(OWNER, "settings", {"reminders": "5"})
    assert "via: Direktmeddelande" in (mine.content or "")
    saved = await env.subscription(ALERTS)
    assert saved is not None
    assert saved.leads != (5,)
    help_text = str((await env.command(OWNER, "help")).embeds)
    assert "/serverinställningar" in help_text
    assert "/inställningar" in help_text
    assert "/serverinställningar" not in str((await env.command(FAN, "help")).embeds)
