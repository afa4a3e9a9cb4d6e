"""PTB's errors as the four delivery outcomes of ``bot.platforms.base``.

Formatting bugs stay plain errors, so the worker backs off and eventually fails the row
instead of calling a broken message "gone".
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta

from telegram.error import (
    BadRequest,
    ChatMigrated,
    Forbidden,
    NetworkError,
    RetryAfter,
    TimedOut,
)

from bot.core.errors import brief
from bot.platforms.base import ChatMoved, RetryLater, TargetGone, TransientFailure

log = logging.getLogger(__name__)


def _seconds(value: int | float | timedelta) -> float:
    """PTB gives int seconds, or a timedelta when PTB_TIMEDELTA is set."""
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


@contextlib.contextmanager
def delivery_errors() -> Iterator[None]:
    """Translate PTB errors into the worker's outcomes; formatting bugs stay plain errors."""
    try:
        yield
    except RetryAfter as exc:
        raise RetryLater(_seconds(exc.retry_after), exc.message) from exc
    except ChatMigrated as exc:
        raise ChatMoved(str(exc.new_chat_id)) from exc
    except Forbidden as exc:
        raise TargetGone(exc.message) from exc
    except BadRequest as exc:
        text = exc.message.lower()
        if "chat not found" in text or "have no rights to send" in text:
            raise TargetGone(exc.message) from exc
        raise  # a bug in what we sent: let the worker back off and eventually fail the row
    except (TimedOut, NetworkError) as exc:
        raise TransientFailure(str(exc)) from exc


def not_modified(exc: BadRequest) -> bool:
    """An edit to the text already shown: nothing to do, not a failure."""
    return "message is not modified" in exc.message.lower()


class _LastPollAtShutdown(logging.Filter):
    """PTB logs a traceback when its last getUpdates at shutdown (to confirm the updates it
    fetched) meets 409 because Telegram still holds the long poll it just abandoned. That
    is expected, not a failure: say it in one line instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.getMessage().startswith("Error while calling `get_updates` one more"):
            return True
        error = record.exc_info[1] if record.exc_info else None
        log.info(
            "telegram: stopped with a poll still held by the Bot API (%s); updates fetched "
            "since the last confirmed poll may come again at the next start",
            brief(error) if error is not None else "no detail",
        )
        return False


LAST_POLL_FILTER = _LastPollAtShutdown()
