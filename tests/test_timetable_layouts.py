"""Property: one weekend, written in every layout the importer accepts, gives the same instants.

The weekend is generated as UTC instants; each rendering writes it the way some press
officer would (clock style, day headings, where and how the zone is stated), in the
zone that rendering claims. Expected instants never pass through the parser's code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from babel.dates import format_date
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.authoring.schedule_file import to_toml
from bot.authoring.timetable import parse_timetable
from bot.core.schedule import load_text

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SEOUL = ZoneInfo("Asia/Seoul")
NAMES = [
    ("Fri träning 1", "Free Practice 1"),
    ("Fri träning 2", "Free Practice 2"),
    ("Tidskval", "Qualifying"),
    ("Race 1", "Race 1"),
    ("Race 2", "Race 2"),
]


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


#: The Fridays before the clocks change in Sweden (last Sundays of March and October).
DST_FRIDAYS = [
    _last_sunday(year, month) - timedelta(days=2) for year in range(2020, 2031) for month in (3, 10)
]


@dataclass(frozen=True)
class Gen:
    start: datetime  # UTC
    minutes: int
    name_sv: str
    name_en: str


@st.composite
def weekends(draw: st.DrawFn) -> list[Gen]:
    friday = draw(
        st.one_of(
            st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
            st.sampled_from(DST_FRIDAYS),
        )
    )
    friday += timedelta(days=(4 - friday.weekday()) % 7)
    count = draw(st.integers(min_value=1, max_value=5))
    out: list[Gen] = []
    walls: set[datetime] = set()
    for index in range(count):
        day = friday + timedelta(days=draw(st.integers(0, 2)))
        hour = draw(st.integers(7, 20))
        minute = draw(st.sampled_from([0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55]))
        wall = datetime(day.year, day.month, day.day, hour, minute)
        if wall in walls:
            continue
        walls.add(wall)
        start = wall.replace(tzinfo=STOCKHOLM).astimezone(ZoneInfo("UTC"))
        sv, en = NAMES[index]
        out.append(Gen(start, draw(st.sampled_from([20, 30, 45, 60])), sv, en))
    kept: list[Gen] = []
    for g in sorted(out, key=lambda g: g.start):
        if not kept or g.start >= kept[-1].start + timedelta(minutes=kept[-1].minutes):
            kept.append(g)  # a weekend's sessions do not overlap
    return kept


# --- renderers ----------------------------------------------------------------------------


def clock_24(t: datetime) -> str:
    return f"{t:%H:%M}"


def clock_kl(t: datetime) -> str:
    return f"kl. {t.hour}.{t.minute:02d}"


def clock_12(t: datetime) -> str:
    hour = t.hour % 12 or 12
    return f"{hour}:{t.minute:02d} {'pm' if t.hour >= 12 else 'am'}"


def line_time_first(g: Gen, t: datetime, en: bool, clock: Callable[[datetime], str]) -> str:
    return f"{clock(t)} {g.name_en if en else g.name_sv} ({g.minutes} min)"


def line_name_first(g: Gen, t: datetime, en: bool, clock: Callable[[datetime], str]) -> str:
    end = t + timedelta(minutes=g.minutes)
    name = g.name_en if en else g.name_sv
    if end.date() != t.date():
        return f"{name}: {clock(t)} ({g.minutes} min)"
    return f"{name}: {clock(t)}–{clock(end)}"


def day_sv(d: date) -> list[str]:
    return [format_date(d, "EEEE d MMMM", locale="sv_SE").capitalize() + ":"]


def day_sv_numeric(d: date) -> list[str]:
    return [format_date(d, "EEEE", locale="sv_SE").capitalize() + f" {d.day}/{d.month}"]


def day_sv_split(d: date) -> list[str]:
    return [
        format_date(d, "EEEE", locale="sv_SE").capitalize(),
        format_date(d, "d MMMM", locale="sv_SE"),
    ]


def day_en_ordinal(d: date) -> list[str]:
    suffix = {1: "st", 2: "nd", 3: "rd", 21: "st", 22: "nd", 23: "rd", 31: "st"}.get(d.day, "th")
    return [
        f"{format_date(d, 'EEEE', locale='en_GB')} {d.day}{suffix} "
        f"{format_date(d, 'MMMM', locale='en_GB')}"
    ]


def day_en_us(d: date) -> list[str]:
    return [format_date(d, "EEEE, MMMM d", locale="en_GB")]


@dataclass(frozen=True)
class ZoneLayout:
    tz: ZoneInfo
    heading: str
    under: list[str]
    before: str
    after: list[str]
    place: str
    per_line: bool = False


def zone_layouts(weekend: list[Gen]) -> dict[str, ZoneLayout]:
    offsets = {g.start.astimezone(STOCKHOLM).utcoffset() for g in weekend}
    # a weekend over the clock change has no one abbreviation: the writer names the zone
    abbr = "all times are Swedish time"
    if offsets == {timedelta(hours=2)}:
        abbr = "CEST"
    elif offsets == {timedelta(hours=1)}:
        abbr = "CET"
    plain = "Tidsschema för helgens tävling:"
    return {
        "paren": ZoneLayout(
            STOCKHOLM,
            plain,
            ["(alla tidsangivelser avser svensk tid)"],
            "",
            [],
            "Barcelona, Spanien",
        ),
        "heading": ZoneLayout(
            STOCKHOLM, "Tidsschema (svensk tid):", [], "", [], "Barcelona, Spanien"
        ),
        "before": ZoneLayout(
            STOCKHOLM, plain, [], " Alla tider nedan anges i svensk tid.", [], "Inje, Sydkorea"
        ),
        "after": ZoneLayout(
            STOCKHOLM, plain, [], "", ["", "Tiderna ovan är svensk tid."], "Inje, Sydkorea"
        ),
        "abbreviation": ZoneLayout(STOCKHOLM, f"Timetable ({abbr}):", [], "", [], "Inje, Sydkorea"),
        "local-sweden": ZoneLayout(STOCKHOLM, plain, ["(lokal tid)"], "", [], "Mantorp, Sverige"),
        "local-korea": ZoneLayout(SEOUL, plain, ["(lokal tid)"], "", [], "Inje, Sydkorea"),
        "per-line": ZoneLayout(SEOUL, "Tidsschema:", [], "", [], "Inje, Sydkorea", True),
    }


def render(
    weekend: list[Gen],
    layout: ZoneLayout,
    day: Callable[[date], list[str]],
    line: Callable[[Gen, datetime, bool, Callable[[datetime], str]], str],
    clock: Callable[[datetime], str],
    en: bool,
) -> str:
    out = [
        "Bäckmans laddade inför helgen[image: ]",
        "[bookmark: _GoBack]Syskonen Bäckman tävlar i helgen." + layout.before,
        "",
        layout.heading,
        *layout.under,
    ]
    current: date | None = None
    for g in weekend:
        local = g.start.astimezone(layout.tz)
        if local.date() != current:
            current = local.date()
            out += day(current)
        text = line(g, local.replace(tzinfo=None), en, clock)
        if layout.per_line:
            text += f" ({g.start.astimezone(STOCKHOLM):%H:%M} svensk tid)"
        out.append(text)
    out += layout.after
    out += ["", "Om banan:", f"Plats: {layout.place}", "Längd: 4,1 km"]
    return "\n".join(out) + "\n"


@settings(max_examples=25, deadline=None)
@given(weekends())
def test_every_layout_gives_the_same_instants(weekend: list[Gen]) -> None:
    expected = [(g.start, timedelta(minutes=g.minutes)) for g in weekend]
    layouts = zone_layouts(weekend)
    renderings: list[tuple[str, str, ZoneInfo]] = []
    for zone_name, layout in layouts.items():
        renderings.append(
            (
                zone_name,
                render(weekend, layout, day_sv, line_time_first, clock_24, False),
                layout.tz,
            )
        )
    paren = layouts["paren"]
    for name, day in (("sv", day_sv), ("numeric", day_sv_numeric), ("split", day_sv_split)):
        for clock in (clock_24, clock_kl):
            for line in (line_time_first, line_name_first):
                renderings.append(
                    (
                        f"{name}/{clock.__name__}/{line.__name__}",
                        render(weekend, paren, day, line, clock, False),
                        paren.tz,
                    )
                )
    english = layouts["abbreviation"]
    for name, day in (("ordinal", day_en_ordinal), ("us", day_en_us)):
        for clock in (clock_24, clock_12):
            renderings.append(
                (
                    f"en/{name}/{clock.__name__}",
                    render(weekend, english, day, line_name_first, clock, True),
                    english.tz,
                )
            )
    for label, text, tz in renderings:
        # --year is the year of the timetable's first day, in the zone it is written in
        year = weekend[0].start.astimezone(tz).year
        table = parse_timetable(text, year=year, source=label)
        got = [(s.start, s.duration) for s in table.sessions]
        assert got == expected, f"{label}:\n{text}"
        if label in ("paren", "per-line", "local-korea"):
            # the schedule file written from it loads back to the same sessions
            written = load_text(to_toml(table), label).events[0].sessions
            assert written == table.sessions, label
