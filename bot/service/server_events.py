"""Which Discord scheduled event a server has for which session (#19).

The bot finds its events by the id Discord gave them, kept here with a digest of what it
last sent, not by a tag in the text fans read. Adapters read and write these rows only
through this service, like every other store write.
"""

from __future__ import annotations

from collections.abc import Collection

from bot.scheduler import Engine
from bot.store.server_events import StoredEvent

__all__ = ["ServerEvents", "StoredEvent"]


class ServerEvents:
    """A server's events by session key: remembered after each request Discord accepted."""

    def __init__(self, engine: Engine) -> None:
        self.store = engine.store.server_events
        self.clock = engine.clock

    async def known(self, platform: str, guild_id: str) -> dict[str, StoredEvent]:
        return await self.store.for_guild(platform, guild_id)

    async def remember(
        self, platform: str, guild_id: str, session_key: str, event_id: str, digest: str | None
    ) -> None:
        """The event now made for the session, and the digest of what it shows."""
        event = StoredEvent(event_id, digest)
        await self.store.remember(platform, guild_id, session_key, event, self.clock.now())

    async def drop(self, platform: str, guild_id: str, session_key: str) -> None:
        """The session gets no event in this server while it stays in the coming weekend
        (an admin deleted it, or Discord refused its start as past)."""
        event = StoredEvent(None)
        await self.store.remember(platform, guild_id, session_key, event, self.clock.now())

    async def forget(self, platform: str, guild_id: str, session_keys: Collection[str]) -> None:
        """Sessions no longer in the server's coming weekend: their rows go."""
        await self.store.forget(platform, guild_id, session_keys)
