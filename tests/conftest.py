"""Fixtures every suite may use: the storage backends a test runs against.

Set RACEBOT_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run the
suites that take ``db_url`` against PostgreSQL as well as SQLite; each such test then gets
an empty ``public`` schema in a database of this run's own (dropped at the end).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.core.texts import set_default_language
from tests.helpers import sync_url
from tests.process import PrivatePostgres

PG_ENV = "RACEBOT_TEST_DATABASE_URL"


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str | None]:
    """A throwaway PostgreSQL database for this run (dropped at the end), or None."""
    base = os.environ.get(PG_ENV)
    if not base:
        yield None
        return
    name = f"racebot_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(sync_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset_postgres(url: str) -> None:
    engine = create_engine(sync_url(url), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    finally:
        engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path, pg_url: str | None) -> str:
    """An empty database: a SQLite file always, PostgreSQL when configured (else skipped)."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.db"
    if pg_url is None:
        pytest.skip(f"PostgreSQL not configured: set {PG_ENV}")
    _reset_postgres(pg_url)
    return pg_url


@pytest.fixture
async def postgres() -> AsyncIterator[PrivatePostgres]:
    """A PostgreSQL of the test's own (initdb + pg_ctl on a free port), skipped with the
    reason where the binaries are missing; the test may stop and start it at will."""
    server = PrivatePostgres()
    await server.init()
    try:
        yield server
    finally:
        await server.destroy()


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """An App sets ``[bot] language`` as the catalogue's default; no test leaves it set."""
    yield
    set_default_language("sv")
