"""A chat that subscribes inside a weekend's preview window reads its welcome first, then
the preview (``bot.service.followups``): the late preview is queued only once the answer
went out, or was dropped, on Telegram through the real PTB client and the fake Bot API.

Without it the preview row was in the outbox while the command still ran, and whichever
send took the chat's turn in the rate budget first went first.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.sendpath import RateBudget
from tests.test_telegram import ADMIN, GROUP, USER, Env, telegram_env

#: Friday morning at Jarama: the preview went out last evening, practice is still to come.
FRIDAY = datetime(2020, 11, 6, 7, 0, tzinfo=UTC)
FP1 = datetime(2020, 11, 6, 9, 50, tzinfo=UTC)
PREVIEW = "🏁 TCR Europe – deltävling 6: Jarama"
WELCOME = "Välkommen"


@pytest.fixture
async def env(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    async with telegram_env(tmp_path, getattr(request, "param", FRIDAY)) as env:
        yield env


def _order(env: Env, chat: int) -> list[str]:
    """What the chat read, as welcome / preview / other, in order."""
    return [
        "welcome" if WELCOME in t else "preview" if t.startswith(PREVIEW) else "other"
        for t in env.fake.texts(chat)
    ]


async def test_the_welcome_comes_before_the_late_preview(env: Env) -> None:
    # No slot for anyone for a moment (a global 429): the outbox worker would have all the
    # time it needs to take the chat's turn with the preview before the answer is queued.
    env.adapter.budget.pause(0.2)
    env.fake.push_message(USER, USER, "/start")
    await env.wait_text(USER, PREVIEW)
    assert _order(env, USER) == ["welcome", "preview"]


@pytest.mark.parametrize("env", [FP1 - timedelta(minutes=20)], indirect=True)
async def test_the_welcome_comes_first_while_a_fan_out_fills_the_budget(env: Env) -> None:
    fans = range(5001, 5121)
    for fan in fans:
        env.fake.add_private_chat(fan, f"Fan {fan}")
        await env.app.store.subscribe(
            "telegram", str(fan), env.clock.now(), chat_kind="private", language="sv"
        )
    await env.app.engine.rebuild()
    budget = env.adapter.budget
    assert isinstance(budget, RateBudget)
    budget.spacing = 1 / 200  # 120 reminders take 0.6 s: the budget is full meanwhile
    await env.clock.advance_to(FP1 - timedelta(minutes=15))  # FP1's reminder to everyone
    await env.fake.wait_until(lambda: any(env.fake.texts(fan) for fan in fans))
    env.fake.push_message(GROUP, ADMIN, "/start")
    await env.wait_text(GROUP, WELCOME)
    assert any(not env.fake.texts(fan) for fan in fans), "the fan-out was over already"
    await env.wait_text(GROUP, PREVIEW)  # its row queued behind the reminders
    assert _order(env, GROUP) == ["welcome", "preview"]
    await env.settle()
    assert all(len(env.fake.texts(fan)) == 1 for fan in fans)  # the reminder, nothing else
    assert _order(env, GROUP) == ["welcome", "preview"]


async def test_a_dropped_welcome_still_lets_the_preview_go(env: Env) -> None:
    env.adapter.answers.useful_for = 0.05  # two minutes, shortened: no second try
    env.fake.fail_next(USER, "server_error")
    env.fake.push_message(USER, USER, "/start")
    await env.wait_text(USER, PREVIEW)
    assert _order(env, USER) == ["preview"]
    assert env.adapter.answers.dropped == 1
    subscribed = await env.app.store.get_subscription("telegram", str(USER))
    assert subscribed is not None
    assert subscribed.active


async def test_a_refused_welcome_still_lets_the_preview_go(env: Env) -> None:
    # A refusal that no retry helps (here: the chat is gone for the answer) is not waited on.
    env.fake.fail_next(GROUP, "not_found")
    env.fake.push_message(GROUP, ADMIN, "/start")
    await env.wait_text(GROUP, PREVIEW)
    assert _order(env, GROUP) == ["preview"]
