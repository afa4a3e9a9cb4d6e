"""Staff enter results and standings by chat command; fans ask for the latest.

The same drafts-then-publish flow as other broadcasts. Publishing goes through the
engine's outbox under a deterministic key, so a correction of an already published
result edits the posts fans got (stored message ids) instead of posting again.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.core.audience import Target, wants_result, wants_standings, wants_summary
from bot.core.complete import Choice, driver_completions, session_choices
from bot.core.errors import UserError
from bot.core.markup import Bold, Line, Post, line, reveal
from bot.core.model import Event, Photo, Series
from bot.core.notices import NotificationData
from bot.core.results import phrases as say
from bot.core.results.correct import Correction, apply_changes
from bot.core.results.fixes import correction_text, fix_lines, render_correction, result_fixes
from bot.core.results.lines import grid_doubts, problems_error, read_results
from bot.core.results.model import (
    DriverResult,
    LineProblem,
    ResultChange,
    ResultStatus,
    SessionLike,
)
from bot.core.results.parse import ensure_started, parse_result_options
from bot.core.results.phrases import Phrase
from bot.core.results.render import (
    render_last_result,
    render_session_result,
    render_weekend_summary,
    spoiled_standings,
)
from bot.core.results.resolve import resolve_session
from bot.core.results.standings import (
    StandingsRow,
    StandingsTable,
    read_standings,
    render_standings,
    standings_text,
)
from bot.core.texts import chat_count, texts
from bot.core.timeutil import to_utc
from bot.service.context import Context
from bot.service.types import Caller, Command, CommandGroup, Reply, text_reply
from bot.store.results import StoredResult
from bot.store.status import PENDING, SENDING, SENT


def _started_events(cmds: Context, now: datetime) -> list[tuple[Series, Event]]:
    """Weekends that have begun, most recent first: results belong to one of them."""
    started = []
    for series, event in cmds.engine.catalog.events():
        first = to_utc(datetime.combine(event.first_day, datetime.min.time()), event.track_tz, 0)
        if first <= now:
            started.append((first, series, event))
    return [(s, e) for _, s, e in sorted(started, key=lambda item: item[0], reverse=True)]


def _current(cmds: Context, language: str) -> tuple[Series, Event]:
    events = _started_events(cmds, cmds.clock.now())
    if not events:
        chosen = texts(language)
        raise UserError(chosen.no_started_weekend, chosen.no_started_weekend_hint)
    return events[0]


def _sessions(series: Series, event: Event) -> Sequence[SessionLike]:
    return event.sessions or series.format


def _row(item: DriverResult | ResultChange) -> dict[str, Any]:
    """A result or a change as JSON-ready data (a change adds ``remove``)."""
    return {**dataclasses.asdict(item), "status": item.status.value if item.status else None}


def _result_dicts(results: Sequence[DriverResult]) -> list[dict[str, Any]]:
    return [_row(r) for r in results]


def _fields(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "driver_id": row["driver_id"],
        "position": row["position"],
        "status": ResultStatus(row["status"]) if row["status"] else None,
        "class_positions": dict(row.get("class_positions") or {}),
        "note": row.get("note"),
    }


def _from_stored(row: StoredResult) -> DriverResult:
    return DriverResult(
        driver_id=row.driver_id,
        position=row.position,
        status=ResultStatus(row.status) if row.status else None,
        class_positions=dict(row.class_positions),
        note=row.note,
    )


def _change_from(row: dict[str, Any]) -> ResultChange:
    """A stored change; a draft made before corrections existed holds whole results."""
    return ResultChange(**_fields(row), remove=bool(row.get("remove")))


async def _correction(
    cmds: Context,
    series: Series,
    event: Event,
    session: SessionLike,
    changes: Sequence[ResultChange],
    language: str,
) -> Correction:
    """The session's recorded result with ``changes`` applied (nothing is written here)."""
    current = (await _weekend(cmds, series, event)).get(session.id, [])
    return apply_changes(current, changes, series.drivers, session=session, language=language)


def _complete_result_session(cmds: Context, caller: Caller, typed: str) -> list[Choice]:
    series, event = _current(cmds, caller.language)
    return session_choices(_sessions(series, event), typed, caller.language)


