"""One storage suite, run against SQLite always and PostgreSQL when configured.

Set RACEBOT_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to include
PostgreSQL (the ``db_url`` fixture in conftest.py: an empty schema per test).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.core.audience import Target
from bot.core.model import SessionKind
from bot.store import migrate, subscriptions
from bot.store.server_events import StoredEvent
from bot.store.store import (
    EXPIRED,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    SUPERSEDED,
    NotificationData,
    SentMark,
    Store,
    normalize_url,
)
from bot.store.tables import Base, Subscription
from tests.helpers import bulk_subscribe, post_json, utc

NOW = utc(2020, 11, 7, 9, 0)
LEASE = timedelta(minutes=2)


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    opened = await Store.open(db_url)
    try:
        yield opened
    finally:
        await opened.close()


def note(key: str = "s/e/race1/live@x", **fields: Any) -> NotificationData:
    values: dict[str, Any] = {
        "key": key,
        "kind": "live",
        "due": NOW,
        "expires": NOW + timedelta(hours=2),
        "posts": {"sv": post_json("Svenska"), "en": post_json("English")},
        "series_id": "s",
        "session_key": "s/e/race1",
        "session_kind": "race",
    }
    values.update(fields)
    return NotificationData(**values)


async def subscribers(store: Store, n: int, platform: str = "fake") -> list[Target]:
    return [await store.subscribe(platform, f"c{i}", NOW) for i in range(n)]


# -- subscriptions ------------------------------------------------------------------------


async def test_subscribe_update_deactivate_reactivate(store: Store) -> None:
    target = await store.subscribe(
        "telegram", "42", NOW, title="Fans", language="en", kinds=("race",), leads=(30,)
    )
    assert target.active
    assert target.language == "en"
    assert target.kinds == (SessionKind.RACE,)
    assert target.leads == (30,)
    assert target.timezone == "Europe/Stockholm"
    assert target.series is None

    updated = await store.update_subscription(
        "telegram", "42", NOW, series=("wtcr-2021",), timezone="Asia/Seoul"
    )
    assert updated is not None
    assert updated.series == ("wtcr-2021",)
    assert updated.timezone == "Asia/Seoul"
    assert updated.language == "en"  # untouched fields stay
    assert await store.update_subscription("telegram", "nope", NOW, language="sv") is None

    await store.deactivate(target.id, "blocked", NOW)
    assert await store.targets() == []
    (inactive,) = await store.targets(active_only=False)
    assert not inactive.active

    again = await store.subscribe("telegram", "42", NOW + timedelta(minutes=1))
    assert again.id == target.id
    assert again.active
    assert again.series == ("wtcr-2021",)  # reactivation keeps the preferences
    assert [t.id for t in await store.targets()] == [target.id]
    fetched = await store.get_subscription("telegram", "42")
    assert fetched == again
    assert await store.get_subscription("discord", "42") is None


async def test_move_chat_follows_supergroup(store: Store) -> None:
    target = await store.subscribe("telegram", "-100", NOW, chat_kind="group")
    await store.move_chat("telegram", "-100", "-100200", NOW)
    moved = await store.get_subscription("telegram", "-100200")
    assert moved is not None
    assert moved.id == target.id
    assert moved.chat_kind == "supergroup"
    assert await store.get_subscription("telegram", "-100") is None


async def test_move_chat_onto_existing_subscription_deactivates_old(store: Store) -> None:
    old = await store.subscribe("telegram", "-1", NOW, chat_kind="group")
    new = await store.subscribe("telegram", "-1002", NOW, chat_kind="supergroup")
    await store.move_chat("telegram", "-1", "-1002", NOW)
    assert [t.id for t in await store.targets()] == [new.id]
    stale = await store.get_subscription("telegram", "-1")
    assert stale is not None
    assert stale.id == old.id
    assert not stale.active


async def test_targets_follow_every_subscription_change(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The active targets are served from memory; each change through the Store drops them."""
    monkeypatch.setattr(subscriptions, "TARGETS_MAX_AGE", 3600.0)  # only a change may refresh

    def chats(targets: list[Target]) -> list[tuple[str, str]]:
        return [(t.chat_id, t.language) for t in targets]

    a = await store.subscribe("telegram", "a", NOW)
    assert chats(await store.targets()) == [("a", "sv")]
    b = await store.subscribe("telegram", "b", NOW)
    assert chats(await store.targets()) == [("a", "sv"), ("b", "sv")]
    await store.update_subscription("telegram", "b", NOW, language="en")
    assert chats(await store.targets()) == [("a", "sv"), ("b", "en")]
    await store.deactivate(a.id, "blocked", NOW)
    assert chats(await store.targets()) == [("b", "en")]
    await store.move_chat("telegram", "b", "-100b", NOW)
    assert chats(await store.targets()) == [("-100b", "en")]
    await store.subscribe("telegram", "a", NOW)
    assert [t.id for t in await store.targets()] == [a.id, b.id]
    # callers may change the list they get without touching the shared copy
    (await store.targets()).clear()
    assert len(await store.targets()) == 2


