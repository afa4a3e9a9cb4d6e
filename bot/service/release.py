"""The press release is the interface: staff send it, the bot drafts the whole weekend.

``/release`` with the text (or ``/release``, the text in one or more messages, ``/done``),
or a sent ``.txt``/``.docx`` file, is read by ``bot.authoring.release`` into ONE draft:
the weekends it creates or updates (sessions in Swedish time), the results it records,
the standings it posts, the checks staff should see, and every line it did not use, with
why. Publish records all of it in one transaction (``Weekends.apply``), rebuilds the
schedule at once (no restart), and posts the weekend summary and the standings; Cancel
changes nothing.

Text collected between ``/release`` and ``/done``, and a photo sent with the release, are
kept in the database per staff member (``release_pastes``) for ``PASTE_TTL``: a restart
keeps an unfinished paste; /done or Publish takes it, /cancel drops it.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.authoring.documents import release_text
from bot.authoring.release import PlannedResults, ReleasePlan, Unused, read_release
from bot.core.errors import UserError
from bot.core.markup import Line, Post, line
from bot.core.ordinals import ordinal
from bot.core.render import timetable_lines
from bot.core.results.lines import grid_doubts
from bot.core.results.model import ResultChange
from bot.core.results.render import class_text
from bot.core.results.standings import render_standings, standings_text
from bot.core.texts import texts
from bot.core.timeutil import SWEDISH_TIME
from bot.service.context import Context
from bot.service.results import (
    _change_from,
    _correction,
    _note,
    _publish_summary,
    _result_dicts,
    _row,
    _table_dict,
    _table_from,
)
from bot.service.types import Caller, Command, CommandGroup, Reply, text_reply
from bot.store.health import is_outage
from bot.store.pastes import Image, Paste
from bot.store.weekends import ReleaseWrite, SessionResults, Standings, StoredWeekend

#: Longest paste kept between /release and /done (a release is a few pages).
MAX_COLLECTED = 200_000
#: Unused lines quoted this long at most in the draft.
QUOTE = 60
#: How long a paste (and a photo) is kept after its last message: a release pasted in the
#: evening can be finished the next day, an abandoned one goes away.
PASTE_TTL = timedelta(hours=24)
#: Largest photo kept with a release (Telegram uploads photos up to 10 MB, Discord bots
#: files up to 10 MB on a server without boosts).
MAX_PHOTO = 10 * 2**20


async def _kept(cmds: Context, caller: Caller) -> Paste:
    found = await cmds.store.pastes.get(caller.platform, caller.user_id, cmds.clock.now())
    return found or Paste(None, None)


async def _keep(cmds: Context, caller: Caller, paste: Paste) -> None:
    now = cmds.clock.now()
    await cmds.store.pastes.put(caller.platform, caller.user_id, paste, now, PASTE_TTL)


async def collecting(cmds: Context, caller: Caller) -> bool:
    """Whether the caller is pasting a release (between /release and /done); with the
    database away, not (a plain message gets no answer rather than an error)."""
    try:
        return (await _kept(cmds, caller)).parts is not None
    except Exception as exc:
        if not is_outage(exc):
            raise
        return False


async def _release(cmds: Context, caller: Caller, args: str) -> Reply:
    """``/release TEXT`` drafts at once, and keeps TEXT: where the chat app split a long
    paste, the messages that follow are added and ``/done`` drafts the whole of it."""
    kept = await _kept(cmds, caller)
    await _keep(cmds, caller, Paste([args] if args.strip() else [], kept.photo))
    if args.strip():
        return await draft_release(cmds, caller, args, kept.photo)
    return text_reply(texts(caller.language).release.collecting, caller.language, private=True)


async def collect(cmds: Context, caller: Caller, text: str) -> Reply:
    """One more message of a release being pasted."""
    kept = await _kept(cmds, caller)
    parts = kept.parts or []
    if sum(len(p) for p in parts) + len(text) > MAX_COLLECTED:
        limit = f"{MAX_COLLECTED:,}".replace(",", " ")
        raise UserError(texts(caller.language).release.too_large.format(limit=limit))
    parts.append(text)
    await _keep(cmds, caller, Paste(parts, kept.photo))
    count = sum(len(p.splitlines()) for p in parts)
    said = texts(caller.language).release.collected.format(lines=count)
    return text_reply(said, caller.language, private=True)


async def drop(cmds: Context, caller: Caller) -> Reply:
    """``/cancel`` with no session while pasting: the paste and its photo are dropped."""
    await _keep(cmds, caller, Paste(None, None))
    return text_reply(texts(caller.language).release.dropped, caller.language, private=True)


async def _done(cmds: Context, caller: Caller, args: str) -> Reply:
    kept = await _kept(cmds, caller)
    parts = kept.parts or []
    if args.strip():
        parts.append(args)
    await _keep(cmds, caller, Paste(None, kept.photo))  # the photo waits for Publish
    return await draft_release(cmds, caller, "\n".join(parts), kept.photo)


async def release_file(cmds: Context, caller: Caller, name: str, data: bytes) -> Reply:
    """A release sent as a file (.txt or .docx)."""
    kept = await _kept(cmds, caller)
    await _keep(cmds, caller, Paste(None, kept.photo))
    text = release_text(name, data, caller.language)
    return await draft_release(cmds, caller, text, kept.photo)


async def release_photo(
    cmds: Context, caller: Caller, data: bytes, content_type: str | None, size: int | None = None
) -> Reply:
    """A photo sent with the release, or right after it: its bytes, downloaded once by the
    adapter (``size``: the size the platform declared, refused before any download). Kept
    as ``{"image": sha256}`` with a ``release_images`` row, in one transaction. It goes with
    the weekend preview, or with the results post of a release without a timetable."""
    said = texts(caller.language).release
    if max(size or 0, len(data)) > MAX_PHOTO:
        raise UserError(said.photo_too_large.format(limit=f"{MAX_PHOTO // 2**20} MB"))
    kind = image_type(data)
    if kind is None or (content_type and not content_type.startswith("image/")):
        raise UserError(said.photo_not_image)
    image = Image(hashlib.sha256(data).hexdigest(), kind, data)
    try:
        kept = await _kept(cmds, caller)
        now = cmds.clock.now()
        paste = Paste(kept.parts, {"image": image.id})
        await cmds.store.pastes.put(caller.platform, caller.user_id, paste, now, PASTE_TTL, image)
    except Exception as exc:  # one transaction: neither the bytes nor the paste were kept
        if not is_outage(exc):
            raise
        raise UserError(said.photo_not_kept) from exc
    return text_reply(said.photo_kept, caller.language, private=True)


#: The image kinds both platforms show, by their first bytes.
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)


def image_type(data: bytes) -> str | None:
    """The content type of an image by its bytes (what was sent, not what it claims)."""
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return next((kind for magic, kind in _MAGIC if data.startswith(magic)), None)


def _has_timetable(block: str) -> bool:
    return "[[events.sessions]]" in block


def _timetabled(plan: ReleasePlan) -> bool:
    """Whether the release's photo goes with a weekend preview (else the results post)."""
    return any(_has_timetable(p.weekend.block) for p in plan.weekends)


