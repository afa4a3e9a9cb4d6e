"""A fake Telegram Bot API server for end-to-end tests.

The real python-telegram-bot client talks to it over loopback HTTP, so tests exercise the same
code paths as production (form/multipart encoding, error mapping, long polling), while the fake
records what the bot sent and scripts the failures Telegram produces in the wild: flood control,
blocked users, kicked bots, group migrations, 5xx and slow responses.

Point PTB at it with ``base_url=f"{fake.url}/bot"`` and ``base_file_url=f"{fake.url}/file/bot"``.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import json
import math
import mimetypes
import re
import time
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Literal, Self

import aiohttp
from aiohttp import web

JSONDict = dict[str, Any]
FailKind = Literal["blocked", "kicked", "not_found", "migrate", "server_error", "timeout", "flood"]

MAX_TEXT = 4096
MAX_CAPTION = 1024
#: getFile refuses files over 20 MB (Bot API docs, getFile).
MAX_DOWNLOAD = 20 * 1024 * 1024
#: sendPhoto takes uploads of at most 10 MB (Bot API docs, sendPhoto).
MAX_PHOTO_UPLOAD = 10 * 1024 * 1024
#: The first bytes of the images Telegram makes a photo of (JPEG, PNG, GIF, WebP's RIFF).
_IMAGE_MAGIC = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"RIFF")
# Longer than racebot's 30 s send timeout (PTB's default is 5 s), so a scripted "timeout"
# really times out; pass ``delay`` for an answer that is merely slow.
DEFAULT_TIMEOUT_DELAY = 35.0
NOT_MODIFIED = (
    "Bad Request: message is not modified: specified new message content and reply markup "
    "are exactly the same as a current content and reply markup of the message"
)

# PTB posts non-string parameters JSON-encoded inside form fields (ints as "123", bools as
# "true", markup as a JSON object string); these say how to restore the JSON-body types.
_INT_KEYS = {
    "chat_id", "message_id", "offset", "limit", "user_id", "cache_time", "message_thread_id",
}  # fmt: skip
_FLOAT_KEYS = {"timeout"}
_BOOL_KEYS = {
    "show_alert", "disable_notification", "protect_content", "drop_pending_updates",
    "allow_paid_broadcast",
}  # fmt: skip
_JSON_KEYS = {
    "reply_markup", "allowed_updates", "commands", "scope", "entities", "caption_entities",
    "link_preview_options", "reply_parameters", "menu_button",
}  # fmt: skip
_API_METHODS = (
    "getMe", "getUpdates", "deleteWebhook", "setWebhook", "getWebhookInfo", "logOut", "close",
    "sendMessage", "sendDocument", "sendPhoto", "editMessageText", "editMessageReplyMarkup",
    "editMessageCaption",
    "answerCallbackQuery", "setMyCommands", "getMyCommands", "deleteMyCommands", "getChat",
    "getChatMember", "getChatAdministrators", "sendChatAction", "setChatMenuButton", "getFile",
    "setMyDescription", "getMyDescription", "setMyShortDescription", "getMyShortDescription",
    "pinChatMessage", "unpinChatMessage",
)  # fmt: skip
_FAILABLE = {"sendMessage", "sendDocument", "editMessageText"}  # what fail_next applies to
_SCRIPTED_ERRORS: dict[str, tuple[int, str]] = {
    "blocked": (403, "Forbidden: bot was blocked by the user"),
    "kicked": (403, "Forbidden: bot was kicked from the group chat"),
    "not_found": (400, "Bad Request: chat not found"),
    "server_error": (502, "Bad Gateway"),
}
_BOT_STATUSES = {"member", "administrator", "left", "kicked"}
_ADMIN_RIGHTS = (
    "manage_chat", "delete_messages", "manage_video_chats", "restrict_members",
    "promote_members", "change_info", "invite_users", "post_stories", "edit_stories",
    "delete_stories", "pin_messages",
)  # fmt: skip


class ApiError(Exception):
    """A Bot API error; raised inside method handlers and rendered as Telegram's error JSON."""

    def __init__(self, code: int, description: str, parameters: JSONDict | None = None) -> None:
        super().__init__(description)
        self.code = code
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        out: JSONDict = {"ok": False, "error_code": self.code, "description": self.description}
        if self.parameters:
            out["parameters"] = self.parameters
        return out


@dataclass
class SentMessage:
    """What the bot sent, as the fake stored it (``text``/``caption`` are the visible text)."""

    chat_id: int
    message_id: int
    text: str | None
    parse_mode: str | None
    reply_markup: JSONDict | None
    document: tuple[str, bytes] | None  # (filename, content)
    caption: str | None
    edits: list[str]  # previous visible texts, oldest first
    method: str  # "sendMessage" | "sendDocument"
    at: float  # server loop time when received
    raw: str | None = None  # text/caption exactly as sent, markup included
    date: int = 0
    params: JSONDict = field(default_factory=dict)  # every decoded request parameter
    photo: str | None = None  # the file_id of a sendPhoto
    thread_id: int | None = None  # the forum topic it went to (None: General)


@dataclass
class FakeStats:
    """Traffic counters, for asserting that the bot paces itself and backs off."""

    requests: Counter[str] = field(default_factory=Counter)  # by API method
    status: Counter[int] = field(default_factory=Counter)  # by HTTP status code
    flood_429s: int = 0  # 429s from the rate limiter (scripted "flood" failures not included)
    paid_sends: int = 0  # accepted sends that carried allow_paid_broadcast
    send_times: dict[int, list[float]] = field(default_factory=dict)  # accepted sends per chat


@dataclass
class _User:
    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = None


@dataclass
class _Chat:
    id: int
    type: str  # "private" | "group" | "supergroup"
    title: str | None = None
    user: _User | None = None  # the other party of a private chat
    members: dict[int, str] = field(default_factory=dict)  # user id -> status
    bot_status: str = "member"
    migrated_to: int | None = None
    next_message_id: int = 1
    #: A forum supergroup (topics on) and its topics: message_thread_id -> name.
    is_forum: bool = False
    topics: dict[int, str] = field(default_factory=dict)
    #: The bot's administrator rights that are off (e.g. {"pin_messages"}).
    bot_denied: set[str] = field(default_factory=set)
    #: Pinned message ids, oldest first, and the pin requests as (message_id, silent).
    pinned: list[int] = field(default_factory=list)
    pins: list[tuple[int, bool]] = field(default_factory=list)
    #: The topic each message written in one belongs to (users' and the bot's).
    message_threads: dict[int, int] = field(default_factory=dict)


@dataclass
class _Failure:
    kind: FailKind
    migrate_to: int | None
    retry_after: int | None
    delay: float


