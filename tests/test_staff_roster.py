# ruff: noqa: F811 - the env fixture is imported from test_telegram
"""/whoami and /staff on Telegram (issue #15): staff added in chat count at once, and stay."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import BotConfig, Config, StorageConfig, TelegramConfig, WebConfig
from bot.core.clock import VirtualClock
from bot.store.store import Store
from tests.fakes.fake_telegram import FakeTelegram
from tests.helpers import SCHEDULES, running_app
from tests.test_telegram import GROUP, MEMBER, STAFF_ID, START, USER, Env, env  # noqa: F401

NOT_FOR_YOU = "Det kommandot är inte tillgängligt för dig."


async def test_whoami_and_staff_added_and_removed_in_chat_on_telegram(env: Env) -> None:
    who = await env.command(USER, USER, "/whoami", "användar-id")
    assert (who.text or "").startswith("Ditt användar-id på Telegram: 1001")
    assert "/staff add 1001" in (who.text or "")
    assert NOT_FOR_YOU in (await env.command(USER, USER, "/staff add 5", "inte")).text

    fan_menu = ("chat:1001", None)
    assert fan_menu not in env.fake.commands  # a fan has everyone's menu
    added = await env.command(STAFF_ID, STAFF_ID, "/staff add 1001", "personal")
    assert added.text == "1001 är nu personal på Telegram; det gäller direkt."
    # their own menu has the staff commands at once, as the config's staff member's has
    await env.fake.wait_until(lambda: fan_menu in env.fake.commands)
    staff_menu = env.fake.commands[fan_menu]
    assert staff_menu == env.fake.commands[(f"chat:{STAFF_ID}", None)]
    assert {"announce", "release", "staff"} <= {c["command"] for c in staff_menu}
    draft = await env.command(USER, USER, "/announce Hej alla", "Publicera?")  # no restart
    assert "Hej alla" in (draft.text or "")
    assert "du är personal" in (await env.command(USER, USER, "/whoami", "id")).text
    again = await env.command(STAFF_ID, STAFF_ID, "/staff add 1001", "redan")
    assert again.text == "1001 är redan personal på Telegram."
    listed = await env.command(USER, USER, "/staff list", "Personal tillagd")
    assert "Telegram: 1001." in (listed.text or "")

    removed = await env.command(USER, USER, "/staff ta bort 1001", "längre")
    assert removed.text == "1001 är inte längre personal på Telegram."
    await env.fake.wait_until(lambda: fan_menu not in env.fake.commands)  # everyone's again
    assert (f"chat:{STAFF_ID}", None) in env.fake.commands  # the config's staff keep theirs
    assert NOT_FOR_YOU in (await env.command(USER, USER, "/announce Hej", "inte")).text
    config_staff = await env.command(STAFF_ID, STAFF_ID, "/staff remove 7001", "konfigurationen")
    assert "7001 finns inte bland personalen som lagts till i chatten" in (config_staff.text or "")
    assert (f"chat:{STAFF_ID}", None) in env.fake.commands
    assert "/delay" in (await env.command(STAFF_ID, STAFF_ID, "/help", "/help")).text

    audit = await env.app.store.audit_log()
    assert [(a.action, a.user_id, a.detail) for a in audit[:2]] == [
        ("staff_remove", str(USER), {"platform": "telegram", "user_id": "1001"}),
        ("staff_add", str(STAFF_ID), {"platform": "telegram", "user_id": "1001"}),
    ]
    assert len(audit) == 2  # a repeat or a refusal changes nothing and logs nothing


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("/staff add @anna", "“@anna” är inget användar-id."),
        ("/staff add Anna Andersson", "“Anna Andersson” är inget användar-id."),
        ("/staff add", "/staff add ID, /staff remove ID, /staff list"),
        ("/staff promote 5", "/staff add ID, /staff remove ID, /staff list"),
    ],
)
async def test_staff_refuses_what_is_not_an_id_with_the_way_to_get_one(
    env: Env, text: str, answer: str
) -> None:
    reply = await env.command(STAFF_ID, STAFF_ID, text, "/staff")
    assert answer in (reply.text or "")
    assert "/whoami" in (reply.text or "")
    assert await env.app.store.staff.all() == []


async def test_staff_add_as_an_answer_to_someones_message_in_a_group(env: Env) -> None:
    env.fake.add_member(GROUP, STAFF_ID, "Staffan")
    await env.command(GROUP, MEMBER, "/whoami@racebot_test_bot", "2002")
    env.fake.push_message(GROUP, STAFF_ID, "/staff@racebot_test_bot add", reply_to_user=MEMBER)
    await env.wait_text(STAFF_ID, "2002 är nu personal på Telegram")  # privately, as staff
    await env.wait_text(GROUP, "privat")
    assert not any("personal på Telegram" in t for t in env.fake.texts(GROUP))
    assert [m.user_id for m in await env.app.store.staff.all()] == [str(MEMBER)]


async def test_staff_added_in_chat_stay_staff_after_a_restart(tmp_path: Path) -> None:
    async with FakeTelegram(
        global_rate=None, per_chat_interval=None, group_per_minute=None
    ) as fake:
        fake.add_private_chat(USER, "Anna", username="anna")
        fake.add_private_chat(STAFF_ID, "Staffan", username="staffan")
        config = Config(
            storage=StorageConfig(url=f"sqlite:///{tmp_path}/t.db"),
            telegram=TelegramConfig(
                token=fake.token, base_url=f"{fake.url}/bot", staff=[STAFF_ID], global_rate=500
            ),
            bot=BotConfig(schedules=SCHEDULES),
            web=WebConfig(enabled=False),
        )
        clock = VirtualClock(START)
        async with running_app(config, clock) as app:
            before = Env(app=app, clock=clock, fake=fake)
            await before.command(STAFF_ID, STAFF_ID, "/staff add 1001", "nu personal")
        fake.commands.clear()  # what a new start sets, from nothing
        clock = VirtualClock(START)
        async with running_app(config, clock) as app:  # a new process on the same database
            after = Env(app=app, clock=clock, fake=fake)
            draft = await after.command(USER, USER, "/announce Hej", "Publicera?")
            assert "Hej" in (draft.text or "")
            menu = {c["command"] for c in fake.commands[(f"chat:{USER}", None)]}
            assert "announce" in menu  # the start sets the menu of staff added in chat too


# --------------------------------------------------------------------------- the table


async def test_staff_members_on_sqlite_and_postgresql(db_url: str) -> None:
    store = await Store.open(db_url)
    try:
        now = datetime(2021, 6, 28, 10, 0, tzinfo=UTC)
        assert await store.staff.add("telegram", "1001", "7001", now)
        assert not await store.staff.add("telegram", "1001", "7002", now)  # already there
        assert await store.staff.add("discord", "1001", "99", now)  # one id, two platforms
        [first, second] = await store.staff.all()
        assert (first.platform, first.user_id, first.added_by) == ("discord", "1001", "99")
        assert (second.platform, second.added_at) == ("telegram", now)
        assert await store.staff.remove("telegram", "1001")
        assert not await store.staff.remove("telegram", "1001")
        assert [m.platform for m in await store.staff.all()] == ["discord"]
    finally:
        await store.close()
