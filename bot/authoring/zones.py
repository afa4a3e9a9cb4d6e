"""Zone statements in press releases: "alla tidsangivelser avser svensk tid", "(CEST)",
"all times are local time in Portugal", "AEDT – UTC+11", "(03:00 svensk tid)".

A statement becomes a Claim; the timetable reader checks every claim of a release
against the others and against --tz, and refuses when two would give different instants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.authoring import phrases as say
from bot.authoring.places import PlaceError, place_zone, track_zone
from bot.core.errors import Day, Said
from bot.core.timeutil import SWEDISH_TIME, LocalTimeError, to_utc, zone

#: Abbreviation -> (UTC offset in minutes, the zone that keeps it).
ABBREVIATIONS: dict[str, tuple[int, str]] = {
    "CEST": (120, "Europe/Stockholm"),
    "CET": (60, "Europe/Stockholm"),
    "WEST": (60, "Europe/Lisbon"),
    "WET": (0, "Europe/Lisbon"),
    "BST": (60, "Europe/London"),
    "EEST": (180, "Europe/Helsinki"),
    "EET": (120, "Europe/Helsinki"),
    "MSK": (180, "Europe/Moscow"),
    "GST": (240, "Asia/Dubai"),
    "ICT": (420, "Asia/Bangkok"),
    "SGT": (480, "Asia/Singapore"),
    "HKT": (480, "Asia/Hong_Kong"),
    "MYT": (480, "Asia/Kuala_Lumpur"),
    "AWST": (480, "Australia/Perth"),
    "JST": (540, "Asia/Tokyo"),
    "KST": (540, "Asia/Seoul"),
    "ACST": (570, "Australia/Darwin"),
    "ACDT": (630, "Australia/Adelaide"),
    "AEST": (600, "Australia/Brisbane"),
    "AEDT": (660, "Australia/Sydney"),
    "NZST": (720, "Pacific/Auckland"),
    "NZDT": (780, "Pacific/Auckland"),
    "BRT": (-180, "America/Sao_Paulo"),
    "EDT": (-240, "America/New_York"),
    "CDT": (-300, "America/Chicago"),
    "MDT": (-360, "America/Denver"),
    "PDT": (-420, "America/Los_Angeles"),
    "PST": (-480, "America/Los_Angeles"),
}

#: Winter/summer pairs written together: the zone that switches between them.
_PAIRS = {
    frozenset({"CET", "CEST"}): "Europe/Stockholm",
    frozenset({"WET", "WEST"}): "Europe/Lisbon",
    frozenset({"EET", "EEST"}): "Europe/Helsinki",
    frozenset({"ACST", "ACDT"}): "Australia/Adelaide",
    frozenset({"AEST", "AEDT"}): "Australia/Sydney",
    frozenset({"NZST", "NZDT"}): "Pacific/Auckland",
    frozenset({"PST", "PDT"}): "America/Los_Angeles",
}

_PLACE = (
    r"(?:\s*,?\s+(?i:i|in|på|at|for|för)\s+(?P<place>[A-ZÅÄÖ][\w'-]*(?:[ -][A-ZÅÄÖ][\w'-]*)*))?"
)
_PHRASES = re.compile(
    r"(?P<swedish>(?i:\bsvensk(?:a)?\s+(?:sommar|vinter|normal)?tid(?:er)?\b|\bswedish\s+time\b|"
    r"\btid\s+i\s+sverige\b|\bi\s+sverige\b|\bsvenska\s+tider\b|\bin\s+sweden\b|"
    r"\b(?:tider(?:na)?|tidsangivelse\w*)\s+(?:är|avser)\s+svenska\b))"
    rf"|(?P<local>(?i:\blokal(?:a)?\s+tid(?:er)?|\blocal\s+times?|\btrack\s+time|\bbantid|"
    rf"\bortens\s+tid|\blokaltid){_PLACE})"
    r"|(?P<iana>\b[A-Z][a-z]+/[A-Z][A-Za-z_]+(?:/[A-Z][A-Za-z_]+)?\b)"
    r"|(?P<offset>\b(?:UTC|GMT)\s*(?P<sign>[+-])\s*(?P<oh>\d{1,2})(?:[:.]?(?P<om>\d{2}))?\b)"
    rf"|(?P<abbr>\b(?:{'|'.join(ABBREVIATIONS)})\b)"
    r"|(?P<utc>\b(?:UTC|GMT)\b)"
    r"|(?P<city>\b[A-Z][a-z]+(?:\s[A-Z][a-z]+)?(?=\s+time\b|-tid\b|s\s+tid\b))",
)
_TIMES = re.compile(
    r"\b(?:alla\s+)?(?:tider(?:na)?|tidsangivelse(?:r|rna)?|klockslag(?:en)?|tidsschemat|"
    r"schemat|tidtabellen|starttider(?:na)?|times?|timetable|schedule)\b",
    re.IGNORECASE,
)
_TIME_WORD = re.compile(
    r"\b(?:tid|tider|tiderna|tidsangivelse\w*|klockslag|time|times|zone|tidszon)\b", re.IGNORECASE
)
#: Words of a note about the local difference, which is not a second statement.
_DIFFERENCE = re.compile(
    r"\b(?:före|efter|ahead|behind|skillnad\w*|difference|tidsskillnad\w*|timmar|hours?)\b",
    re.IGNORECASE,
)
#: "Alla tider är preliminära": every session of the timetable is tentative.
TENTATIVE_NOTE = re.compile(
    r"\b(?:preliminär\w*|prel\.|provisional|tentative|to be confirmed|TBC)\b", re.IGNORECASE
)
_SUBJECT_TO_CHANGE = re.compile(
    r"\b(?:kan\s+(?:komma\s+att\s+)?ändras|subject\s+to\s+change|med\s+reservation\s+för\s+"
    r"ändringar|may\s+change)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Claim:
    """One statement of which zone the times are in, and where it was made."""

    line: int | None
    text: str
    kind: Literal["zone", "offset", "local", "unknown"]
    tz: ZoneInfo | None = None
    offset: timedelta | None = None
    place: str | None = None
    #: How to name a claim the release did not make (the track's zone, --tz).
    origin: Said | None = None

    @property
    def where(self) -> Said:
        if self.origin is not None:
            return self.origin
        return say.TZ_OPTION() if self.line is None else say.LINE_NO(line=self.line)


def _claims_in(text: str, line: int | None, difference_ok: bool) -> list[Claim]:
    found: list[Claim] = []
    for match in _PHRASES.finditer(text):
        if match["swedish"]:
            found.append(Claim(line, text, "zone", SWEDISH_TIME))
        elif match["local"]:
            found.append(Claim(line, text, "local", place=match["place"]))
        elif match["iana"]:
            try:
                found.append(Claim(line, text, "zone", zone(match["iana"])))
            except LocalTimeError:
                continue
        elif match["offset"]:
            minutes = int(match["oh"]) * 60 + int(match["om"] or 0)
            sign = -1 if match["sign"] == "-" else 1
            found.append(Claim(line, text, "offset", offset=timedelta(minutes=sign * minutes)))
        elif match["abbr"]:
            minutes, key = ABBREVIATIONS[match["abbr"]]
            found.append(Claim(line, text, "offset", ZoneInfo(key), timedelta(minutes=minutes)))
        elif match["utc"]:
            found.append(Claim(line, text, "zone", ZoneInfo("UTC")))
        elif match["city"]:
            city = track_zone(match["city"])
            if city is not None:
                found.append(Claim(line, text, "zone", city))
    explicit = [c for c in found if c.kind in ("zone", "offset") and c.tz is not None]
    if len(explicit) == 1:
        # "All times are local time (JST)": the local time is that zone's, unless the track
        # is known, which then must agree with it
        found = [
            replace(c, tz=explicit[0].tz) if c.kind == "local" and not c.place else c for c in found
        ]
    if found and difference_ok and _DIFFERENCE.search(text):
        return found[:1]  # "svensk tid, lokal tid i Sydkorea är sju timmar före"
    named = frozenset(m["abbr"] for m in _PHRASES.finditer(text) if m["abbr"])
    if named in _PAIRS and len(found) == len(named):
        # "CET/CEST", "AEST/AEDT": the zone that keeps both, whichever applies that day
        return [Claim(line, text, "zone", ZoneInfo(_PAIRS[named]))]
    return found


def first_phrase(text: str) -> int | None:
    """Where the first zone phrase of ``text`` starts, to cut it off a heading's title."""
    match = _PHRASES.search(text)
    return match.start() if match else None


