"""The fan page in a real headless Chromium: the script runs under the page's CSP and
fills in the visitor's own times."""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import socket
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import pytest_asyncio
from aiohttp import web
from yarl import URL

from bot.core.clock import VirtualClock
from bot.core.model import Catalog
from bot.core.schedule import load_catalog
from bot.store.store import SessionStateInfo
from bot.web import SiteInfo, create_web_app

CHROMIUM = Path(os.environ.get("RACEBOT_CHROMIUM", "/usr/bin/chromium"))
pytestmark = [
    pytest.mark.browser,
    pytest.mark.timeout(300),  # a real chromium per test
    pytest.mark.skipif(
        not CHROMIUM.exists(), reason=f"{CHROMIUM} not installed (apt-get install chromium)"
    ),
]
ROOT = Path(__file__).resolve().parent.parent
NOW = datetime(2020, 11, 1, 12, 0, tzinfo=UTC)


class Source:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self.states: dict[str, SessionStateInfo] = {}
        self.clock = VirtualClock(NOW)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest_asyncio.fixture
async def site_url() -> AsyncIterator[str]:
    info = SiteInfo(
        public_url="https://race.example.org",
        telegram_url="https://t.me/backman_racebot",
        discord_url="https://discord.gg/backman",
    )
    app = create_web_app(Source(load_catalog(ROOT / "schedules")), info)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        await runner.cleanup()


async def dump_dom(url: str, profile: Path, tz: str) -> str:
    """The DOM after scripts ran, in a browser whose own zone is ``tz``."""
    process = await asyncio.create_subprocess_exec(
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        "--dump-dom",
        url,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TZ": tz},
    )
    try:
        out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    except TimeoutError:
        process.kill()
        await process.wait()
        pytest.fail("chromium did not finish within 60 s")
    assert process.returncode == 0, err.decode(errors="replace")[-2000:]
    return out.decode()


async def test_page_after_javascript(site_url: str, tmp_path: Path) -> None:
    dom = await dump_dom(site_url + "?lang=sv", tmp_path / "profile", "America/New_York")
    # the timetable, in Swedish time from the server
    assert dom.count('<tr class="session"') == 5
    assert '<td class="time">11:15</td>' in dom
    assert "Race 1" in dom
    # filled in by the script: Race 1 at 10:15 UTC is Saturday 05:15 in New York
    assert '<td class="local">lör 05:15</td>' in dom
    assert '<td class="local">–</td>' not in dom
    assert '<span class="visitor-zone">New York</span>' in dom
    # how to follow
    assert 'href="webcal://race.example.org/calendar/all.ics"' in dom
    assert 'href="https://calendar.google.com/calendar/r?cid=webcal%3A%2F%2F' in dom
    assert 'href="https://t.me/backman_racebot"' in dom


async def test_visitor_in_sweden_sees_swedish_time_twice(site_url: str, tmp_path: Path) -> None:
    dom = await dump_dom(site_url + "?lang=sv", tmp_path / "profile", "Europe/Stockholm")
    assert '<td class="local">lör 11:15</td>' in dom
    assert '<span class="visitor-zone">Stockholm</span>' in dom


# -- on a phone --------------------------------------------------------------------------

#: Every word of the page's text (split at spaces and hyphens, where a line may break)
#: whose letters land on more than one line; and how wide the page is against the screen.
BROKEN_WORDS = r"""(() => {
  const broken = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest("code, script, style")) continue;
    const pattern = /[^\s\-–]+/g;
    for (let m = pattern.exec(node.textContent); m; m = pattern.exec(node.textContent)) {
      const range = document.createRange();
      range.setStart(node, m.index);
      range.setEnd(node, m.index + m[0].length);
      const lines = new Set([...range.getClientRects()].map((r) => Math.round(r.bottom)));
      if (lines.size > 1) broken.push(m[0]);
    }
  }
  return JSON.stringify({
    broken: broken,
    width: document.documentElement.scrollWidth,
    screen: window.innerWidth,
    zone: (document.querySelector(".visitor-zone") || {}).textContent || "",
  });
})()"""


async def on_a_phone(url: str, profile: Path, width: int = 375) -> dict[str, Any]:
    """Open ``url`` in Chromium as a ``width`` px wide phone (DevTools protocol) and measure."""
    process = await asyncio.create_subprocess_exec(
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--remote-debugging-port=0",
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, "TZ": "America/New_York"},
    )
    assert process.stderr is not None
    try:
        async with asyncio.timeout(60):
            endpoint = ""
            while not endpoint:
                text = (await process.stderr.readline()).decode(errors="replace")
                assert text, "chromium exited before it listened"
                if "DevTools listening on " in text:
                    endpoint = text.split("DevTools listening on ", 1)[1].strip()
            port = URL(endpoint).port
            async with aiohttp.ClientSession() as http:
                pages = await (await http.get(f"http://127.0.0.1:{port}/json/list")).json()
                ws_url = next(p["webSocketDebuggerUrl"] for p in pages if p["type"] == "page")
                async with http.ws_connect(ws_url, max_msg_size=0) as ws:
                    ids = itertools.count(1)

                    async def call(method: str, **params: Any) -> dict[str, Any]:
                        n = next(ids)
                        await ws.send_json({"id": n, "method": method, "params": params})
                        while True:
                            answer = await ws.receive_json()
                            if answer.get("id") == n:
                                assert "error" not in answer, answer
                                result: dict[str, Any] = answer["result"]
                                return result

                    await call(
                        "Emulation.setDeviceMetricsOverride",
                        width=width,
                        height=800,
                        deviceScaleFactor=2,
                        mobile=True,
                    )
                    await call("Page.navigate", url=url)
                    while True:
                        state = await call("Runtime.evaluate", expression="document.readyState")
                        if state["result"]["value"] == "complete":
                            break
                        await asyncio.sleep(0.05)
                    measured = await call("Runtime.evaluate", expression=BROKEN_WORDS)
                    found: dict[str, Any] = json.loads(measured["result"]["value"])
                    return found
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()


@pytest.mark.parametrize("language", ["sv", "en"])
async def test_readable_on_a_phone(site_url: str, tmp_path: Path, language: str) -> None:
    measured = await on_a_phone(f"{site_url}?lang={language}", tmp_path / "profile")
    assert measured["screen"] == 375
    assert measured["width"] <= 375, "the page is wider than the phone"
    assert measured["broken"] == [], "words broken across lines"
    assert measured["zone"] == "New York"
