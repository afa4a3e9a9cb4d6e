"""The shape of a schedule file, as pydantic models, and the hints for each kind of error.

Kept apart from the loader (``bot.core.schedule``), which builds the domain model from
these and adds what a shape cannot say (zones, DST gaps, duplicates), each with file:line.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    HttpUrl,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from bot.core.model import LinkKind, SessionKind, SessionStatus

Ident = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=64)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def _http_url(value: HttpUrl) -> str:
    return str(value)


def _with_time(value: Any) -> Any:
    # pydantic would silently read a bare TOML date as midnight
    if isinstance(value, date) and not isinstance(value, datetime):
        raise PydanticCustomError("date_without_time", "a date without a time of day")
    return value


def _duration_value(value: Any) -> Any:
    # pydantic would read `true` as 1 minute and 60.5 as a string error plus an int error
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise PydanticCustomError("duration_type", "a duration is text or a whole number")
    return value


def _day_only(value: Any) -> Any:
    # a pending session has no time: a TOML date-time (or a number) there is a mistake
    if isinstance(value, datetime) or not isinstance(value, date):
        raise PydanticCustomError("day_only", "a date without a time, e.g. 2023-09-30")
    return value


WallClock = Annotated[datetime, BeforeValidator(_with_time)]
Day = Annotated[date, BeforeValidator(_day_only)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RawLink(_Strict):
    id: Ident | None = None
    label: Name
    url: Annotated[HttpUrl, AfterValidator(_http_url)] | None = None
    kind: LinkKind = LinkKind.STREAM
    language: Literal["sv", "en"] | None = None
    every_session: bool = False


class RawTemplate(_Strict):
    id: Ident
    name: Name
    name_en: Name | None = None
    kind: SessionKind


class RawSession(RawTemplate):
    start: WallClock
    day: str | None = None
    duration: Annotated[str | int, BeforeValidator(_duration_value)] | None = None
    end: WallClock | None = None
    fold: Literal[0, 1] | None = None
    timezone: str | None = None
    links: list[Ident] = Field(default_factory=list)
    note: Name | None = None
    note_en: Name | None = None
    status: SessionStatus = SessionStatus.SCHEDULED
    tentative: bool = False


class RawPending(RawTemplate):
    """A session listed without a time yet: `[[events.pending]]`, the day when known."""

    day: Day | None = None
    note: Name | None = None
    note_en: Name | None = None


class RawEvent(_Strict):
    id: Ident
    round: int = Field(ge=1, le=99)
    name: Name
    circuit: Name
    city: Name | None = None
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{2}$")]
    track_timezone: str
    timezone: str | None = None
    first_day: date
    last_day: date
    length_km: float | None = Field(default=None, gt=0)
    turns: int | None = Field(default=None, gt=0)
    grid: int | None = Field(default=None, ge=1, le=99)
    links: list[RawLink] = Field(default_factory=list)
    sessions: list[RawSession] = Field(default_factory=list)
    pending: list[RawPending] = Field(default_factory=list)


class RawDriver(_Strict):
    id: Ident
    name: Name
    country: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$")] | None = None
    number: int | None = Field(default=None, ge=0, le=999)


class RawSeriesHead(_Strict):
    id: Ident
    name: Name
    season: int = Field(ge=1900, le=2200)
    rounds: int | None = Field(default=None, ge=1)
    grid: int | None = Field(default=None, ge=1, le=99)
    color: Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")] = "#1F6FEB"
    timezone: str = "Europe/Stockholm"
    format: list[RawTemplate] = Field(default_factory=list)


class RawFile(_Strict):
    series: RawSeriesHead
    drivers: list[RawDriver] = Field(default_factory=list)
    links: list[RawLink] = Field(default_factory=list)
    events: list[RawEvent] = Field(default_factory=list)


HINTS = {
    "enum": "choose one of the values listed",
    "url_parsing": "write a full address starting with https://",
    "url_scheme": "write a full address starting with https://",
    "extra_forbidden": "remove the key or check its spelling",
    "missing": "add the key",
    "string_pattern_mismatch": "ids are lower-case letters, digits and dashes (race1, r6)",
    "datetime_from_date_parsing": "write a date and time such as 2020-11-06T10:50:00",
    "datetime_parsing": "write a date and time such as 2020-11-06T10:50:00",
    "datetime_type": "write a date and time such as 2020-11-06T10:50:00",
    "date_without_time": "write a date and time such as 2020-11-06T10:50:00",
    "day_only": "write the track's date as day = 2023-09-30, no quotes and no time; "
    "leave day out when the release does not say",
    "duration_type": 'write minutes, e.g. duration = 60, or text such as "2 x 20 min"',
    "literal_error": "choose one of the values listed",
    "int_parsing": "write a whole number, e.g. 6",
    "int_type": "write a whole number, e.g. 6",
    "int_from_float": "write a whole number, e.g. 6",
    "float_parsing": "write a number, e.g. 3.85",
    "float_type": "write a number, e.g. 3.85",
    "greater_than": "use a value within the limit given",
    "greater_than_equal": "use a value within the limit given",
    "less_than_equal": "use a value within the limit given",
    "string_type": 'write text in double quotes, e.g. name = "Jarama"',
    "string_too_short": "write some text or remove the key",
    "string_too_long": "shorten the text",
    "bool_type": "write true or false",
    "bool_parsing": "write true or false",
    "date_type": "write a date such as 2020-11-06",
    "date_parsing": "write a date such as 2020-11-06",
    "date_from_datetime_inexact": "write a date such as 2020-11-06, without a time",
    "list_type": 'write a list in brackets, e.g. links = ["tv"]',
    "model_type": "write it as a table: a [header] line followed by key = value lines",
    "dict_type": "write it as a table: a [header] line followed by key = value lines",
}
DEFAULT_HINT = "compare with the shipped files in schedules/"
PATTERN_HINTS = {
    "country": "use the ISO 3166 two-letter code in capitals, e.g. ES, SE, MO",
    "color": "write a colour as #RRGGBB",
}


#: Keys of a timed session: in a pending entry they mean the time has arrived.
TIMED_KEYS = {"start", "end", "duration", "fold", "timezone", "tentative", "time"}
PENDING_TIMED_HINT = (
    "an [[events.pending]] entry has no time; once the time is published, move it to "
    "[[events.sessions]] with start = 2023-09-30T14:00:00"
)