def _complete_places(cmds: Context, caller: Caller, typed: str) -> list[Choice]:
    series, _event = _current(cmds, caller.language)
    return driver_completions(typed, series.drivers)


def _read(
    args: str,
    series: Series,
    event: Event,
    language: str,
    session: SessionLike | None = None,
) -> list[tuple[SessionLike, Sequence[ResultChange]]]:
    """Every session the text names with its changes, or one refusal naming each bad line."""
    reading = read_results(
        args,
        sessions=_sessions(series, event),
        drivers=series.drivers,
        language=language,
        session=session,
    )
    if reading.problems:
        several = len([ln for ln in args.splitlines() if ln.strip()]) > 1
        raise problems_error(reading.problems, language, numbered=several)
    if not reading.sessions:
        raise UserError(say.NOTHING_TO_RECORD.say(language), say.USAGE.say(language))
    return [(entry.session, entry.changes) for entry in reading.sessions]


async def _result(cmds: Context, caller: Caller, args: str) -> Reply:
    """ "race2 andreas dnf jessica 17", or the release's own lines, one session or many."""
    series, event = _current(cmds, caller.language)
    entries = _read(args, series, event, caller.language)
    return await _draft_results(cmds, caller, series, event, entries)


async def result(cmds: Context, caller: Caller, session: str, places: str) -> Reply:
    """The typed /result: the session and the places as given apart (Discord's options)."""
    series, event = _current(cmds, caller.language)
    if "\n" in places or ": " in places:  # "Andreas: Bröt (DNF)" lines under the session
        chosen = resolve_session(session, _sessions(series, event), language=caller.language)
        entries = _read(places, series, event, caller.language, chosen)
        return await _draft_results(cmds, caller, series, event, entries)
    found, changes = parse_result_options(
        session,
        places,
        sessions=_sessions(series, event),
        drivers=series.drivers,
        language=caller.language,
    )
    return await _draft_results(cmds, caller, series, event, [(found, changes)])


async def _preview(
    cmds: Context,
    caller: Caller,
    series: Series,
    event: Event,
    session: SessionLike,
    changes: Sequence[ResultChange],
) -> Post:
    """One session's draft: the whole result after the change, marked, with any doubts."""
    timed = event.session(session.id)
    first_day = to_utc(datetime.combine(event.first_day, datetime.min.time()), event.track_tz, 0)
    ensure_started(
        timed.start if timed else None,
        first_day,
        cmds.clock.now(),
        language=caller.language,
        label=session.name.get(caller.language),
        home=cmds.home,
    )
    correction = await _correction(cmds, series, event, session, changes, caller.language)
    preview = render_session_result(
        series,
        event,
        session,
        correction.results,
        caller.language,
        series.drivers,
        changed=correction.changed,
        removed=correction.removed,
    )
    grid = series.grid_of(event)  # the file's entries, else a guess the doubt says is one
    doubts = grid_doubts(changes, series.drivers, caller.language, grid, series.name)
    extra = [line(doubt) for doubt in doubts]
    if correction.unchanged:
        extra.append(line(texts(caller.language).result_unchanged))
    if extra:
        preview = dataclasses.replace(preview, lines=(*preview.lines, (), *extra))
    key = _result_key(series, event, session)
    told = await _correction_lines(cmds, series, event, session, key, correction, caller.language)
    return dataclasses.replace(preview, lines=(*preview.lines, *told)) if told else preview


async def _draft_results(
    cmds: Context,
    caller: Caller,
    series: Series,
    event: Event,
    entries: Sequence[tuple[SessionLike, Sequence[ResultChange]]],
) -> Reply:
    previews = [await _preview(cmds, caller, series, event, s, c) for s, c in entries]
    preview = previews[0]
    if len(previews) > 1:  # one draft for a pasted block: each session under its own title
        lines: list[Line] = []
        for each in previews:
            lines += [*([()] if lines else []), line(Bold(each.title)), *each.lines]
        title = f"{texts(caller.language).results.results_title} – {event.name}"
        preview = dataclasses.replace(preview, title=title, lines=tuple(lines))
    payload = {
        "series": series.id,
        "event": event.id,
        "sessions": [
            {"session": session.id, "changes": [_row(c) for c in changes]}
            for session, changes in entries
        ],
    }
    reached = chat_count(len(await cmds.engine.series_targets(series.id)), caller.language)
    question = texts(caller.language).publish_to.format(chats=reached)
    return await cmds.draft(
        caller, "result", payload, dataclasses.replace(reveal(preview), footer=question)
    )


