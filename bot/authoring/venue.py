"""Track facts from a release's "Om banan" block, and the event name they give.

The event is named after the circuit ("Circuito del Jarama" -> "Jarama"), not the town,
as the shipped files and the fans do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from bot.authoring.places import country_code

_VENUE_HEAD = re.compile(
    r"^(?:om\s+banan|banfakta|about\s+the\s+(?:track|circuit)|track\s+facts|the\s+track)\b"
    r"\s*(?:\((?P<circuit>[^)]*)\))?\s*:?\s*$",
    re.IGNORECASE,
)
_KEY_VALUE = re.compile(r"^(?P<key>[^:]{2,30}):\s*(?P<value>.+)$")
_PLACE_KEYS = ("plats", "location", "place", "ort")
_GENERIC = re.compile(
    r"^(?:circuito|circuit|autódromo|autodromo|autodrom|kartódromo)\s+(?:del|de|do|da|di|of)?\s*"
    r"|\s+(?:international\s+)?(?:raceway|racetrack|circuit|speedway|speedpark|ring)$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Venue:
    """Track facts from the release; used as defaults for a file, never over a series file."""

    circuit: str | None = None
    city: str | None = None
    country: str | None = None
    length_km: float | None = None
    turns: int | None = None
    place_line: int | None = None
    place: str | None = None


def event_name(circuit: str) -> str:
    """'Circuito del Jarama' -> 'Jarama', 'Adria International Raceway' -> 'Adria'."""
    name = _GENERIC.sub("", circuit.strip()).strip()
    return name or circuit.strip()


def find_venue(lines: Sequence[str]) -> Venue:
    """Circuit, place, length and turns from the first "Om banan" block or "Plats:" line."""
    for index, text in enumerate(lines):
        head = _VENUE_HEAD.match(text)
        if head is not None:
            return _block(lines, index, (head["circuit"] or "").strip() or None)
    for index, text in enumerate(lines):
        pair = _KEY_VALUE.match(text)
        if pair is not None and pair["key"].strip().casefold() in _PLACE_KEYS:
            city, country = split_place(pair["value"])
            return Venue(None, city, country, place_line=index + 1, place=pair["value"].strip())
    return Venue()


def _block(lines: Sequence[str], index: int, circuit: str | None) -> Venue:
    city: str | None = None
    country: str | None = None
    length: float | None = None
    turns: int | None = None
    place_line: int | None = None
    place: str | None = None
    seen = 0
    for number, text in enumerate(lines[index + 1 :], start=index + 2):
        if not text:
            continue
        seen += 1
        if seen > 10:
            break
        pair = _KEY_VALUE.match(text)
        if pair is None:
            if circuit is None and city is None and length is None:
                circuit = text
            continue
        key, value = pair["key"].strip().casefold(), pair["value"].strip()
        if key in _PLACE_KEYS:
            city, country = split_place(value)
            place_line, place = number, value
        elif key in ("längd", "banlängd", "length", "track length"):
            found = re.search(r"(\d+(?:[.,]\d+)?)\s*km", value)
            length = float(found[1].replace(",", ".")) if found else None
        elif key in ("antal kurvor", "kurvor", "turns", "corners"):
            count = re.search(r"\d+", value)
            turns = int(count[0]) if count else None
    return Venue(circuit, city, country, length, turns, place_line, place)


def split_place(value: str) -> tuple[str | None, str | None]:
    """'San Sebastián de los Reyes, Madrid, Spanien' -> (town part, 'ES')."""
    parts = [p.strip() for p in value.split(",") if p.strip()]
    if not parts:
        return None, None
    code = country_code(parts[-1])
    if code is None:
        return ", ".join(parts), None
    return (", ".join(parts[:-1]) or None), code
