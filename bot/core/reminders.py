"""What to tell fans and when: a pure function of the schedule, the subscriptions and now.

Keys are deterministic. A reminder's key carries the session start it was planned for,
so a delayed session gets fresh reminders while an already-sent one is never repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.core.audience import DEFAULT_LEADS, Target
from bot.core.model import Catalog, Event, Series, Session, SessionKind, SessionRef
from bot.core.timeutil import SWEDISH_TIME, to_utc


class NoticeKind(StrEnum):
    PREVIEW = "preview"
    LEAD = "lead"
    LIVE = "live"
    CHANGE = "change"
    RESULT = "result"
    STANDINGS = "standings"
    ANNOUNCE = "announce"
    DIGEST = "digest"
    #: The weekend's preview for a chat that subscribed after it went out (#14).
    LATE_PREVIEW = "late-preview"


@dataclass(frozen=True, slots=True)
class Planned:
    key: str
    kind: NoticeKind
    due: datetime
    expires: datetime
    series_id: str
    event_id: str
    session_key: str | None = None
    session_kind: SessionKind | None = None
    lead: int | None = None
    #: A digest's day (the track's date) and the kinds of the sessions it lists.
    day: date | None = None
    day_kinds: tuple[SessionKind, ...] = ()


def stamp(instant: datetime) -> str:
    return instant.strftime("%Y%m%dT%H%MZ")


@dataclass(frozen=True, slots=True)
class PlanSettings:
    leads: tuple[int, ...] = DEFAULT_LEADS
    preview_time: time = time(18, 0)
    preview_days_before: int = 1
    #: How late a reminder may still go out; "starts in 60 min" sent 15 min late misleads.
    grace: timedelta = timedelta(minutes=5)
    #: ``[bot] timezone``: the zone the releases speak, for the preview's evening and the
    #: words "svensk tid"; ``language`` (``[bot] language``) for a post nobody reads yet.
    home: ZoneInfo = SWEDISH_TIME
    language: str = "sv"
    #: A chat that subscribes inside a weekend's preview window gets the preview then.
    late_preview: bool = True


DEFAULT_SETTINGS = PlanSettings()


def preview_due(event: Event, settings: PlanSettings) -> datetime | None:
    """The evening before the weekend's first session, in the home zone."""
    first = event.starts
    if first is None:
        return None
    day = first.astimezone(settings.home).date() - timedelta(days=settings.preview_days_before)
    wall = datetime.combine(day, settings.preview_time)
    try:
        due = to_utc(wall, settings.home, fold=0)
    except ValueError:  # a preview time inside the DST gap: an hour later exists
        due = to_utc(wall + timedelta(hours=1), settings.home, fold=0)
    return min(due, first - timedelta(minutes=max(settings.leads, default=0) + 1))


def preview_window(event: Event, settings: PlanSettings) -> tuple[datetime, datetime] | None:
    """From the preview's time to the start of the weekend's last session: a chat that
    subscribes meanwhile missed the timetable it still needs (None: no timed sessions)."""
    due = preview_due(event, settings)
    starts = [s.start for s in event.sessions if not s.cancelled]
    if due is None or not starts:
        return None
    return due, max(starts)


def plan(
    catalog: Catalog,
    now: datetime,
    settings: PlanSettings = DEFAULT_SETTINGS,
    extra_leads: Iterable[int] = (),
) -> list[Planned]:
    """Every notification still meaningful at ``now`` (not expired), in due order."""
    leads = sorted(set(settings.leads) | set(extra_leads), reverse=True)
    out = [p for p in _all(catalog, settings, leads) if p.expires > now]
    out.sort(key=lambda p: (p.due, p.key))
    return out


def _all(catalog: Catalog, settings: PlanSettings, leads: list[int]) -> Iterator[Planned]:
    for series, event in catalog.events():
        yield from _event_plans(series, event, settings, leads)


def _event_plans(
    series: Series, event: Event, settings: PlanSettings, leads: list[int]
) -> Iterator[Planned]:
    live_sessions = [s for s in event.sessions if not s.cancelled]
    due = preview_due(event, settings)
    if due is not None and live_sessions:
        yield Planned(
            key=f"{series.id}/{event.id}/preview",
            kind=NoticeKind.PREVIEW,
            due=due,
            expires=min(s.start for s in live_sessions),
            series_id=series.id,
            event_id=event.id,
        )
    yield from _digests(series, event)
    for session in live_sessions:
        if session.tentative:
            continue  # a provisional time is shown as such, never reminded as certain
        ref = SessionRef(series, event, session)
        at = stamp(session.start)
        for lead in leads:
            due = session.start - timedelta(minutes=lead)
            yield Planned(
                key=f"{ref.key}/lead-{lead}@{at}",
                kind=NoticeKind.LEAD,
                due=due,
                expires=min(session.start, due + settings.grace),
                series_id=series.id,
                event_id=event.id,
                session_key=ref.key,
                session_kind=session.kind,
                lead=lead,
            )
        yield Planned(
            key=f"{ref.key}/live@{at}",
            kind=NoticeKind.LIVE,
            due=session.start,
            expires=session.end,
            series_id=series.id,
            event_id=event.id,
            session_key=ref.key,
            session_kind=session.kind,
        )


# -- fewer pushes by default, chosen per session kind (#14) --------------------------------
#
# Qualifying and races get every lead the chat chose and "LIVE NU". Practice (and other
# sessions) get one reminder, at the chat's shortest lead, and no "LIVE NU"; a chat with
# the daily digest on gets the digest in their place: one post each day of the weekend,
# ``DIGEST_LEAD`` before its first session, listing that day's sessions.

#: The session kinds that get every lead and "LIVE NU".
FULL_PUSH_KINDS = frozenset({SessionKind.QUALIFYING, SessionKind.RACE})
DIGEST_LEAD = timedelta(hours=2)


def _digests(series: Series, event: Event) -> Iterator[Planned]:
    """One digest per day of the weekend (the track's calendar day) with timed sessions."""
    timed = [s for s in event.sessions if not s.cancelled and not s.tentative]
    days: dict[date, list[Session]] = {}
    for one in sorted(timed, key=lambda s: s.start):
        days.setdefault(one.start.astimezone(event.track_tz).date(), []).append(one)
    for day, sessions in days.items():
        first = sessions[0].start
        yield Planned(
            key=f"{series.id}/{event.id}/digest-{day.isoformat()}",
            kind=NoticeKind.DIGEST,
            due=first - DIGEST_LEAD,
            expires=first,
            series_id=series.id,
            event_id=event.id,
            day=day,
            day_kinds=tuple(sorted({s.kind for s in sessions})),
        )


def wants(target: Target, planned: Planned, default_leads: tuple[int, ...]) -> bool:
    """Whether this subscription asked to hear about this notification."""
    if not target.active or not target.wants_series(planned.series_id):
        return False
    if planned.kind is NoticeKind.DIGEST:
        return target.digest and any(target.wants_kind(k) for k in planned.day_kinds)
    if not target.wants_kind(planned.session_kind):
        return False
    light = planned.session_kind is not None and planned.session_kind not in FULL_PUSH_KINDS
    if planned.kind is NoticeKind.LIVE:
        return not light
    if planned.kind is NoticeKind.LEAD:
        leads = target.lead_minutes(default_leads)
        if light:
            return not target.digest and planned.lead == min(leads, default=None)
        return planned.lead in leads
    return True


def audience(
    targets: Iterable[Target], planned: Planned, default_leads: tuple[int, ...]
) -> list[Target]:
    return [t for t in targets if wants(t, planned, default_leads)]