async def _correction_lines(
    cmds: Context,
    series: Series,
    event: Event,
    session: SessionLike,
    key: str,
    correction: Correction,
    language: str,
) -> list[Line]:
    """In a correction's draft: old → new per driver, and the follow-up fans will get."""
    fixes = result_fixes(correction.before, correction.results, series.drivers)
    if not fixes:
        return []
    told = len(await _correction_audience(cmds, series, event, key))
    lines: list[Line] = [(), *fix_lines(fixes, language, series.drivers)]
    if told:
        chosen = texts(language)
        lines += [
            (),
            line(chosen.correction_follow_up.format(chats=chat_count(told, language))),
            line(correction_text(session, fixes, language, series.drivers)),
        ]
    return lines


async def _correction_audience(
    cmds: Context, series: Series, event: Event, key: str
) -> list[Target]:
    """The chats a correction's follow-up goes to: those still following the series that
    were sent the result post ``key`` or the weekend summary (the last result is folded
    into it), except chats that hide spoilers, since the follow-up names the places."""
    records = [
        *await cmds.store.deliveries_for(key),
        *await cmds.store.deliveries_for(_summary_key(series, event)),
    ]
    sent = {(d.platform, d.chat_id) for d in records if d.message_ids}
    return [
        t
        for t in await cmds.engine.series_targets(series.id)
        if (t.platform, t.chat_id) in sent and not t.spoilers
    ]


def _result_key(series: Series, event: Event, session: SessionLike) -> str:
    return f"{series.id}/{event.id}/{session.id}/result"


async def _tell_correction(
    cmds: Context,
    series: Series,
    event: Event,
    session: SessionLike,
    key: str,
    correction: Correction,
) -> None:
    """One short follow-up to each chat that got the result: the edit alone is silent.

    Queued in the outbox like every post (one row per chat, sent once), under a key of
    its own per publish (the time and what it says)."""
    fixes = result_fixes(correction.before, correction.results, series.drivers)
    told = await _correction_audience(cmds, series, event, key) if fixes else []
    if not told:
        return
    now = cmds.clock.now()
    said = correction_text(session, fixes, "sv", series.drivers)
    digest = hashlib.sha1(said.encode(), usedforsecurity=False).hexdigest()[:8]
    note = NotificationData(
        key=f"{key}/correction@{now:%Y%m%dT%H%M%S}-{digest}",
        kind="result",
        due=now,
        expires=now + timedelta(days=1),
        posts={},
        series_id=series.id,
    )
    await cmds.engine.publish(
        note,
        told,
        lambda language, _tz: render_correction(
            session, fixes, language, series.drivers, series.color
        ),
    )


async def _publish_result(cmds: Context, caller: Caller, payload: dict[str, Any]) -> int:
    series = cmds.engine.catalog.get(payload["series"])
    event = series.event(payload["event"]) if series else None
    if series is None or event is None:
        raise UserError(texts(caller.language).weekend_gone)
    sessions = list(_sessions(series, event))
    # A draft made before several sessions per draft existed holds one session.
    entries = payload.get("sessions") or [
        {"session": payload["session"], "changes": payload.get("changes", payload.get("results"))}
    ]
    keys: list[str] = []
    last, last_changed = False, frozenset[str]()
    for entry in entries:
        session = next(s for s in sessions if s.id == entry["session"])
        key, changed = await _publish_session(
            cmds, caller, series, event, session, entry["changes"]
        )
        keys.append(key)
        if session.id == sessions[-1].id:
            last, last_changed = True, frozenset(changed)
    summary = _summary_key(series, event)
    if last or await cmds.store.known_notifications([summary]):
        # The last result goes folded into the summary; a summary out is corrected too.
        await _publish_summary(cmds, series, event, last_changed)
        keys.append(summary)
    return await _chats_reached(cmds, keys)