@dataclass
class _Call:
    """One decoded API request: parameters normalised to JSON types, plus uploaded files."""

    params: JSONDict
    files: dict[str, tuple[str, bytes]]

    @classmethod
    async def read(cls, request: web.Request) -> _Call:
        raw: dict[str, Any] = dict(request.query)
        files: dict[str, tuple[str, bytes]] = {}
        if request.content_type == "application/json":
            body = await request.json()
            raw.update(body if isinstance(body, dict) else {})
        elif request.can_read_body:  # urlencoded or multipart
            for key, value in (await request.post()).items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, value.file.read())
                else:
                    raw[key] = value
        return cls({key: _decode(key, value) for key, value in raw.items()}, files)

    def get_int(self, key: str, missing: str) -> int:
        value = self.params.get(key)
        if not isinstance(value, int) or isinstance(value, bool):
            raise ApiError(400, f"Bad Request: {missing}")
        return value

    def get_str(self, key: str) -> str | None:
        value = self.params.get(key)
        return None if value is None else str(value)


def _decode(key: str, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        if key in _INT_KEYS:
            return int(value) if re.fullmatch(r"-?\d+", value) else value  # "@channel" stays
        if key in _FLOAT_KEYS:
            return float(value)
        if key in _BOOL_KEYS:
            return value.lower() in ("true", "1")
        if key in _JSON_KEYS:
            return json.loads(value)
    except ValueError as exc:
        raise ApiError(400, f"Bad Request: can't parse {key}") from exc
    return value


# --- HTML parse mode -------------------------------------------------------------------------

_HTML_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre", "span",
    "tg-spoiler", "blockquote", "tg-emoji",
}  # fmt: skip
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ATTR_VALUE = r"(?:\"[^\"]*\"|'[^']*'|[^\s>\"']+)"
_ATTR_RE = re.compile(rf"([a-zA-Z][\w-]*)(?:\s*=\s*({_ATTR_VALUE}))?")
_START_TAG_RE = re.compile(
    rf"<([a-zA-Z][\w-]*)((?:\s+[a-zA-Z][\w-]*(?:\s*=\s*{_ATTR_VALUE})?)*)\s*>"
)
_END_TAG_RE = re.compile(r"</([a-zA-Z][\w-]*)\s*>")
_ENTITY_RE = re.compile(r"&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([a-zA-Z]+));")
_COMMAND_RE = re.compile(r"/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]+)?(?=\s|$)")
_BOT_COMMAND_RE = re.compile(r"[a-z0-9_]{1,32}")


def _entity_error(reason: str, text: str, index: int) -> ApiError:
    offset = len(text[:index].encode("utf-8"))  # Telegram reports UTF-8 byte offsets
    return ApiError(400, f"Bad Request: can't parse entities: {reason} at byte offset {offset}")


def parse_html(text: str) -> str:
    """Validate Telegram-flavoured HTML as strictly as Telegram does; return the visible text.

    Raises ApiError(400, "Bad Request: can't parse entities: ...") for unsupported or unbalanced
    tags and for ``&``/``<`` that do not start a valid entity or tag.
    """
    out: list[str] = []
    stack: list[tuple[str, int]] = []  # open tags with their start index
    i = 0
    while i < len(text):
        if text[i] == "&":
            m = _ENTITY_RE.match(text, i)
            named: str | None = m[3] if m else None
            if m is None or (named is not None and named not in _NAMED_ENTITIES):
                raise _entity_error("Unsupported HTML entity", text, i)
            code = ord(_NAMED_ENTITIES[named]) if named else int(m[1] or m[2], 10 if m[1] else 16)
            if not 0 < code <= 0x10FFFF or 0xD800 <= code <= 0xDFFF:
                raise _entity_error("Invalid character entity", text, i)
            out.append(chr(code))
            i = m.end()
        elif text.startswith("</", i):
            m = _END_TAG_RE.match(text, i)
            if m is None or not stack:
                raise _entity_error("Unexpected end tag", text, i)
            if (name := m[1].lower()) != stack[-1][0]:
                expected = stack[-1][0]
                raise _entity_error(
                    f'Unmatched end tag "</{name}>", expected "</{expected}>"', text, i
                )
            stack.pop()
            i = m.end()
        elif text[i] == "<":
            m = _START_TAG_RE.match(text, i)
            name = m[1].lower() if m else re.split(r"[\s>]", text[i + 1 :], maxsplit=1)[0]
            if m is None or name not in _HTML_TAGS:
                raise _entity_error(f'Unsupported start tag "{name}"', text, i)
            attrs = {key.lower(): value.strip("\"'") for key, value in _ATTR_RE.findall(m[2])}
            if name == "span" and attrs.get("class") != "tg-spoiler":
                raise _entity_error('Tag "span" must have class "tg-spoiler"', text, i)
            if name == "tg-emoji" and not attrs.get("emoji-id"):
                raise _entity_error('Tag "tg-emoji" must have attribute "emoji-id"', text, i)
            stack.append((name, i))
            i = m.end()
        else:
            out.append(text[i])
            i += 1
    if stack:
        name, start = stack[-1]
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{name}"', text, start)
    return "".join(out)


_ENTITY_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "a": "text_link", "code": "code", "pre": "pre", "span": "spoiler", "tg-spoiler": "spoiler",
    "blockquote": "blockquote",
}  # fmt: skip
_TOKEN_RE = re.compile(rf"{_END_TAG_RE.pattern}|{_START_TAG_RE.pattern}|{_ENTITY_RE.pattern}")


def html_entities(text: str) -> list[JSONDict]:
    """The message entities Telegram reports for (already validated) HTML ``text``:
    what a client reads back as formatting (PTB's ``Message.text_html``)."""
    entities: list[JSONDict] = []
    stack: list[tuple[str, int, dict[str, str]]] = []
    offset = i = 0
    while i < len(text):
        m = _TOKEN_RE.match(text, i) if text[i] in "<&" else None
        if m is None or text[i] == "&":
            piece = parse_html(m[0]) if m else text[i]
            offset += len(piece.encode("utf-16-le")) // 2
            i = m.end() if m else i + 1
        elif m[1]:  # an end tag
            name, start, attrs = stack.pop()
            if name in _ENTITY_TYPES and offset > start:
                entity: JSONDict = {
                    "type": _ENTITY_TYPES[name],
                    "offset": start,
                    "length": offset - start,
                }
                if name == "a":
                    entity["url"] = html.unescape(attrs.get("href", ""))
                entities.append(entity)
            i = m.end()
        else:
            found = dict((k.lower(), v.strip("\"'")) for k, v in _ATTR_RE.findall(m[3]))
            stack.append((m[2].lower(), offset, found))
            i = m.end()
    return sorted(entities, key=lambda e: (e["offset"], -e["length"]))


