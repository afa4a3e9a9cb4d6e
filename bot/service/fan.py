"""Fan commands that answer questions: /next, /schedule, /calendar, /help."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from bot.core.calendar import FeedOptions, build_calendar
from bot.core.complete import Choice, event_choices, series_choices
from bot.core.errors import UserError
from bot.core.feeds import feed_links, feed_token
from bot.core.markup import Bold, Button, Href, Post, line
from bot.core.model import Event, Series, SessionRef
from bot.core.render import dated_weekends, render_dates_only, render_next, render_preview
from bot.core.results.resolve import fold
from bot.core.texts import help_entries, texts
from bot.service.context import Context
from bot.service.types import Caller, Command, CommandGroup, Reply, text_reply


async def _next(cmds: Context, caller: Caller, args: str) -> Reply:
    target = await cmds.reader(caller)
    language = target.language if target else caller.language
    tz = target.tz if target else cmds.home
    now = cmds.clock.now()
    upcoming = [
        r for r in cmds.engine.upcoming(now) if r.session.start > now
    ] or cmds.engine.upcoming(now)
    today = now.astimezone(tz).date()
    weekend = _dated_first(cmds, today, upcoming, tz)
    if weekend is not None:
        return Reply(render_dates_only(*weekend, language, today, tz))
    if not upcoming:
        return text_reply(texts(language).no_next, language)
    return Reply(render_next(upcoming[0], now, language, tz, cmds.home))


def _dated_first(
    cmds: Context, today: date, upcoming: list[SessionRef], tz: ZoneInfo
) -> tuple[Series, Event] | None:
    """A weekend with dates but no times that comes before the next timed session."""
    weekends = dated_weekends(cmds.engine.catalog, today)
    if not weekends:
        return None
    if upcoming and upcoming[0].session.start.astimezone(tz).date() <= weekends[0][1].first_day:
        return None
    return weekends[0]


async def _schedule(cmds: Context, caller: Caller, args: str) -> Reply:
    target = await cmds.reader(caller)
    language = target.language if target else caller.language
    tz = target.tz if target else cmds.home
    today = cmds.clock.now().astimezone(tz).date()
    if args:
        wanted = fold(args)
        found = [
            (s, e)
            for s, e in cmds.engine.catalog.events()
            if wanted in (fold(e.id), fold(e.name), fold(f"{s.id}/{e.id}"))
            or wanted in fold(e.name)
        ]
        if not found:
            names = ", ".join(f"{s.id}/{e.id} ({e.name})" for s, e in cmds.engine.catalog.events())
            chosen = texts(language)
            raise UserError(
                chosen.no_weekend_match.format(query=args), chosen.try_one_of.format(choices=names)
            )
        series, event = _one_weekend(cmds, caller, args, found, language)
    else:
        upcoming = cmds.engine.upcoming(cmds.clock.now())
        weekend = _dated_first(cmds, today, upcoming, tz)
        if weekend is not None:
            series, event = weekend
        elif not upcoming:
            return text_reply(texts(language).no_next, language)
        else:
            series, event = upcoming[0].series, upcoming[0].event
    if not event.sessions:
        return Reply(render_dates_only(series, event, language, today, tz))
    return Reply(render_preview(series, event, language, tz, cmds.home))


def _one_weekend(
    cmds: Context, caller: Caller, query: str, found: list[tuple[Series, Event]], language: str
) -> tuple[Series, Event]:
    """The weekend ``query`` names; when it fits several (round 6 of three series), the
    fan is asked which, never given one at random."""
    exact = [(s, e) for s, e in found if fold(query) == fold(f"{s.id}/{e.id}")]
    if len(exact) == 1 or len(found) == 1:
        return (exact or found)[0]
    chosen = texts(language)
    command = cmds.shown(caller, "schedule", language)
    choices = ", ".join(f"{s.name} {s.season}: {s.id}/{e.id} ({e.name})" for s, e in found)
    example = f"{command} {found[0][0].id}/{found[0][1].id}"
    raise UserError(
        chosen.which_series.format(query=query),
        chosen.schedule_example.format(example=example, choices=choices),
    )


async def _calendar(cmds: Context, caller: Caller, args: str) -> Reply:
    """The chat's own feed (its series, kinds, language and reminders, ``bot.core.feeds``):
    webcal and https links as text, buttons for Apple, Google and Outlook.com, and the
    .ics as a file."""
    series_id = fold(args) or None
    if series_id and cmds.engine.catalog.get(series_id) is None:
        known = ", ".join(s.id for s in cmds.engine.catalog.series)
        chosen = texts(caller.language)
        raise UserError(
            chosen.unknown_series.format(query=args), chosen.choose_one.format(choices=known)
        )
    reader = await cmds.reader(caller)
    language = reader.language if reader else caller.language
    series = {series_id} if series_id else (reader.series if reader else None)
    options = FeedOptions(
        language=language,
        alarms=reader.lead_minutes(cmds.engine.settings.leads) if reader else (),
        kinds=frozenset(reader.kinds) if reader and reader.kinds else None,
        series=frozenset(series) if series is not None else None,
    )
    text = build_calendar(
        cmds.engine.catalog,
        cmds.engine.states,
        language=options.language,
        alarms=options.alarms,
        kinds=options.kinds,
        series_ids=options.series,
        now=cmds.clock.now(),
        public_url=cmds.public_url,
        home=cmds.home,
    )
    chosen = texts(language)
    token = feed_token(options, cmds.feed_secret)
    name = chosen.calendar_name.format(team=cmds.team(language))
    links = feed_links(cmds.public_url, token, name, cmds.clock.now())
    post = Post(
        title="📅 " + chosen.calendar_title,
        lines=(
            line(f"{chosen.calendar_lead}: "),
            line(Href(links.webcal, links.webcal)),
            line(Href(links.https, links.https)),
            line(chosen.calendar_personal),
        ),
        buttons=(
            Button(chosen.calendar_apple, links.apple),
            Button(chosen.calendar_google, links.google),
            Button(chosen.calendar_outlook, links.outlook),
        ),
        language=language,
    )
    filename = f"{series_id or 'racebot'}.ics"
    return Reply(post, attachment=(filename, text.encode("utf-8"), "text/calendar"))


async def _help(cmds: Context, caller: Caller, args: str) -> Reply:
    menu = cmds.menus.get(caller.platform)
    entries = (
        menu.entries(caller.language, caller.is_staff)
        if menu is not None
        else help_entries(caller.language, caller.is_staff)
    )
    lines = tuple(line(Bold(f"/{name}"), f" – {text}") for name, text in entries)
    note = menu.staff_note.get(caller.language) if menu is not None and caller.is_staff else None
    if note:
        lines += (line(note),)
    return Reply(
        Post(title=texts(caller.language).help_title, lines=lines, language=caller.language),
        private=True,
    )


def _complete_event(cmds: Context, caller: Caller, typed: str) -> list[Choice]:
    return event_choices(cmds.engine.catalog.events(), typed, cmds.clock.now())


def _complete_series(cmds: Context, caller: Caller, typed: str) -> list[Choice]:
    return series_choices(cmds.engine.catalog.series, typed)


def group() -> CommandGroup:
    """The fan's questions, for the app to register."""
    return CommandGroup(
        commands=(
            Command(("next", "nasta"), _next),
            Command(("schedule", "schema"), _schedule),
            Command(("calendar", "kalender"), _calendar),
            Command(("help", "hjalp"), _help),
        ),
        completers={
            ("schedule", "event"): _complete_event,
            ("calendar", "series"): _complete_series,
        },
    )
