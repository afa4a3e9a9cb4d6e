"""Every answer of Discord's two settings commands in words, never in codes (#19).

/server-settings (admins, the server's channel) and /settings (a fan's DMs), each with
every option, in Swedish and in English: no "Språk: sv", "Pass: race" for races, or
"Tidszon: Europe/Stockholm"; the answer names the catalogue's words.
"""

from __future__ import annotations

import re
from typing import Any

from tests.discord.world import ALERTS, FAN, OWNER, Env, Interaction

#: Option sets that together touch every setting, and back.
CHANGES: list[dict[str, Any]] = [
    {},
    {"timezone": "Asia/Tokyo"},
    {"reminders": "30 5"},
    {"spoilers": True, "quiet": "22-07", "digest": True},
    {"spoilers": False, "quiet": "off", "digest": False},
    {"timezone": "Europe/Stockholm"},
]
#: Words of the catalogue that must be shown; codes that must not.
WORDS = {
    "sv": ["**Språk: **svenska", "**Tidszon: **"],
    "en": ["**Language: **English", "**Time zone: **"],
}
CODES = {
    "sv": re.compile(r"\*\*: \*\*(sv|en)\b|\b(qualifying|practice|other|default|every)\b"),
    "en": re.compile(r"\*\*: \*\*(sv|en)\b|\brace\b|\b(kval|träning|default|every)\b"),
}
ANY_LANGUAGE = re.compile(
    r"\b(Europe|Asia|America|Australia)/\w+|\b(True|False|None)\b|tcr-europe-2020|\{|\}"
)


def _words(answer: Interaction) -> str:
    parts = [answer.content or ""]
    for embed in answer.embeds or []:
        parts += [embed.get("title") or "", embed.get("description") or ""]
        parts += [f"{f['name']} {f['value']}" for f in embed.get("fields", [])]
    return "\n".join(parts)


def _check(answer: Interaction, language: str) -> str:
    shown = _words(answer)
    assert answer.ephemeral
    for word in WORDS[language]:
        assert word in shown, shown
    assert not CODES[language].search(shown), shown
    assert not ANY_LANGUAGE.search(shown), shown
    return shown


async def _every_answer(env: Env, user: int, command: str) -> list[str]:
    """Each change in both languages (the answer speaks the chat's language, whatever the
    client's), the language switched in between."""
    shown = []
    for language, locale in (("sv", "sv-SE"), ("en", "en-US")):
        switched = await env.command(user, command, {"language": language}, locale=locale)
        shown.append(_check(switched, language))
        for options in CHANGES:
            for client in ("sv-SE", "en-US"):
                shown.append(
                    _check(await env.command(user, command, options, locale=client), language)
                )
    return shown


async def test_server_settings_answer_in_words(env: Env) -> None:
    await env.setup_alerts()
    narrowed = await env.command(
        OWNER, "subscribe", {"choices": "race tcr-europe-2020"}, channel=ALERTS
    )
    assert "TCR Europe" in (narrowed.content or ""), narrowed.content
    shown = await _every_answer(env, OWNER, "server-settings")
    assert "**Tidszon: **Tokyo" in "".join(shown)
    assert "**Time zone: **Stockholm" in "".join(shown)
    assert "**Pass: **race" in shown[1]  # Swedish says "race"; English "races"
    assert "**Sessions: **races" in shown[-1]
    assert "**Serier: **TCR Europe" in shown[1]
    assert "**Quiet hours: **22:00–07:00" in "".join(shown)
    assert "**Tysta timmar: **av" in shown[1]


async def test_personal_settings_answer_in_words(env: Env) -> None:
    await env.command(FAN, "subscribe", {"via": "dm", "choices": "race kval"})
    await env.fake.wait_for_dms(FAN, 1)
    shown = await _every_answer(env, FAN, "settings")
    assert "**Pass: **race, kval" in shown[1]
    assert "**Sessions: **races, qualifying" in shown[-1]
    assert "**Reminders (minutes before): **30, 5" in "".join(shown)
    assert "**Daily digest instead of practice reminders: **on" in "".join(shown)
