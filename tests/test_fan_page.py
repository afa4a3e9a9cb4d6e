"""The fan page in the visitor's language, and after the season (#14), over real HTTP."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.core.clock import VirtualClock
from bot.core.model import Catalog
from bot.web_page import page_language
from tests.test_web import INFO, Source, catalog, serve

__all__ = ["catalog"]  # the module's fixture, shared

OVER = datetime(2030, 1, 1, tzinfo=UTC)


async def page(source: Source, path: str = "/", **headers: str) -> tuple[str, str]:
    client = await serve(source)
    try:
        response = await client.get(path, headers=headers)
        assert response.status == 200
        return await response.text(), response.headers["Content-Language"]
    finally:
        await client.close()


async def test_english_by_query_and_by_browser(catalog: Catalog) -> None:
    for path, headers in (
        ("/?lang=en", {}),
        ("/", {"Accept-Language": "en-GB,en;q=0.9,sv;q=0.4"}),
        ("/?lang=EN", {"Accept-Language": "sv-SE"}),  # the address wins
    ):
        text, language = await page(Source(catalog), path, **headers)
        assert language == "en"
        assert '<html lang="en">' in text
        assert "TCR Europe – round 6: Jarama" in text
        assert "<h2>Timetable</h2>" in text
        assert "Friday 6 November" in text
        assert "<th>Swedish time</th><th>Your time" in text
        assert "<h2>Watch live</h2>" in text
        assert "Add to Google Calendar" in text
        assert "all times Swedish time" in text
        assert 'href="?lang=sv"' in text  # and back
        for swedish in ("Prenumerera", "Tidsschema", "Fredag", "Svensk tid", "Se det live"):
            assert swedish not in text, swedish


async def test_swedish_for_swedes_and_for_everyone_else(catalog: Catalog) -> None:
    for headers in ({"Accept-Language": "sv-SE,sv;q=0.9,en;q=0.8"}, {"Accept-Language": "de"}, {}):
        text, language = await page(Source(catalog), "/", **headers)
        assert language == "sv"
        assert '<html lang="sv">' in text
        assert "<h2>Tidsschema</h2>" in text
        assert "<h2>Prenumerera</h2>" in text
        assert 'href="?lang=en"' in text


@pytest.mark.parametrize(
    ("accept", "wanted"),
    [
        ("en-US,en;q=0.9", "en"),
        ("fr-FR, en;q=0.1, sv;q=0.2", "sv"),
        ("sv;q=0, en;q=0.3", "en"),
        ("nb-NO,nb;q=0.9", "sv"),
        ("en;q=abc, sv;q=0.5", "sv"),
        ("", "sv"),
    ],
)
def test_accept_language_is_weighed(accept: str, wanted: str) -> None:
    assert page_language({}, accept) == wanted


async def test_after_the_season_the_page_says_so_and_lists_the_weekends(
    catalog: Catalog,
) -> None:
    source = Source(catalog, clock=VirtualClock(OVER))
    text, _ = await page(source)
    assert "<h1>Säsongen är slut</h1>" in text
    assert "<title>Säsongen är slut – Bäckman Racing</title>" in text
    assert "<h2>Tidigare tävlingshelger</h2>" in text
    barcelona = "GT4 European Series – deltävling 6: Barcelona · 29 september–1 oktober 2023"
    jarama = "TCR Europe – deltävling 6: Jarama · 6–7 november 2020"
    assert barcelona in text
    assert jarama in text
    assert text.index(barcelona) < text.index(jarama)  # latest first
    assert "<h2>Tidsschema</h2>" not in text
    english, _ = await page(source, "/?lang=en")
    assert "<h1>The season is over</h1>" in english
    assert "TCR Europe – round 6: Jarama · 6–7 November 2020" in english


async def test_each_link_once_on_the_page(catalog: Catalog) -> None:
    text, _ = await page(Source(catalog))
    for url in ("https://www.facebook.com/JABackman", "https://www.tcr-europe.com/live-timing"):
        assert text.count(f'href="{url}"') == 1, url
    assert "Race 1 <span" in text  # the stream is named on its session, linked once below
    assert INFO.bot_name in text
