"""The press release is the interface (#15): the five seeds sent to the bot on Telegram, as
messages and as Word files, drafted, published (or cancelled), and what fans get after.

The real PTB client polls the fake Bot API; documents go through getFile and the file
download URL under ``[telegram] base_url``; time is virtual.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import re
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import docx
import icalendar
import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.cli import main
from bot.config import Config
from bot.core.calendar import session_uid
from bot.core.clock import VirtualClock
from bot.store.weekends import StoredWeekend
from bot.web import SiteInfo, create_web_app
from tests.fakes.fake_telegram import FakeTelegram, SentMessage
from tests.helpers import SCHEDULES, SEEDS, AppHarness, running_app
from tests.photos import JPEG
from tests.test_telegram import STAFF_ID, USER, callback_data, telegram_config

JARAMA, WTCR_ANNOUNCED, BARCELONA, ARAGON, ESTORIL = (
    sorted(SEEDS.glob(f"{n:03d}_*.txt"))[0].read_text(encoding="utf-8") for n in range(5)
)
#: (seed, the shipped files left out, when it is sent)
SEEDS_SENT = {
    "jarama": (JARAMA, ["tcr-europe-2020.toml"], datetime(2020, 11, 2, 8, tzinfo=UTC)),
    "wtcr": (WTCR_ANNOUNCED, ["wtcr-2021.toml"], datetime(2021, 2, 1, 8, tzinfo=UTC)),
    "barcelona": (BARCELONA, [], datetime(2023, 9, 25, 8, tzinfo=UTC)),
    "aragon": (ARAGON, [], datetime(2021, 7, 13, 8, tzinfo=UTC)),
    "estoril": (ESTORIL, [], datetime(2021, 6, 29, 8, tzinfo=UTC)),
}


@pytest.fixture(autouse=True)
def _timedelta_retry_after(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@dataclass
class Env(AppHarness):
    fake: FakeTelegram
    config: Config
    #: The end of a draft in the staff member's language.
    question: str = "Publicera?"

    async def send(self, text: str, needle: str) -> SentMessage:
        seen = len(self.fake.messages.get(STAFF_ID, []))
        self.fake.push_message(STAFF_ID, STAFF_ID, text)
        return await self.answer(needle, seen)

    async def answer(self, needle: str, seen: int) -> SentMessage:
        def found() -> SentMessage | None:
            for msg in self.fake.messages.get(STAFF_ID, [])[seen:]:
                if needle in (msg.text or ""):
                    return msg
            return None

        await self.fake.wait_until(lambda: found() is not None)
        msg = found()
        assert msg is not None
        return msg

    async def press(self, draft: SentMessage, which: str, needle: str) -> None:
        data = next(d for d in callback_data(draft) if d.startswith(f"{which}:"))
        self.fake.push_callback(STAFF_ID, STAFF_ID, draft.message_id, data)
        await self.fake.wait_until(lambda: needle in (draft.text or ""))
        await self.settle()

    async def weekends(self) -> list[StoredWeekend]:
        return await self.app.store.weekends.current()

    async def send_photo(self) -> str:
        """Staff send a photo in their chat: the file id of its largest size, once kept."""
        seen = len(self.fake.messages.get(STAFF_ID, []))
        self.fake.push_photo(STAFF_ID, STAFF_ID, JPEG)
        await self.answer("Bilden följer med", seen)
        return self.fake.user_photos[-1][-1]


def schedules_without(tmp_path: Path, left_out: list[str]) -> Path:
    folder = tmp_path / "schedules"
    folder.mkdir()
    for path in SCHEDULES.glob("*.toml"):
        if path.name not in left_out:
            shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture
async def env(tmp_path: Path, request: pytest.FixtureRequest) -> AsyncIterator[Env]:
    _text, left_out, start = SEEDS_SENT[request.param]
    async with FakeTelegram(
        global_rate=None, per_chat_interval=None, group_per_minute=None
    ) as fake:
        fake.add_private_chat(USER, "Anna", username="anna")
        fake.add_private_chat(STAFF_ID, "Staffan", username="staffan")
        config = telegram_config(fake, tmp_path, schedules_without(tmp_path, left_out))
        clock = VirtualClock(start)
        async with running_app(config, clock) as app:
            yield Env(app=app, clock=clock, fake=fake, config=config)


def word_file(text: str) -> bytes:
    """The release as the media officer's Word file: one paragraph per line."""
    document = docx.Document()
    for paragraph in text.splitlines():
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def seed_sessions(text: str) -> list[tuple[str, str]]:
    """(HH:MM, name) of every session line of the seed's timetable, as the release writes."""
    found = re.findall(r"^(\d{1,2}:\d{2}) (.+?)(?: \(| –|$)", text, re.MULTILINE)
    return [(t, re.split(r" – | - ", n)[0].strip()) for t, n in found]


