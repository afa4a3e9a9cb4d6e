"""A press release's photo with a post: its bytes (kept in the database since staff sent
it, ``release_images``) uploaded with every message as ``files[0]``, the embed's image
``attachment://photo.<ext>``. Uploaded, not linked: an attachment's CDN link is signed and
expires within a day, while a release sent on Monday is previewed on Thursday. An edit
uploads it again (``attachments`` then lists only the new file), so a correction keeps it.
"""

from __future__ import annotations

import io
import logging
from typing import TYPE_CHECKING, Any

import discord

from bot.core.markup import Post

if TYPE_CHECKING:
    from bot.service.commands import Commands

log = logging.getLogger(__name__)

_EXTENSIONS = {"image/png": "png", "image/gif": "gif", "image/webp": "webp"}
#: The images of the last posts, by id: a fan-out to many channels reads the bytes once.
#: An id is the SHA-256 of its bytes, so what is cached never goes stale.
_recent: dict[str, tuple[str, bytes]] = {}
_RECENT_MAX = 2


async def with_photo(
    commands: Commands | None, post: Post, args: dict[str, Any], *, edit: bool = False
) -> dict[str, Any]:
    """``args`` of ``send``/``edit`` with the post's photo uploaded and shown as the embed's
    image (a channel that refuses embeds gets it as the attachment alone)."""
    image_id = post.extra.get("photo_image")
    if not image_id or commands is None:
        return args
    found = _recent.get(str(image_id))
    if found is None:
        image = await commands.release_image(str(image_id))
        if image is None:
            log.warning("discord: release photo %s is not kept any more", image_id)
            return args
        while len(_recent) >= _RECENT_MAX:
            del _recent[next(iter(_recent))]
        found = _recent[image.id] = (image.content_type, image.data)
    content_type, data = found
    name = f"photo.{_EXTENSIONS.get(content_type, 'jpg')}"
    upload = discord.File(io.BytesIO(data), filename=name)
    embed = args.get("embed")
    if isinstance(embed, discord.Embed):
        embed.set_image(url=f"attachment://{name}")
    if edit:
        return {**args, "attachments": [upload]}
    return {**args, "file": upload}