async def _publish_session(
    cmds: Context,
    caller: Caller,
    series: Series,
    event: Event,
    session: SessionLike,
    rows: list[dict[str, Any]],
) -> tuple[str, Collection[str]]:
    """Record and post one session's result; (its post's key, drivers whose result changed)."""
    # Applied again to what is recorded now, so a correction published meanwhile is kept.
    changes = [_change_from(c) for c in rows]
    correction = await _correction(cmds, series, event, session, changes, caller.language)
    now = cmds.clock.now()
    await cmds.store.save_results(
        series.id,
        event.id,
        session.id,
        _result_dicts(correction.updated),
        caller.user_name or caller.user_id,
        now,
        removed=[r.driver_id for r in correction.removed],
    )
    key = _result_key(series, event, session)
    await _tell_correction(cmds, series, event, session, key, correction)
    sessions = list(_sessions(series, event))
    weekend_kinds = {s.kind for s in sessions}
    last = session.id == sessions[-1].id

    def gets_result(target: Target) -> bool:
        # The weekend's last result reaches summary chats folded into the summary.
        folded = last and wants_summary(target, weekend_kinds)
        return wants_result(target, session.kind) and not folded

    await cmds.engine.publish_or_revise(
        _note(key, "result", series.id, now),
        lambda language, _tz: render_session_result(
            series,
            event,
            session,
            correction.results,
            language,
            series.drivers,
            changed=correction.changed,
        ),
        gets_result,
    )
    return key, correction.changed


async def _chats_reached(cmds: Context, keys: Sequence[str]) -> int:
    """The chats the posts ``keys`` are out to or on their way to (staff count chats)."""
    live = (PENDING, SENDING, SENT)
    chats: set[tuple[str, str]] = set()
    for key in keys:
        records = await cmds.store.deliveries_for(key)
        chats |= {(d.platform, d.chat_id) for d in records if d.status in live}
    return len(chats)


def _summary_key(series: Series, event: Event) -> str:
    return f"{series.id}/{event.id}/summary"


def _note(key: str, kind: str, series_id: str, now: datetime) -> NotificationData:
    return NotificationData(
        key=key, kind=kind, due=now, expires=None, posts={}, series_id=series_id
    )


async def _weekend(cmds: Context, series: Series, event: Event) -> dict[str, list[DriverResult]]:
    by_session: dict[str, list[DriverResult]] = {}
    for row in await cmds.store.results(series.id, event.id):
        by_session.setdefault(row.session_id, []).append(_from_stored(row))
    return by_session


async def _tables(cmds: Context, series_id: str) -> list[StandingsTable]:
    latest = await cmds.store.latest_standings(series_id)
    return [_table_from(t) for t in latest.tables] if latest else []


async def _publish_summary(
    cmds: Context, series: Series, event: Event, changed: Collection[str] = ()
) -> int:
    """The weekend's last result with the summary under it, to the chats that follow every
    kind of session the weekend has (``wants_summary``); no standings (posted on their own)."""
    by_session = await _weekend(cmds, series, event)
    sessions = list(_sessions(series, event))
    last = sessions[-1]
    weekend_kinds = {s.kind for s in sessions}
    photo = await cmds.store.pastes.photo_for(series.id, event.id)  # a release's, kept
    return await cmds.engine.publish_or_revise(
        _note(_summary_key(series, event), "result", series.id, cmds.clock.now()),
        lambda language, _tz: with_photo(
            render_last_result(
                series,
                event,
                last,
                by_session.get(last.id, []),
                sessions,
                by_session,
                language,
                series.drivers,
                changed=changed,
            ),
            photo,
        ),
        lambda target: wants_summary(target, weekend_kinds),
    )