def zone_beside(text: str, line: int) -> tuple[list[Claim], int, int] | None:
    """A zone written right after a session's time ("14:30 CEST Fri träning 1", "Fri
    träning 1 – 14:30 (CEST)"): its claims and where it stands in ``text``; it must be
    at the start or the end of ``text``, the part of the line after or before the time."""
    for match in _PHRASES.finditer(text):
        start, end = match.span()
        before = text[:start]
        if before.strip(" (") and text[end:].strip(" )"):
            continue
        if before.count("(") > before.count(")") and not before.rstrip().endswith("("):
            continue  # "(LIVE på Eurosport, svensk tid)": a note that also names the zone
        if start > 0 and text[start - 1 : start] == "(":
            start -= 1
        if text[end : end + 1] == ")":
            end += 1
        claims = _claims_in(match.group(0), line, difference_ok=False)
        if claims and all(c.kind != "unknown" for c in claims):
            return claims, start, end
    return None


def statement(text: str, line: int | None) -> list[Claim] | None:
    """The claims of a note line or parenthesis ("(alla tider avser svensk tid)", "(CEST)").

    None if the text is no note on time; [unknown claim] if it speaks of time in a way
    that names no zone.
    """
    inner = text.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1].strip()
    if len(inner) > 160:
        return None
    claims = _claims_in(inner, line, difference_ok=True)
    if claims:
        return claims
    if _TIME_WORD.search(inner) and not _SUBJECT_TO_CHANGE.search(inner):
        if TENTATIVE_NOTE.search(inner):
            return None
        return [Claim(line, inner, "unknown")]
    return None