def draft_sessions(draft: str) -> list[tuple[str, str]]:
    return re.findall(r"^(\d{2}:\d{2}) (.+?)(?: \(| – |$)", draft, re.MULTILINE)


async def send_as_messages(env: Env, text: str) -> SentMessage:
    """/release, the release in two messages (as a long paste is split), /done."""
    await env.send("/release", "/done")
    lines = text.splitlines()
    half = len(lines) // 2
    await env.send("\n".join(lines[:half]), "/done")
    await env.send("\n".join(lines[half:]), "/done")
    return await env.send("/done", env.question)


async def send_as_word(env: Env, text: str, caption: str | None = None) -> SentMessage:
    seen = len(env.fake.messages.get(STAFF_ID, []))
    env.fake.push_document(
        STAFF_ID, STAFF_ID, "pressmeddelande.docx", word_file(text), caption=caption
    )
    return await env.answer(env.question, seen)


@pytest.mark.parametrize("env", ["jarama"], indirect=True)
async def test_jarama_pasted_creates_the_weekend_fans_are_reminded_of(
    env: Env, tmp_path: Path
) -> None:
    env.fake.push_message(USER, USER, "/start")
    await env.fake.wait_until(lambda: any("Välkommen" in t for t in env.fake.texts(USER)))
    draft = await send_as_messages(env, JARAMA)
    text = draft.text or ""
    assert "Skapar helgen TCR Europe Jarama (r6) (2020-11-06–2020-11-07), i svensk tid:" in text
    assert (
        draft_sessions(text)
        == seed_sessions(JARAMA)
        == [
            ("10:50", "Fri träning 1"),
            ("13:10", "Fri träning 2"),
            ("15:00", "Tidskval"),
            ("11:15", "Race 1"),
            ("14:05", "Race 2"),
        ]
    )
    assert "Om banan: 3.850 km · 13" in text
    assert "Publicerar tabellen Förarmästerskapstabell – Totalt (Topp tre) (5 rader)" in text
    assert "Publicerar tabellen Teammästerskapstabell – Totalt (Topp tre) (3 rader)" in text
    assert "rad 47: “Varvrekord (TCR): 1min 37.682s” – banfakta" in text
    assert "Foto: TCR Europe" in text
    assert await env.weekends() == []  # a draft records nothing

    await env.press(draft, "ok", "Publicerat")
    (stored,) = await env.weekends()
    assert (stored.series_id, stored.event_id, stored.version) == ("tcr-europe-2020", "r6", 1)
    assert "staffan" in stored.created_by
    audit = await env.app.store.audit_log()
    assert any(a.action == "release" and a.user_id == str(STAFF_ID) for a in audit)
    ref = env.app.engine.catalog.find("tcr-europe-2020/r6/race1")
    assert ref is not None
    assert ref.session.start == datetime(2020, 11, 7, 10, 15, tzinfo=UTC)

    client = TestClient(TestServer(create_web_app(env.app.engine, SiteInfo("https://x.se"))))
    await client.start_server()
    try:  # the feed and the page have the weekend at once, no restart
        feed = icalendar.Calendar.from_ical(await (await client.get("/calendar/all.ics")).read())
        race1 = [e for e in feed.walk("VEVENT") if str(e["UID"]) == session_uid(ref.key)]
        assert [e.decoded("DTSTART") for e in race1] == [ref.session.start]
        assert "Jarama" in await (await client.get("/")).text()
    finally:
        await client.close()
    await env.app.engine.reload()  # a schedule file edit keeps the release's weekend
    assert env.app.engine.catalog.find("tcr-europe-2020/r6/race1") is not None

    await env.run_to(datetime(2020, 11, 7, 10, 15, tzinfo=UTC))
    fan = env.fake.texts(USER)
    preview = next(t for t in fan if t.startswith("🏁"))
    for clock, name in seed_sessions(JARAMA):
        assert f"{clock} {name}" in preview
    assert any("Race 1" in t and "15 min" in t for t in fan), fan

    out = tmp_path / "exported.toml"
    exported = ["export-schedule", "--config", str(write_config(env, tmp_path)), "-o", str(out)]
    assert await asyncio.to_thread(main, exported) == 0
    folder = tmp_path / "check"
    folder.mkdir()
    shutil.copy(out, folder / "tcr-europe-2020.toml")
    checked = ["check", "--config", str(write_config(env, tmp_path, folder))]
    assert await asyncio.to_thread(main, checked) == 0
    assert "start = 2020-11-07T11:15:00" in out.read_text(encoding="utf-8")