def _photo_dict(photo: Any) -> dict[str, Any]:
    """A kept photo; a draft from before photos were dicts has the Telegram file id."""
    return dict(photo) if isinstance(photo, Mapping) else {"telegram": str(photo)}


def short_credit(credit: str | None) -> str | None:
    """ "FIA WTCR (Fria rättigheter att använda bilden)" -> "FIA WTCR"."""
    if not credit:
        return None
    return re.sub(r"\s*\([^()]*\)\s*$", "", credit).strip() or credit


async def draft_release(
    cmds: Context, caller: Caller, text: str, photo: dict[str, Any] | None = None
) -> Reply:
    said = texts(caller.language).release
    if not text.strip():
        raise UserError(said.empty)
    plan = read_release(text, cmds.engine.catalog, cmds.clock.now(), caller.language)
    if plan.empty:
        lines = [line(said.nothing_found), (), *_unused_lines(plan.unused, caller.language)]
        return Reply(Post(title=said.title, lines=tuple(lines), language=caller.language), True)
    payload = _payload(plan)
    preview = _preview(cmds, plan, caller.language)
    if photo is not None and (_timetabled(plan) or plan.results):
        payload["photo"] = photo
        template = said.photo_draft if _timetabled(plan) else said.photo_results_draft
        note = template.format(credit=short_credit(plan.credit) or "–")
        preview = dataclasses.replace(preview, lines=(*preview.lines, (), line(note)))
    return await cmds.draft(caller, "release", payload, preview)


