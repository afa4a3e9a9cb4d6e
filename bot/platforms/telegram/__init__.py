"""Telegram (python-telegram-bot 22): commands in, posts out as escaped HTML."""

from bot.platforms.telegram.adapter import (
    TelegramAdapter,
    confirm_keyboard,
    delivery_errors,
    link_keyboard,
    render_html,
    settings_change,
    settings_keyboard,
)

__all__ = [
    "TelegramAdapter",
    "confirm_keyboard",
    "delivery_errors",
    "link_keyboard",
    "render_html",
    "settings_change",
    "settings_keyboard",
]