def prose_statements(text: str, line: int) -> list[Claim]:
    """Zone statements inside running text: a sentence about 'the times' that names a zone."""
    claims: list[Claim] = []
    for sentence in re.split(r"(?<=[.!?])\s+", text):
        times = _TIMES.search(sentence)
        if times is None:
            continue
        after = sentence[times.start() :]
        claims.extend(_claims_in(after.strip(), line, difference_ok=True))
    return claims


def is_note(text: str) -> bool:
    """A line that only says the times may change: understood, and nothing to act on."""
    inner = text.strip("() ")
    return bool(_SUBJECT_TO_CHANGE.search(inner)) and len(inner) < 160


class ZoneProblem(ValueError):
    """A zone statement that cannot be resolved, said in the reader's language."""

    def __init__(self, message: Said, hint: Said) -> None:
        super().__init__(message.say("en"))
        self.said = message
        self.hint = hint


def claim_zone(claim: Claim, track: ZoneInfo | None) -> ZoneInfo | None:
    """The zone a claim's wall-clock times are read in (None for a bare offset)."""
    if claim.kind == "zone":
        return claim.tz
    if claim.kind == "local":
        if claim.place:
            try:
                found = place_zone(claim.place)
            except PlaceError as exc:
                raise ZoneProblem(
                    say.PLACE_ZONES(claim=claim.text, place=claim.place, problem=exc.said),
                    say.PLACE_ZONES_HINT(),
                ) from exc
            if found is not None:
                return found
        if track is not None:
            return track
        if claim.tz is not None:
            return claim.tz
        raise ZoneProblem(
            say.LOCAL_UNKNOWN_IN(claim=claim.text, place=claim.place)
            if claim.place
            else say.LOCAL_UNKNOWN(claim=claim.text),
            say.LOCAL_UNKNOWN_HINT(),
        )
    if claim.kind == "offset":
        return None
    raise ZoneProblem(say.ZONE_UNKNOWN(claim=claim.text), say.ZONE_UNKNOWN_HINT())


def claim_instant(claim: Claim, wall: datetime, track: ZoneInfo | None) -> datetime:
    """The UTC instant a wall-clock reading means under ``claim``.

    LocalTimeError for DST gaps/folds, ZoneProblem when the claim cannot be resolved or an
    abbreviation does not fit the date ("CEST" on a November weekend).
    """
    if claim.kind == "offset" and claim.offset is not None:
        instant = (wall - claim.offset).replace(tzinfo=UTC)
        keeper = claim.tz
        if keeper is not None:
            fits = [
                z
                for z in (track, keeper)
                if z is not None and instant.astimezone(z).utcoffset() == claim.offset
            ]
            if (
                fits
                and track is not None
                and track not in fits
                and _abbreviation(claim) in _names_of(track, wall.year)
            ):
                # "AEST" at Bathurst in October: the track keeps AEDT that day; Brisbane,
                # which keeps AEST all year, is no reason to believe the note
                fits, keeper = [], track
            if not fits:
                actual = instant.astimezone(keeper)
                raise ZoneProblem(
                    say.OFFSET_MISMATCH(
                        claim=claim.text,
                        offset=_fmt(claim.offset),
                        day=Day(wall.date()),
                        zone=keeper.key,
                        actual=actual.tzname(),
                        actual_offset=_fmt(actual.utcoffset()),
                    ),
                    say.OFFSET_MISMATCH_HINT(),
                )
        return instant
    tz = claim_zone(claim, track)
    assert tz is not None
    return to_utc(wall, tz)


def _abbreviation(claim: Claim) -> str | None:
    minutes = int((claim.offset or timedelta()).total_seconds() // 60)
    key = claim.tz.key if claim.tz is not None else None
    return next((a for a, (m, k) in ABBREVIATIONS.items() if (m, k) == (minutes, key)), None)


def _names_of(tz: ZoneInfo, year: int) -> set[str | None]:
    """The abbreviations ``tz`` keeps in winter and summer of ``year``."""
    return {datetime(year, month, 1, 12, tzinfo=tz).tzname() for month in (1, 7)}


def written_zone(claim: Claim, instant: datetime, track: ZoneInfo | None) -> ZoneInfo:
    """The IANA zone to write the times in, for a claim that held at ``instant``."""
    if claim.kind == "offset" and claim.offset is not None:
        for candidate in (track, claim.tz):
            if candidate is not None and instant.astimezone(candidate).utcoffset() == claim.offset:
                return candidate
        minutes = int(claim.offset.total_seconds() // 60)
        if minutes % 60 == 0:
            hours = minutes // 60
            return ZoneInfo(f"Etc/GMT{-hours:+d}" if hours else "UTC")
        return ZoneInfo("UTC")
    tz = claim_zone(claim, track)
    assert tz is not None
    return tz


def _fmt(offset: timedelta | None) -> str:
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours}" + (f":{rest:02d}" if rest else "")
