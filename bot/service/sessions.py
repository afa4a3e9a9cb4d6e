"""Which session a staff member means: one resolver and one vocabulary for every command.

"/delay r1 15", "/cancel kval" and "/result r1 …" all name sessions the same way, through
``bot.core.results.resolve``; a full key ("series/event/session") names any session.
"""

from __future__ import annotations

from datetime import datetime

from bot.core.errors import UserError
from bot.core.model import SessionRef
from bot.core.results.resolve import session_matches
from bot.core.texts import texts
from bot.scheduler import Engine


def current_event_sessions(engine: Engine, now: datetime) -> list[SessionRef]:
    """Sessions of the weekend in progress or next up; staff commands default to it."""
    upcoming = engine.upcoming(now)
    if not upcoming:
        return []
    first = upcoming[0]
    return [
        r for r in engine.catalog.sessions() if r.event == first.event and r.series == first.series
    ]


def find_session(engine: Engine, query: str, language: str, now: datetime) -> SessionRef:
    """The session ``query`` names in the current weekend (or by full key anywhere)."""
    query = query.strip()
    if "/" in query:
        return engine.session(query)
    candidates = current_event_sessions(engine, now)
    if not candidates:
        raise UserError(texts(language).no_weekend.format(query=query), texts(language).full_key)
    by_session = {id(r.session): r for r in candidates}
    matches = [by_session[id(s)] for s in session_matches(query, [r.session for r in candidates])]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(
        f"{r.session.id} ({r.session.name.get(language)})" for r in matches or candidates
    )
    chosen = texts(language)
    problem = chosen.ambiguous_session if matches else chosen.unknown_session
    raise UserError(problem.format(query=query), chosen.choose_one.format(choices=listed))
