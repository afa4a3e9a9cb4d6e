"""Translate discord.py / aiohttp failures into the delivery worker's four outcomes."""

from __future__ import annotations

import contextlib
from typing import Any

import aiohttp
import discord

from bot.platforms.base import DeliveryError, RetryLater, TargetGone, TransientFailure

#: Discord's JSON error code for a message that no longer exists (deleted by someone).
UNKNOWN_MESSAGE = 10008


class DeliveryErrors(contextlib.AbstractAsyncContextManager[None]):
    """Translate discord.py / aiohttp failures into the worker's four outcomes."""

    async def __aexit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> bool:
        if exc is None or isinstance(exc, DeliveryError):
            return False
        if isinstance(exc, discord.Forbidden | discord.NotFound):
            raise TargetGone(f"{exc.status} {exc.text or exc}") from exc
        if isinstance(exc, discord.RateLimited):
            raise RetryLater(exc.retry_after, str(exc)) from exc
        if isinstance(exc, discord.HTTPException):
            if exc.status == 429:
                raise RetryLater(_retry_after(exc), str(exc)) from exc
            if exc.status >= 500:
                raise TransientFailure(f"{exc.status} {exc.text}") from exc
            raise DeliveryError(f"{exc.status} {exc.text}") from exc
        if isinstance(exc, aiohttp.ClientError | TimeoutError | OSError):
            raise TransientFailure(repr(exc)) from exc
        return False


def _retry_after(exc: discord.HTTPException) -> float:
    try:
        return float(exc.response.headers.get("Retry-After", 1.0))
    except (AttributeError, TypeError, ValueError):
        return 1.0


def delivery_errors() -> DeliveryErrors:
    return DeliveryErrors()