def with_photo(post: Post, photo: dict[str, Any] | None) -> Post:
    """The post with the release's photo (Telegram photo, Discord embed image), credited."""
    if not photo:
        return post
    shown = Photo.stored(photo)
    credit = [(), line(texts(post.language).render.photo.format(credit=shown.credit))]
    lines = (*post.lines, *credit) if shown.credit else post.lines
    return dataclasses.replace(post, lines=lines, extra={**post.extra, **shown.extra()})


async def _results(cmds: Context, caller: Caller, args: str) -> Reply:
    latest = await cmds.store.latest_results_event()
    if latest is None:
        return text_reply(texts(caller.language).no_results, caller.language)
    series = cmds.engine.catalog.get(latest.series_id)
    event = series.event(latest.event_id) if series else None
    if series is None or event is None:
        return text_reply(texts(caller.language).no_results, caller.language)
    by_session = await _weekend(cmds, series, event)
    tables = await _tables(cmds, series.id)
    post = render_weekend_summary(
        series,
        event,
        list(_sessions(series, event)),
        by_session,
        tables,
        caller.language,
        series.drivers,
    )
    return Reply(reveal(post))  # asked for: shown, whatever the chat's spoiler setting


def _table_dict(table: StandingsTable) -> dict[str, Any]:
    return dataclasses.asdict(table)


def _table_from(data: dict[str, Any]) -> StandingsTable:
    rows = tuple(StandingsRow(**row) for row in data["rows"])
    return StandingsTable(**{**data, "rows": rows})


async def _standings(cmds: Context, caller: Caller, args: str) -> Reply:
    """Fans: the latest tables. Staff with a pasted block: parse, echo, draft to publish."""
    if not args.strip() or not caller.is_staff:
        latest = await cmds.store.latest_standings()
        if latest is None:
            return text_reply(texts(caller.language).no_standings, caller.language)
        return Reply(render_standings([_table_from(t) for t in latest.tables], caller.language))
    series, event = _current(cmds, caller.language)
    ours = [d.full_name for d in series.drivers]
    reading = read_standings(args, our_names=ours, language=caller.language)
    if not reading.tables:
        if reading.problems:
            raise problems_error(reading.problems, caller.language)
        raise UserError(say.NO_TABLE.say(caller.language), say.TABLE_HINT.say(caller.language))
    tables = list(reading.tables)
    echo = Post(
        title=texts(caller.language).standings_question,
        lines=(
            *(line(text) for text in standings_text(tables)),
            *_unused(say.STANDINGS_REFUSED, reading.problems, caller.language),
            *_unused(say.STANDINGS_LEFT_OUT, reading.left_out, caller.language),
        ),
        language=caller.language,
    )
    payload = {"series": series.id, "event": event.id, "tables": [_table_dict(t) for t in tables]}
    return await cmds.draft(caller, "standings", payload, echo)


def _unused(heading: Phrase, lines: Sequence[LineProblem], language: str) -> list[Line]:
    """ "Not included:" and one "line 7 “…”: why" per line, for the staff draft."""
    if not lines:
        return []
    listed = [p.numbered(language) for p in lines]
    return [(), line(Bold(heading.say(language))), *(line(text) for text in listed)]


async def _publish_standings(cmds: Context, caller: Caller, payload: dict[str, Any]) -> int:
    now = cmds.clock.now()
    tables = [_table_from(t) for t in payload["tables"]]
    await cmds.store.save_standings(
        payload["series"],
        payload["event"],
        payload["tables"],
        caller.user_name or caller.user_id,
        now,
    )
    key = f"{payload['series']}/{payload['event']}/standings"
    return await cmds.engine.publish_or_revise(
        _note(key, "standings", payload["series"], now),
        lambda language, _tz: spoiled_standings(render_standings(tables, language)),
        wants_standings,
    )


def group() -> CommandGroup:
    """Results and standings: staff enter them, fans ask for the latest."""
    return CommandGroup(
        commands=(
            Command(("result", "resultat-in"), _result, staff=True),
            Command(("results", "resultat"), _results),
            Command(("standings", "tabell"), _standings),
        ),
        completers={
            ("result", "session"): _complete_result_session,
            ("result", "places"): _complete_places,
        },
        publishers={"result": _publish_result, "standings": _publish_standings},
    )
