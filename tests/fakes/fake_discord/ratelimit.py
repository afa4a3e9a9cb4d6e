"""Rate limits as Discord applies them: fixed-window buckets and a global limit."""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from aiohttp import web

from tests.fakes.fake_discord.routing import Route, json_response

if TYPE_CHECKING:
    from tests.fakes.fake_discord.world import World


def ceil3(value: float) -> float:
    """Round up to milliseconds so a client never resets before the server does."""
    return math.ceil(max(value, 0.0) * 1000) / 1000


@dataclass
class Bucket:
    """Fixed-window limiter; the window opens with its first request, like Discord's."""

    limit: int
    per: float
    key_hash: str
    window_start: float | None = None
    count: int = 0

    def _roll(self, now: float) -> None:
        if self.window_start is not None and now >= self.window_start + self.per:
            self.window_start = None
            self.count = 0

    def take(self, now: float) -> bool:
        """Count one request; False once the window is full."""
        self._roll(now)
        if self.count >= self.limit:
            return False
        if self.window_start is None:
            self.window_start = now
        self.count += 1
        return True

    def reset_after(self, now: float) -> float:
        """Seconds until the window resets."""
        if self.window_start is None:
            return self.per
        return max(self.window_start + self.per - now, 0.0)

    def headers(self, now: float) -> dict[str, str]:
        """The X-RateLimit-* headers Discord sends with every answer."""
        reset_after = ceil3(self.reset_after(now))
        return {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(self.limit - self.count, 0)),
            "X-RateLimit-Reset": f"{time.time() + reset_after:.3f}",
            "X-RateLimit-Reset-After": f"{reset_after:.3f}",
            "X-RateLimit-Bucket": self.key_hash,
        }


class RateLimits:
    """Per-route buckets, the global limit and Discord's invalid-request accounting."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.buckets: dict[tuple[str, str], Bucket] = {}
        self._global: Bucket | None = None

    def global_limit(self, now: float) -> web.Response | None:
        """A global 429 once the bot exceeds ``global_rate`` requests a second."""
        if self._global is None:
            assert self.world.global_rate is not None
            if self.world.global_rate >= 1:
                limit, per = int(self.world.global_rate), 1.0
            else:
                limit, per = 1, 1.0 / self.world.global_rate
            self._global = Bucket(limit, per, "global")
        if self._global.take(now):
            return None
        retry_after = ceil3(self._global.reset_after(now))
        return json_response(
            {
                "message": "You are being rate limited.",
                "retry_after": retry_after,
                "global": True,
                "code": 0,
            },
            429,
            headers={
                "Retry-After": str(math.ceil(retry_after)),
                "X-RateLimit-Global": "true",
                "X-RateLimit-Scope": "global",
            },
        )

    def bucket_for(self, route: Route, params: dict[str, str]) -> Bucket:
        """The bucket of a route and its major parameters, as Discord keys them."""
        major = "+".join(
            params[k]
            for k in (
                "channel_id",
                "guild_id",
                "interaction_id",
                "application_id",
                "interaction_token",
            )
            if k in params
        )
        key = (f"{route.method} {route.template}", major)
        bucket = self.buckets.get(key)
        if bucket is None:
            if route.bucket == "channel" and self.world.channel_bucket is not None:
                limit, per = self.world.channel_bucket
            elif route.bucket == "channel":
                limit, per = 10_000, 1.0
            else:
                limit, per = self.world.default_bucket
            key_hash = hashlib.md5(key[0].encode()).hexdigest()
            bucket = self.buckets[key] = Bucket(limit, per, key_hash)
        return bucket

    def limited(self, bucket: Bucket, now: float) -> web.Response:
        """A per-route 429 with the bucket's headers."""
        retry_after = ceil3(bucket.reset_after(now))
        headers = bucket.headers(now)
        headers.update({"Retry-After": str(math.ceil(retry_after)), "X-RateLimit-Scope": "user"})
        return json_response(
            {"message": "You are being rate limited.", "retry_after": retry_after, "global": False},
            429,
            headers=headers,
        )

    def count(self, status: int) -> None:
        """Count a response; 401, 403 and 429 count toward Cloudflare's invalid-request ban."""
        self.world.stats.status[status] += 1
        if status in (401, 403, 429):
            self.world.stats.invalid_requests += 1
