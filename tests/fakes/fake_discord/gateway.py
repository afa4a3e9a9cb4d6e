"""The fake gateway: identify, resume, heartbeats, member chunks and event dispatch."""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
import logging
import secrets
import zlib
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import WSMsgType, web

from tests.fakes.fake_discord.model import JSON, Guild

if TYPE_CHECKING:
    from tests.fakes.fake_discord.world import World


_log = logging.getLogger(__name__)


class Intent:
    """Gateway intent bits the fake looks at when deciding what to dispatch."""

    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15
    GUILD_SCHEDULED_EVENTS = 1 << 16
    PRIVILEGED = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT
    ALL = (1 << 26) - 1


@dataclass(eq=False)
class Conn:
    """One websocket connection and its outgoing queue (one zlib stream each)."""

    ws: web.WebSocketResponse
    compressor: zlib._Compress | None
    queue: asyncio.Queue[JSON | None] = field(default_factory=asyncio.Queue)
    session: Session | None = None
    closed: bool = False


@dataclass(eq=False)
class Session:
    """A gateway session: survives its connection, so a RESUME can replay events."""

    id: str
    intents: int
    shard: tuple[int, int]
    conn: Conn | None
    seq: int = 0
    sent: deque[JSON] = field(default_factory=lambda: deque(maxlen=2000))

    def owns(self, guild_id: int) -> bool:
        """Whether this shard receives the guild's events: ``(guild_id >> 22) % shards``."""
        return (guild_id >> 22) % self.shard[1] == self.shard[0]


