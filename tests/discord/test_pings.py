"""Pings by choice: one role per interest, each post pings only the roles that asked."""

from __future__ import annotations

from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

import pytest

from bot.platforms.discord import DiscordAdapter
from tests.discord.world import ALERT_ROLE, ALERTS, FAN, GUILD, OWNER, Env
from tests.helpers import eventually

RACES_ROLE = 444444444444444451
EVERY_ROLE = 444444444444444452
OTHER_ROLE = 444444444444444453
BEFORE_JARAMA = datetime(2020, 11, 5, 12, 0, tzinfo=UTC)
AFTER_JARAMA = datetime(2020, 11, 8, 0, 0, tzinfo=UTC)


def _pings(env: Env) -> Counter[int]:
    counted: Counter[int] = Counter()
    for message in env.fake.messages[ALERTS]:
        if message.get("type") == 6:  # "pinned a message" (the preview): Discord's, not ours
            continue
        assert message["allowed_mentions"]["parse"] == []  # never @everyone or users
        assert sorted(message["allowed_mentions"].get("roles") or []) == sorted(
            message["mention_roles"]
        )
        counted.update(message["mention_roles"])
    return counted


@pytest.mark.parametrize("env", [BEFORE_JARAMA], indirect=True)
async def test_a_jarama_weekend_pings_each_role_for_what_it_asked(env: Env) -> None:
    env.fake.add_role(GUILD, RACES_ROLE, "Bara race")
    env.fake.add_role(GUILD, EVERY_ROLE, "Alla pass")
    await env.setup_alerts(**{"races-role": RACES_ROLE, "every-session-role": EVERY_ROLE})
    await env.run_to(AFTER_JARAMA)
    # qualifying and the races: 60 and 15 minutes before, and LIVE; practice: 15 minutes
    # before only (#14); the weekend preview pings nobody
    assert _pings(env) == {ALERT_ROLE: 9, RACES_ROLE: 6, EVERY_ROLE: 11}
    practice = [
        m
        for m in env.fake.messages[ALERTS]
        if "träning" in (m.get("embeds") or [{}])[0].get("title", "")
    ]
    assert practice
    assert all(m["mention_roles"] == [EVERY_ROLE] for m in practice)

    before = len(env.fake.messages[ALERTS])
    await env.staff_publish("report-result", {"session": "race1", "places": "andreas 15"})
    await env.staff_publish("report-result", {"session": "race1", "places": "andreas 14"})
    updates = env.fake.messages[ALERTS][before:]
    assert updates, "the result was posted"
    assert all(not m["mention_roles"] for m in updates), [m["content"] for m in updates]


@pytest.mark.parametrize("env", [BEFORE_JARAMA], indirect=True)
async def test_fans_pick_their_role_with_subscribe(env: Env) -> None:
    env.fake.add_role(GUILD, RACES_ROLE, "Bara race")
    env.fake.add_role(GUILD, EVERY_ROLE, "Alla pass")
    await env.setup_alerts(**{"races-role": RACES_ROLE, "every-session-role": EVERY_ROLE})
    races = await env.command(FAN, "subscribe", {"pings": "races"})
    assert "@Bara race" in (races.content or "")
    assert env.fake.member_roles(GUILD, FAN) == [RACES_ROLE]
    default = await env.command(FAN, "subscribe", {})
    assert "@Race alerts" in (default.content or "")
    # One choice at a time: the races-only role went when the default came.
    assert env.fake.member_roles(GUILD, FAN) == [ALERT_ROLE]
    assert "@Bara race är borttagen: ditt nya val ersätter den." in (default.content or "")
    await env.command(FAN, "subscribe", {"pings": "races"})
    await env.command(FAN, "unsubscribe", {})
    assert env.fake.member_roles(GUILD, FAN) == []  # every ping role goes at once
    subscribe = env.fake.get_command("subscribe")
    pings = next(o for o in subscribe["options"] if o["name"] == "pings")
    assert [c["name_localizations"]["sv-SE"] for c in pings["choices"]] == [
        "Race och kval",
        "Bara race",
        "Alla pass",
    ]


