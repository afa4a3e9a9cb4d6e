"""Injected failures: Discord's 429, 403, 404, 500, Cloudflare's 502 and the edge's 503."""

from __future__ import annotations

import hashlib
import math
import time
from collections import defaultdict, deque
from dataclasses import dataclass
from typing import Literal

from aiohttp import web

from tests.fakes.fake_discord.ratelimit import ceil3
from tests.fakes.fake_discord.routing import Route, json_response

FailStatus = Literal[429, 403, 404, 500, 502, 503]
FAIL_STATUSES = (429, 403, 404, 500, 502, 503)


@dataclass
class Failure:
    """One injected failure: its status and, for a 429, the retry_after."""

    status: int
    retry_after: float


class Faults:
    """Failures a test asked for, served on a channel's or guild's routes in order."""

    def __init__(self) -> None:
        # ("channel" | "guild", id) -> failures still to serve on that route prefix
        self.queues: dict[tuple[str, int], deque[Failure]] = defaultdict(deque)

    def queue(self, key: tuple[str, int], status: int, times: int, retry_after: float) -> None:
        """Queue ``times`` failures with ``status`` for one channel or guild."""
        if status not in FAIL_STATUSES:
            raise ValueError(f"cannot inject status {status}; choose from {FAIL_STATUSES}")
        for _ in range(times):
            self.queues[key].append(Failure(status, retry_after))

    def response_for(self, route: Route, params: dict[str, str]) -> web.Response | None:
        """The next queued failure for this route's channel or guild, if any."""
        if route.template.startswith("/channels/"):
            kind, raw = "channel", params["channel_id"]
        elif route.template.startswith("/guilds/"):
            kind, raw = "guild", params["guild_id"]
        else:
            return None
        queue = self.queues.get((kind, int(raw))) if raw.isdigit() else None
        if not queue:
            return None
        failure = queue.popleft()
        if failure.status == 429:
            retry_after = ceil3(failure.retry_after)
            return json_response(
                {
                    "message": "You are being rate limited.",
                    "retry_after": retry_after,
                    "global": False,
                },
                429,
                headers={
                    "Retry-After": str(math.ceil(retry_after)),
                    "X-RateLimit-Scope": "user",
                    "X-RateLimit-Limit": "5",
                    "X-RateLimit-Remaining": "0",
                    "X-RateLimit-Reset-After": f"{retry_after:.3f}",
                    "X-RateLimit-Reset": f"{time.time() + retry_after:.3f}",
                    "X-RateLimit-Bucket": hashlib.md5(
                        f"{route.method} {route.template}".encode()
                    ).hexdigest(),
                },
            )
        if failure.status == 403:
            return json_response({"message": "Missing Permissions", "code": 50013}, 403)
        if failure.status == 404 and kind == "guild":
            return json_response({"message": "Unknown Guild", "code": 10004}, 404)
        if failure.status == 404:
            return json_response({"message": "Unknown Channel", "code": 10003}, 404)
        if failure.status == 500:
            return json_response({"message": "500: Internal Server Error", "code": 0}, 500)
        if failure.status == 503:
            # Discord's edge proxy answers this itself: plain text, no rate-limit headers.
            return web.Response(
                status=503,
                text="upstream connect error or disconnect/reset before headers. "
                "reset reason: connection termination",
                content_type="text/plain",
            )
        return web.Response(
            status=502,
            text="<html><head><title>502 Bad Gateway</title></head>"
            "<body>502 Bad Gateway</body></html>",
            content_type="text/html",
        )
