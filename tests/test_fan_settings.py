"""Settings that say what they do, through the fake Bot API and the real PTB client (#14):
a ✓ on every preset in force, /subscribe alla, /unsubscribe KIND, an ambiguous /schedule,
summaries in words ("Pass: race, kval", "Tidszon: New York") in the chat's language."""

from __future__ import annotations

from tests import test_telegram
from tests.test_telegram import USER, Env, callback_data

env = test_telegram.env  # the same App on FakeTelegram as tests/test_telegram.py


def ticked(msg: object) -> list[str]:
    markup = getattr(msg, "reply_markup", None) or {}
    return [b["text"] for row in markup["inline_keyboard"] for b in row if b["text"][0] == "✓"]


async def test_every_preset_in_force_shows_its_tick(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    shown = await env.command(USER, USER, "/settings", "Inställningar")
    # Nothing chosen yet: the defaults are presets too.
    assert ticked(shown) == ["✓ 🇸🇪 Svenska", "✓ ⏱ 60+15", "✓ Alla pass", "✓ Stockholm"]
    text = shown.text or ""
    assert "Språk: svenska" in text
    assert "Pass: alla" in text
    assert "Tidszon: Stockholm" in text
    assert "Europe/Stockholm" not in text
    for data, wanted in (
        ("set:kinds:race+qualifying", "✓ Race+kval"),
        ("set:leads:30", "✓ ⏱ 30"),
        ("set:tz:America/New_York", "✓ New York"),
    ):
        assert data in callback_data(shown)
        env.fake.push_callback(USER, USER, shown.message_id, data)
        await env.fake.wait_until(lambda w=wanted: w in ticked(shown))  # type: ignore[misc]
    assert ticked(shown) == ["✓ 🇸🇪 Svenska", "✓ ⏱ 30", "✓ Race+kval", "✓ New York"]
    text = shown.text or ""
    assert "Pass: race, kval" in text
    assert "qualifying" not in text
    assert "Tidszon: New York" in text
    # The same summary in English after the switch, languages and places by name.
    env.fake.push_callback(USER, USER, shown.message_id, "set:language:en")
    await env.fake.wait_until(lambda: "Settings" in (shown.text or ""))
    text = shown.text or ""
    assert "Language: English" in text
    assert "Sessions: races, qualifying" in text
    assert "Time zone: New York" in text or "zone: New York" in text
    assert "✓ Races+quali" in ticked(shown)
    # Every session kind tapped is "all": it shows as the preset and the word, not a list.
    env.fake.push_callback(USER, USER, shown.message_id, "set:kinds:race+qualifying+practice+other")
    await env.fake.wait_until(lambda: "✓ All sessions" in ticked(shown))
    assert "Sessions: all" in (shown.text or "")


async def test_subscribe_all_is_everything_again_and_plain_subscribe_says_what_it_keeps(
    env: Env,
) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    await env.command(USER, USER, "/subscribe race Kval", "pass: race, kval")
    kept = await env.command(USER, USER, "/subscribe", "behåller")
    assert (kept.text or "") == (
        "Du prenumererar redan och behåller dina val: serier: alla; pass: race, kval. "
        "Skriv /subscribe alla för att få allt igen."
    )
    await env.command(USER, USER, "/stop", "inga fler utskick")
    back = await env.command(USER, USER, "/subscribe", "Välkommen tillbaka")
    assert (back.text or "") == (
        "Välkommen tillbaka! Du får utskick igen, med dina tidigare val: serier: alla; "
        "pass: race, kval. Skriv /subscribe alla för att få allt."
    )
    await env.command(USER, USER, "/subscribe  ALLA ", "du får allt igen")
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert (target.series, target.kinds) == (None, None)
    await env.command(USER, USER, "/settings", "Pass: alla")
    await env.command(
        USER, USER, "/subscribe tcr-europe-2020", "serier: TCR Europe 2020; pass: alla"
    )
    await env.command(USER, USER, "/settings language en", "Settings")
    await env.command(USER, USER, "/subscribe all", "you get everything again")
    await env.command(USER, USER, "/subscribe everythin", "Unknown choice")  # a typo is refused


async def test_unsubscribe_narrows_and_bare_unsubscribe_explains(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    bare = await env.command(USER, USER, "/unsubscribe", "Vad ska bort?")
    assert (bare.text or "") == (
        "Vad ska bort? Skriv t.ex. /unsubscribe träning. Vill du sluta få utskick helt, "
        "skriv /stop."
    )
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert target.active
    narrowed = await env.command(USER, USER, "/unsubscribe träning", "borttaget")
    assert (narrowed.text or "") == (
        "Klart: träning är borttaget. Kvar: serier: alla; pass: race, kval, övrigt."
    )
    await env.command(
        USER,
        USER,
        "/unsubscribe wtcr-2021",
        "FIA WTCR 2021 är borttaget. Kvar: serier: GT4 European Series 2023, TCR",
    )
    refused = await env.command(USER, USER, "/unsubscribe race kval övrigt", "inget vara kvar")
    assert "/stop" in (refused.text or "")
    target = await env.app.store.get_subscription("telegram", str(USER))
    assert target is not None
    assert target.active
    assert target.kinds is not None
    assert len(target.kinds) == 3


async def test_an_ambiguous_round_asks_which_series(env: Env) -> None:
    await env.command(USER, USER, "/start", "Välkommen")
    asked = await env.command(USER, USER, "/schedule r6", "finns i flera serier")
    text = asked.text or ""
    assert text.startswith("'r6' finns i flera serier. Vilken menar du?")
    for choice in (
        "TCR Europe 2020: tcr-europe-2020/r6 (Jarama)",
        "FIA WTCR 2021: wtcr-2021/r6 (Inje Speedium)",
        "GT4 European Series 2023: gt4-european-series-2023/r6 (Barcelona)",
    ):
        assert choice in text, text
    await env.command(USER, USER, "/schedule tcr-europe-2020/r6", "Jarama")
    await env.command(USER, USER, "/schedule jarama", "Circuito del Jarama")