def _visible(text: str, parse_mode: str | None) -> str:
    """MarkdownV2 is not parsed: such texts are stored as sent."""
    return parse_html(text) if (parse_mode or "").lower() == "html" else text


def _message_text(call: _Call) -> tuple[str, str]:
    """(raw, visible) text of a send/edit, checked like Telegram checks it."""
    raw = call.get_str("text") or ""
    text = _visible(raw, call.get_str("parse_mode"))
    if not text.strip():
        raise ApiError(400, "Bad Request: message text is empty")
    if len(text) > MAX_TEXT:  # Telegram counts characters after entity parsing
        raise ApiError(400, "Bad Request: message is too long")
    return raw, text


def _caption(call: _Call) -> tuple[str | None, str | None]:
    """A media message's caption as sent and as shown; Telegram refuses one over 1024."""
    raw = call.get_str("caption")
    caption = None if raw is None else _visible(raw, call.get_str("parse_mode"))
    if caption is not None and len(caption) > MAX_CAPTION:
        raise ApiError(400, "Bad Request: message caption is too long")
    return raw, caption


def _validated_markup(markup: Any) -> JSONDict | None:
    """Reject inline keyboards Telegram would reject (callback_data is 1-64 bytes)."""
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    for row in markup.get("inline_keyboard", []):
        for button in row:
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= 64:
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


