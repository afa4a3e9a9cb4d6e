"""Who listens: every change to a subscription, and the rebuild of the timers after it.

The one place that subscribes, stops, sets a Discord server up, follows a moved
Telegram chat and deactivates a target that went away, for every platform alike;
adapters call these with typed arguments and never touch the store themselves.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from bot.core.audience import Target
from bot.core.pings import DEFAULT as DEFAULT_INTEREST
from bot.scheduler import Engine
from bot.service.followups import after_answer


@dataclass(frozen=True, slots=True)
class Setup:
    """What /setup did: the server's reminder channel now, and the ones it replaced."""

    target: Target
    previous: tuple[Target, ...]


class Subscriptions:
    """Subscription changes over the store; each one rebuilds the engine's timers."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.store = engine.store
        self.clock = engine.clock

    # -- questions ----------------------------------------------------------------------

    async def get(self, platform: str, chat_id: str) -> Target | None:
        """The chat's subscription, active or not."""
        return await self.store.get_subscription(platform, chat_id)

    async def active(self, platform: str, chat_id: str) -> Target | None:
        """The chat's subscription if it is active."""
        target = await self.store.get_subscription(platform, chat_id)
        return target if target is not None and target.active else None

    async def targets(self, platform: str, *, active_only: bool = True) -> list[Target]:
        return [
            t for t in await self.store.targets(active_only=active_only) if t.platform == platform
        ]

    async def guild_targets(self, platform: str, guild_id: str) -> list[Target]:
        """A Discord server's active subscriptions (its channel and its members' DMs)."""
        return [t for t in await self.targets(platform) if t.guild_id == guild_id]

    async def alert_role(
        self, platform: str, guild_id: str, interest: str = DEFAULT_INTEREST
    ) -> str | None:
        """The role /setup stored for ``interest`` in this server's reminder channel."""
        for target in await self.guild_targets(platform, guild_id):
            role = dict(target.roles).get(interest)
            if role:
                return role
        return None

    # -- changes ------------------------------------------------------------------------

    async def subscribe(self, platform: str, chat_id: str, **fields: Any) -> Target:
        """Create or reactivate a subscription; only the given fields change."""
        target = await self.store.subscribe(platform, chat_id, self.clock.now(), **fields)
        await self.engine.rebuild()
        await self._catch_up(target)
        return target

    async def _catch_up(self, target: Target) -> None:
        """The weekend's preview, if it went out already, once the command's answer (the
        welcome) is sent: a fan reads "Välkommen" first (``bot.service.followups``)."""

        subscribed = self.clock.now()  # a window opening later is the preview's own fan-out

        async def catch_up() -> None:
            now = await self.store.get_subscription(target.platform, target.chat_id)
            if now is not None and now.active:  # still there (a closed DM was undone)
                await self.engine.catch_up(now, subscribed)

        await after_answer(catch_up)

    async def change(self, platform: str, chat_id: str, **fields: Any) -> Target | None:
        """Change some fields of an existing subscription; None when there is none."""
        target = await self.store.update_subscription(platform, chat_id, self.clock.now(), **fields)
        if target is not None:
            await self.engine.rebuild()
        return target

    async def remember_pin(self, platform: str, chat_id: str, message_id: str | None) -> None:
        """The preview the bot pinned in a chat now."""
        await self._where_posts_land(platform, chat_id, pinned_id=message_id)

    async def forget_topic(self, platform: str, chat_id: str) -> None:
        """The chat's forum topic is gone: its posts go to General from now on."""
        await self._where_posts_land(platform, chat_id, thread_id=None)

    async def _where_posts_land(self, platform: str, chat_id: str, **fields: str | None) -> None:
        """Fields that change where a post lands, not when: no timers to rebuild."""
        await self.store.update_subscription(platform, chat_id, self.clock.now(), **fields)

    async def deactivate(self, target: Target, reason: str) -> None:
        """Stop posting to ``target`` and drop what was queued for it."""
        await self.store.deactivate(target.id, reason, self.clock.now())
        await self.engine.rebuild()

    async def stop(self, platform: str, chat_id: str, reason: str) -> Target | None:
        """Deactivate the chat's subscription; None when it had no active one."""
        target = await self.active(platform, chat_id)
        if target is not None:
            await self.deactivate(target, reason)
        return target

    async def move(self, platform: str, old_chat_id: str, new_chat_id: str) -> None:
        """Follow a chat to its new id (a Telegram group that became a supergroup)."""
        await self.store.move_chat(platform, old_chat_id, new_chat_id, self.clock.now())
        await self.engine.rebuild()

    async def setup(
        self,
        platform: str,
        *,
        guild_id: str,
        channel_id: str,
        channel_name: str,
        admin_id: str,
        role_id: str | None,
        language: str,
        ping_roles: tuple[tuple[str, str], ...] = (),
    ) -> Setup:
        """Point a server's reminders at one channel; the server's other channels stop."""
        previous = tuple(
            t
            for t in await self.guild_targets(platform, guild_id)
            if t.chat_kind == "channel" and t.chat_id != channel_id
        )
        now = self.clock.now()
        target = await self.store.subscribe(
            platform,
            channel_id,
            now,
            chat_kind="channel",
            role_id=role_id,
            ping_roles=ping_roles,
            guild_id=guild_id,
            language=language,
            title=f"#{channel_name}",
            channel_name=channel_name,
            admin_id=admin_id,
        )
        for old in previous:
            await self.store.deactivate(old.id, f"moved to #{channel_name} by /setup", now)
        await self.engine.rebuild()
        await self._catch_up(target)
        return Setup(target, previous)

    async def leave_guild(self, platform: str, guild_id: str, reason: str) -> list[Target]:
        """Stop every subscription of a server the bot is no longer in."""
        gone = await self.guild_targets(platform, guild_id)
        now = self.clock.now()
        for target in gone:
            await self.store.deactivate(target.id, reason, now)
        if gone:
            await self.engine.rebuild()
        return gone

    async def absent_guilds(self, platform: str, present: Collection[str]) -> set[str]:
        """Servers with subscriptions that are not among ``present`` (left while offline)."""
        return {t.guild_id for t in await self.targets(platform) if t.guild_id} - set(present)

    async def role_deleted(self, platform: str, guild_id: str, role_id: str) -> list[Target]:
        """Forget a deleted role wherever a subscription pings it (the alert role, an
        interest's or a series' role); the subscriptions that pinged it."""
        changed = []
        for target in await self.guild_targets(platform, guild_id):
            if role_id not in (r for _, r in target.roles):
                continue
            kept = tuple((i, r) for i, r in target.ping_roles if r != role_id)
            fields: dict[str, Any] = {"ping_roles": kept}
            if target.role_id == role_id:
                fields["role_id"] = None
            await self.store.update_subscription(
                platform, target.chat_id, self.clock.now(), **fields
            )
            changed.append(target)
        return changed