class Gateway:
    """The websocket side: sessions, zlib-stream frames, READY/RESUME and event dispatch."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.sessions: dict[str, Session] = {}
        self.conns: set[Conn] = set()
        self.tasks: set[asyncio.Task[None]] = set()

    def guild_create(self, guild: Guild, intents: int) -> JSON:
        """GUILD_CREATE as one session sees it: the bot's own member is always in it."""
        data = self.world.guild_json(guild, full=True)
        if not intents & Intent.GUILD_PRESENCES:
            # Documented: without GUILD_PRESENCES, members holds only the bot (and users
            # in voice channels, which the fake has none of).
            data["members"] = [self.world.member_json(guild, guild.members[self.world.bot_user_id])]
        return data

    def emit_guild_create(self, guild: Guild) -> None:
        """GUILD_CREATE to every session that owns the guild, as each sees it."""
        if not guild.bot_present:
            return
        for session in list(self.sessions.values()):
            if session.owns(guild.id) and session.intents & Intent.GUILDS:
                self.dispatch(session, "GUILD_CREATE", self.guild_create(guild, session.intents))

    async def handle(self, request: web.Request) -> web.StreamResponse:
        """Serve one gateway websocket: HELLO, then read opcodes until it closes."""
        ws = web.WebSocketResponse(max_msg_size=0, autoping=True)
        await ws.prepare(request)
        self.world.gateway_queries.append(dict(request.query))
        compression = request.query.get("compress")
        encoding = request.query.get("encoding", "json")
        compressor = zlib.compressobj() if compression == "zlib-stream" else None
        if compression not in (None, "zlib-stream"):
            _log.debug("FakeDiscord: %s unsupported, sending plain text frames", compression)
        conn = Conn(ws, compressor)
        self.conns.add(conn)
        writer = asyncio.create_task(self._write_loop(conn))
        self.tasks.add(writer)
        try:
            if encoding != "json":
                await ws.close(code=4002, message=b"Error while decoding payload.")
                return ws
            self.send(
                conn,
                {
                    "op": 10,
                    "s": None,
                    "t": None,
                    "d": {
                        "heartbeat_interval": self.world.heartbeat_interval_ms,
                        "_trace": ["fake-gateway"],
                    },
                },
            )
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._receive(conn, msg.data)
                elif msg.type is WSMsgType.ERROR:
                    break
        finally:
            conn.closed = True
            self.conns.discard(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
                if ws.close_code in (1000, 1001):
                    # A clean client close ends the session for good, as on Discord.
                    self.sessions.pop(session.id, None)
            conn.queue.put_nowait(None)
            await writer
            self.tasks.discard(writer)
            self.world.notify()
        return ws

    async def _write_loop(self, conn: Conn) -> None:
        while True:
            item = await conn.queue.get()
            try:
                if item is None:
                    return
                if conn.closed or conn.ws.closed:
                    continue
                text = json.dumps(item, separators=(",", ":"))
                try:
                    if conn.compressor is not None:
                        data = conn.compressor.compress(text.encode())
                        data += conn.compressor.flush(zlib.Z_SYNC_FLUSH)
                        await conn.ws.send_bytes(data)
                    else:
                        await conn.ws.send_str(text)
                except (ConnectionError, RuntimeError):
                    conn.closed = True
            finally:
                conn.queue.task_done()

    def send(self, conn: Conn, payload: JSON) -> None:
        """Queue a payload on a connection; the writer compresses and sends in order."""
        if not conn.closed:
            conn.queue.put_nowait(payload)

    def dispatch(self, session: Session, event: str, data: JSON) -> None:
        """Send an event (op 0) on a session, numbered and kept for a RESUME."""
        session.seq += 1
        payload = {"op": 0, "s": session.seq, "t": event, "d": data}
        session.sent.append(payload)
        if session.conn is not None:
            self.send(session.conn, payload)

    def emit_guild(
        self, guild_id: int, event: str, data: JSON, *, intent: int = Intent.GUILDS
    ) -> None:
        """Dispatch a guild's event to the sessions that own it and have ``intent``."""
        guild = self.world.guilds.get(guild_id)
        if guild is None or not guild.bot_present:
            return
        for session in list(self.sessions.values()):
            if session.owns(guild_id) and session.intents & intent:
                self.dispatch(session, event, copy.deepcopy(data))

    def emit_dm(self, event: str, data: JSON) -> None:
        """Dispatch a DM event to shard 0, where Discord sends DMs."""
        for session in list(self.sessions.values()):
            if session.shard[0] == 0 and session.intents & Intent.DIRECT_MESSAGES:
                self.dispatch(session, event, copy.deepcopy(data))

    async def flush(self, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until every queued gateway event was written to the sockets."""
        for conn in list(self.conns):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(conn.queue.join(), timeout)

    async def disconnect(self, code: int = 4000) -> None:
        """Drop every gateway connection with a resumable close code (reconnect tests)."""
        for conn in list(self.conns):
            conn.closed = True
            if conn.session is not None and conn.session.conn is conn:
                conn.session.conn = None
            await conn.ws.close(code=code, message=b"fake disconnect")

    async def _close_quietly(self, conn: Conn, code: int) -> None:
        with contextlib.suppress(Exception):
            await conn.ws.close(code=code)

    async def _receive(self, conn: Conn, raw: str) -> None:
        try:
            msg = json.loads(raw)
            op = msg["op"]
        except (ValueError, KeyError, TypeError):
            await conn.ws.close(code=4002, message=b"Error while decoding payload.")
            return
        data = msg.get("d")
        if op == 1:
            self.send(conn, {"op": 11, "s": None, "t": None, "d": None})
        elif op == 2:
            await self._identify(conn, data or {})
        elif op == 6:
            await self._resume(conn, data or {})
        elif op == 8:
            self._request_members(conn, data or {})
        elif op in (3, 4):
            return
        else:
            await conn.ws.close(code=4001, message=b"Unknown opcode.")

    async def _identify(self, conn: Conn, data: JSON) -> None:
        if conn.session is not None:
            await conn.ws.close(code=4005, message=b"Already authenticated.")
            return
        if data.get("token") != self.world.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        intents = data.get("intents")
        if not isinstance(intents, int) or intents & ~Intent.ALL:
            await conn.ws.close(code=4013, message=b"Invalid intent(s).")
            return
        if intents & Intent.PRIVILEGED & ~self.world.allowed_privileged_intents:
            await conn.ws.close(code=4014, message=b"Disallowed intent(s).")
            return
        shard_raw = data.get("shard") or [0, 1]
        shard = (int(shard_raw[0]), int(shard_raw[1]))
        if shard[1] < 1 or not 0 <= shard[0] < shard[1]:
            await conn.ws.close(code=4010, message=b"Invalid shard.")
            return
        session = Session(secrets.token_hex(16), intents, shard, conn)
        conn.session = session
        self.sessions[session.id] = session
        guilds = [g for g in self.world.guilds.values() if g.bot_present and session.owns(g.id)]
        ready: JSON = {
            "v": 10,
            "user": {
                **self.world.user(self.world.bot_user_id),
                "verified": True,
                "mfa_enabled": False,
                "email": None,
            },
            "guilds": [{"id": str(g.id), "unavailable": True} for g in guilds],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.world.gateway_url,
            "application": {
                "id": str(self.world.application_id),
                "flags": self.world.application_flags(),
            },
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": [],
            "user_settings": {},
            "_trace": ["fake-gateway"],
        }
        if "shard" in data:
            ready["shard"] = list(shard)
        self.dispatch(session, "READY", ready)
        if intents & Intent.GUILDS:
            for guild in guilds:
                self.dispatch(session, "GUILD_CREATE", self.guild_create(guild, intents))
        self.world.notify()

    async def _resume(self, conn: Conn, data: JSON) -> None:
        session = self.sessions.get(str(data.get("session_id")))
        if data.get("token") != self.world.token:
            await conn.ws.close(code=4004, message=b"Authentication failed.")
            return
        seq = data.get("seq")
        if session is not None and session.conn is not None and session.conn is not conn:
            # Like Discord, a RESUME takes the session over from a dying connection.
            old = session.conn
            old.closed = True
            session.conn = None
            closer = asyncio.create_task(self._close_quietly(old, 4009))
            self.tasks.add(closer)
            closer.add_done_callback(self.tasks.discard)
        if session is None or not isinstance(seq, int):
            self.send(conn, {"op": 9, "s": None, "t": None, "d": False})
            return
        missed = [p for p in session.sent if p["s"] > seq]
        if session.sent and missed and missed[0]["s"] != seq + 1:
            self.send(conn, {"op": 9, "s": None, "t": None, "d": False})
            return
        conn.session = session
        session.conn = conn
        for payload in missed:
            self.send(conn, payload)
        self.dispatch(session, "RESUMED", {"_trace": ["fake-gateway"]})
        self.world.notify()

    def _request_members(self, conn: Conn, data: JSON) -> None:
        session = conn.session
        if session is None:
            return
        guild = self.world.guilds.get(int(data.get("guild_id", 0)))
        if guild is None:
            return
        query = str(data.get("query") or "").lower()
        user_ids = {int(u) for u in data.get("user_ids") or []}
        limit = int(data.get("limit") or 0)
        members = []
        for member in guild.members.values():
            user = self.world.users[member.user_id]
            if user_ids and member.user_id not in user_ids:
                continue
            if query and not str(user["username"]).startswith(query):
                continue
            members.append(self.world.member_json(guild, member))
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": members,
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [str(u) for u in user_ids if u not in guild.members],
        }
        if data.get("nonce") is not None:
            chunk["nonce"] = data["nonce"]
        if data.get("presences"):
            chunk["presences"] = []
        self.dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)

    async def session_for(self, guild_id: int | None) -> Session:
        """The session Discord would use: the guild's shard, or shard 0 for DMs."""

        def live() -> list[Session]:
            return [
                s
                for s in self.sessions.values()
                if s.conn is not None
                and not s.conn.closed
                and (s.shard[0] == 0 if guild_id is None else s.owns(guild_id))
            ]

        what = "DMs" if guild_id is None else f"guild {guild_id}"
        await self.world.wait_for(lambda: bool(live()), 5.0, f"a gateway session for {what}")
        return live()[-1]

    def connected(self) -> bool:
        """Whether a client identified (READY sent) and is still connected."""
        return any(s.conn is not None and not s.conn.closed for s in self.sessions.values())

    async def close_connections(self) -> None:
        """Close every socket first, so aiohttp shuts down without warnings."""
        for conn in list(self.conns):
            with contextlib.suppress(Exception):
                await conn.ws.close(code=1001, message=b"server shutting down")

    async def cancel_tasks(self) -> None:
        """Stop the writers and closers still running after the server went down."""
        for task in list(self.tasks):
            task.cancel()
        if self.tasks:
            await asyncio.gather(*self.tasks, return_exceptions=True)
