"""Telegram (python-telegram-bot 22): commands in, posts out as escaped HTML.

One module per job: ``adapter`` (lifecycle, polling or webhook, sending), ``handlers``
(commands, button taps, membership and migration updates), ``render`` (posts as HTML,
split to fit), ``keyboards`` (inline buttons), ``errors`` (PTB errors as delivery
outcomes), ``texts`` (the /settings presets; the button faces are in ``bot.core.texts``).
"""

from bot.platforms.telegram.adapter import TelegramAdapter
from bot.platforms.telegram.errors import delivery_errors
from bot.platforms.telegram.keyboards import (
    confirm_keyboard,
    link_keyboard,
    settings_change,
    settings_keyboard,
)
from bot.platforms.telegram.render import render_html

__all__ = [
    "TelegramAdapter",
    "confirm_keyboard",
    "delivery_errors",
    "link_keyboard",
    "render_html",
    "settings_change",
    "settings_keyboard",
]
