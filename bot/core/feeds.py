"""Personal calendar feeds: one chat's series, session kinds, language and alarms in a
signed token, and the "add to calendar" links for Apple, Google and Outlook.com.

The token is the settings themselves (compact JSON, base64url) and an HMAC-SHA256 of
them under the bot's feed secret, so the web server needs no table to serve it and a
token cannot be guessed or altered: changing one character of the settings breaks the
signature. It names no chat, so a shared link gives away nothing but the choices.

Chat apps accept only http(s) in URL buttons, so the Apple button points at
``/calendar/open/TOKEN`` on the bot's web server, which redirects to ``webcal://``; the
webcal URL itself is shown as text too. Google caches a subscribed URL for a long time,
so its link carries a cache-buster (``v=``), which the feed ignores.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import quote, urlencode

from bot.core.calendar import MAX_ALARM_MINUTES, MAX_ALARMS, FeedOptions
from bot.core.model import SessionKind
from bot.core.texts import LANGUAGES

#: Any moment, where a link's cache-buster does not matter.
EPOCH = datetime(2000, 1, 1, tzinfo=UTC)
#: Bytes of the HMAC kept in the token: 96 bits cannot be guessed.
SIGNATURE_BYTES = 12


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: bytes, payload: str) -> str:
    digest = hmac.new(secret, payload.encode("ascii"), hashlib.sha256).digest()
    return _b64(digest[:SIGNATURE_BYTES])


def feed_token(options: FeedOptions, secret: bytes) -> str:
    """The signed token for a personal feed with ``options``."""
    data: dict[str, object] = {"l": options.language}
    if options.series is not None:
        data["s"] = sorted(options.series)
    if options.kinds is not None:
        data["k"] = sorted(k.value for k in options.kinds)
    if options.alarms:
        data["a"] = list(options.alarms)
    payload = _b64(json.dumps(data, separators=(",", ":"), sort_keys=True).encode())
    return f"{payload}.{_signature(secret, payload)}"


def read_token(token: str, secret: bytes) -> FeedOptions | None:
    """The options a token carries; None when it is not one the bot signed."""
    payload, _, signature = token.partition(".")
    if not payload or not hmac.compare_digest(signature, _signature(secret, payload)):
        return None
    try:
        data = json.loads(_unb64(payload))
        language = str(data["l"])
        series = data.get("s")
        kinds = data.get("k")
        alarms = tuple(int(m) for m in data.get("a", ()))
        if language not in LANGUAGES or len(alarms) > MAX_ALARMS:
            return None
        if any(not 1 <= m <= MAX_ALARM_MINUTES for m in alarms):
            return None
        return FeedOptions(
            language=language,
            alarms=alarms,
            kinds=frozenset(SessionKind(k) for k in kinds) if kinds is not None else None,
            series=frozenset(str(s) for s in series) if series is not None else None,
        )
    except (ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """Where a personal feed lives and how each calendar app adds it."""

    https: str
    webcal: str
    apple: str
    google: str
    outlook: str


def feed_links(public_url: str, token: str, name: str, now: datetime) -> FeedLinks:
    """The feed's URLs; ``now`` makes Google's cache-buster (new on every /calendar)."""
    base = public_url.rstrip("/")
    https = f"{base}/calendar/feed/{quote(token, safe='.')}.ics"
    scheme, _, rest = https.partition("://")
    webcal = f"webcal://{rest}" if scheme in ("http", "https") else https
    buster = f"{webcal}?v={int(now.timestamp()) // 60:x}"
    outlook = {"path": "/calendar/action/compose", "rru": "addsubscription"}
    return FeedLinks(
        https=https,
        webcal=webcal,
        apple=f"{base}/calendar/open/{quote(token, safe='.')}",
        google="https://calendar.google.com/calendar/r?" + urlencode({"cid": buster}),
        outlook="https://outlook.live.com/owa?"
        + urlencode({**outlook, "url": https, "name": name}),
    )


def derive_secret(*parts: str | None) -> bytes:
    """A feed secret from what the bot already keeps secret (its tokens) when ``[web]
    feed_secret`` is not set; changing either token then changes every feed URL."""
    material = "\n".join(p or "" for p in parts)
    return hashlib.sha256(b"racebot calendar feed\n" + material.encode()).digest()