def _payload(plan: ReleasePlan) -> dict[str, Any]:
    return {
        "weekends": [dataclasses.asdict(p.weekend) for p in plan.weekends],
        "results": [
            {
                "series": r.series_id,
                "event": r.event_id,
                "session": r.session.id,
                "changes": [_row(c) for c in r.changes],
            }
            for r in plan.results
        ],
        "standings": [
            {"series": s.series_id, "event": s.event_id, "table": _table_dict(s.table)}
            for s in plan.standings
        ],
        "credit": plan.credit,
    }


def _outcome(change: ResultChange, language: str) -> str:
    """ "15th (2nd in WTCR Trophy)", "DNF": the place or status, and any class places."""
    classes = {k: p for k, p in change.class_positions.items() if p is not None}
    if change.status is not None:
        return change.status.value + class_text(classes, language)
    place = ordinal(change.position, language) if change.position is not None else "–"
    return place + class_text(classes, language)


def _result_line(cmds: Context, planned: PlannedResults, language: str) -> Line:
    series = cmds.engine.catalog.get(planned.series_id)
    names = {d.id: d.first_name for d in series.drivers} if series else {}
    outcomes = ", ".join(
        f"{names.get(c.driver_id, c.driver_id)} {_outcome(c, language)}" for c in planned.changes
    )
    return line(f"  {planned.session.name.get(language)}: {outcomes}")


def _results_lines(cmds: Context, results: Sequence[PlannedResults], language: str) -> list[Line]:
    said = texts(language).release
    shown: set[tuple[str, str]] = set()
    lines: list[Line] = []
    for done in results:
        if (done.series_id, done.event_id) not in shown:
            shown.add((done.series_id, done.event_id))
            series = cmds.engine.catalog.get(done.series_id)
            event = series.event(done.event_id) if series else None
            named = f"{event.name} (r{event.round})" if event else done.event_id
            title = series.name if series else done.series_id
            lines.append(line(said.results.format(series=title, event=named)))
        lines.append(_result_line(cmds, done, language))
        lines += [line(f"  {doubt}") for doubt in _grid_doubts(cmds, done, language)]
    return lines


def _grid_doubts(cmds: Context, planned: PlannedResults, language: str) -> list[str]:
    """The places beyond the weekend's grid, for staff to confirm (they can still publish)."""
    series = cmds.engine.catalog.get(planned.series_id)
    if series is None:
        return []
    grid = series.grid_of(series.event(planned.event_id))
    return grid_doubts(planned.changes, series.drivers, language, grid, series.name)


def _preview(cmds: Context, plan: ReleasePlan, language: str) -> Post:
    said = texts(language).release
    lines: list[Line] = []
    for planned in plan.weekends:
        event, weekend = planned.event, planned.weekend
        template = said.update if planned.update else said.create
        lines.append(
            line(
                template.format(
                    series=weekend.series_name,
                    event=f"{event.name} (r{event.round})",
                    first=event.first_day.isoformat(),
                    last=event.last_day.isoformat(),
                )
            )
        )
        body = timetable_lines(event, language, SWEDISH_TIME)
        lines.extend(body if body else [line(said.no_times)])
        facts = [f"{event.length_km:.3f} km" if event.length_km else "", str(event.turns or "")]
        if any(facts):
            lines.append(line(said.facts.format(facts=" · ".join(f for f in facts if f))))
        lines.append(())
    lines += _results_lines(cmds, plan.results, language)
    if plan.results:
        lines.append(())
    for table in plan.standings:
        lines.append(
            line(said.standings.format(title=table.table.title, rows=len(table.table.rows)))
        )
        # the rows as read: ties, half points and the "–" where the release has them
        lines += [line(f"  {text}") for text in standings_text([table.table])[1:]]
    if plan.standings:
        lines.append(())
    for code, fields in plan.checks:
        lines.append(line(said.checks[code].format(**fields)))
    if plan.credit:
        lines.append(line(said.credit.format(credit=plan.credit)))
    lines += [(), *_unused_lines(plan.unused, language)]
    if plan.weekends:
        lines += [(), line(said.rule)]
    return Post(
        title=said.title,
        lines=tuple(lines),
        footer=texts(language).publish_question,
        language=language,
    )


