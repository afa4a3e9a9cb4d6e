"""Rendering the readers' refusals (``bot.core.errors.Said``) in a reader's language."""

from __future__ import annotations

from datetime import UTC, datetime

from babel.dates import format_date, format_datetime

from bot.core.errors import Day, Said, ScheduleError
from bot.core.texts import capitalized, texts


def _value(value: object, language: str, locale: str) -> object:
    if isinstance(value, Said):
        return say(value, language)
    if isinstance(value, Day):
        if isinstance(value.day, datetime):
            return format_datetime(value.day, value.pattern, tzinfo=UTC, locale=locale)
        return format_date(value.day, value.pattern, locale=locale)
    return value


def say(said: Said, language: str) -> str:
    """The sentence in ``language`` with its fields filled (nested ones in it too)."""
    chosen = texts(language)
    fields = {k: _value(v, language, chosen.locale) for k, v in said.fields.items()}
    return said.pick(chosen.authoring).format(**fields)


def refusal(error: ScheduleError, language: str) -> str:
    """Why a release line was refused and how to fix it, as the draft lists it:
    "tiden går inte att läsa. Skriv 14:30." (the line itself is quoted beside it)."""
    reason = error.reason(language)
    hint = error.advice(language)
    if not hint:
        return reason
    hint = capitalized(hint.strip())
    if hint[-1] not in ".?!":
        hint += "."
    return texts(language).authoring.refusal.format(reason=reason, hint=hint)
