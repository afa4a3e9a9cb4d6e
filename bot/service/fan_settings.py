"""The fan's weekend settings (#14): spoilers, quiet hours and the daily digest.

``/settings spoilers on``, ``/settings quiet 22-07`` (in the chat's own zone; ``off``
clears it), ``/settings digest on``. Parsed into the same typed ``SettingsChange`` as
the other settings (``bot.service.settings``), checked before anything is saved.
"""

from __future__ import annotations

from typing import Any

from bot.core.audience import Target
from bot.core.errors import UserError
from bot.core.markup import Bold, Line, line
from bot.core.quiet import parse_window, window_text
from bot.core.results.resolve import fold
from bot.core.texts import texts

ON = frozenset({"on", "pa", "ja", "yes", "true", "1", "aktiv", "enable", "sla pa"})
OFF = frozenset({"off", "av", "nej", "no", "false", "0", "inaktiv", "disable", "stang av"})
#: How people name each setting, folded ("spoilerskydd", "tysta timmar", "nattlage" …).
SPOILER_KEYS = frozenset({"spoilers", "spoiler", "spoilerskydd", "spoilerfri", "dolj"})
QUIET_KEYS = frozenset({"quiet", "tyst", "tysta", "tystatimmar", "nattlage", "night", "dnd"})
DIGEST_KEYS = frozenset({"digest", "dagsoversikt", "oversikt", "sammanfattning", "daily"})
#: Quiet hours off: a window that starts where it ends has no minute in it.
QUIET_OFF = (0, 0)


def _switch(key: str, values: list[str], language: str) -> bool:
    word = fold(" ".join(values))
    if word in ON:
        return True
    if word in OFF:
        return False
    chosen = texts(language)
    raise UserError(
        chosen.on_or_off.format(key=key, value=" ".join(values)), chosen.fan_settings_usage
    )


def fan_setting(key: str, values: list[str], language: str) -> dict[str, Any] | None:
    """The ``SettingsChange`` fields one ``key value…`` part asks for, or None when ``key``
    is not one of ours."""
    if key in SPOILER_KEYS or key.startswith("spoiler"):
        return {"spoilers": _switch(key, values, language)}
    if key in DIGEST_KEYS:
        return {"digest": _switch(key, values, language)}
    if key in QUIET_KEYS:
        if values and values[0] in ("timmar", "hours"):  # "/settings tysta timmar 22-07"
            values = values[1:]
        text = " ".join(values)
        if fold(text) in OFF:
            return {"quiet": QUIET_OFF}
        window = parse_window(text)
        if window is None:
            chosen = texts(language)
            raise UserError(chosen.quiet_unreadable.format(value=text), chosen.fan_settings_usage)
        return {"quiet": window}
    return None


def fan_fields(
    spoilers: bool | None, quiet: tuple[int, int] | None, digest: bool | None
) -> dict[str, Any]:
    """The subscription columns a change of ours sets (None leaves one as it is)."""
    fields: dict[str, Any] = {}
    if spoilers is not None:
        fields["spoilers"] = spoilers
    if digest is not None:
        fields["digest"] = digest
    if quiet is not None:
        window = None if quiet == QUIET_OFF else quiet
        fields["quiet_from"], fields["quiet_to"] = window or (None, None)
    return fields


def fan_lines(current: Target, language: str) -> list[Line]:
    """The /settings summary lines for ours, in words."""
    chosen = texts(language)

    def state(on: bool) -> str:
        return chosen.on if on else chosen.off

    quiet = window_text(current.quiet) if current.quiet else chosen.off
    return [
        line(Bold(f"{chosen.spoilers}: "), state(current.spoilers)),
        line(Bold(f"{chosen.quiet}: "), quiet),
        line(Bold(f"{chosen.digest}: "), state(current.digest)),
    ]