@pytest.mark.parametrize("env", [BEFORE_JARAMA], indirect=True)
async def test_a_new_pings_choice_replaces_the_old_role(env: Env) -> None:
    env.fake.add_role(GUILD, RACES_ROLE, "Bara race")
    env.fake.add_role(GUILD, EVERY_ROLE, "Alla pass")
    env.fake.add_role(GUILD, OTHER_ROLE, "Moderator")
    env.fake.guild(GUILD).members[FAN].roles.append(OTHER_ROLE)  # not ours: kept
    await env.setup_alerts(**{"races-role": RACES_ROLE, "every-session-role": EVERY_ROLE})
    seen = []
    for pings in ("every", "races", "default", "every", "every"):
        answer = await env.command(FAN, "subscribe", {"pings": pings}, locale="en-US")
        assert (answer.content or "").startswith("Done!"), answer.content
        seen.append(sorted(env.fake.member_roles(GUILD, FAN)))
    assert seen == [
        sorted([OTHER_ROLE, EVERY_ROLE]),
        sorted([OTHER_ROLE, RACES_ROLE]),
        sorted([OTHER_ROLE, ALERT_ROLE]),
        sorted([OTHER_ROLE, EVERY_ROLE]),
        sorted([OTHER_ROLE, EVERY_ROLE]),  # the same choice again: nothing to change
    ]
    again = await env.command(FAN, "subscribe", {"pings": "races"}, locale="en-US")
    assert (again.content or "").splitlines()[1:] == [
        "@Alla pass is removed: your new choice replaces it."
    ]
    # What Discord was asked: one PUT for each new role, one DELETE for each old one.
    calls = [
        (method, int(path.rsplit("/", 1)[1]))
        for method, path in env.fake.stats.calls
        if f"/members/{FAN}/roles/" in path
    ]
    assert calls == [
        ("PUT", EVERY_ROLE),
        ("PUT", RACES_ROLE),
        ("DELETE", EVERY_ROLE),
        ("PUT", ALERT_ROLE),
        ("DELETE", RACES_ROLE),
        ("PUT", EVERY_ROLE),
        ("DELETE", ALERT_ROLE),
        ("PUT", RACES_ROLE),
        ("DELETE", EVERY_ROLE),
    ]


@pytest.mark.parametrize("env", [BEFORE_JARAMA], indirect=True)
async def test_a_role_change_without_a_slot_in_time_is_dropped(env: Env) -> None:
    adapter = env.app.adapters[0]
    assert isinstance(adapter, DiscordAdapter)
    await env.setup_alerts()
    adapter.useful_for = 0.05  # two minutes, shortened
    adapter.budget.pause(0.3)  # a global 429: no slot for anyone meanwhile
    answer = await env.command(FAN, "subscribe", {}, locale="en-US")
    assert answer.content == "Could not change the role right now, please try again in a while."
    assert env.fake.member_roles(GUILD, FAN) == []
    await env.fake.wait_until(lambda: not adapter.budget._heap)  # the pause is over
    assert env.fake.member_roles(GUILD, FAN) == []  # never done stale


TCR_ROLE = 444444444444444461
WTCR_ROLE = 444444444444444462


