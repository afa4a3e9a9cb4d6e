"""What to tell fans and when: a pure function of the schedule, the subscriptions and now.

Keys are deterministic. A reminder's key carries the session start it was planned for,
so a delayed session gets fresh reminders while an already-sent one is never repeated.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum

from bot.core.audience import DEFAULT_LEADS, Target
from bot.core.model import Catalog, Event, Series, SessionKind, SessionRef
from bot.core.timeutil import SWEDISH_TIME, to_utc


class NoticeKind(StrEnum):
    PREVIEW = "preview"
    LEAD = "lead"
    LIVE = "live"
    CHANGE = "change"
    RESULT = "result"
    STANDINGS = "standings"
    ANNOUNCE = "announce"
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


def stamp(instant: datetime) -> str:
    return instant.strftime("%Y%m%dT%H%MZ")


@dataclass(frozen=True, slots=True)
class PlanSettings:
    leads: tuple[int, ...] = DEFAULT_LEADS
    preview_time: time = time(18, 0)
    preview_days_before: int = 1
    #: How late a reminder may still go out; "starts in 60 min" sent 15 min late misleads.
    grace: timedelta = timedelta(minutes=5)
    #: A chat that subscribes inside a weekend's preview window gets the preview then.
    late_preview: bool = True


DEFAULT_SETTINGS = PlanSettings()


def preview_due(event: Event, settings: PlanSettings) -> datetime | None:
    """The evening before the weekend's first session, in Swedish time."""
    first = event.starts
    if first is None:
        return None
    day = first.astimezone(SWEDISH_TIME).date() - timedelta(days=settings.preview_days_before)
    wall = datetime.combine(day, settings.preview_time)
    try:
        due = to_utc(wall, SWEDISH_TIME, fold=0)
    except ValueError:  # a preview time inside the DST gap: an hour later exists
        due = to_utc(wall + timedelta(hours=1), SWEDISH_TIME, fold=0)
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


def wants(target: Target, planned: Planned, default_leads: tuple[int, ...]) -> bool:
    """Whether this subscription asked to hear about this notification."""
    if not target.active or not target.wants_series(planned.series_id):
        return False
    if not target.wants_kind(planned.session_kind):
        return False
    if planned.kind is NoticeKind.LEAD:
        return planned.lead in target.lead_minutes(default_leads)
    return True


def audience(
    targets: Iterable[Target], planned: Planned, default_leads: tuple[int, ...]
) -> list[Target]:
    return [t for t in targets if wants(t, planned, default_leads)]
