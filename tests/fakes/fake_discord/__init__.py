"""In-process fake of Discord's REST API v10 and gateway for end-to-end tests.

Why: the bot's Discord side has to be exercised with the *real* discord.py client
(its rate-limit pacing, interaction plumbing, view dispatch and caches) without any
network.  This fake speaks the wire protocol discord.py relies on, answers the way
Discord does (status codes, error JSON, rate-limit headers, validation limits) and
records everything the bot did so tests can assert on it.

Typical use::

    async with FakeDiscord() as fake:
        fake.add_guild(1, "Team", owner_id=10)
        fake.add_text_channel(1, 2, "general")
        with fake.patch_route_base():
            await client.login(fake.token)
            ...

Notes on discord.py (2.7) that shaped this package:

* ``Route.BASE`` holds the REST base URL; webhooks and interaction callbacks use the
  same ``Route`` class, so patching it redirects all REST traffic.
* A plain ``discord.Client`` never calls ``GET /gateway``: it connects straight to
  ``DiscordWebSocket.DEFAULT_GATEWAY`` (only ``AutoShardedClient`` asks
  ``/gateway/bot``), so :meth:`FakeDiscord.patch_route_base` patches that too.  After
  READY it resumes via ``resume_gateway_url``.
* It connects with ``?v=10&encoding=json&compress=zlib-stream`` (``zstd-stream`` when
  ``zstandard`` is installed).  zlib-stream is served as one shared zlib stream per
  connection, each frame ending with the ``Z_SYNC_FLUSH`` suffix; for zstd the fake
  falls back to plain text frames, which discord.py accepts as well.
* discord.py treats a 429 without a ``Via`` header as a Cloudflare ban and raises
  instead of retrying, so every response carries ``Via: 1.1 google``.
* It paces itself from ``X-RateLimit-Remaining``/``-Reset-After``/``-Bucket`` (and
  ``-Reset`` when ``unsync_clock=False``).
* It retries 500/502/504/524 by itself after sleeping ``1 + 2 * tries`` seconds, but
  raises ``DiscordServerError`` on a 503 straight away.
* A slash command used in a DM with the bot arrives without ``guild_id``/``member``:
  the invoker is a top-level ``user`` and ``channel`` is the DM channel (type 1), so
  discord.py builds a ``DMChannel`` and a ``User``.  The tree then only looks at global
  commands; Discord never offers guild commands, nor global ones whose ``contexts``
  lack 1 (BOT_DM) or that carry ``dm_permission: false`` (``@guild_only()``), in DMs.
  ``default_member_permissions`` is not applied in DMs.
* Without the GUILD_PRESENCES intent GUILD_CREATE lists only the bot's own member
  (Discord adds users in voice channels, which the fake does not model).

Layout, one job per module, all over one shared :class:`~.world.World`:

* ``world`` the state (settings, guilds, users, records), ids and waiting;
  ``model`` its records; ``permissions`` the bits and Discord's permission algorithm;
  ``building`` world building (``add_*``); ``actions`` what a user does (commands,
  autocomplete, clicks); ``options`` how the Discord client fills command options.
* ``gateway`` the websocket: zlib-stream frames, identify/resume, event dispatch.
* ``server`` the HTTP app and the order of checks; ``routing`` route table, calls and
  bodies; ``routes/`` the REST route groups (identity, commands, interactions,
  messages, DMs, guilds, scheduled events); ``messages`` and ``events`` the records
  those routes share.
* ``ratelimit`` buckets, the global limit and invalid-request counting; ``faults``
  injected failures.
* ``errors`` Discord's error bodies; ``validation`` and ``validation_commands`` the
  payload checks, true to Discord's documentation.
* ``fake`` :class:`FakeDiscord`, which composes the parts.
"""

from tests.fakes.fake_discord.fake import FakeDiscord
from tests.fakes.fake_discord.faults import FailStatus
from tests.fakes.fake_discord.interaction import Interaction
from tests.fakes.fake_discord.permissions import Permission
from tests.fakes.fake_discord.world import FakeStats

__all__ = ["FailStatus", "FakeDiscord", "FakeStats", "Interaction", "Permission"]
