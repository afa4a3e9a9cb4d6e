"""/release on Discord: a .txt/.docx attachment, the text option, and a photo (``photo``, or
a ``file`` that is an image) for the weekend preview or results post. The photo's bytes are
read once, now, and kept by the service: its signed CDN URL lasts about a day only."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import discord

from bot.core.texts import texts
from bot.service.release import MAX_PHOTO
from bot.service.types import Caller, Reply, text_reply

if TYPE_CHECKING:
    from bot.platforms.discord.adapter import DiscordAdapter

log = logging.getLogger(__name__)


async def release_attachment(
    adapter: DiscordAdapter,
    interaction: discord.Interaction,
    file: discord.Attachment | None,
    text: str | None,
    photo: discord.Attachment | None = None,
) -> None:
    """/release: the attached file is read by the service (staff only: nobody else's file is
    fetched); without one, the text option is the release. A photo refused (too large, no
    image, the database away) is answered and nothing else is done, so staff send again."""
    caller = adapter.caller(interaction)
    if file is not None and (file.content_type or "").startswith("image/"):
        file, photo = None, photo or file
    if photo is not None and caller.is_staff:
        await adapter.think(interaction)  # a download may take longer than 3 s
        kept = await _keep_photo(adapter, caller, photo)
        refused = kept.post.lines != text_reply(_kept_text(caller), caller.language).post.lines
        if refused or (file is None and not text):
            await adapter.answer(interaction, "release", kept, caller)
            return
    if file is None:
        await adapter.run(interaction, "release" if text else "done", text or "")
        return
    await adapter.think(interaction)  # a download and a read may take longer than 3 s
    data = b""
    if caller.is_staff:
        try:
            data = await file.read()
        except (discord.HTTPException, discord.NotFound):
            reply = text_reply(texts(caller.language).failed, caller.language, private=True)
            await adapter.answer(interaction, "release", reply, caller)
            return
    reply = await adapter.service().release_file(caller, file.filename, data)
    await adapter.answer(interaction, "release", reply, caller)


def _kept_text(caller: Caller) -> str:
    return texts(caller.language).release.photo_kept


async def _keep_photo(adapter: DiscordAdapter, caller: Caller, photo: discord.Attachment) -> Reply:
    """The photo's bytes, read once (not when it is larger than the service keeps)."""
    service = adapter.service()
    if photo.size > MAX_PHOTO:
        return await service.release_photo(caller, b"", photo.content_type, photo.size)
    try:
        data = await photo.read()
    except (discord.HTTPException, discord.NotFound) as exc:
        log.warning("discord: could not read the release photo %s: %s", photo.filename, exc)
        return text_reply(texts(caller.language).failed, caller.language, private=True)
    return await service.release_photo(caller, data, photo.content_type, len(data))
