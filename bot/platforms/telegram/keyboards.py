"""Inline keyboards: a post's link buttons, Publish/Cancel on a draft, /settings taps.

A ``set:key:value`` tap comes back as a typed ``SettingsChange``, never as command text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.core.audience import DEFAULT_LEADS, Target
from bot.core.choices import zone_place
from bot.core.errors import UserError
from bot.core.markup import Post
from bot.core.model import SessionKind
from bot.core.quiet import window_text
from bot.core.texts import CATALOGUES, texts
from bot.platforms.telegram.texts import KIND_PRESETS, LEAD_PRESETS, ZONE_PRESETS
from bot.service.fan_settings import fan_setting
from bot.service.settings import SettingsChange

#: The longest face that still shows whole on half a phone's width.
HALF_ROW_LABEL = 16


def link_keyboard(post: Post) -> InlineKeyboardMarkup | None:
    """The post's link buttons as URL buttons: two short ones to a row, a longer one on a
    row of its own, so that no face is cut ("JA Bäckmans Faceb…")."""
    rows: list[list[InlineKeyboardButton]] = []
    for b in post.buttons:
        button = InlineKeyboardButton(b.label, url=b.url)
        last = rows[-1] if rows else None
        short = len(b.label) <= HALF_ROW_LABEL
        if last is not None and len(last) == 1 and short and len(last[0].text) <= HALF_ROW_LABEL:
            last.append(button)
        else:
            rows.append([button])
    return InlineKeyboardMarkup(rows) if rows else None


def confirm_keyboard(token: str, language: str) -> InlineKeyboardMarkup:
    """Publish or Cancel a staff draft; the token names the pending action."""
    names = texts(language).telegram
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(names.publish, callback_data=f"ok:{token}"),
                InlineKeyboardButton(names.cancel, callback_data=f"no:{token}"),
            ]
        ]
    )


def settings_keyboard(
    current: Target | None, language: str, default_leads: tuple[int, ...] = DEFAULT_LEADS
) -> InlineKeyboardMarkup:
    """One tap per common choice; ``set:key:value`` maps onto ``/settings key value``."""

    def mark(label: str, chosen: bool) -> str:
        return f"✓ {label}" if chosen else label

    lang = current.language if current else language
    # Compared as sets: the store keeps kinds sorted and leads longest first, presets
    # list them as a fan reads them; nothing chosen (None) is the default / everything.
    leads = set(current.lead_minutes(default_leads)) if current else None
    kinds = set(current.kinds or SessionKind) if current else None
    tz = current.timezone if current else None

    def preset(value: str) -> set[str]:
        return set(value.split("+"))

    rows = [
        [
            InlineKeyboardButton(
                mark(own.telegram.language_button, lang == code),
                callback_data=f"set:language:{code}",
            )
            for code, own in CATALOGUES.items()
        ],
        [
            InlineKeyboardButton(
                mark(f"⏱ {p}", leads == {int(m) for m in preset(p)}), callback_data=f"set:leads:{p}"
            )
            for p in LEAD_PRESETS
        ],
        [
            InlineKeyboardButton(
                mark(
                    texts(lang).telegram.kind_presets[value],
                    {k.value for k in kinds or ()} == preset(value),
                ),
                callback_data=f"set:kinds:{value}",
            )
            for value in KIND_PRESETS
        ],
    ]
    zones = [
        InlineKeyboardButton(mark(zone_place(z, lang), tz == z), callback_data=f"set:tz:{z}")
        for z in ZONE_PRESETS
    ]
    rows += [zones[i : i + 2] for i in range(0, len(zones), 2)]
    rows += fan_rows(current, lang, mark)
    return InlineKeyboardMarkup(rows)


#: The quiet window the button offers (the chat's zone); others by /settings quiet HH-HH.
QUIET_PRESET = "22-07"
QUIET_PRESET_WINDOW = (22 * 60, 7 * 60)


def fan_rows(
    current: Target | None, language: str, mark: Callable[[str, bool], str]
) -> list[list[InlineKeyboardButton]]:
    """Spoilers, quiet hours and the digest (#14): one toggle each, ✓ while on."""
    chosen = texts(language)
    spoilers = bool(current and current.spoilers)
    digest = bool(current and current.digest)
    quiet = current.quiet if current else None
    window = window_text(quiet or QUIET_PRESET_WINDOW)

    def toggle(label: str, key: str, on: bool, value: str = "on") -> InlineKeyboardButton:
        return InlineKeyboardButton(
            mark(label, on), callback_data=f"set:{key}:{'off' if on else value}"
        )

    return [
        [
            toggle(chosen.spoilers_button, "spoilers", spoilers),
            toggle(chosen.digest_button, "digest", digest),
        ],
        [
            toggle(
                chosen.quiet_button.format(window=window), "quiet", quiet is not None, QUIET_PRESET
            )
        ],
    ]


def settings_change(key: str, value: str) -> SettingsChange:
    """The typed change a ``set:key:value`` button stands for (unknown: change nothing)."""
    parts = tuple(value.split("+"))
    with contextlib.suppress(ValueError):
        if key == "language":
            return SettingsChange(language=value)
        if key == "leads":
            return SettingsChange(leads=tuple(int(p) for p in parts))
        if key == "kinds":
            return SettingsChange(kinds=tuple(SessionKind(p) for p in parts))
        if key == "tz":
            return SettingsChange(timezone=value)
    with contextlib.suppress(UserError):
        fan = fan_setting(key, [value], "en")
        if fan is not None:
            return SettingsChange(**fan)
    return SettingsChange()