@pytest.mark.parametrize("env", [BEFORE_JARAMA], indirect=True)
async def test_a_series_role_is_pinged_for_its_series_only(env: Env) -> None:
    for role, name in ((RACES_ROLE, "Bara race"), (EVERY_ROLE, "Alla pass")):
        env.fake.add_role(GUILD, role, name)
    env.fake.add_role(GUILD, TCR_ROLE, "TCR Europe-fans")
    env.fake.add_role(GUILD, WTCR_ROLE, "WTCR-fans")
    interests = {"races-role": RACES_ROLE, "every-session-role": EVERY_ROLE}
    unknown = await env.command(
        OWNER, "setup", {"channel": ALERTS, "series": "dtm-1999", "series-role": TCR_ROLE}
    )
    assert unknown.content == "Okänd serie 'dtm-1999'."
    await env.setup_alerts(**interests, series="tcr-europe-2020", **{"series-role": TCR_ROLE})
    await env.setup_alerts(**interests, series="wtcr-2021", **{"series-role": WTCR_ROLE})
    saved = await env.subscription(ALERTS)
    assert saved is not None
    assert dict(saved.roles) == {  # the second /setup kept the first series' role
        "default": str(ALERT_ROLE),
        "races": str(RACES_ROLE),
        "every": str(EVERY_ROLE),
        "series:tcr-europe-2020": str(TCR_ROLE),
        "series:wtcr-2021": str(WTCR_ROLE),
    }

    # A fan takes a series role beside their interest role; neither replaces the other.
    steps = [
        {"series": "tcr-europe-2020"},
        {"pings": "races"},
        {"pings": "every", "series": "wtcr-2021"},
    ]
    held = []
    for options in steps:
        await env.command(FAN, "subscribe", options)
        held.append(sorted(env.fake.member_roles(GUILD, FAN)))
    assert held == [
        [TCR_ROLE],
        sorted([TCR_ROLE, RACES_ROLE]),
        sorted([TCR_ROLE, WTCR_ROLE, EVERY_ROLE]),
    ]

    await env.run_to(AFTER_JARAMA)
    # Jarama is TCR Europe's: its role is pinged as the alert role is (qualifying and the
    # races, 1 h, 15 min, LIVE), WTCR's never; the README's default count still holds.
    assert _pings(env) == {
        ALERT_ROLE: 9,
        RACES_ROLE: 6,
        EVERY_ROLE: 11,
        TCR_ROLE: 9,
    }
    race_leads = [
        m for m in env.fake.messages[ALERTS] if "Race 1 – Jarama startar om 15 min" in str(m)
    ]
    assert [sorted(m["mention_roles"]) for m in race_leads] == [
        sorted([ALERT_ROLE, RACES_ROLE, EVERY_ROLE, TCR_ROLE])
    ]

    await env.command(FAN, "unsubscribe", {})
    assert env.fake.member_roles(GUILD, FAN) == []  # series roles go with the rest


@pytest.mark.parametrize("env", [BEFORE_JARAMA], indirect=True)
async def test_a_deleted_interest_or_series_role_is_forgotten_and_the_admin_told(
    env: Env,
) -> None:
    for role, name in ((RACES_ROLE, "Bara race"), (EVERY_ROLE, "Alla pass")):
        env.fake.add_role(GUILD, role, name)
    env.fake.add_role(GUILD, TCR_ROLE, "TCR Europe-fans")
    interests = {"races-role": RACES_ROLE, "every-session-role": EVERY_ROLE}
    await env.setup_alerts(**interests, series="tcr-europe-2020", **{"series-role": TCR_ROLE})

    async def roles() -> dict[str, str]:
        saved = await env.subscription(ALERTS)
        assert saved is not None
        assert saved.active
        return dict(saved.roles)

    # An interest's role goes: that interest is forgotten, the others stay.
    await env.fake.delete_role(GUILD, RACES_ROLE)
    await eventually(lambda: _lacks(roles, "races"))
    assert await roles() == {
        "default": str(ALERT_ROLE),
        "every": str(EVERY_ROLE),
        "series:tcr-europe-2020": str(TCR_ROLE),
    }
    (told,) = await env.fake.wait_for_dms(OWNER, 1)
    assert env.readable(told["content"]) == (
        "Rollen @Bara race i Bäckman fans togs bort: påminnelserna skickas nu utan ping. "
        "Kör /konfigurera för att välja en ny roll."
    )
    # A series' role goes too: a second role, a second word to the admin (each once).
    await env.fake.delete_role(GUILD, TCR_ROLE)
    await eventually(lambda: _lacks(roles, "series:tcr-europe-2020"))
    assert await roles() == {"default": str(ALERT_ROLE), "every": str(EVERY_ROLE)}
    dms = await env.fake.wait_for_dms(OWNER, 2)
    assert "@TCR Europe-fans" in env.readable(dms[1]["content"])
    env.fake.add_role(GUILD, OTHER_ROLE, "Moderator")
    await env.fake.delete_role(GUILD, OTHER_ROLE)  # no subscription's role: nothing to say
    await env.fake.flush_gateway()
    await env.settle()
    assert len(env.fake.dms[OWNER]) == 2

    # The weekend pings only the roles that are left: never a deleted one.
    await env.run_to(AFTER_JARAMA)
    assert set(_pings(env)) == {ALERT_ROLE, EVERY_ROLE}


async def _lacks(roles: Callable[[], Awaitable[dict[str, str]]], interest: str) -> bool:
    return interest not in await roles()
