"""Drive the fake Discord with the real discord.py client.

Why: the fake is only useful if discord.py cannot tell it from Discord, so these tests
exercise it through the library's own login, gateway, interaction and REST paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import aiohttp
import discord
import pytest
from discord import app_commands

from tests.fakes.fake_discord import FakeDiscord, Permission

GUILD = 111111111111111111
OWNER = 222222222222222221
FAN = 222222222222222222
STRANGER = 222222222222222223
GENERAL = 333333333333333331
ALERTS = 333333333333333332
ALERT_ROLE = 444444444444444441
OTHER_ROLE = 444444444444444442


@dataclass
class Bot:
    """The client under test plus what its callbacks observed."""

    client: discord.Client
    tree: app_commands.CommandTree[discord.Client]
    seen: list[str] = field(default_factory=list)
    clicked: asyncio.Event = field(default_factory=asyncio.Event)


class SwedishTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        table = {"ping": "pinga", "Check that the bot answers": "Kolla att boten svarar"}
        return table.get(string.message) if locale is discord.Locale.swedish else None


class ClickView(discord.ui.View):
    def __init__(self, bot: Bot) -> None:
        super().__init__(timeout=30)
        self.bot = bot

    @discord.ui.button(label="Remind me", custom_id="remind:on")
    async def remind(
        self, interaction: discord.Interaction, button: discord.ui.Button[ClickView]
    ) -> None:
        self.bot.seen.append(f"clicked:{interaction.user.id}")
        self.bot.clicked.set()
        await interaction.response.edit_message(content="Reminders on", view=None)


def build_bot() -> Bot:
    client = discord.Client(intents=discord.Intents.default(), guild_ready_timeout=0.05)
    tree: app_commands.CommandTree[discord.Client] = app_commands.CommandTree(client)
    bot = Bot(client, tree)

    @tree.command(
        name=app_commands.locale_str("ping"),
        description=app_commands.locale_str("Check that the bot answers"),
    )
    async def ping(interaction: discord.Interaction) -> None:
        bot.seen.append(f"ping:{interaction.locale.value}")
        await interaction.response.send_message("pong", ephemeral=True)

    @tree.command(name="subscribe", description="Get race reminders")
    async def subscribe(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Click to subscribe", view=ClickView(bot))

    @tree.command(name="announce", description="Post to a channel")
    @app_commands.describe(channel="Where", role="Who to ping")
    async def announce(
        interaction: discord.Interaction, channel: discord.TextChannel, role: discord.Role
    ) -> None:
        bot.seen.append(f"announce:{channel.id}:{role.id}")
        await interaction.response.defer(ephemeral=True, thinking=True)
        await channel.send(f"{role.mention} race soon")
        await interaction.followup.send("done", ephemeral=True)

    @tree.command(name="team", description="Pick a team")
    async def team(interaction: discord.Interaction, name: str) -> None:
        await interaction.response.send_message(name)

    @team.autocomplete("name")
    async def team_autocomplete(
        interaction: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        teams = ["Ferrari", "Fenix", "McLaren"]
        return [app_commands.Choice(name=t, value=t) for t in teams if t.startswith(current)]

    @tree.command(name="whereami", description="Say where the command was used")
    async def whereami(interaction: discord.Interaction) -> None:
        channel = interaction.channel
        bot.seen.append(
            f"whereami:{interaction.guild_id}:{type(channel).__name__}:{interaction.channel_id}:"
            f"{type(interaction.user).__name__}:{interaction.user.id}:"
            f"dm={interaction.context.dm_channel}:send={interaction.app_permissions.send_messages}"
        )
        await interaction.response.defer(thinking=True)
        await interaction.followup.send(
            "You are in a DM",
            embed=discord.Embed(title="Next race"),
            file=discord.File(io.BytesIO(b"BEGIN:VCALENDAR"), "race.ics"),
        )

    @tree.command(name="setup", description="Configure the server")
    @app_commands.guild_only()
    async def setup(interaction: discord.Interaction) -> None:
        await interaction.response.send_message("configured", ephemeral=True)

    return bot


@pytest.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord(channel_bucket=(5, 0.5)) as fake:
        fake.add_guild(GUILD, "Racing fans", owner_id=OWNER)
        fake.add_text_channel(GUILD, GENERAL, "general")
        fake.add_text_channel(GUILD, ALERTS, "alerts")
        fake.add_role(GUILD, ALERT_ROLE, "Race alerts")
        fake.add_role(GUILD, OTHER_ROLE, "Everyone else")
        fake.add_member(GUILD, OWNER, "Owner", manage_guild=True)
        fake.add_member(GUILD, FAN, "Fan")
        yield fake


@pytest.fixture
def patched(fake: FakeDiscord) -> Iterator[None]:
    with fake.patch_route_base():
        yield


@pytest.fixture
async def bot(fake: FakeDiscord, patched: None) -> AsyncIterator[Bot]:
    bot = build_bot()
    await bot.client.login(fake.token)
    task = asyncio.create_task(bot.client.connect(reconnect=False))
    try:
        await asyncio.wait_for(bot.client.wait_until_ready(), 5)
        yield bot
    finally:
        await bot.client.close()
        await asyncio.wait_for(task, 5)


async def test_patch_restores_discord_py(fake: FakeDiscord) -> None:
    before = discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY
    with fake.patch_route_base():
        assert f"{fake.url}/api/v10" == discord.http.Route.BASE
    assert before == (discord.http.Route.BASE, discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY)


async def test_connect_populates_guild_cache(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    assert guild.name == "Racing fans"
    assert {c.id for c in guild.text_channels} == {GENERAL, ALERTS}
    assert guild.get_role(ALERT_ROLE) is not None
    assert guild.me is not None
    assert guild.me.id == fake.bot_user_id
    channel = guild.get_channel(GENERAL)
    assert isinstance(channel, discord.TextChannel)
    perms = channel.permissions_for(guild.me)
    assert perms.send_messages
    assert perms.manage_roles
    assert not perms.mention_everyone
    assert bot.client.application_id == fake.application_id


async def test_rest_gateway_and_unknown_route(fake: FakeDiscord) -> None:
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession() as session:
        async with session.get(f"{fake.url}/api/v10/gateway/bot", headers=headers) as resp:
            data = await resp.json()
        assert data["url"] == fake.gateway_url
        assert data["shards"] == 1
        async with session.get(f"{fake.url}/api/v10/nope", headers=headers) as resp:
            assert resp.status == 404
            assert await resp.json() == {"message": "404: Not Found", "code": 0}
        async with session.get(
            f"{fake.url}/api/v10/users/@me", headers={"Authorization": "Bot x"}
        ) as resp:
            assert resp.status == 401
            assert resp.headers["Via"]
    assert fake.stats.unknown_routes == ["GET /api/v10/nope"]
    assert fake.stats.invalid_requests == 1


async def test_wrong_token_is_login_failure(fake: FakeDiscord, patched: None) -> None:
    client = discord.Client(intents=discord.Intents.default())
    with pytest.raises(discord.LoginFailure):
        await client.login("WRONG")
    await client.close()
    assert fake.stats.status[401] == 1


async def test_sync_records_commands_with_localizations(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.set_translator(SwedishTranslator())
    synced = await bot.tree.sync()
    assert {c.name for c in synced} == {
        "ping",
        "subscribe",
        "announce",
        "team",
        "whereami",
        "setup",
    }
    ping = fake.get_command("ping")
    assert ping["name_localizations"] == {"sv-SE": "pinga"}
    assert ping["description_localizations"] == {"sv-SE": "Kolla att boten svarar"}
    # A re-sync keeps command ids stable, like Discord.
    again = await bot.tree.sync()
    assert {c.id for c in again} == {c.id for c in synced}
    assert len(fake.command_syncs) == 2


async def test_guild_sync_and_invalid_command_rejected(fake: FakeDiscord, bot: Bot) -> None:
    guild = discord.Object(GUILD)
    bot.tree.copy_global_to(guild=guild)
    await bot.tree.sync(guild=guild)
    assert fake.get_command("ping", guild_id=GUILD)["guild_id"] == str(GUILD)
    with pytest.raises(discord.HTTPException) as info:
        await bot.client.http.bulk_upsert_global_commands(
            fake.application_id, [{"name": "Bad Name", "description": "x", "type": 1}]
        )
    assert info.value.status == 400
    assert info.value.code == 50035


async def test_slash_command_ephemeral_reply(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    interaction = await fake.invoke_command(GUILD, GENERAL, FAN, "ping")
    response = await interaction.wait_response()
    assert response["type"] == 4
    assert interaction.content == "pong"
    assert interaction.ephemeral
    assert bot.seen == ["ping:sv-SE"]
    assert fake.messages.get(GENERAL, []) == []  # ephemeral replies are not channel messages


async def test_strict_invoke_requires_sync(fake: FakeDiscord, bot: Bot) -> None:
    with pytest.raises(LookupError):
        await fake.invoke_command(GUILD, GENERAL, FAN, "ping")


async def test_channel_and_role_options_are_resolved(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    interaction = await fake.invoke_command(
        GUILD, GENERAL, OWNER, "announce", {"channel": ALERTS, "role": ALERT_ROLE}
    )
    await interaction.wait_followups(1)
    assert bot.seen == [f"announce:{ALERTS}:{ALERT_ROLE}"]
    assert interaction.deferred
    assert interaction.deferred_answer == "first_followup"  # the deprecated way
    assert interaction.ephemeral
    assert interaction.content == "done"
    (posted,) = await fake.wait_for_messages(ALERTS, 1)
    assert posted["content"] == f"<@&{ALERT_ROLE}> race soon"


async def test_autocomplete_returns_choices(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    interaction = await fake.autocomplete(GUILD, GENERAL, FAN, "team", {"name": "Fe"}, "name")
    response = await interaction.wait_response()
    assert response["type"] == 8
    assert [c["value"] for c in interaction.choices] == ["Ferrari", "Fenix"]


async def test_button_click_reaches_view(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    command = await fake.invoke_command(GUILD, GENERAL, FAN, "subscribe")
    await command.wait_response()
    message_id = command.original_id
    assert message_id is not None
    assert fake.messages[GENERAL][0]["id"] == message_id  # public reply is in the channel
    click = await fake.click_button(GUILD, GENERAL, FAN, message_id, "remind:on")
    await asyncio.wait_for(bot.clicked.wait(), 5)
    assert (await click.wait_response())["type"] == 7
    record = fake.message(message_id)
    assert record["content"] == "Reminders on"
    assert record["components"] == []
    assert record["edits"][0]["content"] == "Click to subscribe"
    assert bot.seen == [f"clicked:{FAN}"]


async def test_channel_send_embed_and_allowed_mentions(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(ALERTS)
    assert isinstance(channel, discord.TextChannel)
    embed = discord.Embed(title="Monaco GP", description="Lights out at 15:00")
    sent = await channel.send(
        f"<@&{ALERT_ROLE}> <@&{OTHER_ROLE}> race!",
        embed=embed,
        allowed_mentions=discord.AllowedMentions(
            everyone=False, users=False, roles=[discord.Object(ALERT_ROLE)]
        ),
    )
    (record,) = fake.messages[ALERTS]
    assert record["id"] == sent.id
    assert record["embeds"][0]["title"] == "Monaco GP"
    assert record["allowed_mentions"]["parse"] == []
    assert record["allowed_mentions"]["roles"] == [ALERT_ROLE]
    # Both roles are mentionable, but allowed_mentions lets only the alert role ping.
    assert record["mention_roles"] == [ALERT_ROLE]
    assert sent.embeds[0].description == "Lights out at 15:00"


async def test_file_upload_and_message_edit(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(GENERAL)
    assert isinstance(channel, discord.TextChannel)
    message = await channel.send(
        "calendar", file=discord.File(io.BytesIO(b"BEGIN:VCALENDAR"), "race.ics")
    )
    assert message.attachments[0].filename == "race.ics"
    assert await message.attachments[0].read() == b"BEGIN:VCALENDAR"
    await message.edit(content="calendar (updated)")
    record = fake.messages[GENERAL][0]
    assert record["attachments"][0]["bytes"] == b"BEGIN:VCALENDAR"
    assert record["content"] == "calendar (updated)"
    assert [e["content"] for e in record["edits"]] == ["calendar"]


async def test_invalid_embed_is_rejected_like_discord(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(GENERAL)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.HTTPException) as info:
        await channel.send(embed=discord.Embed(description="x" * 4097))
    assert info.value.status == 400
    assert info.value.code == 50035
    assert "embeds.0.description" in str(info.value)
    with pytest.raises(discord.HTTPException):
        await channel.send("x" * 2001)


async def test_silent_flag_is_recorded_and_other_flags_refused(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(ALERTS)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("quiet hours", silent=True)
    await channel.send("loud")
    assert [m["flags"] for m in fake.messages[ALERTS]] == [4096, 0]  # SUPPRESS_NOTIFICATIONS
    headers = {"Authorization": f"Bot {fake.token}"}
    async with aiohttp.ClientSession() as session:
        for flags in (64, 4096 | 2, "4096"):  # ephemeral is for interactions only
            async with session.post(
                f"{fake.url}/api/v10/channels/{ALERTS}/messages",
                headers=headers,
                json={"content": "x", "flags": flags},
            ) as resp:
                assert resp.status == 400, flags
                body = await resp.json()
            assert body["code"] == 50035
            assert "flags" in body["errors"]
    assert len(fake.messages[ALERTS]) == 2


async def test_role_add_and_remove_recorded(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    member = await guild.fetch_member(FAN)
    role = guild.get_role(ALERT_ROLE)
    assert role is not None
    await member.add_roles(role)
    await member.remove_roles(role)
    assert fake.role_changes == [
        ("add", GUILD, FAN, ALERT_ROLE),
        ("remove", GUILD, FAN, ALERT_ROLE),
    ]


async def test_scheduled_event_create_edit_delete(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    start = datetime.now(UTC) + timedelta(days=3)
    event = await guild.create_scheduled_event(
        name="Monaco GP",
        start_time=start,
        end_time=start + timedelta(hours=2),
        entity_type=discord.EntityType.external,
        privacy_level=discord.PrivacyLevel.guild_only,
        location="Circuit de Monaco",
    )
    assert fake.scheduled_events[GUILD][event.id]["name"] == "Monaco GP"
    await event.edit(name="Monaco Grand Prix")
    assert fake.scheduled_events[GUILD][event.id]["name"] == "Monaco Grand Prix"
    fetched = await guild.fetch_scheduled_events()
    assert [e.name for e in fetched] == ["Monaco Grand Prix"]
    await event.delete()
    assert fake.scheduled_events[GUILD] == {}
    assert [c[0] for c in fake.scheduled_event_changes] == ["create", "modify", "delete"]


async def test_an_event_deleted_by_hand_answers_404(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    start = datetime.now(UTC) + timedelta(days=3)
    made = [
        await guild.create_scheduled_event(
            name=name,
            start_time=start,
            end_time=start + timedelta(hours=2),
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location="Circuit de Monaco",
        )
        for name in ("FP1", "Race")
    ]
    await fake.delete_event_by_hand(GUILD, made[0].id)
    await fake.wait_until(lambda: guild.get_scheduled_event(made[0].id) is None)
    with pytest.raises(discord.NotFound) as info:
        await made[0].edit(name="FP 1")
    assert info.value.code == 10070
    # "after the next list": the bot reads the list with the event in it, then it is gone
    await fake.delete_event_by_hand(GUILD, made[1].id, after_next_list=True)
    assert [e.id for e in await guild.fetch_scheduled_events()] == [made[1].id]
    with pytest.raises(discord.NotFound):
        await made[1].edit(name="Race 1")
    assert [c[0] for c in fake.scheduled_event_changes] == ["create", "create"]


async def test_scheduled_event_limit(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    start = datetime.now(UTC) + timedelta(days=3)
    for n in range(100):
        fake.scheduled_events[GUILD][n + 1] = {"id": str(n + 1), "status": 1, "name": f"e{n}"}
    with pytest.raises(discord.HTTPException) as info:
        await guild.create_scheduled_event(
            name="One too many",
            start_time=start,
            end_time=start + timedelta(hours=1),
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location="Spa",
        )
    assert info.value.status == 400
    assert info.value.code == 30038


async def test_missing_permissions_is_forbidden(fake: FakeDiscord, bot: Bot) -> None:
    fake.set_channel_permission(ALERTS, bot_can_send=False)
    channel = bot.client.get_channel(ALERTS)
    assert isinstance(channel, discord.TextChannel)
    with pytest.raises(discord.Forbidden) as info:
        await channel.send("hello")
    assert info.value.code == 50013
    assert fake.stats.invalid_requests == 1
    await fake.flush_gateway()
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    await asyncio.sleep(0.01)
    assert not channel.permissions_for(guild.me).send_messages  # CHANNEL_UPDATE reached the cache


async def test_429_is_retried_and_delivered(fake: FakeDiscord, bot: Bot) -> None:
    fake.fail_next(GENERAL, 429, retry_after=0.05)
    channel = bot.client.get_channel(GENERAL)
    assert isinstance(channel, discord.TextChannel)
    await channel.send("after rate limit")
    assert [m["content"] for m in fake.messages[GENERAL]] == ["after rate limit"]
    assert fake.stats.status[429] == 1


async def test_client_paces_itself_on_bucket_headers(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(GENERAL)
    assert isinstance(channel, discord.TextChannel)
    await asyncio.gather(*(channel.send(f"msg {n}") for n in range(7)))
    assert len(fake.messages[GENERAL]) == 7
    assert fake.stats.status[429] == 0  # discord.py waited for the bucket to reset


async def test_global_rate_limit(patched: None, fake: FakeDiscord) -> None:
    fake.global_rate = 3
    async with aiohttp.ClientSession() as session:
        statuses = []
        for _ in range(4):
            async with session.get(
                f"{fake.url}/api/v10/users/@me", headers={"Authorization": f"Bot {fake.token}"}
            ) as resp:
                statuses.append(resp.status)
                body = await resp.json()
    assert statuses == [200, 200, 200, 429]
    assert body["global"] is True
    assert resp.headers["X-RateLimit-Scope"] == "global"


async def test_deleted_channel_is_not_found(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(ALERTS)
    assert isinstance(channel, discord.TextChannel)
    await fake.delete_channel(ALERTS)
    with pytest.raises(discord.NotFound) as info:
        await channel.send("anyone there?")
    assert info.value.code == 10003
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    await asyncio.sleep(0.01)
    assert guild.get_channel(ALERTS) is None


async def test_dm_and_bot_removal(fake: FakeDiscord, bot: Bot) -> None:
    user = await bot.client.fetch_user(FAN)
    await user.send("Race starts in 1h")
    assert [m["content"] for m in fake.dms[FAN]] == ["Race starts in 1h"]
    removed = asyncio.Event()

    @bot.client.event
    async def on_guild_remove(guild: discord.Guild) -> None:
        removed.set()

    await fake.remove_bot_from_guild(GUILD)
    await asyncio.wait_for(removed.wait(), 5)
    assert bot.client.get_guild(GUILD) is None
    with pytest.raises(discord.Forbidden):
        await bot.client.http.send_message(
            GENERAL, params=discord.http.handle_message_parameters("x")
        )


async def test_gateway_resume_replays_missed_events(fake: FakeDiscord, bot: Bot) -> None:
    resumed = asyncio.Event()

    @bot.client.event
    async def on_resumed() -> None:
        resumed.set()

    # Reconnect is driven by discord.py's own loop only with reconnect=True; a
    # resumable close code makes it resume even with reconnect=False.
    await fake.disconnect_gateway(4000)
    fake.add_text_channel(GUILD, 333333333333333339, "paddock")
    await asyncio.wait_for(resumed.wait(), 5)
    await fake.flush_gateway()
    await asyncio.sleep(0.01)
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    assert guild.get_channel(333333333333333339) is not None


async def test_gateway_uses_zlib_stream(fake: FakeDiscord, bot: Bot) -> None:
    (query,) = fake.gateway_queries
    assert query == {"v": "10", "encoding": "json", "compress": "zlib-stream"}


async def test_injected_errors_have_discord_shapes(fake: FakeDiscord) -> None:
    url = f"{fake.url}/api/v10/channels/{GENERAL}/messages"
    headers = {"Authorization": f"Bot {fake.token}"}
    for status in (403, 404, 500, 502):
        fake.fail_next(GENERAL, status)
    async with aiohttp.ClientSession() as session:
        bodies = []
        for _ in range(4):
            async with session.post(url, json={"content": "x"}, headers=headers) as resp:
                bodies.append((resp.status, await resp.text()))
        async with session.post(url, json={"content": "ok"}, headers=headers) as resp:
            assert resp.status == 200
            assert resp.headers["X-RateLimit-Limit"] == "5"
            assert resp.headers["X-RateLimit-Remaining"] == "4"
            assert float(resp.headers["X-RateLimit-Reset-After"]) > 0
    assert bodies[0] == (403, '{"message": "Missing Permissions", "code": 50013}')
    assert bodies[1] == (404, '{"message": "Unknown Channel", "code": 10003}')
    assert bodies[2][0] == 500
    assert bodies[3][0] == 502
    assert "Bad Gateway" in bodies[3][1]


async def test_late_interaction_response_is_unknown_interaction(
    fake: FakeDiscord, bot: Bot
) -> None:
    errors: list[BaseException] = []

    @bot.tree.error
    async def on_error(
        interaction: discord.Interaction, error: app_commands.AppCommandError
    ) -> None:
        errors.append(error)

    await bot.tree.sync()
    fake.interaction_ack_timeout = 0.0
    interaction = await fake.invoke_command(GUILD, GENERAL, FAN, "ping")
    await fake.wait_until(lambda: bool(errors))
    assert interaction.responses == []
    original = errors[0].__cause__
    assert isinstance(original, discord.NotFound)
    assert original.code == 10062


# --------------------------------------------------------------------------- DM commands


async def test_slash_command_in_dm_has_dm_shape(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    interaction = await fake.invoke_dm_command(FAN, "whereami")
    await interaction.wait_followups(1)
    payload = interaction.payload
    assert "guild_id" not in payload
    assert "member" not in payload
    assert payload["user"]["id"] == str(FAN)
    assert payload["context"] == 1
    assert payload["authorizing_integration_owners"] == {"0": "0"}
    assert payload["channel"]["type"] == 1
    assert interaction.guild_id is None
    # The interaction's channel is the DM channel the REST API hands out for this user.
    dm = await (await bot.client.fetch_user(FAN)).create_dm()
    assert dm.id == interaction.channel_id == int(payload["channel_id"])
    assert bot.seen == [f"whereami:None:DMChannel:{dm.id}:User:{FAN}:dm=True:send=True"]
    assert interaction.deferred
    assert not interaction.ephemeral
    assert interaction.content == "You are in a DM"
    assert interaction.embeds[0]["title"] == "Next race"
    assert [(a["filename"], a["bytes"]) for a in interaction.attachments] == [
        ("race.ics", b"BEGIN:VCALENDAR")
    ]
    # A public reply in a DM is a DM message from the bot.
    assert [m["id"] for m in fake.dms[FAN]] == [interaction.original_id]


async def test_dm_command_ephemeral_reply_and_unknown_user(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    fake.add_user(STRANGER, "Stranger")
    interaction = await fake.invoke_dm_command(STRANGER, "ping", locale="en-GB")
    assert (await interaction.wait_response())["type"] == 4
    assert interaction.content == "pong"
    assert interaction.ephemeral
    assert bot.seen == ["ping:en-GB"]
    assert fake.dms.get(STRANGER, []) == []
    with pytest.raises(KeyError):
        await fake.invoke_dm_command(STRANGER + 100, "ping")


async def test_dm_refuses_commands_discord_would_not_offer(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    assert fake.get_command("setup")["dm_permission"] is False
    in_guild = await fake.invoke_command(GUILD, GENERAL, OWNER, "setup")
    await in_guild.wait_response()
    assert in_guild.content == "configured"
    with pytest.raises(PermissionError, match="not available in DMs"):
        await fake.invoke_dm_command(FAN, "setup")
    # Guild-scoped commands are never offered in DMs.
    await bot.client.http.bulk_upsert_guild_commands(
        fake.application_id, GUILD, [{"name": "local", "description": "x", "type": 1}]
    )
    with pytest.raises(LookupError, match="guild command"):
        await fake.invoke_dm_command(FAN, "local")
    # contexts is what current clients look at; dm_permission is the deprecated twin.
    await bot.client.http.bulk_upsert_global_commands(
        fake.application_id,
        [{"name": "serveronly", "description": "x", "type": 1, "contexts": [0]}],
    )
    with pytest.raises(PermissionError):
        await fake.invoke_dm_command(FAN, "serveronly")
    assert list(fake.interactions.values()) == [in_guild]  # nothing else was dispatched


async def test_dm_ignores_default_member_permissions(fake: FakeDiscord, bot: Bot) -> None:
    await bot.client.http.bulk_upsert_global_commands(
        fake.application_id,
        [
            {
                "name": "ping",
                "description": "x",
                "type": 1,
                "default_member_permissions": str(Permission.MANAGE_GUILD),
            }
        ],
    )
    with pytest.raises(PermissionError):
        await fake.invoke_command(GUILD, GENERAL, FAN, "ping")
    interaction = await fake.invoke_dm_command(FAN, "ping")
    await interaction.wait_response()
    assert interaction.content == "pong"


async def test_dm_autocomplete(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.sync()
    interaction = await fake.autocomplete_dm(FAN, "team", {"name": "Mc"}, "name")
    assert (await interaction.wait_response())["type"] == 8
    assert [c["value"] for c in interaction.choices] == ["McLaren"]
    assert interaction.payload["context"] == 1


# --------------------------------------------------------------------------- roles, failures


async def test_deleted_role_is_gone_everywhere(fake: FakeDiscord, bot: Bot) -> None:
    deleted: list[int] = []

    @bot.client.event
    async def on_guild_role_delete(role: discord.Role) -> None:
        deleted.append(role.id)

    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    member = await guild.fetch_member(FAN)
    await member.add_roles(discord.Object(ALERT_ROLE))
    assert fake.member_roles(GUILD, FAN) == [ALERT_ROLE]
    await fake.delete_role(GUILD, ALERT_ROLE)
    await fake.wait_until(lambda: deleted == [ALERT_ROLE])
    assert guild.get_role(ALERT_ROLE) is None
    assert fake.member_roles(GUILD, FAN) == []
    for call in (bot.client.http.add_role, bot.client.http.remove_role):
        with pytest.raises(discord.NotFound) as info:
            await call(GUILD, FAN, ALERT_ROLE)
        assert info.value.code == 10011
        assert info.value.text == "Unknown Role"
    assert fake.role_changes == [("add", GUILD, FAN, ALERT_ROLE)]
    with pytest.raises(ValueError, match="managed"):
        await fake.delete_role(GUILD, next(r.id for r in guild.roles if r.managed))


async def test_503_is_raised_at_once_without_retry(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_channel(GENERAL)
    assert isinstance(channel, discord.TextChannel)
    fake.fail_next(GENERAL, 503)
    loop = asyncio.get_running_loop()
    started = loop.time()
    with pytest.raises(discord.DiscordServerError) as info:
        await channel.send("lights out")
    assert loop.time() - started < 0.5  # a 500/502 would have slept 1 s before retrying
    assert info.value.status == 503
    assert info.value.text.startswith("upstream connect error or disconnect/reset before headers")
    assert fake.stats.requests["POST /channels/{channel_id}/messages"] == 1
    assert fake.messages.get(GENERAL, []) == []
    await channel.send("lights out")
    assert [m["content"] for m in fake.messages[GENERAL]] == ["lights out"]


async def test_guild_route_failures(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    channel = bot.client.get_channel(GENERAL)
    assert guild is not None
    assert isinstance(channel, discord.TextChannel)
    fake.fail_next_guild(GUILD, 404)
    await channel.send("channel routes are not affected")
    with pytest.raises(discord.NotFound) as not_found:
        await guild.fetch_member(FAN)
    assert (not_found.value.code, not_found.value.text) == (10004, "Unknown Guild")
    fake.fail_next_guild(GUILD, 403)
    with pytest.raises(discord.Forbidden) as forbidden:
        await bot.client.http.add_role(GUILD, FAN, ALERT_ROLE)
    assert forbidden.value.code == 50013
    fake.fail_next_guild(GUILD, 503)
    with pytest.raises(discord.DiscordServerError):
        await guild.fetch_scheduled_events()
    fake.fail_next_guild(GUILD, 429, times=2, retry_after=0.01)
    member = await guild.fetch_member(FAN)  # discord.py sleeps retry_after and retries
    assert member.id == FAN
    assert fake.stats.status[429] == 2
    assert fake.role_changes == []
    with pytest.raises(ValueError, match="cannot inject"):
        fake.fail_next_guild(GUILD, 418)  # type: ignore[arg-type]


async def test_injected_guild_errors_have_discord_shapes(fake: FakeDiscord) -> None:
    url = f"{fake.url}/api/v10/guilds/{GUILD}/members/{FAN}/roles/{ALERT_ROLE}"
    headers = {"Authorization": f"Bot {fake.token}"}
    for status in (500, 502, 503):
        fake.fail_next_guild(GUILD, status)
    async with aiohttp.ClientSession() as session:
        answers = []
        for _ in range(4):
            async with session.put(url, headers=headers) as resp:
                answers.append((resp.status, resp.content_type, await resp.text()))
    assert [a[:2] for a in answers] == [
        (500, "application/json"),
        (502, "text/html"),
        (503, "text/plain"),
        (204, "application/octet-stream"),
    ]
    assert fake.role_changes == [("add", GUILD, FAN, ALERT_ROLE)]


# --------------------------------------------------------------------------- scheduled events


async def test_external_event_counts_toward_the_limit(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    start = datetime.now(UTC) + timedelta(days=3)
    event_id = fake.add_external_event(
        GUILD, "Watch party", start, start + timedelta(hours=3), "Pub"
    )
    fetched = await guild.fetch_scheduled_event(event_id)
    assert fetched.creator_id == OWNER
    assert fetched.location == "Pub"
    await fake.flush_gateway()
    await fake.wait_until(lambda: guild.get_scheduled_event(event_id) is not None)
    for n in range(99):
        fake.add_external_event(GUILD, f"Party {n}", start, start + timedelta(hours=1), "Pub")
    with pytest.raises(discord.HTTPException) as info:
        await guild.create_scheduled_event(
            name="Monaco GP",
            start_time=start,
            end_time=start + timedelta(hours=2),
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location="Monaco",
        )
    assert (info.value.status, info.value.code) == (400, 30038)
    assert info.value.text == "Maximum number of uncompleted guild scheduled events reached (100)"
    with pytest.raises(ValueError, match="100"):
        fake.add_external_event(GUILD, "One more", start, start + timedelta(hours=1), "Pub")
    with pytest.raises(ValueError, match="past"):
        fake.add_external_event(GUILD, "Past", start - timedelta(days=9), start, "Pub")
    assert fake.scheduled_event_changes == []  # none of this was the bot's doing


# --------------------------------------------------------------------------- own permissions


async def test_bot_computes_its_own_permissions_from_cache(fake: FakeDiscord, bot: Bot) -> None:
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    me = guild.me
    assert me is not None
    assert [r.name for r in me.roles if r.managed] == [fake.bot_name]
    assert guild.member_count == 3
    alerts = guild.get_channel(ALERTS)
    general = guild.get_channel(GENERAL)
    assert isinstance(alerts, discord.TextChannel)
    assert isinstance(general, discord.TextChannel)
    fake.set_channel_permission(ALERTS, bot_can_send=False)
    await fake.wait_until(lambda: not alerts.permissions_for(me).send_messages)
    perms = alerts.permissions_for(me)
    assert (perms.manage_roles, perms.manage_events, perms.view_channel) == (True, True, True)
    assert general.permissions_for(me).send_messages

    start = datetime.now(UTC) + timedelta(days=3)
    theirs = fake.add_external_event(GUILD, "Watch party", start, start + timedelta(hours=1), "Pub")
    fake.set_bot_permissions(GUILD, manage_roles=False, manage_events=False)
    await fake.wait_until(lambda: not guild.me.guild_permissions.manage_roles)
    assert not general.permissions_for(guild.me).manage_events
    assert general.permissions_for(guild.me).create_events
    member = await guild.fetch_member(FAN)
    with pytest.raises(discord.Forbidden) as info:
        await member.add_roles(discord.Object(ALERT_ROLE))
    assert info.value.code == 50013
    # Create Events still covers the bot's own events, but not someone else's.
    ours = await guild.create_scheduled_event(
        name="Monaco GP",
        start_time=start,
        end_time=start + timedelta(hours=2),
        entity_type=discord.EntityType.external,
        privacy_level=discord.PrivacyLevel.guild_only,
        location="Monaco",
    )
    await ours.edit(name="Monaco Grand Prix")
    with pytest.raises(discord.Forbidden):
        await (await guild.fetch_scheduled_event(theirs)).delete()
    fake.set_bot_permissions(GUILD, create_events=False)
    with pytest.raises(discord.Forbidden):
        await ours.delete()
    fake.set_bot_permissions(GUILD, manage_roles=True, manage_events=True)
    await fake.wait_until(lambda: guild.me.guild_permissions.manage_roles)
    await member.add_roles(discord.Object(ALERT_ROLE))
    await ours.delete()
    assert fake.role_changes == [("add", GUILD, FAN, ALERT_ROLE)]


@contextlib.asynccontextmanager
async def connected(fake: FakeDiscord, intents: discord.Intents) -> AsyncIterator[discord.Client]:
    client = discord.Client(
        intents=intents, guild_ready_timeout=0.05, chunk_guilds_at_startup=False
    )
    await client.login(fake.token)
    task = asyncio.create_task(client.connect(reconnect=False))
    try:
        await asyncio.wait_for(client.wait_until_ready(), 5)
        yield client
    finally:
        await client.close()
        await asyncio.wait_for(task, 5)


async def test_guild_create_lists_other_members_only_with_presences(
    fake: FakeDiscord, patched: None
) -> None:
    # With the members intent discord.py caches every member GUILD_CREATE lists.
    async with connected(fake, discord.Intents(guilds=True, members=True)) as client:
        guild = client.get_guild(GUILD)
        assert guild is not None
        assert guild.me is not None
        assert guild.me.guild_permissions.manage_roles
        assert guild.get_member(FAN) is None
    intents = discord.Intents(guilds=True, members=True, presences=True)
    async with connected(fake, intents) as client:
        guild = client.get_guild(GUILD)
        assert guild is not None
        assert guild.get_member(FAN) is not None


# --------------------------------------------------------------------------- localization


class ShoutingTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        return "PINGA" if locale is discord.Locale.swedish and string.message == "ping" else None


def _option(name: str, localized: dict[str, str] | None = None) -> dict[str, object]:
    option: dict[str, object] = {"type": 3, "name": name, "description": "x"}
    if localized is not None:
        option["name_localizations"] = localized
    return option


async def test_localized_names_follow_discord_rules(fake: FakeDiscord, bot: Bot) -> None:
    await bot.tree.set_translator(ShoutingTranslator())
    with pytest.raises(discord.HTTPException) as synced:
        await bot.tree.sync()
    assert "name_localizations.sv-SE" in str(synced.value)

    base: dict[str, object] = {"name": "race", "description": "Next race", "type": 1}
    bad: list[tuple[dict[str, object], str]] = [
        ({**base, "name_localizations": {"sv-SE": "Lopp"}}, "0.name_localizations.sv-SE"),
        ({**base, "name_localizations": {"sv": "lopp"}}, "0.name_localizations.sv"),
        ({**base, "name_localizations": {"de": "r" * 33}}, "0.name_localizations.de"),
        ({**base, "name_localizations": {"fr": "la course"}}, "0.name_localizations.fr"),
        ({**base, "name_localizations": {"tr": "YARIŞ"}}, "0.name_localizations.tr"),
        (
            {**base, "description_localizations": {"fi": "x" * 101}},
            "0.description_localizations.fi",
        ),
        (
            {**base, "options": [_option("series", {"de": "Serie"})]},
            "0.options.0.name_localizations.de",
        ),
        (  # clashes with another option's default name
            {**base, "options": [_option("series"), _option("round", {"sv-SE": "series"})]},
            "0.options.1.name_localizations.sv-SE",
        ),
        (  # clashes with another option's name in the same locale
            {
                **base,
                "options": [
                    _option("series", {"sv-SE": "serie"}),
                    _option("round", {"sv-SE": "serie"}),
                ],
            },
            "0.options.1.name_localizations.sv-SE",
        ),
        (
            {
                "name": "Remind me",
                "type": 2,
                "name_localizations": {"sv-SE": "Påminn mig om alla lopp i hela säsongen"},
            },
            "0.name_localizations.sv-SE",
        ),
    ]
    for command, where in bad:
        with pytest.raises(discord.HTTPException) as info:
            await bot.client.http.bulk_upsert_global_commands(fake.application_id, [command])
        assert (info.value.status, info.value.code) == (400, 50035), command
        assert f"In {where}:" in str(info.value), command

    good = {
        **base,
        "name_localizations": {
            "sv-SE": "lopp",
            "ja": "レース",
            "hi": "दौड़",
            "th": "แข่งรถ",
            "de": "rennen",
        },
        "options": [
            _option("series", {"sv-SE": "serie"}),
            # The same localized name in another locale is fine.
            _option("round", {"sv-SE": "omgång", "de": "serie"}),
        ],
    }
    menu = {"name": "Remind me", "type": 2, "name_localizations": {"sv-SE": "Påminn mig"}}
    stored = await bot.client.http.bulk_upsert_global_commands(fake.application_id, [good, menu])
    assert (stored[0]["name_localizations"] or {})["ja"] == "レース"


async def test_enforced_nonce_returns_the_earlier_message(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_partial_messageable(GENERAL)
    first = await channel.send("LIVE NU", nonce="racebot-abc")
    again = await channel.send("LIVE NU", nonce="racebot-abc")  # discord.py enforces it
    assert again.id == first.id
    other = await channel.send("LIVE NU", nonce="racebot-xyz")
    assert other.id != first.id
    assert len(fake.messages[GENERAL]) == 2


async def test_a_lost_response_still_created_the_message(fake: FakeDiscord, bot: Bot) -> None:
    channel = bot.client.get_partial_messageable(GENERAL)
    fake.lose_next_response(GENERAL)
    with pytest.raises(aiohttp.ClientError):
        await channel.send("Race 1 om 15 min", nonce="racebot-r1")
    assert len(fake.messages[GENERAL]) == 1  # it was posted all the same
    retried = await channel.send("Race 1 om 15 min", nonce="racebot-r1")
    assert retried.id == fake.messages[GENERAL][0]["id"]
    assert len(fake.messages[GENERAL]) == 1


async def test_external_events_start_end_and_refuse_a_past_start(
    fake: FakeDiscord, bot: Bot
) -> None:
    """Discord's status automation for external events, and its 400 for a past start."""
    guild = bot.client.get_guild(GUILD)
    assert guild is not None
    now = datetime.now(UTC)
    clock = {"now": now}
    fake.now = lambda: clock["now"]
    created = await guild.create_scheduled_event(
        name="Race 1",
        start_time=now + timedelta(hours=1),
        end_time=now + timedelta(hours=2),
        entity_type=discord.EntityType.external,
        privacy_level=discord.PrivacyLevel.guild_only,
        location="Jarama",
    )
    assert created.status is discord.EventStatus.scheduled
    clock["now"] = now + timedelta(hours=1, minutes=1)
    await fake.run_event_automation(GUILD)

    def live() -> bool:
        cached = guild.get_scheduled_event(created.id)
        return cached is not None and cached.status is discord.EventStatus.active

    await fake.wait_until(live)
    clock["now"] = now + timedelta(hours=2)
    fetched = await guild.fetch_scheduled_event(created.id)  # a request runs it too
    assert fetched.status is discord.EventStatus.completed
    with pytest.raises(discord.HTTPException) as info:
        await guild.create_scheduled_event(
            name="Race 0",
            start_time=now + timedelta(minutes=30),  # before the fake's now
            end_time=now + timedelta(hours=3),
            entity_type=discord.EntityType.external,
            privacy_level=discord.PrivacyLevel.guild_only,
            location="Jarama",
        )
    assert (info.value.status, info.value.code) == (400, 50035)
    assert "Cannot schedule event in the past." in info.value.text
