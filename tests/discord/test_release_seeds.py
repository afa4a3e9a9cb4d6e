"""The five seeds sent to /release on Discord (#15), as the `text` option and as a Word
file attached: each draft lists exactly the seed's sessions, results and standings, as on
Telegram (tests/test_release.py holds what each must say); after Publish the server's
alert channel gets the results and standings, and the preview and reminders of the weekend
the release made. Through discord.py and the fake Discord."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.discord.test_release import publish
from tests.discord.world import ALERTS, MECHANIC, Env
from tests.fakes.fake_discord.interaction import Interaction
from tests.test_release import (
    DRAFTED,
    DRAFTED_RESULTS,
    JARAMA,
    SEEDS_SENT,
    draft_after,
    draft_sessions,
    schedules_without,
    seed_sessions,
    seed_tables,
    word_file,
)

#: What the alert channel must show of each seed's results after Publish.
POSTED = {
    "jarama": [],
    "wtcr": [],
    "barcelona": [],
    "aragon": [
        "Andreas resultat:",
        "Fri träning 1: 21:a plats",
        "Race 2: Bröt (DNF)",
        "Jessicas resultat:",
        "Race 2: 17:e plats",
    ],
    "estoril": [
        "Andreas resultat:",
        "Race 1: 15:e plats (2:a i WTCR Trophy)",
        "Race 2: 16:e plats (2:a i WTCR Trophy, 2:a i juniorklassen)",
    ],
}

SWEDEN = ZoneInfo("Europe/Stockholm")


def _seed_env(seed: str) -> tuple[datetime, object]:
    """The Discord world at the seed's moment, without the files the Telegram test leaves out."""
    _text, left_out, start = SEEDS_SENT[seed]
    return start, lambda tmp_path: schedules_without(tmp_path, left_out)


def _plain(markdown: str) -> str:
    """The draft as a reader sees it: no bold marks, no escapes."""
    return re.sub(r"\\(.)", r"\1", markdown.replace("**", ""))


async def _draft(env: Env, seed: str, how: str) -> tuple[str, Interaction]:
    text = SEEDS_SENT[seed][0]
    options: dict[str, object] = (
        {"text": text} if how == "text" else {"file": ("pressmeddelande.docx", word_file(text))}
    )
    english = seed in ("aragon", "estoril")
    draft = await env.command(MECHANIC, "release", options, locale="en-US" if english else "sv-SE")
    assert draft.ephemeral
    described = "\n".join(str(e.get("description", "")) for e in draft.embeds)
    return _plain(described), draft


def _posted(env: Env) -> str:
    return _plain(
        "\n".join(
            f"{e.get('title', '')}\n{e.get('description', '')}"
            for m in env.fake.messages.get(ALERTS, [])
            for e in m.get("embeds") or []
        )
    )


@pytest.mark.parametrize("how", ["text", "word"])
@pytest.mark.parametrize(("env", "seed"), [(_seed_env(s), s) for s in SEEDS_SENT], indirect=["env"])
async def test_every_seed_drafts_exactly_its_sessions_results_and_standings_on_discord(
    env: Env, seed: str, how: str, tmp_path: Path
) -> None:
    await env.setup_alerts()
    env.grant_staff_commands()
    draft, interaction = await _draft(env, seed, how)
    for expected in DRAFTED[seed]:
        assert expected in draft, expected
    text = SEEDS_SENT[seed][0]
    assert draft_sessions(draft) == seed_sessions(text)
    assert draft_after(draft, "Records results") == DRAFTED_RESULTS[seed]
    listed = [t.strip() for t in draft.splitlines()]
    tables = seed_tables(text)
    for _first, _last, rows in tables:  # every row, the "–" and ties, in the release's order
        assert any(listed[at : at + len(rows)] == rows for at in range(len(listed))), rows
    assert await env.app.store.weekends.current() == []  # only Publish records

    await publish(env, interaction)
    posted = _posted(env)
    for _first, _last, rows in tables:  # each table's first row reaches the channel
        assert rows[1] in posted, rows[1]
    for expected in POSTED[seed]:  # in the channel's language, Swedish
        assert expected in posted, posted


@pytest.mark.parametrize("env", [_seed_env("jarama")], indirect=True)
async def test_the_jarama_weekend_made_on_discord_is_previewed_and_reminded(env: Env) -> None:
    await env.setup_alerts()
    env.grant_staff_commands()
    _draft_text, interaction = await _draft(env, "jarama", "word")
    await publish(env, interaction)
    (stored,) = await env.app.store.weekends.current()
    assert stored.created_by.startswith("discord:")
    await env.run_to(datetime(2020, 11, 7, 10, 15, tzinfo=UTC))
    posted = _posted(env)
    assert "🏁" in posted  # the preview
    shown = {  # the preview gives each reader's own clock: <t:EPOCH:t> before the name
        name: datetime.fromtimestamp(int(epoch), SWEDEN).strftime("%H:%M")
        for epoch, name in re.findall(r"<t:(\d+):t> (.+?)(?: \(| – |$)", posted, re.M)
    }
    for clock, name in seed_sessions(JARAMA):
        assert shown.get(name) == clock, (name, shown)
    assert re.search(r"Race 1.*15 min", posted, re.S), posted[-500:]
