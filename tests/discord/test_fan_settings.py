"""Settings that say what they do on Discord, through the real discord.py client (#14):
summaries in words, /subscribe alla, /unsubscribe KIND, an ambiguous /schedule."""

from __future__ import annotations

from tests.discord.world import ALERTS, FAN, OWNER, Env


async def test_settings_read_as_words_in_the_channels_language(env: Env) -> None:
    await env.setup_alerts()
    shown = await env.command(OWNER, "server-settings", {"timezone": "America/New_York"})
    text = str(shown.embeds)
    assert "**Språk: **svenska" in text
    assert "**Pass: **alla" in text
    assert "**Tidszon: **New York" in text
    assert "America/New_York" not in text
    await env.command(OWNER, "subscribe", {"choices": "race kval"}, channel=ALERTS)
    english = await env.command(OWNER, "server-settings", {"language": "en"})
    text = str(english.embeds)
    assert "**Language: **English" in text
    assert "**Sessions: **races, qualifying" in text


async def test_subscribe_all_and_unsubscribe_kind_change_the_channel(env: Env) -> None:
    await env.setup_alerts()
    narrowed = await env.command(OWNER, "unsubscribe", {"choices": "practice"}, channel=ALERTS)
    assert narrowed.content == (
        "Klart: träning är borttaget. Kvar: serier: alla; pass: race, kval, övrigt."
    )
    kept = await env.command(OWNER, "subscribe", {"choices": "alla"}, channel=ALERTS)
    assert kept.content == "Klart: du får allt igen – alla serier och alla pass."
    saved = await env.subscription(ALERTS)
    assert saved is not None
    assert (saved.series, saved.kinds) == (None, None)


async def test_a_dm_subscription_keeps_its_choices_and_unsubscribe_stops_it(env: Env) -> None:
    joined = await env.fake.invoke_dm_command(FAN, "subscribe", {"choices": "race"})
    await joined.wait_response()
    again = await env.fake.invoke_dm_command(FAN, "subscribe")
    await again.wait_response()
    assert again.content == (
        "Du prenumererar redan och behåller dina val: serier: alla; pass: race. "
        "Skriv /prenumerera alla för att få allt igen."
    )
    stop = await env.fake.invoke_dm_command(FAN, "unsubscribe")  # Discord's /stop
    await stop.wait_response()
    assert stop.content == "Du får inga fler utskick. Skriv /prenumerera för att börja igen."


async def test_an_ambiguous_round_asks_which_series(env: Env) -> None:
    asked = await env.command(FAN, "schedule", {"weekend": "r6"})
    text = asked.content or str(asked.embeds)
    assert "'r6' finns i flera serier. Vilken menar du?" in text
    assert "TCR Europe 2020: tcr-europe-2020/r6 (Jarama)" in text
    assert "/schema tcr-europe-2020/r6" in text
    picked = await env.command(FAN, "schedule", {"weekend": "tcr-europe-2020/r6"})
    assert "Jarama" in str(picked.embeds)
