"""The Discord test world: a fan server on FakeDiscord and the whole App on virtual time.

Virtual time drives the TCR Europe Jarama weekend (race 1 starts 2020-11-07 10:15 UTC).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.platforms.discord import DiscordAdapter
from tests.fakes.fake_discord import FakeDiscord, Interaction
from tests.helpers import AppHarness, eventually

__all__ = ["Env", "eventually"]

GUILD = 111111111111111111
OWNER = 222222222222222221
FAN = 222222222222222222
ADMIN = 222222222222222223
MECHANIC = 222222222222222224
GENERAL = 333333333333333331
ALERTS = 333333333333333332
NEWS = 333333333333333333
ALERT_ROLE = 444444444444444441
TEAM_ROLE = 444444444444444442
RACE1 = datetime(2020, 11, 7, 10, 15, tzinfo=UTC)
START = datetime(2020, 11, 7, 9, 30, tzinfo=UTC)
RACE1_KEY = "tcr-europe-2020/r6/race1"
RACE2_KEY = "tcr-europe-2020/r6/race2"


@dataclass
class Env(AppHarness):
    """The App connected to FakeDiscord (see AppHarness for settle and advance_to)."""

    fake: FakeDiscord

    async def command(
        self,
        user: int,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        channel: int = GENERAL,
        locale: str = "sv-SE",
    ) -> Interaction:
        """Run a slash command in the server and wait for its answer."""
        interaction = await self.fake.invoke_command(
            GUILD, channel, user, name, options, locale=locale
        )
        await interaction.wait_response()
        if interaction.deferred:  # "thinking…" first, the answer follows
            await interaction.wait_until(lambda i: bool(i.content or i.embeds))
        return interaction

    def readable(self, text: str | None) -> str:
        """Clickable command mentions (``</setup:ID>``) as a Swedish client shows them
        (``/konfigurera``); a mention whose id is not the synced command's stays as it is."""

        def shown(match: re.Match[str]) -> str:
            command = self.fake.get_command(match[1])
            if command["id"] != match[2]:
                return match[0]
            return "/" + command.get("name_localizations", {}).get("sv-SE", command["name"])

        return re.sub(r"</([\w-]+):(\d+)>", shown, text or "")

    def grant_staff_commands(self, to: int = TEAM_ROLE) -> list[str]:
        """What the admin /help says: under Server Settings → Integrations an admin lets
        the staff role (or one member) use the commands Discord shows only to admins."""
        names = [
            c["name"]
            for c in self.fake.commands[None]
            if c.get("default_member_permissions") is not None and c["name"] != "setup"
        ]
        for name in names:
            self.fake.allow_command(GUILD, name, to)
        return names

    async def setup_alerts(self, by: int = OWNER, **options: Any) -> Interaction:
        wanted = {"channel": ALERTS, "role": ALERT_ROLE, "language": "sv", **options}
        interaction = await self.command(by, "setup", wanted)
        assert interaction.ephemeral
        assert "Sparat" in (interaction.content or ""), interaction.content
        return interaction

    async def staff_publish(
        self, command: str, options: dict[str, Any], by: int = OWNER
    ) -> dict[str, Any]:
        """A staff draft, then its Publish button, then until the posts are out; the draft
        message as it is then."""
        draft = await self.command(by, command, options)
        ids = [c["custom_id"] for row in draft.components for c in row["components"]]
        assert draft.original_id is not None, draft.content
        ok = next(i for i in ids if i.startswith("rb:ok:"))
        click = await self.fake.click_button(GUILD, GENERAL, by, draft.original_id, ok)
        await click.wait_response()
        await self.settle()
        return self.fake.message(draft.original_id)

    def events(self) -> dict[str, dict[str, Any]]:
        """The guild's scheduled events the bot made, by session key: matched by the event
        ids the bot stored, since the events' text no longer names the session."""
        adapter = self.app.adapters[0]
        assert isinstance(adapter, DiscordAdapter)
        ids = adapter.scheduled_events.event_ids.get(GUILD, {})
        events = self.fake.scheduled_events[GUILD]
        return {key: events[int(i)] for key, i in ids.items() if int(i) in events}

    async def events_synced(self) -> None:
        """Wait until the scheduled-event sync the last change started has finished."""
        adapter = self.app.adapters[0]
        assert isinstance(adapter, DiscordAdapter)
        await adapter.scheduled_events.idle()

    async def subscription(self, chat_id: int) -> Any:
        return await self.app.store.get_subscription("discord", str(chat_id))
