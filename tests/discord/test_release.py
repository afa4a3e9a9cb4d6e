"""/release on Discord: the Estoril results release attached as a Word file to the slash
command (discord.py reads the attachment from its signed CDN URL), drafted, published."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

import aiohttp
import pytest

from tests.discord.world import ALERTS, FAN, GENERAL, GUILD, MECHANIC, Env
from tests.fakes.fake_discord.interaction import Interaction
from tests.photos import JPEG, PNG
from tests.test_release import ESTORIL, JARAMA, word_file

AFTER_ESTORIL = datetime(2021, 6, 29, 8, tzinfo=UTC)


async def publish(env: Env, draft: Interaction) -> None:
    """The staff member presses Publish on their draft; until the posts are out."""
    ids = [c["custom_id"] for row in draft.components for c in row["components"]]
    ok = next(i for i in ids if i.startswith("rb:ok:"))
    assert draft.original_id is not None
    click = await env.fake.click_button(GUILD, GENERAL, MECHANIC, draft.original_id, ok)
    await click.wait_response()
    await env.settle()


def _draft_text(interaction: object) -> str:
    embeds = interaction.embeds
    return "\n".join(str(e.get("description", "")) for e in embeds)


@pytest.mark.parametrize("env", [AFTER_ESTORIL], indirect=True)
async def test_a_word_file_attached_to_release_is_drafted_and_published(env: Env) -> None:
    await env.setup_alerts()
    env.grant_staff_commands()
    options = {"file": ("Estoril.docx", word_file(ESTORIL))}
    draft = await env.command(MECHANIC, "release", options, locale="en-US")
    assert draft.ephemeral
    text = _draft_text(draft)
    for expected in (
        "Records results, FIA WTCR Estoril (r2):",
        "Race 1: Andreas 15th (2nd in WTCR Trophy), Jessica 16th (3rd in WTCR Trophy, "
        "3rd in Junior)",
        "Race 2: Andreas 17th (3rd in WTCR Trophy), Jessica 16th (2nd in WTCR Trophy, "
        "2nd in Junior)",
        "Posts the standings WTCR Trophy – Overall (Top 3) (4 rows)",
    ):
        assert expected in text, expected
    await publish(env, draft)
    posted = str([m.get("embeds") for m in env.fake.messages[ALERTS]])
    assert "Andreas resultat:" in posted
    assert "Race 1: 15:e plats (2:a i WTCR Trophy)" in posted  # the class place goes out too
    assert "1: Gilles Magnus (BEL), 42 p." in posted
    stored = await env.app.store.results("wtcr-2021", "r2")
    assert {(r.session_id, r.driver_id, r.position) for r in stored} >= {
        ("race1", "andreas", 15),
        ("race2", "jessica", 16),
    }


@pytest.mark.parametrize("env", [datetime(2020, 11, 2, 8, tzinfo=UTC)], indirect=True)
async def test_the_release_as_text_option_and_refused_for_fans(env: Env) -> None:
    with pytest.raises(PermissionError):  # Discord shows fans no /release at all
        await env.command(FAN, "release", {"text": JARAMA[:3000]})
    env.grant_staff_commands()
    draft = await env.command(MECHANIC, "release", {"text": JARAMA[:5900]})
    assert "Uppdaterar helgen TCR Europe Jarama (r6)" in _draft_text(draft)
    assert await env.app.store.weekends.current() == []


def _photo_url(interaction: Interaction) -> str:
    """The CDN URL the fake gave the photo attachment (what discord.py hands the bot)."""
    attachments = interaction.payload["data"]["resolved"]["attachments"].values()
    (photo,) = [a for a in attachments if a["content_type"].startswith("image/")]
    return str(photo["url"])


def _images(env: Env, channel: int) -> list[tuple[bytes, str]]:
    """(image bytes, description) of each embed in a channel that carries an image: the
    image must be one of the message's own attachments (``attachment://``), not a link."""
    out = []
    for m in env.fake.messages[channel]:
        for e in m.get("embeds") or []:
            if e.get("image"):
                by_id = {str(a["id"]): a["bytes"] for a in m["attachments"]}
                out.append((by_id[e["image"]["attachment_id"]], e.get("description", "")))
    return out


async def _served(url: str) -> int:
    async with aiohttp.ClientSession() as http, http.get(url) as response:
        return response.status


@pytest.mark.parametrize("env", [datetime(2020, 11, 2, 8, tzinfo=UTC)], indirect=True)
async def test_a_photo_with_release_is_the_preview_embed_image_credited(env: Env) -> None:
    """Sent on Monday, previewed on Friday: the CDN link staff's attachment had is gone by
    then, the bytes the bot read on Monday are uploaded with the preview."""
    await env.setup_alerts()
    env.grant_staff_commands()
    options = {"text": JARAMA[:5900], "photo": ("jarama.jpg", JPEG)}
    draft = await env.command(MECHANIC, "release", options)
    url = _photo_url(draft)
    assert "📷 Bilden du skickade följer med förhandsvisningen, med ”Foto: TCR Europe”." in (
        _draft_text(draft)
    )
    await publish(env, draft)
    (stored,) = await env.app.store.weekends.current()
    assert stored.photo == {"image": hashlib.sha256(JPEG).hexdigest(), "credit": "TCR Europe"}
    await env.run_to(datetime(2020, 11, 6, 9, 0, tzinfo=UTC))
    assert await _served(url) == 404  # the signed link expired a day after it was issued
    ((image, description),) = _images(env, ALERTS)
    assert image == JPEG
    assert "<t:1604656200:t> **Fri träning 1**"  # 10:50 Swedish time in description
    assert description.rstrip().endswith("Foto: TCR Europe")


@pytest.mark.parametrize("env", [AFTER_ESTORIL], indirect=True)
async def test_a_photo_with_a_results_release_is_the_results_embed_image(env: Env) -> None:
    await env.setup_alerts()
    env.grant_staff_commands()
    kept = await env.command(MECHANIC, "release", {"photo": ("estoril.png", PNG)})
    assert "Bilden följer med" in (kept.content or "") + _draft_text(kept)
    options = {"file": ("Estoril.docx", word_file(ESTORIL))}
    draft = await env.command(MECHANIC, "release", options)
    assert "📷 Bilden du skickade följer med resultatinlägget, med ”Foto: FIA WTCR”." in (
        _draft_text(draft)
    )
    await publish(env, draft)
    ((image, description),) = _images(env, ALERTS)  # the results post, not the standings
    assert image == PNG
    (message,) = [m for m in env.fake.messages[ALERTS] if m["attachments"]]
    assert [a["filename"] for a in message["attachments"]] == ["photo.png"]
    assert "Race 1: 15:e plats (2:a i WTCR Trophy)" in description
    assert description.rstrip().endswith("Foto: FIA WTCR")
