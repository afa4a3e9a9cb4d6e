"""Rendering the readers' refusals (``bot.core.errors.Said``) in a reader's language."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import cast

from babel.dates import format_date, format_datetime

from bot.core.errors import Day, Said, ScheduleError
from bot.core.texts import capitalized, texts
from bot.core.texts.catalogue import AuthoringPhrases


def _value(value: object, language: str, locale: str, in_chat: bool) -> object:
    if isinstance(value, Said):
        return say(value, language, in_chat=in_chat)
    if isinstance(value, Day):
        if isinstance(value.day, datetime):
            return format_datetime(value.day, value.pattern, tzinfo=UTC, locale=locale)
        return format_date(value.day, value.pattern, locale=locale)
    return value


class _FieldName:
    """Stands in for ``AuthoringPhrases`` to learn which field a ``Said`` picks."""

    def __getattr__(self, name: str) -> str:
        return name


def field_of(said: Said) -> str:
    return said.pick(cast(AuthoringPhrases, _FieldName()))


def say(said: Said, language: str, *, in_chat: bool = False) -> str:
    """The sentence in ``language`` with its fields filled (nested ones in it too);
    ``in_chat``: the wording for staff in chat where the CLI's differs (no --tz, --year)."""
    chosen = texts(language)
    fields = {k: _value(v, language, chosen.locale, in_chat) for k, v in said.fields.items()}
    template = said.pick(chosen.authoring)
    if in_chat:
        template = chosen.authoring.in_chat.get(field_of(said), template)
    return template.format(**fields)


def refusal(error: ScheduleError, language: str) -> str:
    """Why a release line was refused and how to fix it, as the draft lists it:
    "tiden går inte att läsa. Skriv 14:30." (the line itself is quoted beside it)."""
    reason = error.reason(language)
    said = error.said_hint
    hint = say(said, language, in_chat=True) if isinstance(said, Said) else error.advice(language)
    if not hint:
        return reason
    hint = capitalized(hint.strip())
    if hint[-1] not in ".?!":
        hint += "."
    return texts(language).authoring.refusal.format(reason=reason, hint=hint)