def _unused_lines(unused: Sequence[Unused], language: str) -> list[Line]:
    if not unused:
        return []
    said = texts(language).release
    out: list[Line] = [line(said.unused_title)]
    for item in unused:
        where = (
            said.line_word.format(first=item.first)
            if item.first == item.last
            else said.lines_word.format(first=item.first, last=item.last)
        )
        quoted = item.text if len(item.text) <= QUOTE else item.text[: QUOTE - 1] + "…"
        why = said.why[item.why]
        if item.detail:
            why = f"{why}: {item.detail}"
        out.append(line(said.line.format(lines=where, text=f"“{quoted}”", why=why)))
    return out


async def _publish_release(cmds: Context, caller: Caller, payload: dict[str, Any]) -> int:
    """Everything at once: one transaction, one rebuild, then the posts."""
    catalog = cmds.engine.catalog
    results: list[SessionResults] = []
    touched: dict[tuple[str, str], None] = {}
    for item in payload["results"]:
        series = catalog.get(item["series"])
        event = series.event(item["event"]) if series else None
        if series is None or event is None:
            raise UserError(texts(caller.language).weekend_gone)
        session = next(s for s in (event.sessions or series.format) if s.id == item["session"])
        changes = [_change_from(c) for c in item["changes"]]
        correction = await _correction(cmds, series, event, session, changes, caller.language)
        results.append(
            SessionResults(series.id, event.id, session.id, _result_dicts(correction.updated))
        )
        touched[(series.id, event.id)] = None
    standings = [Standings(s["series"], s["event"], [s["table"]]) for s in payload["standings"]]
    kept = await _kept(cmds, caller)
    photo = payload.get("photo") or kept.photo  # sent with the release, or right after it
    weekends = [StoredWeekend(**w) for w in payload["weekends"]]
    result_photos: dict[tuple[str, str], dict[str, Any]] = {}
    if photo:
        shown = {**_photo_dict(photo), "credit": short_credit(payload.get("credit"))}
        if any(_has_timetable(w.block) for w in weekends):  # the preview shows it
            weekends = [
                dataclasses.replace(w, photo=shown) if _has_timetable(w.block) else w
                for w in weekends
            ]
        else:  # no timetable: the results post does
            result_photos = dict.fromkeys(touched, shown)
    elif weekends:  # a correction sent without a photo keeps the weekend's
        before = {(w.series_id, w.round): w.photo for w in await cmds.store.weekends.current()}
        weekends = [
            w if w.photo else dataclasses.replace(w, photo=before.get((w.series_id, w.round)))
            for w in weekends
        ]
    write = ReleaseWrite(
        weekends,
        results,
        _merged_standings(standings),
        {"credit": payload.get("credit")},
        result_photos,
    )
    now = cmds.clock.now()
    await _keep(cmds, caller, Paste(None, None))  # what follows is not this release any more
    await cmds.store.weekends.apply(
        write, platform=caller.platform, user_id=caller.user_id, user_name=caller.user_name, now=now
    )
    count = 0
    if weekends:
        await cmds.engine.weekends_changed()  # preview and reminders are planned at once
    for series_id, event_id in touched:
        series = cmds.engine.catalog.get(series_id)
        event = series.event(event_id) if series else None
        if series is not None and event is not None:
            count += await _publish_summary(cmds, series, event)
    for table in write.standings:
        tables = [_table_from(t) for t in table.tables]
        count += await cmds.engine.publish_or_revise(
            _note(
                f"{table.series_id}/{table.event_id}/standings", "standings", table.series_id, now
            ),
            lambda language, _tz, tables=tables: render_standings(tables, language),  # type: ignore[misc]
        )
    return count


def _standings_post(table: Standings) -> Callable[[str, ZoneInfo], Post]:
    tables = [_table_from(t) for t in table.tables]
    return lambda language, _tz: render_standings(tables, language)


def _merged_standings(standings: Sequence[Standings]) -> list[Standings]:
    """The tables of one release and series as one standings entry (one post)."""
    merged: dict[tuple[str, str | None], list[Any]] = {}
    for item in standings:
        merged.setdefault((item.series_id, item.event_id), []).extend(item.tables)
    return [Standings(s, e, tables) for (s, e), tables in merged.items()]


def group() -> CommandGroup:
    """The press-release flow, for the app to register."""
    return CommandGroup(
        commands=(
            Command(("release", "pressmeddelande"), _release, staff=True),
            Command(("done", "klar"), _done, staff=True),
        ),
        publishers={"release": _publish_release},
    )