def write_config(env: Env, tmp_path: Path, schedules: Path | None = None) -> Path:
    path = tmp_path / f"bot-{len(list(tmp_path.glob('bot-*.toml')))}.toml"
    folder = schedules or env.config.bot.schedules
    path.write_text(
        f'[bot]\nschedules = "{folder}"\n[storage]\nurl = "{env.config.storage.url}"\n'
        "[web]\nenabled = false\n",
        encoding="utf-8",
    )
    return path


#: What each seed's draft must say, besides its sessions (checked against the seed text).
DRAFTED = {
    "jarama": [
        "Skapar helgen TCR Europe Jarama (r6) (2020-11-06–2020-11-07), i svensk tid:",
        "Publicerar tabellen Förarmästerskapstabell – Totalt (Topp tre) (5 rader)",
        "Publicerar tabellen Teammästerskapstabell – Totalt (Topp tre) (3 rader)",
    ],
    "wtcr": [
        "Skapar helgen WTCR Nürburgring Nordschleife (r1) (2021-06-03–2021-06-05)",
        "Skapar helgen WTCR Vila Real (r2) (2021-06-26–2021-06-27)",
        "Skapar helgen WTCR Adria (r4) (2021-07-31–2021-08-01)",
        "Skapar helgen WTCR Guia (r8) (2021-11-19–2021-11-21)",
        "tiderna kommer",
    ],
    "barcelona": [
        "Uppdaterar helgen GT4 European Series Barcelona (r6) (2023-09-29–2023-10-01)",
        "Om banan: 4.655 km · 14",
        "rad 40: “21-23 april - Monza, Italien” – helgen finns redan i schemat",
    ],
    "aragon": [
        "Posts the standings FIA World Touring Car Cup for Drivers WTCR – Overall (Top 3) (5 rows)",
        "Posts the standings WTCR Trophy – Overall (Top 3) (4 rows)",
        "Posts the standings FIA World Touring Car Cup for Junior Drivers – Overall (Top 3) "
        "(3 rows)",
        "Posts the standings WTCR – FIA World Touring Car Cup for Teams – Overall (Top 3) (4 rows)",
        "line 19: “Next up is the fourth round",
    ],
    "estoril": ["Posts the standings WTCR Trophy – Overall (Top 3) (4 rows)"],
}

#: Each seed's per-driver results as the draft must list them: all of them, nothing else.
#: Estoril's class places are in its running text (line 9: "the 2nd best WTCR Trophy
#: driver"), its results block has the overall places.
DRAFTED_RESULTS = {
    "jarama": [],
    "wtcr": [],
    "barcelona": [],
    "aragon": [
        "Records results, FIA WTCR MotorLand Aragón (r3):",
        "  Free Practice 1: Andreas 21st, Jessica 22nd",
        "  Free Practice 2: Andreas 22nd, Jessica 21st",
        "  Qualifying: Andreas 17th, Jessica 19th",
        "  Race 1: Andreas 16th, Jessica 19th",
        "  Race 2: Andreas DNF, Jessica 17th",
    ],
    "estoril": [
        "Records results, FIA WTCR Estoril (r2):",
        "  Free Practice 1: Andreas 21st, Jessica 22nd",
        "  Free Practice 2: Andreas 16th, Jessica 21st",
        "  Qualifying: Andreas 19th, Jessica 20th",
        "  Race 1: Andreas 15th (2nd in WTCR Trophy), Jessica 16th (3rd in WTCR Trophy, "
        "3rd in Junior)",
        "  Race 2: Andreas 17th (3rd in WTCR Trophy), Jessica 16th (2nd in WTCR Trophy, "
        "2nd in Junior)",
    ],
}
_SEE_ALL = re.compile(r"^(?:See the full standings here|Se fullständig tabell här)$")
_UNUSED = re.compile(r"^(?:line|rad) (\d+)(?:–(\d+))?: “(.*)” – (.*)$", re.MULTILINE)