def _flood_error(retry_after: int) -> ApiError:
    return ApiError(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


def _migration_error(chat: _Chat) -> ApiError:
    return ApiError(
        400,
        "Bad Request: group chat was upgraded to a supergroup chat",
        {"migrate_to_chat_id": chat.migrated_to},
    )


# --- the server ------------------------------------------------------------------------------


class FakeTelegram:
    """In-process Bot API server: records the bot's sends and feeds it scripted updates."""

    def __init__(
        self,
        *,
        token: str = "123:TEST",
        bot_username: str = "racebot_test_bot",
        global_rate: float | None = 30.0,
        per_chat_interval: float | None = 1.0,
        group_per_minute: int | None = 20,
        retry_after: int = 1,
        group_window: float = 60.0,
        paid_rate: float | None = 1000.0,
        port: int = 0,
    ) -> None:
        #: 0: an ephemeral port; a fixed one lets a test start the fake after the bot.
        self.port = port
        self.token = token
        self.bot_id = int(token.split(":", 1)[0])
        self.bot_username = bot_username
        self.global_rate = global_rate
        self.per_chat_interval = per_chat_interval
        self.group_per_minute = group_per_minute
        #: Seconds of the group window (Telegram: 60); a shorter one keeps slow tests quick.
        self.group_window = group_window
        self.retry_after = retry_after
        #: The overall rate for sends with ``allow_paid_broadcast`` (Telegram: 1000/s); the
        #: others keep ``global_rate``. Either counts every send of the last second.
        self.paid_rate = paid_rate
        self.url = ""
        self.webhook_url = ""
        self.webhook_secret = ""
        self.messages: dict[int, list[SentMessage]] = {}
        self.commands: dict[tuple[str, str | None], list[JSONDict]] = {}
        #: setMyDescription / setMyShortDescription by language_code (None: the default).
        self.descriptions: dict[str | None, str] = {}
        self.short_descriptions: dict[str | None, str] = {}
        self.callback_answers: list[JSONDict] = []
        self.chat_actions: list[tuple[int, str]] = []
        #: Paths of the file downloads the bot made (``/file/bot<token>/<file_path>``).
        self.downloads: list[str] = []
        #: The file_ids of each photo users sent (push_photo), smallest size first.
        self.user_photos: list[list[str]] = []
        #: The URLs bots sent as a photo (sendPhoto with an http(s) URL), in order.
        self.photo_urls: list[str] = []
        #: The bytes of each photo bots uploaded (sendPhoto multipart), in order.
        self.photo_uploads: list[bytes] = []
        self.stats = FakeStats()
        self._users: dict[int, _User] = {}
        self._chats: dict[int, _Chat] = {}
        self._updates: list[JSONDict] = []
        self._update_id = 0
        self._callback_ids: set[str] = set()
        self._failures: dict[int, deque[_Failure]] = {}
        self._late = 0.0  # every send/edit answers this much later (see answer_late)
        self._floods: deque[int] = deque()  # retry_after of the next sends (flood_burst)
        self._files: dict[str, tuple[str, bytes]] = {}
        self._global_sends: deque[float] = deque()
        self._polls = 0  # getUpdates requests being held right now
        self._changed = asyncio.Event()  # replaced on every change; waiters then re-check
        self._closing = asyncio.Event()
        self._runner: web.AppRunner | None = None
        # Telegram matches method names case-insensitively.
        self._methods: dict[str, tuple[str, Callable[[_Call], Awaitable[Any]]]] = {
            name.lower(): (name, getattr(self, "_api_" + re.sub(r"([A-Z])", r"_\1", name).lower()))
            for name in _API_METHODS
        }

    # --- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> None:
        """Listen on an ephemeral loopback port so parallel test runs never collide."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_route("GET", "/file/bot{token}/{path:.+}", self._handle_file)
        self._runner = web.AppRunner(
            app, handle_signals=False, shutdown_timeout=0.5, access_log=None
        )
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        self.url = f"http://127.0.0.1:{self._runner.addresses[0][1]}"

    async def close(self) -> None:
        """Wake long polls and delayed responses first, so shutdown does not wait on them."""
        self._closing.set()
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # --- chats and users ---------------------------------------------------------------------

    def add_private_chat(
        self, user_id: int, first_name: str, username: str | None = None, language_code: str = "sv"
    ) -> int:
        """Register a user who has started the bot; the private chat id equals the user id."""
        user = _User(user_id, first_name, username, language_code)
        self._users[user_id] = user
        self._chats[user_id] = _Chat(user_id, "private", user=user, members={user_id: "member"})
        return user_id

    def add_group(
        self, chat_id: int, title: str, *, supergroup: bool = False, admins: Iterable[int] = ()
    ) -> int:
        """Register a group the bot is a member of; the first of ``admins`` is its creator."""
        chat = _Chat(chat_id, "supergroup" if supergroup else "group", title=title)
        for n, user_id in enumerate(admins):
            chat.members[user_id] = "administrator" if n else "creator"
        self._chats[chat_id] = chat
        return chat_id

    def add_forum(self, chat_id: int, title: str, *, admins: Iterable[int] = ()) -> int:
        """A supergroup with topics on (``is_forum``); add topics with :meth:`add_topic`."""
        self.add_group(chat_id, title, supergroup=True, admins=admins)
        self._chats[chat_id].is_forum = True
        return chat_id

    def add_topic(self, chat_id: int, name: str) -> int:
        """Create a forum topic; its ``message_thread_id`` is the id of the service message
        that created it, as on Telegram."""
        chat = self._chats[chat_id]
        if not chat.is_forum:
            raise ValueError(f"chat {chat_id} is not a forum")
        thread_id = self._next_message_id(chat)
        chat.topics[thread_id] = name
        return thread_id

    def delete_topic(self, chat_id: int, thread_id: int) -> None:
        del self._chats[chat_id].topics[thread_id]

    def set_bot_admin(self, chat_id: int, *, can_pin: bool = True) -> None:
        """Make the bot an administrator of a group, with or without can_pin_messages
        (in a channel the right to pin is can_edit_messages)."""
        chat = self._chats[chat_id]
        chat.bot_status = "administrator"
        chat.bot_denied = set() if can_pin else {"pin_messages", "edit_messages"}

    def pinned(self, chat_id: int) -> list[int]:
        """The chat's pinned message ids, oldest first."""
        return list(self._chats[chat_id].pinned)

    def pin_requests(self, chat_id: int) -> list[tuple[int, bool]]:
        """Every accepted pinChatMessage as (message_id, disable_notification)."""
        return list(self._chats[chat_id].pins)

    def add_member(
        self, chat_id: int, user_id: int, first_name: str, *, admin: bool = False
    ) -> None:
        """Add a user to a group so their messages and getChatMember look real."""
        self._users.setdefault(user_id, _User(user_id, first_name))
        members = self._chats[chat_id].members
        if members.get(user_id) != "creator":
            members[user_id] = "administrator" if admin else "member"

    # --- incoming updates --------------------------------------------------------------------

    def push_message(
        self,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to_user: int | None = None,
        thread_id: int | None = None,
    ) -> int:
        """Queue a user's text message, tagging a leading /command like Telegram does;
        ``reply_to_user`` makes it an answer to an earlier message of that user.

        ``thread_id``: written in that forum topic (``message_thread_id`` and
        ``is_topic_message``, replying to the topic's creation message, as Telegram sends).
        """
        chat = self._chats[chat_id]
        message: JSONDict = {
            "message_id": self._next_message_id(chat),
            "from": self._user_json(user_id),
            "chat": self._chat_json(chat),
            "date": int(time.time()),
            "text": text,
        }
        if reply_to_user is not None:
            message["reply_to_message"] = {
                "message_id": self._next_message_id(chat),
                "from": self._user_json(reply_to_user),
                "chat": self._chat_json(chat),
                "date": int(time.time()),
                "text": "hej",
            }
        if thread_id is not None:
            if thread_id not in chat.topics:
                raise ValueError(f"no topic {thread_id} in chat {chat_id}")
            message |= {"message_thread_id": thread_id, "is_topic_message": True}
            chat.message_threads[message["message_id"]] = thread_id
            message["reply_to_message"] = {
                "message_id": thread_id,
                "chat": self._chat_json(chat),
                "date": int(time.time()),
                "message_thread_id": thread_id,
                "forum_topic_created": {"name": chat.topics[thread_id], "icon_color": 7322096},
            }
        if m := _COMMAND_RE.match(text):
            length = len(m[0].encode("utf-16-le")) // 2  # entity lengths are UTF-16 units
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": length}]
        return self._push({"message": message})

    def push_document(
        self,
        chat_id: int,
        user_id: int,
        file_name: str,
        content: bytes,
        *,
        caption: str | None = None,
        mime_type: str | None = None,
    ) -> int:
        """Queue a user's document (a file sent "as file"), with an optional caption; the
        bot fetches it with getFile and GET /file/bot<token>/<file_path>, as on Telegram."""
        chat = self._chats[chat_id]
        message_id = self._next_message_id(chat)
        file_id = f"BQACAg{abs(chat_id)}u{message_id}"  # Telegram's ids are opaque strings
        self._files[file_id] = (file_name, content)
        message: JSONDict = {
            "message_id": message_id,
            "from": self._user_json(user_id),
            "chat": self._chat_json(chat),
            "date": int(time.time()),
            "document": {
                "file_id": file_id,
                "file_unique_id": f"AgAD{message_id}",
                "file_name": file_name,
                "mime_type": mime_type
                or mimetypes.guess_type(file_name)[0]
                or "application/octet-stream",
                "file_size": len(content),
            },
        }
        if caption is not None:
            message["caption"] = caption
            if m := _COMMAND_RE.match(caption):
                length = len(m[0].encode("utf-16-le")) // 2
                message["caption_entities"] = [
                    {"type": "bot_command", "offset": 0, "length": length}
                ]
        return self._push({"message": message})

    def photo_bytes(self, message: SentMessage) -> bytes:
        """The bytes of the photo a bot's sendPhoto showed (uploaded, or by file id)."""
        assert message.photo is not None, "not a photo"
        return self._files[message.photo][1]

    def push_photo(
        self, chat_id: int, user_id: int, content: bytes, *, caption: str | None = None
    ) -> int:
        """Queue a user's photo: Telegram sends it as PhotoSize variants, largest last."""
        chat = self._chats[chat_id]
        message_id = self._next_message_id(chat)
        sizes = []
        for n, (width, height) in enumerate(((90, 60), (320, 213), (1280, 853))):
            file_id = f"AgACAg{abs(chat_id)}u{message_id}s{n}"
            self._files[file_id] = (f"photo_{n}.jpg", content)
            sizes.append(
                {
                    "file_id": file_id,
                    "file_unique_id": f"AQAD{message_id}{n}",
                    "width": width,
                    "height": height,
                    "file_size": len(content),
                }
            )
        self.user_photos.append([size["file_id"] for size in sizes])
        message: JSONDict = {
            "message_id": message_id,
            "from": self._user_json(user_id),
            "chat": self._chat_json(chat),
            "date": int(time.time()),
            "photo": sizes,
        }
        if caption is not None:
            message["caption"] = caption
        return self._push({"message": message})

    def push_callback(self, chat_id: int, user_id: int, message_id: int, data: str) -> int:
        """Queue a press of an inline button on one of the bot's messages."""
        sent = self._find_message(chat_id, message_id)
        message = (
            self._message_json(sent)
            if sent is not None  # otherwise an InaccessibleMessage, as Telegram sends
            else {
                "chat": self._chat_json(self._chats[chat_id]),
                "message_id": message_id,
                "date": 0,
            }
        )
        query_id = str(len(self._callback_ids) + 1)
        self._callback_ids.add(query_id)
        query = {
            "id": query_id,
            "from": self._user_json(user_id),
            "message": message,
            "chat_instance": str(chat_id),
            "data": data,
        }
        return self._push({"callback_query": query})

    def push_my_chat_member(self, chat_id: int, user_id: int, new_status: str) -> int:
        """Queue a change of the bot's own membership; later sends obey it (blocked/kicked)."""
        if new_status not in _BOT_STATUSES:
            raise ValueError(f"unsupported bot status {new_status!r}; use {sorted(_BOT_STATUSES)}")
        chat = self._chats[chat_id]
        old_status, chat.bot_status = chat.bot_status, new_status
        change = {
            "chat": self._chat_json(chat),
            "from": self._user_json(user_id),
            "date": int(time.time()),
            "old_chat_member": self._member_json(self._bot_json(), old_status),
            "new_chat_member": self._member_json(self._bot_json(), new_status),
        }
        return self._push({"my_chat_member": change})

    # --- scripted failures -------------------------------------------------------------------

    def fail_next(
        self,
        chat_id: int,
        kind: FailKind,
        *,
        times: int = 1,
        migrate_to: int | None = None,
        retry_after: int | None = None,
        delay: float = 0.0,
    ) -> None:
        """Make the next ``times`` sends/edits to ``chat_id`` fail the way Telegram can.

        ``delay`` postpones the answer; "timeout" stores the message and then answers only
        after ``delay`` (default DEFAULT_TIMEOUT_DELAY), like a request that went through but
        whose response was lost. "migrate" is permanent for the old chat id, as on Telegram.
        """
        if kind == "timeout" and not delay:
            delay = DEFAULT_TIMEOUT_DELAY
        queue = self._failures.setdefault(chat_id, deque())
        queue.extend(_Failure(kind, migrate_to, retry_after, delay) for _ in range(times))

    def answer_late(self, delay: float) -> None:
        """Answer every send and edit ``delay`` seconds after storing it (0 stops): a Bot
        API that is slow, not down. The message counts as delivered either way."""
        self._late = delay

    def flood_burst(self, count: int, retry_after: int = 1) -> None:
        """Refuse the next ``count`` sends/edits, to whichever chats, with 429 and
        ``retry_after``: the flood control Telegram applies after a burst."""
        self._floods.extend([retry_after] * count)

    # --- what the bot did --------------------------------------------------------------------

    def texts(self, chat_id: int) -> list[str]:
        """Visible texts (captions for documents) the bot sent to a chat, in order."""
        return [
            (m.caption or "") if m.text is None else m.text for m in self.messages.get(chat_id, [])
        ]

    async def wait_until(
        self,
        predicate: Callable[[], bool],
        timeout: float = 5.0,  # noqa: ASYNC109 - a plain deadline reads best in tests
    ) -> None:
        """Wait until ``predicate`` over the fake's state holds; the bot runs concurrently.

        Wakes on every recorded change (sends, edits, callback answers, pushed updates)
        rather than polling.
        """
        if not await self._wait_until(predicate, timeout):
            raise TimeoutError(f"condition not met within {timeout}s")

    async def wait_for_messages(
        self,
        chat_id: int,
        count: int,
        timeout: float = 5.0,  # noqa: ASYNC109 - a plain deadline reads best in tests
    ) -> list[SentMessage]:
        """Wait until the bot has sent at least ``count`` messages to a chat; returns them all."""
        if not await self._wait_until(
            lambda: len(self.messages.get(chat_id, [])) >= count, timeout
        ):
            raise TimeoutError(
                f"expected {count} messages in chat {chat_id} within {timeout}s, "
                f"got {self.texts(chat_id)!r}"
            )
        return list(self.messages[chat_id])

    # --- HTTP plumbing -----------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return self._reply(ApiError(401, "Unauthorized").body(), 401)
        name, handler = self._methods.get(request.match_info["method"].lower(), ("", None))
        self.stats.requests[name or request.match_info["method"]] += 1
        if handler is None:
            return self._reply(ApiError(404, "Not Found").body(), 404)
        delay = 0.0
        try:
            call = await _Call.read(request)
            failure = self._next_failure(call) if name in _FAILABLE else None
            if name in _FAILABLE and failure is None and self._floods:
                raise _flood_error(self._floods.popleft())
            if name in _FAILABLE:
                delay = self._late
            if failure is not None:
                delay = failure.delay
                if failure.kind != "timeout":
                    raise self._failure_error(call.params["chat_id"], failure)
            body, status = {"ok": True, "result": await handler(call)}, 200
        except ApiError as err:
            body, status = err.body(), err.code
        await self._sleep(delay)  # after the work: a timed-out send still counts as delivered
        return self._reply(body, status)

    def _reply(self, body: JSONDict, status: int) -> web.Response:
        self.stats.status[status] += 1
        return web.json_response(body, status=status)

    async def _handle_file(self, request: web.Request) -> web.Response:
        file_id = request.match_info["path"].rsplit("/", 1)[-1].split("_", 1)[0]
        if request.match_info["token"] != self.token or file_id not in self._files:
            return self._reply(ApiError(404, "Not Found").body(), 404)
        self.stats.status[200] += 1
        self.downloads.append(request.path)
        return web.Response(body=self._files[file_id][1])

    def _next_failure(self, call: _Call) -> _Failure | None:
        chat_id = call.params.get("chat_id")
        queue = self._failures.get(chat_id) if isinstance(chat_id, int) else None
        return queue.popleft() if queue else None

    def _failure_error(self, chat_id: int, failure: _Failure) -> ApiError:
        """The error Telegram answers for a scripted failure (registering migrations)."""
        if failure.kind in _SCRIPTED_ERRORS:
            return ApiError(*_SCRIPTED_ERRORS[failure.kind])
        if failure.kind == "flood":
            return _flood_error(failure.retry_after or self.retry_after)
        old = self._chats.setdefault(chat_id, _Chat(chat_id, "group", title=str(chat_id)))
        new_id = failure.migrate_to or int(f"-100{abs(chat_id)}")
        if new_id not in self._chats:
            self._chats[new_id] = _Chat(
                new_id,
                "supergroup",
                old.title,
                members=dict(old.members),
                bot_status=old.bot_status,
            )
        old.migrated_to = new_id
        return _migration_error(old)

    async def _sleep(self, delay: float) -> None:
        """Sleep, but stop early when the server closes."""
        if delay > 0:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), delay)

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_until(self, predicate: Callable[[], bool], seconds: float) -> bool:
        """Block until ``predicate`` holds, waking on state changes rather than polling."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while not predicate():
            remaining = deadline - loop.time()
            if remaining <= 0 or self._closing.is_set():
                return False
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), remaining)
        return True

    async def deliver_webhook(self) -> list[int]:
        """POST pending updates to the bot's webhook as Telegram does (with the secret
        header); updates answered 200 are confirmed, others stay queued. Returns statuses."""
        statuses: list[int] = []
        async with aiohttp.ClientSession() as session:
            for update in list(self._updates):
                async with session.post(
                    self.webhook_url,
                    json=update,
                    headers={"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret},
                ) as response:
                    statuses.append(response.status)
                    if response.status == 200:
                        self._updates.remove(update)
        return statuses

    def _push(self, update: JSONDict) -> int:
        self._update_id += 1
        self._updates.append({"update_id": self._update_id, **update})
        self._notify()
        return self._update_id

    # --- JSON builders -----------------------------------------------------------------------

    def _bot_json(self) -> JSONDict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": "Racebot",
            "username": self.bot_username,
        }

    def _user_json(self, user_id: int) -> JSONDict:
        if user_id == self.bot_id:
            return self._bot_json()
        user = self._users.get(user_id) or _User(user_id, f"User {user_id}")
        out: JSONDict = {"id": user.id, "is_bot": False, "first_name": user.first_name}
        if user.username:
            out["username"] = user.username
        if user.language_code:
            out["language_code"] = user.language_code
        return out

    def _chat_json(self, chat: _Chat) -> JSONDict:
        if chat.user is None:
            out_group: JSONDict = {"id": chat.id, "type": chat.type, "title": chat.title}
            if chat.is_forum:
                out_group["is_forum"] = True
            return out_group
        out: JSONDict = {"id": chat.id, "type": chat.type, "first_name": chat.user.first_name}
        if chat.user.username:
            out["username"] = chat.user.username
        return out

    @staticmethod
    def _member_json(user: JSONDict, status: str) -> JSONDict:
        """A ChatMember with the fields PTB requires for each status."""
        out: JSONDict = {"user": user, "status": status}
        if status == "creator":
            out["is_anonymous"] = False
        elif status == "administrator":
            out |= {"can_be_edited": False, "is_anonymous": False}
            out |= {f"can_{right}": True for right in _ADMIN_RIGHTS}
        elif status == "kicked":
            out["until_date"] = 0
        return out

    def _message_json(self, msg: SentMessage) -> JSONDict:
        out: JSONDict = {
            "message_id": msg.message_id,
            "from": self._bot_json(),
            "chat": self._chat_json(self._chats[msg.chat_id]),
            "date": msg.date,
        }
        if msg.text is not None:
            out["text"] = msg.text
            if msg.raw is not None and (msg.parse_mode or "").lower() == "html":
                out["entities"] = html_entities(msg.raw)  # Telegram reports the formatting
        if msg.thread_id is not None:
            out |= {"message_thread_id": msg.thread_id, "is_topic_message": True}
        if msg.document is not None:
            name, content = msg.document
            file_id = f"doc{abs(msg.chat_id)}x{msg.message_id}"
            self._files[file_id] = msg.document
            out["document"] = {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": name,
                "mime_type": mimetypes.guess_type(name)[0] or "application/octet-stream",
                "file_size": len(content),
            }
        if msg.photo is not None:
            out["photo"] = [
                {"file_id": msg.photo, "file_unique_id": msg.photo, "width": 1280, "height": 853}
            ]
        if msg.caption is not None:
            out["caption"] = msg.caption
        if msg.reply_markup and "inline_keyboard" in msg.reply_markup:
            out["reply_markup"] = msg.reply_markup  # Telegram echoes inline keyboards only
        if msg.edits:
            out["edit_date"] = int(time.time())
        return out

    # --- chats, messages, flood control ------------------------------------------------------

    def _chat(self, call: _Call) -> _Chat:
        chat_id = call.params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(400, "Bad Request: chat_id is empty")
        chat = self._chats.get(chat_id) if isinstance(chat_id, int) else None
        if chat is None:
            raise ApiError(400, "Bad Request: chat not found")
        return chat

    def _writable_chat(self, call: _Call) -> _Chat:
        """Resolve the target chat, refusing like Telegram where the bot may not write."""
        chat = self._chat(call)
        if chat.migrated_to is not None:
            raise _migration_error(chat)
        if chat.bot_status == "kicked" and chat.type == "private":
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat.bot_status == "kicked":
            raise ApiError(403, f"Forbidden: bot was kicked from the {chat.type} chat")
        if chat.bot_status == "left":
            raise ApiError(403, f"Forbidden: bot is not a member of the {chat.type} chat")
        return chat

    @staticmethod
    def _next_message_id(chat: _Chat) -> int:
        chat.next_message_id += 1
        return chat.next_message_id - 1

    def _find_message(self, chat_id: int, message_id: int) -> SentMessage | None:
        return next((m for m in self.messages.get(chat_id, []) if m.message_id == message_id), None)

    def _check_rate(self, chat: _Chat, now: float, *, paid: bool = False) -> None:
        """Sliding-window flood control: global per second, per private chat, per group.
        A paid broadcast (``paid``) is held to ``paid_rate`` overall instead of
        ``global_rate``; the per-chat and per-group limits are the same for it.

        Like Telegram, ``retry_after`` says how long until the window has room again
        (whole seconds, at least the configured ``retry_after``), so a client that waits
        exactly that long is let through.
        """
        while self._global_sends and self._global_sends[0] <= now - 1.0:
            self._global_sends.popleft()
        sent = self.stats.send_times.get(chat.id, [])
        wait = 0.0
        if chat.type == "private":
            interval = self.per_chat_interval
            if interval is not None and sent and now - sent[-1] < interval:
                wait = sent[-1] + interval - now
        else:
            per_minute = self.group_per_minute
            recent = [t for t in sent if t > now - self.group_window]
            if per_minute is not None and len(recent) >= per_minute:
                wait = recent[len(recent) - per_minute] + self.group_window - now
        rate = self.paid_rate if paid else self.global_rate
        if rate is not None and len(self._global_sends) >= rate:
            oldest = self._global_sends[len(self._global_sends) - int(rate)]
            wait = max(wait, oldest + 1.0 - now)
        if wait > 0:
            self.stats.flood_429s += 1
            raise _flood_error(max(self.retry_after, math.ceil(wait)))

    def _thread(self, chat: _Chat, call: _Call) -> int | None:
        """``message_thread_id``: a topic of a forum (General has none); Telegram refuses
        an unknown or deleted topic, and one in a chat that is no forum."""
        thread = call.params.get("message_thread_id")
        if thread is None:  # a reply lands in the topic of the message it replies to
            replied = (call.params.get("reply_parameters") or {}).get("message_id")
            return chat.message_threads.get(replied) if isinstance(replied, int) else None
        if not isinstance(thread, int) or thread not in chat.topics:
            raise ApiError(400, "Bad Request: message thread not found")
        return thread

    def _store(self, chat: _Chat, call: _Call, method: str, **content: Any) -> SentMessage:
        """Flood-check, then record an accepted send."""
        reply_markup = _validated_markup(call.params.get("reply_markup"))
        thread = self._thread(chat, call)
        now = asyncio.get_running_loop().time()
        paid = call.params.get("allow_paid_broadcast") is True
        self._check_rate(chat, now, paid=paid)
        self.stats.paid_sends += paid
        self._global_sends.append(now)
        self.stats.send_times.setdefault(chat.id, []).append(now)
        msg = SentMessage(
            chat_id=chat.id,
            message_id=self._next_message_id(chat),
            parse_mode=call.get_str("parse_mode"),
            reply_markup=reply_markup,
            edits=[],
            method=method,
            at=now,
            date=int(time.time()),
            params=dict(call.params),
            thread_id=thread,
            **content,
        )
        if thread is not None:
            chat.message_threads[msg.message_id] = thread
        self.messages.setdefault(chat.id, []).append(msg)
        self._notify()
        return msg

    def _editable(self, call: _Call) -> SentMessage:
        if call.params.get("inline_message_id"):
            raise ApiError(400, "Bad Request: inline messages are not supported by the fake")
        chat = self._writable_chat(call)
        message_id = call.get_int("message_id", "message identifier is not specified")
        msg = self._find_message(chat.id, message_id)
        if msg is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        return msg

    def _commands_key(self, call: _Call) -> tuple[str, str | None]:
        """("default", "sv"), or ("chat:7001", None) for one chat's own menu (Telegram keeps
        one per chat, and refuses a chat the bot does not know)."""
        scope = call.params.get("scope")
        scope_type = scope.get("type", "default") if isinstance(scope, dict) else "default"
        if isinstance(scope, dict) and scope_type.startswith("chat"):
            chat_id = scope.get("chat_id")
            if not isinstance(chat_id, int) or chat_id not in self._chats:
                raise ApiError(400, "Bad Request: chat not found")
            scope_type = f"{scope_type}:{chat_id}"
        return scope_type, call.get_str("language_code") or None

    # --- API methods (named _api_<snake_case of the Bot API method>) -------------------------

    async def _api_get_me(self, call: _Call) -> JSONDict:
        flags = ("can_join_groups", "can_read_all_group_messages", "supports_inline_queries")
        return self._bot_json() | {flag: flag == "can_join_groups" for flag in flags}

    async def _api_get_updates(self, call: _Call) -> list[JSONDict]:
        if self.webhook_url:
            raise ApiError(
                409,
                "Conflict: can't use getUpdates method while webhook is active; "
                "use deleteWebhook to delete the webhook first",
            )
        offset = call.params.get("offset") or 0
        if offset > 0:  # confirms every earlier update
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        limit = min(max(call.params.get("limit") or 100, 1), 100)
        allowed = set(call.params.get("allowed_updates") or ())

        def ready() -> list[JSONDict]:
            return [u for u in self._updates if not allowed or allowed & u.keys()][:limit]

        if self._polls:  # like Telegram: one long poll per token at a time
            raise ApiError(
                409,
                "Conflict: terminated by other getUpdates request; "
                "make sure that only one bot instance is running",
            )
        # A poll the client gave up on stays held here until its timeout, as on Telegram.
        self._polls += 1
        try:
            await self._wait_until(lambda: bool(ready()), float(call.params.get("timeout") or 0))
        finally:
            self._polls -= 1
        return ready()

    async def _api_delete_webhook(self, call: _Call) -> bool:
        self.webhook_url = ""
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_set_webhook(self, call: _Call) -> bool:
        self.webhook_url = call.get_str("url") or ""
        self.webhook_secret = call.get_str("secret_token") or ""
        if call.params.get("drop_pending_updates"):
            self._updates.clear()
        return True

    async def _api_get_webhook_info(self, call: _Call) -> JSONDict:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _api_ok(self, call: _Call) -> bool:
        return True

    _api_log_out = _api_close = _api_set_chat_menu_button = _api_ok

    async def _api_send_message(self, call: _Call) -> JSONDict:
        chat = self._writable_chat(call)
        raw, text = _message_text(call)
        msg = self._store(
            chat, call, "sendMessage", text=text, raw=raw, document=None, caption=None
        )
        return self._message_json(msg)

    async def _api_send_document(self, call: _Call) -> JSONDict:
        chat = self._writable_chat(call)
        ref = call.get_str("document") or ""
        if "document" in call.files:
            document = call.files["document"]
        elif ref.startswith("attach://") and ref[9:] in call.files:
            document = call.files[ref[9:]]
        elif ref:
            document = self._files.get(ref, (ref, b""))  # a known file_id, or a URL
        else:
            raise ApiError(400, "Bad Request: there is no document in the request")
        raw, caption = _caption(call)
        msg = self._store(
            chat, call, "sendDocument", text=None, raw=raw, document=document, caption=caption
        )
        return self._message_json(msg)

    async def _api_send_photo(self, call: _Call) -> JSONDict:
        chat = self._writable_chat(call)
        ref = call.get_str("photo") or ""
        upload = call.files.get("photo") or call.files.get(ref.removeprefix("attach://"))
        if upload is not None:  # multipart/form-data, the file in its own field
            if not upload[1].startswith(_IMAGE_MAGIC):
                raise ApiError(400, "Bad Request: IMAGE_PROCESS_FAILED")
            if len(upload[1]) > MAX_PHOTO_UPLOAD:
                raise ApiError(400, "Bad Request: PHOTO_INVALID_DIMENSIONS")
            ref = f"upload{len(self._files)}"
            self._files[ref] = upload
            self.photo_uploads.append(upload[1])
        elif re.match(r"https?://", ref):  # Telegram fetches the URL itself
            self.photo_urls.append(ref)
        elif ref not in self._files:
            raise ApiError(400, "Bad Request: wrong file identifier/HTTP URL specified")
        raw, caption = _caption(call)
        msg = self._store(
            chat, call, "sendPhoto", text=None, raw=raw, document=None, caption=caption, photo=ref
        )
        return self._message_json(msg)

    async def _api_edit_message_text(self, call: _Call) -> JSONDict:
        msg = self._editable(call)
        if msg.text is None:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        raw, text = _message_text(call)
        markup = _validated_markup(call.params.get("reply_markup"))
        if (raw, text, markup) == (msg.raw, msg.text, msg.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        msg.edits.append(msg.text)
        msg.text, msg.raw, msg.reply_markup = text, raw, markup
        msg.parse_mode = call.get_str("parse_mode")
        self._notify()
        return self._message_json(msg)

    async def _api_edit_message_caption(self, call: _Call) -> JSONDict:
        msg = self._editable(call)
        if msg.method not in ("sendPhoto", "sendDocument"):
            raise ApiError(400, "Bad Request: there is no caption in the message to edit")
        raw, caption = _caption(call)
        markup = _validated_markup(call.params.get("reply_markup"))
        if (raw or None, caption or None, markup) == (msg.raw, msg.caption, msg.reply_markup):
            raise ApiError(400, NOT_MODIFIED)
        msg.edits.append(msg.caption or "")
        msg.raw, msg.caption, msg.reply_markup = raw or None, caption or None, markup
        self._notify()
        return self._message_json(msg)

    async def _api_edit_message_reply_markup(self, call: _Call) -> JSONDict:
        msg = self._editable(call)
        markup = _validated_markup(call.params.get("reply_markup"))
        if markup == msg.reply_markup:
            raise ApiError(400, NOT_MODIFIED)
        msg.reply_markup = markup
        self._notify()
        return self._message_json(msg)

    async def _api_answer_callback_query(self, call: _Call) -> bool:
        if call.get_str("callback_query_id") not in self._callback_ids:
            raise ApiError(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self.callback_answers.append(dict(call.params))
        self._notify()
        return True

    async def _api_set_my_commands(self, call: _Call) -> bool:
        commands = call.params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(400, "Bad Request: commands are invalid")
        for command in commands:
            if not _BOT_COMMAND_RE.fullmatch(str(command.get("command", ""))):
                raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(call)] = commands
        return True

    async def _api_get_my_commands(self, call: _Call) -> list[JSONDict]:
        return self.commands.get(self._commands_key(call), [])

    async def _api_delete_my_commands(self, call: _Call) -> bool:
        self.commands.pop(self._commands_key(call), None)
        return True

    def _language_code(self, call: _Call) -> str | None:
        code = call.get_str("language_code") or None
        if code is not None and not re.fullmatch(r"[a-z]{2}", code):
            raise ApiError(400, "Bad Request: invalid language code specified")
        return code

    def _describe(self, call: _Call, field: str, limit: int, into: dict[str | None, str]) -> bool:
        """setMyDescription (0-512 characters) and setMyShortDescription (0-120): an empty
        or absent text removes the one for that language."""
        text = call.get_str(field) or ""
        if len(text) > limit:
            raise ApiError(400, f"Bad Request: {field} is too long")
        code = self._language_code(call)
        if text:
            into[code] = text
        else:
            into.pop(code, None)
        return True

    async def _api_set_my_description(self, call: _Call) -> bool:
        return self._describe(call, "description", 512, self.descriptions)

    async def _api_set_my_short_description(self, call: _Call) -> bool:
        return self._describe(call, "short_description", 120, self.short_descriptions)

    async def _api_get_my_description(self, call: _Call) -> JSONDict:
        return {"description": self.descriptions.get(self._language_code(call), "")}

    async def _api_get_my_short_description(self, call: _Call) -> JSONDict:
        code = self._language_code(call)
        return {"short_description": self.short_descriptions.get(code, "")}

    async def _api_get_chat(self, call: _Call) -> JSONDict:
        gift_kinds = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
        gifts = dict.fromkeys((*gift_kinds, "gifts_from_channels"), True)
        return self._chat_json(self._chat(call)) | {
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": gifts,
        }

    async def _api_get_chat_member(self, call: _Call) -> JSONDict:
        chat = self._chat(call)
        user_id = call.get_int("user_id", "user not found")
        status = chat.bot_status if user_id == self.bot_id else chat.members.get(user_id, "left")
        member = self._member_json(self._user_json(user_id), status)
        if user_id == self.bot_id and status == "administrator":
            member |= {"can_edit_messages": True, "can_post_messages": True}
            member |= {f"can_{right}": False for right in chat.bot_denied}
        return member

    def _may_pin(self, chat: _Chat) -> bool:
        """pinChatMessage's rule: any private chat; elsewhere an administrator with
        can_pin_messages (can_edit_messages in a channel)."""
        if chat.type == "private":
            return True
        right = "edit_messages" if chat.type == "channel" else "pin_messages"
        return chat.bot_status == "administrator" and right not in chat.bot_denied

    async def _api_pin_chat_message(self, call: _Call) -> bool:
        chat = self._writable_chat(call)
        message_id = call.get_int("message_id", "message to pin not found")
        if not self._may_pin(chat):
            raise ApiError(
                400, "Bad Request: not enough rights to manage pinned messages in the chat"
            )
        if self._find_message(chat.id, message_id) is None:
            raise ApiError(400, "Bad Request: message to pin not found")
        if message_id in chat.pinned:
            chat.pinned.remove(message_id)
        chat.pinned.append(message_id)
        chat.pins.append((message_id, bool(call.params.get("disable_notification"))))
        self._notify()
        return True

    async def _api_unpin_chat_message(self, call: _Call) -> bool:
        chat = self._writable_chat(call)
        if not self._may_pin(chat):
            raise ApiError(
                400, "Bad Request: not enough rights to manage pinned messages in the chat"
            )
        message_id = call.params.get("message_id")
        if message_id is None:  # the most recent pin
            message_id = chat.pinned[-1] if chat.pinned else None
        if message_id not in chat.pinned:
            raise ApiError(400, "Bad Request: message to unpin not found")
        chat.pinned.remove(message_id)
        self._notify()
        return True

    async def _api_get_chat_administrators(self, call: _Call) -> list[JSONDict]:
        chat = self._chat(call)
        if chat.type == "private":
            raise ApiError(400, "Bad Request: there are no administrators in the private chat")
        members = chat.members | {self.bot_id: chat.bot_status}
        return [
            self._member_json(self._user_json(user_id), status)
            for user_id, status in members.items()
            if status in ("creator", "administrator")
        ]

    async def _api_send_chat_action(self, call: _Call) -> bool:
        chat = self._writable_chat(call)
        self.chat_actions.append((chat.id, call.get_str("action") or ""))
        return True

    async def _api_get_file(self, call: _Call) -> JSONDict:
        file_id = call.get_str("file_id") or ""
        if file_id not in self._files:
            raise ApiError(400, "Bad Request: invalid file_id")
        name, content = self._files[file_id]
        if len(content) > MAX_DOWNLOAD:
            raise ApiError(400, "Bad Request: file is too big")  # the Bot API's 20 MB limit
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(content),
            "file_path": f"documents/{file_id}_{name}",
        }
