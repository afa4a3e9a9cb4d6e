"""Where discord.py talks to: a custom REST base and its gateway (a local fake or a proxy),
and the nonces that make a retried send idempotent."""

from __future__ import annotations

import contextlib
import hashlib
from typing import Any

import discord
import yarl


def nonce_for(key: str) -> str:
    """Discord nonces are at most 25 characters: a digest of the delivery key fits."""
    return "rb" + hashlib.blake2b(key.encode(), digest_size=11).hexdigest()


def _gateway_for(api_base: str) -> yarl.URL:
    """The gateway next to a custom REST base (a local fake or proxy): ws(s)://host/gateway."""
    url = yarl.URL(api_base)
    scheme = "wss" if url.scheme == "https" else "ws"
    return url.with_scheme(scheme).with_path("/gateway").with_query(None)


@contextlib.contextmanager
def patched_endpoints(api_base: str) -> Any:
    """Point discord.py's REST base and default gateway elsewhere, restoring on exit."""
    route_cls = discord.http.Route
    ws_cls = discord.gateway.DiscordWebSocket
    old_base, old_gateway = route_cls.BASE, ws_cls.DEFAULT_GATEWAY
    route_cls.BASE = api_base.rstrip("/")
    ws_cls.DEFAULT_GATEWAY = _gateway_for(api_base)
    try:
        yield
    finally:
        route_cls.BASE = old_base
        ws_cls.DEFAULT_GATEWAY = old_gateway