def seed_tables(text: str) -> list[tuple[int, int, list[str]]]:
    """(first, last line, the lines a draft must show) of each standings table of a seed:
    the title's following lines up to a blank one, as the release prints them."""
    lines = [re.sub(r"\[bookmark: [^]]*\]", "", t).strip() for t in text.splitlines()]
    tables = []
    for i in range(len(lines) - 1):
        if lines[i] and re.search(r"\((?:After|Efter) \d", lines[i + 1]):
            end = i + 2
            while end < len(lines) and re.match(r"\d+: |[-–]$|Se", lines[end]):
                end += 1
            shown = [lines[i + 1], *("–" if t == "-" else t for t in lines[i + 2 : end])]
            tables.append((i + 1, end, [t for t in shown if not _SEE_ALL.match(t)]))
    return tables


def draft_after(draft: str, head: str) -> list[str]:
    """The draft's lines from the one starting with ``head`` to the next blank line."""
    lines = draft.splitlines()
    if not any(t.startswith(head) for t in lines):
        return []
    start = next(i for i, t in enumerate(lines) if t.startswith(head))
    end = next((i for i in range(start, len(lines)) if not lines[i].strip()), len(lines))
    return lines[start:end]


def _results_lines(text: str) -> list[tuple[int, str]]:
    """(number, text) of the seed's results blocks: headings and "Label: outcome" lines."""
    out: list[tuple[int, str]] = []
    lines = text.splitlines()
    for n, t in enumerate(lines, start=1):
        if re.fullmatch(r"\w+’s? results:|\w+ resultat:", t.strip()) or (
            out and out[-1][0] == n - 1 and re.match(r"[^:]{2,40}: \S", t)
        ):
            out.append((n, t.strip()))
    return out


def _see_all_lines(text: str) -> list[tuple[int, str]]:
    return [(n, t.strip()) for n, t in enumerate(text.splitlines(), 1) if _SEE_ALL.match(t.strip())]


async def _draft_of(env: Env, seed: str, how: str) -> str:
    text = SEEDS_SENT[seed][0]
    if how == "messages":
        draft = await send_as_messages(env, text)
    else:
        draft = await send_as_word(env, text, caption="/release" if seed == "wtcr" else None)
    return draft.text or ""


@pytest.mark.parametrize("how", ["messages", "word"])
@pytest.mark.parametrize("env", list(SEEDS_SENT), indirect=True)
async def test_every_seed_drafts_exactly_its_sessions_results_and_standings(
    env: Env, request: pytest.FixtureRequest, how: str
) -> None:
    seed = request.node.callspec.params["env"]
    english = seed in ("aragon", "estoril")
    if english:  # the staff member reads English: the draft is in English
        await env.send("/start", "Välkommen")
        await env.send("/settings language en", "Settings")
        env.question = "Publish?"
    draft = await _draft_of(env, seed, how)
    for expected in DRAFTED[seed]:
        assert expected in draft, expected
    text = SEEDS_SENT[seed][0]
    assert draft_sessions(draft) == seed_sessions(text)
    assert draft_after(draft, "Records results") == DRAFTED_RESULTS[seed]
    posts = "Posts the standings" if english else "Publicerar tabellen"
    shown = [t for t in draft.splitlines() if t.startswith(posts) or t.startswith("  ")]
    tables = seed_tables(text)
    listed = [t.strip() for t in shown if not t.startswith(posts)]
    for _first, _last, rows in tables:  # every row, the "–" and ties, in the release's order
        assert any(listed[at : at + len(rows)] == rows for at in range(len(listed))), rows
    assert sum(t.startswith(posts) for t in shown) == len(tables)
    # in the results blocks and tables only the "See the full standings here" lines are
    # not used, each listed with the standings reader's reason
    sections = [range(first, last + 1) for first, last, _rows in tables]
    sections += [range(n, n + 1) for n, *_ in _results_lines(text)]
    unused = [
        (int(m[1]), m[3], m[4])
        for m in _UNUSED.finditer(draft)
        if any(int(m[1]) in r for r in sections)
    ]
    kept_out = "the standings reader kept it out" if english else "tabelläsaren tog inte med"
    assert unused == [(n, t, unused[k][2]) for k, (n, t) in enumerate(_see_all_lines(text))]
    assert all(why.startswith(kept_out) for _n, _t, why in unused)
    assert ("Not used:" if english else "Används inte:") in draft
    if how == "word":
        assert env.fake.downloads == [
            f"/file/bot{env.fake.token}/documents/{p.rsplit('/', 1)[-1]}"
            for p in env.fake.downloads
        ]
        assert len(env.fake.downloads) == 1
    assert await env.weekends() == []  # only Publish records


