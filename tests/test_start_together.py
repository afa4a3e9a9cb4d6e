"""Two racebot processes starting at once on one fresh database (the multi-process setup
of #16, or a restart overlapping the old process): both migrate and both record the
sessions' states, and neither may fail on the other's rows. CI once saw the second process
exit on a unique violation of ``session_state``. PostgreSQL, and SQLite as far as it goes
(one process; a restart overlapping the old one)."""

from __future__ import annotations

import asyncio

from bot.store.store import Store
from tests.helpers import utc

T0 = utc(2026, 10, 3, 8, 0)


async def test_two_stores_opening_and_recording_at_once_both_succeed(db_url: str) -> None:
    if db_url.startswith("postgresql"):  # both migrate at once: they take turns
        first, second = await asyncio.gather(Store.open(db_url), Store.open(db_url))
    else:  # SQLite is one process (README); only a restart's overlap is met here
        first = await Store.open(db_url)
        second = await Store.open(db_url)
    try:
        for round_ in range(5):  # new sessions each round: both read none, both insert
            keys = {
                f"tcr/r{round_}/{s}": f"2026-10-03T{10 + n}:00|scheduled"
                for n, s in enumerate(("fp1", "q", "race1"))
            }
            seen = await asyncio.gather(
                first.states.record_fingerprints(keys, T0),
                second.states.record_fingerprints(keys, T0),
            )
            for states in seen:
                assert {k: v.sequence for k, v in states.items() if k in keys} == dict.fromkeys(
                    keys, 0
                )
        moved = {"tcr/r0/fp1": "2026-10-03T10:30:00|scheduled"}
        await asyncio.gather(
            first.states.record_fingerprints(moved, T0),
            second.states.record_fingerprints(moved, T0),
        )
        after = await first.session_states()
        assert after["tcr/r0/fp1"].sequence == 1  # one change, one bump, whoever saw it
    finally:
        await first.close()
        await second.close()
