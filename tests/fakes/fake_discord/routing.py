"""REST plumbing shared by the route groups: the route table, calls, bodies, JSON."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from aiohttp import BodyPartReader, web

from tests.fakes.fake_discord.errors import FormErrors, error, missing_access, unknown
from tests.fakes.fake_discord.model import JSON, File, Guild

if TYPE_CHECKING:
    from tests.fakes.fake_discord.world import World


SNOWFLAKE = re.compile(r"^\d{1,20}$")

Handler = Callable[["Call"], Awaitable[web.StreamResponse]]

AddRoute = Callable[..., None]


@dataclass(frozen=True)
class Route:
    """One REST route: method, template, handler and how it is limited."""

    method: str
    template: str
    pattern: re.Pattern[str]
    handler: Handler
    auth: bool
    bucket: Literal["default", "channel"]
    global_limited: bool


@dataclass
class Call:
    """One request matched to its route, with the path parameters."""

    request: web.Request
    route: Route
    params: dict[str, str]

    def snowflake(self, name: str) -> int:
        """A path parameter as a snowflake, or Discord's 50035 form error."""
        raw = self.params[name]
        if not SNOWFLAKE.match(raw):
            errors = FormErrors()
            errors.add((name,), "NUMBER_TYPE_COERCE", f'Value "{raw}" is not snowflake.')
            errors.raise_if_any()
        return int(raw)

    def flag(self, name: str) -> bool:
        """A boolean query parameter, e.g. ``?wait=true``."""
        return self.request.query.get(name, "").lower() in ("1", "true")


def json_response(
    body: Any, status: int = 200, *, headers: Mapping[str, str] | None = None
) -> web.Response:
    # discord.py compares Content-Type to exactly "application/json" (no charset).
    """A JSON answer with exactly the Content-Type discord.py checks for."""
    return web.Response(
        status=status,
        body=json.dumps(body).encode(),
        content_type="application/json",
        headers=dict(headers or {}),
    )


def loads(raw: bytes) -> Any:
    """Parse a JSON body, or Discord's 50109 error."""
    try:
        return json.loads(raw)
    except ValueError:
        raise error(400, 50109, "The request body contains invalid JSON.") from None


async def read_body(request: web.Request) -> tuple[Any, dict[int, File]]:
    """A request's JSON payload and its files, from JSON or multipart."""
    files: dict[int, File] = {}
    if request.content_type.startswith("multipart/"):
        payload: Any = {}
        reader = await request.multipart()
        while True:
            part = await reader.next()
            if part is None:
                break
            if not isinstance(part, BodyPartReader):
                continue
            blob = bytes(await part.read())
            name = part.name or ""
            if name == "payload_json":
                payload = loads(blob)
                continue
            match = re.fullmatch(r"files?\[(\d+)\]", name)
            if match:
                files[int(match.group(1))] = File(
                    part.filename or name, blob, part.headers.get("Content-Type")
                )
        return payload, files
    if not request.can_read_body:
        return None, files
    raw = await request.read()
    return (loads(raw) if raw else None), files


async def read_object(request: web.Request) -> tuple[JSON, dict[int, File]]:
    """A request's payload, which must be a JSON object."""
    body, files = await read_body(request)
    if body is None:
        return {}, files
    if not isinstance(body, dict):
        errors = FormErrors()
        errors.add((), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
        errors.raise_if_any()
    return body, files


def guild_for_bot(world: World, call: Call) -> Guild:
    """The guild of the path, if the bot is in it (10004 / 50001 otherwise)."""
    guild = world.guilds.get(call.snowflake("guild_id"))
    if guild is None:
        raise unknown("Guild", 10004)
    if not guild.bot_present:
        raise missing_access()
    return guild


def route_adder(routes: list[Route]) -> AddRoute:
    """The ``add(method, template, handler, ...)`` that route groups register with."""

    def add(
        method: str,
        template: str,
        handler: Handler,
        *,
        auth: bool = True,
        bucket: Literal["default", "channel"] = "default",
        global_limited: bool = True,
    ) -> None:
        regex = "^" + re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template)) + "$"
        routes.append(
            Route(method, template, re.compile(regex), handler, auth, bucket, global_limited)
        )

    return add


class Routes:
    """A route group: the handlers of one REST resource, over the shared world."""

    def __init__(self, world: World) -> None:
        self.world = world

    def register(self, add: AddRoute) -> None:
        """Add this group's routes; their order decides which template matches first."""
        raise NotImplementedError