@pytest.mark.parametrize("env", ["aragon"], indirect=True)
async def test_published_results_and_standings_reach_fans(env: Env) -> None:
    env.fake.push_message(USER, USER, "/start")
    await env.fake.wait_until(lambda: any("Välkommen" in t for t in env.fake.texts(USER)))
    env.fake.push_message(USER, USER, "/settings language en")
    await env.fake.wait_until(lambda: any("Settings" in t for t in env.fake.texts(USER)))
    draft = await send_as_word(env, ARAGON)
    await env.press(draft, "ok", "Publicerat")
    fan = "\n".join(env.fake.texts(USER))
    for expected in (
        "Andreas’ results:",
        "Free Practice 1: 21st place",
        "Race 2: Retired (DNF)",
        "Jessica’s results:",
        "Race 2: 17th place",
        "1: Jean-Karl Vernay (FRA), 82 p.",
        "11: Target Competition, 3 p.",
    ):
        assert expected in fan, expected
    results = await env.app.store.results("wtcr-2021", "r3")
    assert len(results) == 10


@pytest.mark.parametrize("env", ["estoril"], indirect=True)
async def test_class_places_from_the_estoril_release_are_published(env: Env) -> None:
    env.fake.push_message(USER, USER, "/start")
    await env.fake.wait_until(lambda: any("Välkommen" in t for t in env.fake.texts(USER)))
    draft = await send_as_messages(env, ESTORIL)
    await env.press(draft, "ok", "Publicerat")
    fan = "\n".join(env.fake.texts(USER))  # a Swedish fan: the places in Swedish
    for expected in (
        "Race 1: 15:e plats (2:a i WTCR Trophy)",
        "Race 2: 17:e plats (3:e i WTCR Trophy)",
        "Race 1: 16:e plats (3:e i WTCR Trophy, 3:e i juniorklassen)",
        "Race 2: 16:e plats (2:a i WTCR Trophy, 2:a i juniorklassen)",
    ):
        assert expected in fan, expected
    stored = {
        (r.session_id, r.driver_id): dict(r.class_positions)
        for r in await env.app.store.results("wtcr-2021", "r2")
    }
    assert stored[("race1", "andreas")] == {"trophy": 2}
    assert stored[("race2", "jessica")] == {"trophy": 2, "junior": 2}
    assert stored[("q", "andreas")] == {}


@pytest.mark.parametrize("env", ["barcelona"], indirect=True)
async def test_cancel_leaves_the_database_untouched(env: Env) -> None:
    before = await env.app.store.audit_log()
    draft = await send_as_word(env, BARCELONA, caption="/release")
    await env.press(draft, "no", "Avbrutet")
    assert await env.weekends() == []
    assert await env.app.store.audit_log() == before
    assert env.app.engine.base == env.app.engine.files  # the schedule in force: files only
    again = await env.send(
        "/publish", "inget att publicera"
    )  # the cancelled draft cannot be published
    assert "Publicerat" not in (again.text or "")


@pytest.mark.parametrize("env", ["jarama"], indirect=True)
async def test_a_photo_sent_with_the_release_goes_with_the_preview_credited(env: Env) -> None:
    env.fake.push_message(USER, USER, "/start")
    await env.fake.wait_until(lambda: any("Välkommen" in t for t in env.fake.texts(USER)))
    await env.send_photo()
    draft = await send_as_word(env, JARAMA)
    assert "📷 Bilden du skickade följer med förhandsvisningen, med ”Foto: TCR Europe”." in (
        draft.text or ""
    )
    await env.press(draft, "ok", "Publicerat")
    (stored,) = await env.weekends()
    assert stored.photo == {"image": hashlib.sha256(JPEG).hexdigest(), "credit": "TCR Europe"}
    await env.run_to(datetime(2020, 11, 6, 9, 0, tzinfo=UTC))
    (preview,) = [m for m in env.fake.messages[USER] if m.method == "sendPhoto"]
    assert env.fake.photo_bytes(preview) == JPEG  # the largest size staff sent, uploaded
    caption = preview.caption or ""
    assert caption.startswith("🏁")
    assert "10:50 Fri träning 1" in caption
    assert caption.rstrip().endswith("Foto: TCR Europe")


