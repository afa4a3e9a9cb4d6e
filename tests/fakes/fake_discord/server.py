"""The fake's HTTP server: routing, authorization and the order of the checks."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from aiohttp import web

from tests.fakes.fake_discord.errors import ApiError
from tests.fakes.fake_discord.faults import Faults
from tests.fakes.fake_discord.ratelimit import RateLimits
from tests.fakes.fake_discord.routing import (
    Call,
    Route,
    Routes,
    json_response,
    route_adder,
)

if TYPE_CHECKING:
    from tests.fakes.fake_discord.world import World


_log = logging.getLogger(__name__)


class Server:
    """The HTTP side: one aiohttp app serving REST v9/v10, attachments and the gateway.

    Every request passes authorization, the global limit, injected failures and its
    route's bucket, in that order, before its handler runs.
    """

    def __init__(self, world: World, faults: Faults, groups: Iterable[Routes]) -> None:
        self.world = world
        self.faults = faults
        self.rates = RateLimits(world)
        self.routes: list[Route] = []
        add = route_adder(self.routes)
        for group in groups:
            group.register(add)
        self._runner: web.AppRunner | None = None

    async def start(self, port: int = 0) -> str:
        """Listen on ``port``, by default an ephemeral loopback one so parallel tests never
        collide; the URL."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._entry)
        self._runner = web.AppRunner(app, handle_signals=False, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        host, port = self._runner.addresses[0][:2]
        return f"http://{host}:{port}"

    async def stop(self) -> None:
        """Stop listening; open gateway sockets must be closed first."""
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def _entry(self, request: web.Request) -> web.StreamResponse:
        path = request.path
        if path == "/gateway":
            return await self.world.gateway.handle(request)
        if path.startswith("/attachments/"):
            return self._serve_attachment(path, request.query.get("ex", ""))
        match = re.match(r"^/api/v(9|10)(/.*)$", path)
        sub = match.group(2) if match else path
        response = await self._route(request, sub if match else None)
        self.rates.count(response.status)
        response.headers.setdefault("Via", "1.1 google")
        self.world.notify()
        return response

    def _serve_attachment(self, path: str, expires: str) -> web.StreamResponse:
        """A CDN link: served until its signed expiry (``ex``, hex seconds), then 404."""
        parts = path.split("/")
        try:
            expired = int(expires, 16) < self.world.now().timestamp()
        except ValueError:
            expired = True  # unsigned: Discord serves no attachment without a signature
        if expired:
            return web.Response(status=404, text="This content is no longer available.")
        if len(parts) >= 4 and parts[3].isdigit() and int(parts[3]) in self.world.attachments:
            return web.Response(
                body=self.world.attachments[int(parts[3])], content_type="application/octet-stream"
            )
        return web.Response(status=404, text="Not Found")

    def _match(self, method: str, sub: str) -> tuple[Route | None, dict[str, str], bool]:
        path_known = False
        for route in self.routes:
            found = route.pattern.match(sub)
            if found is None:
                continue
            path_known = True
            if route.method == method:
                return route, found.groupdict(), True
        return None, {}, path_known

    async def _route(self, request: web.Request, sub: str | None) -> web.Response:
        method = request.method
        route, params, path_known = (None, {}, False) if sub is None else self._match(method, sub)
        if route is None:
            if path_known:
                self.world.stats.requests[f"{method} {sub}"] += 1
                return json_response({"message": "405: Method Not Allowed", "code": 0}, 405)
            self.world.stats.requests[f"{method} {request.path}"] += 1
            self.world.stats.unknown_routes.append(f"{method} {request.path}")
            _log.warning("FakeDiscord has no route for %s %s", method, request.path)
            return json_response({"message": "404: Not Found", "code": 0}, 404)
        self.world.stats.requests[f"{method} {route.template}"] += 1
        self.world.stats.calls.append((method, request.path))
        call = Call(request, route, params)
        now = self.world.clock()
        if route.auth and request.headers.get("Authorization") != f"Bot {self.world.token}":
            return json_response({"message": "401: Unauthorized", "code": 0}, 401)
        if route.global_limited and self.world.global_rate is not None:
            limited = self.rates.global_limit(now)
            if limited is not None:
                return limited
        injected = self.faults.response_for(route, params)
        if injected is not None:
            return injected
        bucket = self.rates.bucket_for(route, params)
        if not bucket.take(now):
            return self.rates.limited(bucket, now)
        try:
            response = await route.handler(call)
        except ApiError as exc:
            response = (
                json_response(exc.body, exc.status)
                if isinstance(exc.body, dict)
                else web.Response(status=exc.status, text=exc.body)
            )
            response.headers.update(exc.headers)
        assert isinstance(response, web.Response)
        response.headers.update(bucket.headers(self.world.clock()))
        return response
