"""What the core hands the store and gets back: a notification to queue, a session's state.

Plain values, so the engine, the service and the calendar speak of notices and session
states without importing the database layer; the store maps them to and from its rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class NotificationData:
    """One thing to tell fans, rendered once per (language, zone) in ``posts``."""

    key: str
    kind: str
    due: datetime
    expires: datetime | None
    posts: dict[str, str]  # language -> Post JSON
    series_id: str | None = None
    session_key: str | None = None
    session_kind: str | None = None
    lead: int | None = None


@dataclass(frozen=True, slots=True)
class SessionStateInfo:
    """A session's overrides and change counter: what staff changed, and how often."""

    session_key: str
    start_override: datetime | None
    cancelled: bool
    fingerprint: str
    sequence: int
    modified_at: datetime