async def test_targets_see_outside_changes_within_the_max_age(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A change that bypasses this Store (another process) shows once the copy is too old."""
    await store.subscribe("telegram", "a", NOW)
    monkeypatch.setattr(subscriptions, "TARGETS_MAX_AGE", 3600.0)
    assert len(await store.targets()) == 1
    await bulk_subscribe(store, "telegram", ["elsewhere"], NOW)
    assert len(await store.targets()) == 1  # still the copy in memory
    assert len(await store.targets(active_only=False)) == 2  # never from memory
    monkeypatch.setattr(subscriptions, "TARGETS_MAX_AGE", 0.0)
    assert [t.chat_id for t in await store.targets()] == ["a", "elsewhere"]
    async with store.engine.begin() as conn:
        await conn.execute(
            Subscription.__table__.update().where(Subscription.chat_id == "a").values(active=False)
        )
    assert [t.chat_id for t in await store.targets()] == ["elsewhere"]


# -- the outbox ---------------------------------------------------------------------------


async def test_enqueue_is_idempotent(store: Store) -> None:
    targets = await subscribers(store, 3)
    assert await store.enqueue(note(), targets, NOW) == 3
    assert await store.enqueue(note(), targets, NOW) == 0
    assert await store.enqueue(note(posts={"sv": post_json("other")}), targets, NOW) == 0
    assert await store.delivery_counts() == {PENDING: 3}
    assert await store.known_notifications(["s/e/race1/live@x", "other"]) == {"s/e/race1/live@x"}
    # a new subscriber added later gets only its own row
    late = await store.subscribe("fake", "late", NOW)
    assert await store.enqueue(note(), [*targets, late], NOW) == 1
    assert await store.delivery_counts() == {PENDING: 4}


async def test_enqueue_many_targets_in_chunks(store: Store) -> None:
    await bulk_subscribe(store, "fake", [f"c{i}" for i in range(1203)], NOW)
    targets = await store.targets()
    assert await store.enqueue(note(), targets, NOW) == 1203
    assert await store.enqueue(note(), targets, NOW) == 0


async def test_claim_picks_language_variant(store: Store) -> None:
    sv = await store.subscribe("fake", "sv", NOW)
    en = await store.subscribe("fake", "en", NOW, language="en")
    seoul = await store.subscribe("fake", "seoul", NOW, language="en", timezone="Asia/Seoul")
    posts = {
        "sv": post_json("SV"),
        "en": post_json("EN"),
        "en|Asia/Seoul": post_json("EN Seoul"),
    }
    await store.enqueue(note(posts=posts), [sv, en, seoul], NOW)
    claimed = await store.claim("fake", "w", NOW, 10, LEASE)
    by_chat = {c.target.chat_id: c.post_json for c in claimed}
    assert by_chat == {"sv": posts["sv"], "en": posts["en"], "seoul": posts["en|Asia/Seoul"]}
    assert all(c.attempts == 1 and not c.is_edit for c in claimed)


async def test_claim_is_exclusive_between_concurrent_workers(store: Store) -> None:
    targets = await subscribers(store, 60)
    await store.enqueue(note(), targets, NOW)
    a, b, c = await asyncio.gather(
        store.claim("fake", "a", NOW, 25, LEASE),
        store.claim("fake", "b", NOW, 25, LEASE),
        store.claim("fake", "c", NOW, 25, LEASE),
    )
    ids = [x.id for x in a] + [x.id for x in b] + [x.id for x in c]
    assert len(ids) == len(set(ids))  # disjoint
    assert ids  # somebody got work; on SQLite the losers may come back empty-handed
    rest = await store.claim("fake", "d", NOW, 100, LEASE)
    assert len(ids) + len(rest) == 60
    assert not {x.id for x in rest} & set(ids)
    assert await store.claim("fake", "e", NOW, 100, LEASE) == []


async def test_claim_only_own_platform_and_ready_rows(store: Store) -> None:
    fake = await store.subscribe("fake", "1", NOW)
    other = await store.subscribe("other", "1", NOW)
    await store.enqueue(note(), [fake, other], NOW)
    (claimed,) = await store.claim("fake", "w", NOW, 10, LEASE)
    await store.mark_retry(claimed.id, NOW + timedelta(seconds=30), "429", NOW)
    assert await store.claim("fake", "w", NOW + timedelta(seconds=29), 10, LEASE) == []
    assert await store.next_attempt("fake") == NOW + timedelta(seconds=30)
    again = await store.claim("fake", "w", NOW + timedelta(seconds=30), 10, LEASE)
    assert [c.id for c in again] == [claimed.id]
    assert again[0].attempts == 2
    assert len(await store.claim("other", "w", NOW, 10, LEASE)) == 1


async def test_requeue_stale_only_after_the_lease(store: Store) -> None:
    targets = await subscribers(store, 2)
    await store.enqueue(note(), targets, NOW)
    claimed = await store.claim("fake", "dead", NOW, 10, LEASE)
    assert len(claimed) == 2
    assert await store.requeue_stale(NOW + LEASE - timedelta(seconds=1)) == 0
    assert await store.delivery_counts() == {SENDING: 2}
    assert await store.requeue_stale(NOW + LEASE + timedelta(seconds=1)) == 2
    assert await store.delivery_counts() == {PENDING: 2}
    again = await store.claim("fake", "alive", NOW + LEASE + timedelta(seconds=1), 10, LEASE)
    assert sorted(c.id for c in again) == sorted(c.id for c in claimed)


async def test_mark_sent_retry_and_final(store: Store) -> None:
    targets = await subscribers(store, 3)
    await store.enqueue(note(), targets, NOW)
    first, second, third = await store.claim("fake", "w", NOW, 10, LEASE)
    await store.mark_sent(first.id, ["11", "12"], first.version, NOW)
    await store.mark_retry(second.id, NOW + timedelta(minutes=1), "x" * 900, NOW)
    await store.mark_final(third.id, FAILED, "gave up", NOW)
    assert await store.delivery_counts() == {SENT: 1, PENDING: 1, FAILED: 1}
    rows = {r.chat_id: r for r in await store.deliveries_for(note().key)}
    assert rows[first.target.chat_id].message_ids == ("11", "12")
    assert rows[first.target.chat_id].error is None
    assert len(rows[second.target.chat_id].error) == 500  # truncated, not refused
    assert rows[third.target.chat_id].error == "gave up"
    await store.mark_final(second.id, EXPIRED, "late", NOW)
    assert await store.delivery_counts() == {SENT: 1, EXPIRED: 1, FAILED: 1}


async def test_mark_sent_many_records_each_send_in_one_call(store: Store) -> None:
    targets = await subscribers(store, 3)
    await store.enqueue(note(), targets, NOW)
    claimed = await store.claim("fake", "w", NOW, 10, LEASE)
    later = NOW + timedelta(seconds=2)
    await store.mark_sent_many([])  # nothing to do
    await store.mark_sent_many(
        [
            SentMark(c.id, (f"m{i}", f"m{i}b")[: i + 1], c.version, later)
            for i, c in enumerate(claimed[:2])
        ]
    )
    assert await store.delivery_counts() == {SENT: 2, SENDING: 1}
    rows = {r.chat_id: r for r in await store.deliveries_for(note().key)}
    first, second, third = (c.target.chat_id for c in claimed)
    assert rows[first].message_ids == ("m0",)
    assert rows[second].message_ids == ("m1", "m1b")
    assert rows[third].status == SENDING
    assert await store.requeue_stale(NOW + LEASE * 2) == 1  # the marked rows hold no lease
    (again,) = await store.claim("fake", "w", NOW + LEASE * 2, 10, LEASE)
    assert again.target.chat_id == third


async def test_revise_notification_requeues_sent_rows_as_edits(store: Store) -> None:
    targets = await subscribers(store, 2)
    await store.enqueue(note(), targets, NOW)
    sent, pending = await store.claim("fake", "w", NOW, 10, LEASE)
    await store.mark_sent(sent.id, ["77"], sent.version, NOW)
    await store.mark_retry(pending.id, NOW, "later", NOW)

    later = NOW + timedelta(minutes=5)
    assert await store.revise_notification(note().key, {"sv": post_json("Rättad")}, later) == 1
    assert await store.revise_notification("missing", {"sv": post_json("x")}, later) == 0
    claimed = {c.id: c for c in await store.claim("fake", "w", later, 10, LEASE)}
    edit, fresh = claimed[sent.id], claimed[pending.id]
    assert edit.is_edit
    assert edit.message_ids == ("77",)
    assert edit.version == 2
    assert not fresh.is_edit
    assert fresh.message_ids == ()
    assert "Rättad" in edit.post_json
    assert "Rättad" in fresh.post_json
    await store.mark_sent(edit.id, ["77"], edit.version, later)
    await store.mark_sent(fresh.id, ["78"], fresh.version, later)
    assert await store.claim("fake", "w", later, 10, LEASE) == []


async def test_a_row_revised_while_out_is_edited_to_the_newer_text(store: Store) -> None:
    """The mark of the old text must not hide the correction that came meanwhile."""
    (target,) = await subscribers(store, 1)
    await store.enqueue(note(), [target], NOW)
    (out,) = await store.claim("fake", "w", NOW, 10, LEASE)
    assert out.version == 1
    later = NOW + timedelta(seconds=5)
    # the correction arrives while the first text is on its way
    assert await store.revise_notification(note().key, {"sv": post_json("Rättad")}, later) == 0
    await store.mark_sent(out.id, ["77"], out.version, later)
    assert await store.delivery_counts() == {PENDING: 1}
    (edit,) = await store.claim("fake", "w", later, 10, LEASE)
    assert edit.is_edit
    assert edit.message_ids == ("77",)
    assert "Rättad" in edit.post_json
    await store.mark_sent(edit.id, ["77"], edit.version, later)
    assert await store.delivery_counts() == {SENT: 1}
    # a late mark of the first text (a slow worker) does not undo the edit's
    await store.mark_sent(out.id, ["77"], out.version, later)
    assert await store.claim("fake", "w", later, 10, LEASE) == []


async def test_a_correction_reaches_chats_subscribed_since_the_first_publish(
    store: Store,
) -> None:
    early = await store.subscribe("fake", "early", NOW)
    await store.enqueue(note(), [early], NOW)
    (sent,) = await store.claim("fake", "w", NOW, 10, LEASE)
    await store.mark_sent(sent.id, ["5"], sent.version, NOW)
    newcomer = await store.subscribe("fake", "new", NOW + timedelta(minutes=1))
    later = NOW + timedelta(minutes=2)
    posts = {"sv": post_json("Rättad")}
    assert await store.revise_notification(note().key, posts, later, [early, newcomer]) == 2
    claimed = {c.target.chat_id: c for c in await store.claim("fake", "w", later, 10, LEASE)}
    assert claimed["early"].is_edit
    assert not claimed["new"].is_edit  # a first send, of the corrected text
    assert "Rättad" in claimed["new"].post_json
    # revising again adds no second row for anyone
    for item in claimed.values():
        await store.mark_sent(item.id, ["6"], item.version, later)
    assert await store.revise_notification(note().key, posts, later, [early, newcomer]) == 2
    assert len(await store.deliveries_for(note().key)) == 2


async def test_a_worker_whose_lease_ran_out_cannot_undo_another_workers_send(
    store: Store,
) -> None:
    (target,) = await subscribers(store, 1)
    await store.enqueue(note(), [target], NOW)
    (slow,) = await store.claim("fake", "slow", NOW, 10, LEASE)
    late = NOW + LEASE + timedelta(seconds=1)
    assert await store.requeue_stale(late) == 1
    (fast,) = await store.claim("fake", "fast", late, 10, LEASE)
    await store.mark_sent(fast.id, ["9"], fast.version, late)
    # the slow worker's 429 answer comes now: it must not put the sent row back
    assert not await store.mark_retry(slow.id, late, "429", late, worker="slow")
    assert not await store.mark_final(slow.id, FAILED, "x", late, worker="slow")
    assert await store.delivery_counts() == {SENT: 1}


async def test_renew_extends_only_this_workers_claims(store: Store) -> None:
    targets = await subscribers(store, 2)
    await store.enqueue(note(), targets, NOW)
    mine, theirs = await store.claim("fake", "me", NOW, 10, LEASE)
    await store.mark_retry(theirs.id, NOW, "x", NOW)
    (taken,) = await store.claim("fake", "other", NOW, 10, LEASE)
    kept = await store.renew([mine.id, taken.id], "me", NOW + 2 * LEASE, NOW)
    assert kept == {mine.id}
    assert await store.requeue_stale(NOW + LEASE + timedelta(seconds=1)) == 1  # theirs only
    assert await store.delivery_counts() == {SENDING: 1, PENDING: 1}


async def test_deactivate_drops_pending_rows(store: Store) -> None:
    gone, stays = await subscribers(store, 2)
    await store.enqueue(note("a"), [gone, stays], NOW)
    await store.enqueue(note("b"), [gone, stays], NOW)
    await store.deactivate(gone.id, "blocked", NOW)
    claimed = await store.claim("fake", "w", NOW, 10, LEASE)
    assert {c.target.id for c in claimed} == {stays.id}
    assert (await store.delivery_counts())[FAILED] == 2


async def test_supersede_unplanned_withdraws_only_pending_reminders(store: Store) -> None:
    targets = await subscribers(store, 2)
    await store.enqueue(note("keep", kind="lead"), targets, NOW)
    await store.enqueue(note("drop", kind="lead"), targets, NOW)
    await store.enqueue(note("change", kind="change"), targets, NOW)
    await store.enqueue(note("sent", kind="live"), targets[:1], NOW)
    (claimed,) = [
        c for c in await store.claim("fake", "w", NOW, 10, LEASE) if c.notification_key == "sent"
    ]
    assert await store.requeue_stale(NOW + LEASE * 2) >= 1
    # put everything back to pending except the one we deliver
    again = await store.claim("fake", "w", NOW + LEASE * 2, 10, LEASE)
    for item in again:
        if item.id == claimed.id:
            await store.mark_sent(item.id, ["1"], 1, NOW)
        else:
            await store.mark_retry(item.id, NOW, "", NOW)

    assert await store.supersede_unplanned({"keep"}, NOW) == 2
    assert await store.supersede_unplanned({"keep"}, NOW) == 0
    counts = await store.delivery_counts()
    assert counts == {PENDING: 4, SUPERSEDED: 2, SENT: 1}
    assert await store.delivery_counts("drop") == {SUPERSEDED: 2}
    assert await store.delivery_counts("change") == {PENDING: 2}  # not a reminder


async def test_expired_row_is_still_claimable_but_carries_expiry(store: Store) -> None:
    (target,) = await subscribers(store, 1)
    await store.enqueue(note(expires=NOW - timedelta(minutes=1)), [target], NOW)
    (claimed,) = await store.claim("fake", "w", NOW, 10, LEASE)
    assert claimed.expires == NOW - timedelta(minutes=1)


# -- session state ------------------------------------------------------------------------


async def test_record_fingerprints_bumps_sequence_on_change(store: Store) -> None:
    first = await store.record_fingerprints({"a": "1", "b": "1"}, NOW)
    assert {k: (s.fingerprint, s.sequence) for k, s in first.items()} == {
        "a": ("1", 0),
        "b": ("1", 0),
    }
    later = NOW + timedelta(hours=1)
    second = await store.record_fingerprints({"a": "2", "b": "1"}, later)
    assert (second["a"].sequence, second["a"].modified_at) == (1, later)
    assert (second["b"].sequence, second["b"].modified_at) == (0, NOW)
    third = await store.record_fingerprints({"a": "2", "b": "1"}, later)
    assert third["a"].sequence == 1
    fourth = await store.record_fingerprints({"a": "3"}, later)
    assert fourth["a"].sequence == 2
    assert "b" in fourth


async def test_overrides_keep_fingerprint_state(store: Store) -> None:
    start = utc(2020, 11, 7, 10, 30)
    await store.set_override("s/e/race1", NOW, start=start)
    states = await store.session_states()
    assert states["s/e/race1"].start_override == start
    assert states["s/e/race1"].fingerprint == ""
    assert not states["s/e/race1"].cancelled
    await store.set_override("s/e/race1", NOW, cancelled=True)
    state = (await store.session_states())["s/e/race1"]
    assert state.cancelled
    assert state.start_override == start
    # the first fingerprint after an override is not a change
    recorded = await store.record_fingerprints({"s/e/race1": "f"}, NOW)
    assert recorded["s/e/race1"].sequence == 0


# -- results, standings, audit, pending ---------------------------------------------------


async def test_results_replace_per_driver(store: Store) -> None:
    await store.save_results(
        "wtcr-2021",
        "r3",
        "race1",
        [
            {"driver_id": "andreas", "position": 5, "class_positions": {"trophy": 1}},
            {"driver_id": "jessica", "status": "DNF", "note": "kontakt"},
        ],
        "staff",
        NOW,
    )
    later = NOW + timedelta(minutes=10)
    await store.save_results(
        "wtcr-2021", "r3", "race1", [{"driver_id": "andreas", "position": 4}], "staff", later
    )
    rows = {r.driver_id: r for r in await store.results("wtcr-2021", "r3")}
    assert rows["andreas"].position == 4
    assert rows["andreas"].updated_at == later
    assert rows["andreas"].class_positions == {}
    assert rows["jessica"].status == "DNF"
    assert rows["jessica"].note == "kontakt"
    assert await store.results("wtcr-2021", "r2") == []
    assert await store.latest_results_event() == ("wtcr-2021", "r3")


async def test_results_remove_drivers_in_the_same_write(store: Store) -> None:
    both = [{"driver_id": "andreas", "position": 15}, {"driver_id": "jessica", "position": 16}]
    await store.save_results("wtcr-2021", "r3", "race1", both, "staff", NOW)
    await store.save_results("wtcr-2021", "r3", "race2", both, "staff", NOW)
    fixed = [{"driver_id": "andreas", "position": 14}]
    await store.save_results("wtcr-2021", "r3", "race1", fixed, "staff", NOW, removed=["jessica"])
    rows = {(r.session_id, r.driver_id): r for r in await store.results("wtcr-2021", "r3")}
    assert sorted(rows) == [("race1", "andreas"), ("race2", "andreas"), ("race2", "jessica")]
    assert rows["race1", "andreas"].position == 14


async def test_standings_latest(store: Store) -> None:
    assert await store.latest_standings() is None
    await store.save_standings("wtcr-2021", "r2", [{"title": "A"}], "staff", NOW)
    await store.save_standings("tcr-europe-2020", None, [{"title": "B"}], "staff", NOW)
    assert await store.latest_standings() == ("tcr-europe-2020", [{"title": "B"}])
    assert await store.latest_standings("wtcr-2021") == ("wtcr-2021", [{"title": "A"}])


async def test_audit_log_newest_first(store: Store) -> None:
    await store.audit("telegram", "1", "Anna", "delay", {"key": "x", "min": 10}, NOW)
    await store.audit("discord", "2", None, "cancel", {"key": "y"}, NOW + timedelta(seconds=1))
    log = await store.audit_log()
    assert [e.action for e in log] == ["cancel", "delay"]
    assert log[1].detail == {"key": "x", "min": 10}
    assert log[1].at == NOW
    assert len(await store.audit_log(limit=1)) == 1


async def test_pending_only_author_once_and_before_expiry(store: Store) -> None:
    ttl = timedelta(minutes=10)
    await store.put_pending("tok", "telegram", "1", "delay", {"minutes": 10}, NOW, ttl)
    assert await store.latest_pending("telegram", "1", NOW) == "tok"
    assert await store.latest_pending("telegram", "2", NOW) is None
    assert await store.take_pending("tok", "telegram", "2", NOW) is None  # someone else
    assert await store.take_pending("tok", "discord", "1", NOW) is None  # other platform
    assert await store.take_pending("tok", "telegram", "1", NOW) == ("delay", {"minutes": 10})
    assert await store.take_pending("tok", "telegram", "1", NOW) is None  # only once

    await store.put_pending("old", "telegram", "1", "cancel", {}, NOW, ttl)
    late = NOW + ttl + timedelta(seconds=1)
    assert await store.latest_pending("telegram", "1", late) is None
    assert await store.take_pending("old", "telegram", "1", late) is None


# -- instants -----------------------------------------------------------------------------


async def test_aware_utc_round_trip_and_naive_rejected(store: Store) -> None:
    from zoneinfo import ZoneInfo

    local = datetime(2020, 11, 7, 11, 15, tzinfo=ZoneInfo("Europe/Stockholm"))
    (target,) = await subscribers(store, 1)
    await store.enqueue(note(due=local, expires=local + timedelta(hours=1)), [target], NOW)
    await store.set_override("k", NOW, start=local)
    state = (await store.session_states())["k"]
    assert state.start_override == local
    assert state.start_override.tzinfo is UTC
    assert state.start_override.hour == 10
    assert state.modified_at == NOW
    assert state.modified_at.tzinfo is UTC
    (claimed,) = await store.claim("fake", "w", NOW, 1, LEASE)
    assert claimed.expires == utc(2020, 11, 7, 11, 15)
    assert claimed.expires.tzinfo is UTC

    with pytest.raises(Exception, match="naive"):
        await store.set_override("k2", NOW, start=datetime(2020, 11, 7, 10, 0))
    with pytest.raises(Exception, match="naive"):
        await store.subscribe("fake", "naive", datetime(2020, 11, 7, 10, 0))


# -- migrations ---------------------------------------------------------------------------


def _differences(connection: Any) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, Base.metadata))


async def test_migrations_match_models_and_are_idempotent(db_url: str) -> None:
    engine = create_async_engine(normalize_url(db_url))
    try:
        async with engine.begin() as conn:
            await conn.run_sync(migrate.upgrade)
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert set(Base.metadata.tables) <= tables
        async with engine.begin() as conn:
            await conn.run_sync(migrate.upgrade)  # second upgrade: a no-op
        async with engine.connect() as conn:
            assert await conn.run_sync(_differences) == []
            again = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
        assert again == version
        assert len(version) == 1
    finally:
        await engine.dispose()
    # Store.open on an already migrated database works and keeps data
    store = await Store.open(db_url)
    await store.subscribe("fake", "1", NOW)
    await store.close()
    store = await Store.open(db_url)
    assert len(await store.targets()) == 1
    await store.close()


async def test_a_servers_events_are_remembered_replaced_and_forgotten(store: Store) -> None:
    rows = store.server_events
    await rows.remember("discord", "1", "s/e/race1", StoredEvent("10", "a" * 64), NOW)
    await rows.remember("discord", "1", "s/e/race2", StoredEvent("11", "b" * 64), NOW)
    await rows.remember("discord", "2", "s/e/race1", StoredEvent("20"), NOW)  # another server
    assert await rows.for_guild("discord", "1") == {
        "s/e/race1": StoredEvent("10", "a" * 64),
        "s/e/race2": StoredEvent("11", "b" * 64),
    }
    later = NOW + timedelta(minutes=5)
    await rows.remember("discord", "1", "s/e/race1", StoredEvent(None), later)  # deleted by hand
    await rows.forget("discord", "1", ["s/e/race2"])
    await rows.forget("discord", "1", [])
    assert await rows.for_guild("discord", "1") == {"s/e/race1": StoredEvent(None)}
    assert await rows.for_guild("discord", "2") == {"s/e/race1": StoredEvent("20")}
    assert await rows.for_guild("telegram", "1") == {}
