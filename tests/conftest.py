"""Fixtures shared by several test modules."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests.process import PrivatePostgres


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
