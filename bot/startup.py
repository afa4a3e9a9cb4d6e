"""What can stop ``racebot run`` at start, said in one sentence with a hint.

The database that cannot be reached (its URL shown without the password), the SQLite file
that cannot be written, the web port another process holds: each becomes a StartupError,
which the command line prints and exits 1 on, instead of a traceback.
"""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

from bot.core.errors import StartupError
from bot.store.store import Store, normalize_url

STORAGE_HINT = "set [storage] url or RACEBOT_DATABASE_URL"


def safe_url(url: str) -> str:
    """The database URL as it can be shown in a log: the password replaced by ***."""
    try:
        return make_url(normalize_url(url)).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "<unparsable URL>"


def _brief(exc: BaseException) -> str:
    inner = getattr(exc, "orig", None) or exc
    lines = str(inner).strip().splitlines()
    return lines[0][:200] if lines else type(inner).__name__


async def open_store(url: str) -> Store:
    """``Store.open`` with its failures translated into one clear StartupError."""
    try:
        parsed = make_url(normalize_url(url))
    except (ArgumentError, ValueError) as exc:
        raise StartupError(f"storage: {url!r} is not a database URL ({exc})", STORAGE_HINT) from exc
    sqlite = parsed.drivername.startswith("sqlite")
    if sqlite and parsed.database not in (None, "", ":memory:"):
        path = str(parsed.database)
        try:  # before the async engine: a failed aiosqlite open leaves a thread behind
            await asyncio.to_thread(_try_write, path)
        except (OSError, sqlite3.Error) as exc:
            raise _unwritable(path, exc) from exc
    try:
        return await Store.open(url)
    except (OSError, sqlite3.Error, SQLAlchemyError, TimeoutError) as exc:
        if sqlite and isinstance(exc, (OSError, sqlite3.Error, DBAPIError)):
            raise _unwritable(parsed.database or "", exc) from exc
        raise StartupError(
            f"storage: cannot reach the database at {safe_url(url)} ({_brief(exc)})",
            f"check that the server runs and accepts this user, or {STORAGE_HINT}",
        ) from exc
    except Exception as exc:  # asyncpg's own errors (wrong password, no such database)
        if type(exc).__module__.startswith("asyncpg"):
            raise StartupError(
                f"storage: the database at {safe_url(url)} refused us ({_brief(exc)})",
                f"check the user, password and database name, or {STORAGE_HINT}",
            ) from exc
        raise


def _try_write(path: str) -> None:
    """Open the SQLite file (creating its folder, as Store.open does) and take a write lock."""
    Path(path).expanduser().parent.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(Path(path).expanduser(), timeout=5)
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.rollback()
    finally:
        conn.close()


def _unwritable(path: str, exc: BaseException) -> StartupError:
    return StartupError(
        f"storage: cannot write the database file {path} ({_brief(exc)})",
        f"check that its folder exists and this user may write there, or {STORAGE_HINT}",
    )


def port_taken(host: str, port: int, exc: OSError) -> StartupError:
    return StartupError(
        f"web: cannot listen on {host}:{port} ({exc.strerror or exc})",
        "another process holds the port: set [web] port or RACEBOT_WEB_PORT "
        "(or [web] enabled = false)",
    )
