"""Where a weekend is and which zone its track keeps: from country names, towns, circuits.

A release in local time that names the place ("Plats: Inje, Sydkorea", "local time in
Portugal") is read in that place's zone; a country with several zones (Australia, USA)
is only resolved by a town or circuit it also names, otherwise the caller must ask.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

from babel import Locale
from babel.core import get_global

from bot.authoring import phrases as say

#: Country names the releases use that CLDR spells otherwise.
_COUNTRY_ALIASES = {
    "macau": "MO",
    "macao": "MO",
    "korea": "KR",
    "sydkorea": "KR",
    "south korea": "KR",
    "england": "GB",
    "skottland": "GB",
    "scotland": "GB",
    "wales": "GB",
    "storbritannien": "GB",
    "great britain": "GB",
    "uk": "GB",
    "usa": "US",
    "holland": "NL",
    "tjeckien": "CZ",
    "czechia": "CZ",
}

#: Where a country has several zones, the one its circuits keep (others are islands).
_PRIMARY = {
    "PT": "Europe/Lisbon",
    "ES": "Europe/Madrid",
    "CN": "Asia/Shanghai",
    "DE": "Europe/Berlin",
    "MY": "Asia/Kuala_Lumpur",
    "NZ": "Pacific/Auckland",
    "EC": "America/Guayaquil",
    "CL": "America/Santiago",
}

#: Towns and circuits the series visit, for places an IANA name does not cover.
_TRACKS = {
    "bathurst": "Australia/Sydney",
    "mount panorama": "Australia/Sydney",
    "sydney motorsport park": "Australia/Sydney",
    "eastern creek": "Australia/Sydney",
    "phillip island": "Australia/Melbourne",
    "sandown": "Australia/Melbourne",
    "winton": "Australia/Melbourne",
    "albert park": "Australia/Melbourne",
    "the bend": "Australia/Adelaide",
    "tailem bend": "Australia/Adelaide",
    "symmons plains": "Australia/Hobart",
    "wanneroo": "Australia/Perth",
    "barbagallo": "Australia/Perth",
    "hidden valley": "Australia/Darwin",
    "queensland raceway": "Australia/Brisbane",
    "ipswich": "Australia/Brisbane",
    "townsville": "Australia/Brisbane",
    "surfers paradise": "Australia/Brisbane",
    "gold coast": "Australia/Brisbane",
    "inje": "Asia/Seoul",
    "ningbo": "Asia/Shanghai",
    "zhuzhou": "Asia/Shanghai",
    "sepang": "Asia/Kuala_Lumpur",
    "suzuka": "Asia/Tokyo",
    "motegi": "Asia/Tokyo",
    "fuji": "Asia/Tokyo",
    "buriram": "Asia/Bangkok",
    "guia": "Asia/Macau",
    "circuit of the americas": "America/Chicago",
    "austin": "America/Chicago",
    "road america": "America/Chicago",
    "laguna seca": "America/Los_Angeles",
    "sonoma": "America/Los_Angeles",
    "watkins glen": "America/New_York",
    "daytona": "America/New_York",
    "sebring": "America/New_York",
    "interlagos": "America/Sao_Paulo",
}


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@cache
def _country_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for language in ("en", "sv"):
        for code, territory in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names.setdefault(fold(str(territory)), str(code))
    names.update(_COUNTRY_ALIASES)
    return names


def country_code(name: str) -> str | None:
    """'Sydkorea' -> 'KR', 'Portugal' -> 'PT', 'Macau' -> 'MO'; None if not a country."""
    return _country_names().get(fold(name.strip(" .,:;")))


@cache
def _cities() -> dict[str, str]:
    return {
        fold(key.rsplit("/", 1)[-1].replace("_", " ")): key
        for key in available_timezones()
        if "/" in key and not key.startswith(("Etc/", "SystemV/", "US/"))
    }


def _same_offsets(keys: list[str]) -> bool:
    probes = [datetime(2025, 1, 15, tzinfo=UTC), datetime(2025, 7, 15, tzinfo=UTC)]
    seen = {tuple(p.astimezone(ZoneInfo(k)).utcoffset() for p in probes) for k in keys}
    return len(seen) == 1


class PlaceError(ValueError):
    """A place whose zone cannot be told without asking (a country with several zones)."""

    def __init__(self, code: str, listed: str) -> None:
        super().__init__(f"{code} has several time zones ({listed}, …)")
        self.said = say.SEVERAL_ZONES(code=code, listed=listed)


def country_zone(code: str, near: str = "") -> ZoneInfo | None:
    """The zone of a country's tracks; ``near`` (town, circuit) settles countries with several.

    None for an unknown code; PlaceError when the country has several zones and ``near``
    does not say which.
    """
    keys: list[str] = list(get_global("territory_zones").get(code, ()))
    if not keys:
        return None
    local = track_zone(near) if near else None
    if local is not None and local.key in keys:
        return local
    if len(keys) == 1 or _same_offsets(keys):
        return ZoneInfo(keys[0])
    if code in _PRIMARY:
        return ZoneInfo(_PRIMARY[code])
    listed = ", ".join(sorted(keys)[:4])
    raise PlaceError(code, listed)


def track_zone(text: str) -> ZoneInfo | None:
    """The zone of a town or circuit named in ``text`` ('Mount Panorama, Bathurst', 'Macau')."""
    folded = fold(text)
    for name, key in _TRACKS.items():
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", folded):
            return ZoneInfo(key)
    cities = _cities()
    for word in re.findall(r"[^\W\d_][\w-]*(?:\s+[^\W\d_][\w-]*)?", text):
        for candidate in (word, word.split()[0]):
            city = cities.get(fold(candidate))
            if city is not None:
                return ZoneInfo(city)
    return None


def place_zone(place: str) -> ZoneInfo | None:
    """A place as releases write it: 'Inje, Sydkorea', 'Portugal', 'Macau', 'Bathurst'.

    Raises PlaceError for a country with several zones and no town that settles it.
    """
    parts = [p.strip() for p in re.split(r"[,(/)]", place) if p.strip()]
    for part in reversed(parts):
        code = country_code(part)
        if code is not None:
            return country_zone(code, place)
    return track_zone(place)
