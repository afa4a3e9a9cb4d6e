"""The public record of one interaction the fake dispatched and what the bot answered."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

JSON = dict[str, Any]

Waiter = Callable[[Callable[[], bool], float, str], Awaitable[None]]


@dataclass(eq=False)
class Interaction:
    """One interaction the fake dispatched and everything the bot answered to it.

    ``responses`` holds the callback bodies (``{"type": ..., "data": ...}``) in order;
    Discord accepts exactly one, so a second one is answered with 400/40060 and not
    recorded.  ``original`` is the live record of the ``@original`` message (created
    by callback type 4 or 5, updated by edits; it has an ``edits`` history).
    ``followups`` are the records of followup messages; after a deferral the first
    followup *is* the original message, as on Discord, which documents that behaviour as
    deprecated: edit ``@original`` instead.  ``deferred_answer`` says which of the two
    replaced the "thinking…" message: ``"edit_original"`` (PATCH
    ``/webhooks/{app}/{token}/messages/@original``) or ``"first_followup"`` (POST
    ``/webhooks/{app}/{token}``); ``None`` while it is still loading.  ``guild_id`` is
    ``None`` for an interaction in a DM with the bot (``context`` 1); its non-ephemeral
    replies are DM messages, so they show up in ``FakeDiscord.dms`` as well.
    """

    id: int
    token: str
    type: int
    guild_id: int | None
    channel_id: int
    user_id: int
    payload: JSON = field(repr=False)
    created_at: float = field(repr=False)
    responses: list[JSON] = field(default_factory=list)
    followups: list[JSON] = field(default_factory=list)
    original: JSON | None = None
    deferred_answer: str | None = None
    component_message_id: int | None = None
    _wait: Waiter | None = field(default=None, repr=False)

    async def wait_response(self, timeout: float = 5.0) -> JSON:  # noqa: ASYNC109
        """Wait for the first callback, because the bot answers asynchronously."""
        await self._waiter(lambda: bool(self.responses), timeout, f"a response to {self!r}")
        return self.responses[0]

    async def wait_followups(self, count: int, timeout: float = 5.0) -> list[JSON]:  # noqa: ASYNC109
        """Wait until at least ``count`` followups were sent."""
        await self._waiter(
            lambda: len(self.followups) >= count, timeout, f"{count} followups to {self!r}"
        )
        return list(self.followups)

    async def wait_until(
        self,
        predicate: Callable[[Interaction], bool],
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait for an arbitrary condition, e.g. a deferred reply being edited."""
        await self._waiter(lambda: predicate(self), timeout, f"condition on {self!r}")

    @property
    def _waiter(self) -> Waiter:
        if self._wait is None:
            raise RuntimeError("interaction is not attached to a FakeDiscord")
        return self._wait

    @property
    def original_id(self) -> int | None:
        """Id of the ``@original`` reply message, e.g. to click its buttons."""
        return None if self.original is None else int(self.original["id"])

    @property
    def response_type(self) -> int | None:
        """Callback type of the first response (4 message, 5 defer, 6, 7, 8, 9)."""
        return int(self.responses[0]["type"]) if self.responses else None

    @property
    def _current(self) -> JSON:
        if self.original is not None:
            return self.original
        if self.responses:
            data: JSON = self.responses[0].get("data") or {}
            return data
        return {}

    @property
    def content(self) -> str | None:
        """Current content of the reply (the original message after edits)."""
        value = self._current.get("content")
        return None if value is None else str(value)

    @property
    def embeds(self) -> list[JSON]:
        """Current embeds of the reply."""
        return list(self._current.get("embeds") or [])

    @property
    def components(self) -> list[JSON]:
        """Current components of the reply."""
        return list(self._current.get("components") or [])

    @property
    def attachments(self) -> list[JSON]:
        """Current files of the reply (``filename`` and ``bytes`` among the keys)."""
        return list(self._current.get("attachments") or [])

    @property
    def flags(self) -> int:
        """Message flags chosen by the first response (64 = ephemeral)."""
        if self.original is not None:
            return int(self.original.get("flags") or 0)
        if self.responses:
            return int((self.responses[0].get("data") or {}).get("flags") or 0)
        return 0

    @property
    def ephemeral(self) -> bool:
        """Whether only the invoking user can see the reply."""
        return bool(self.flags & 64)

    @property
    def deferred(self) -> bool:
        """Whether the first response was a deferral (type 5 or 6)."""
        return self.response_type in (5, 6)

    @property
    def choices(self) -> list[JSON]:
        """Autocomplete choices returned with callback type 8."""
        for response in self.responses:
            if response.get("type") == 8:
                return list((response.get("data") or {}).get("choices") or [])
        return []


# --------------------------------------------------------------------------- plumbing