@pytest.mark.parametrize("env", ["barcelona"], indirect=True)
async def test_wrong_files_and_fans_get_a_clear_answer_and_nothing_is_fetched(env: Env) -> None:
    seen = len(env.fake.messages.get(STAFF_ID, []))
    env.fake.push_document(STAFF_ID, STAFF_ID, "release.pdf", b"%PDF-1.7")
    answer = await env.answer("release.pdf: skicka pressmeddelandet som .txt eller .docx", seen)
    assert answer.reply_markup is None
    seen = len(env.fake.messages.get(STAFF_ID, []))
    env.fake.push_document(STAFF_ID, STAFF_ID, "trasig.docx", b"not a zip")
    await env.answer("Kunde inte läsa trasig.docx", seen)
    downloads = len(env.fake.downloads)

    env.fake.push_document(USER, USER, "pressmeddelande.docx", word_file(BARCELONA))
    await env.fake.wait_until(lambda: any("inte tillgängligt" in t for t in env.fake.texts(USER)))
    assert len(env.fake.downloads) == downloads  # a fan's file is never fetched
    nothing = await env.send("/release Hej! Vi ses i Boden.", "Hittade varken")
    assert "rad 1: “Hej! Vi ses i Boden.” – löptext" in (nothing.text or "")
    assert nothing.reply_markup is None  # nothing to publish
    await env.send("/done", "Hittade varken")  # the same text once more: still nothing
    await env.send("/done", "Inget pressmeddelande att läsa")
    assert await env.weekends() == []


@pytest.mark.parametrize("env", ["jarama"], indirect=True)
async def test_a_paste_the_chat_app_split_is_drafted_whole_by_done(env: Env) -> None:
    lines = JARAMA.splitlines()
    first = "\n".join(lines[:60])  # cut inside the standings, as a 4096-character split is
    partial = await env.send(f"/release {first}", "Publicera?")
    assert "Publicerar tabellen Teammästerskapstabell" not in (partial.text or "")
    assert "“Teammästerskapstabell – Totalt (Topp tre)” – förstods inte: en tabell utan rader" in (
        partial.text or ""
    )
    await env.send("\n".join(lines[60:]), "/done för ett utkast av allt")
    whole = await env.send("/done", "Publicera?")
    text = whole.text or ""
    assert "Publicerar tabellen Teammästerskapstabell – Totalt (Topp tre) (3 rader)" in text
    assert draft_sessions(text) == seed_sessions(JARAMA)


@pytest.mark.parametrize(
    ("env", "series", "rounds"),
    [("wtcr", "wtcr-2021", list(range(1, 9))), ("barcelona", "gt4-european-series-2023", [6])],
    indirect=["env"],
)
async def test_export_schedule_round_trips_through_check(
    env: Env, tmp_path: Path, series: str, rounds: list[int]
) -> None:
    """A season calendar (the eight WTCR weekends, times to come) and an update of a file's
    weekend (Barcelona): exported, the file is one `racebot check` accepts, with them in."""
    seed = next(k for k, v in SEEDS_SENT.items() if v[2] == env.clock.now())
    draft = await send_as_word(env, SEEDS_SENT[seed][0])
    await env.press(draft, "ok", "Publicerat")
    assert sorted(w.round for w in await env.weekends()) == rounds
    out = tmp_path / "exported.toml"
    exported = ["export-schedule", "--series", series, "--config"]
    exported += [str(write_config(env, tmp_path)), "-o", str(out)]
    assert await asyncio.to_thread(main, exported) == 0
    folder = tmp_path / "check"
    folder.mkdir()
    shutil.copy(out, folder / f"{series}.toml")
    checked = ["check", "--config", str(write_config(env, tmp_path, folder))]
    assert await asyncio.to_thread(main, checked) == 0
    text = out.read_text(encoding="utf-8")
    for n in rounds:
        assert re.search(rf"^round = {n}$", text, re.MULTILINE), n
