"""A press release's photo with a post: sendPhoto with the post as its caption where it
fits (1024 characters), else the photo alone and the post as text after it; a photo
Telegram refuses (an old file id, a Discord URL that expired) gives the text alone, so the
text is never lost. A revision edits the caption (``editMessageCaption``) and the text
messages after it.
"""

from __future__ import annotations

import html
import logging
from typing import TYPE_CHECKING

from telegram import InlineKeyboardMarkup
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.core.markup import Post
from bot.platforms.telegram.errors import not_modified
from bot.platforms.telegram.keyboards import link_keyboard
from bot.platforms.telegram.render import utf16_len

if TYPE_CHECKING:
    from telegram.ext import ExtBot

log = logging.getLogger(__name__)

#: Telegram's limit on a photo's caption (visible characters).
MAX_CAPTION = 1024
#: Words of the Bot API's refusals of a photo itself ("wrong file identifier/HTTP URL
#: specified", "failed to get HTTP URL content", "IMAGE_PROCESS_FAILED", …).
_PHOTO_REFUSED = ("photo", "file", "url", "image", "web page content")


def fits(part: str) -> bool:
    """Whether an HTML part is short enough to be a caption."""
    return utf16_len(html.unescape(part)) <= MAX_CAPTION


def _markup(post: Post, parts: list[str]) -> InlineKeyboardMarkup | None:
    """The link buttons go under the last message: the photo when it carries all the text."""
    return link_keyboard(post) if len(parts) == 1 and fits(parts[0]) else None


async def send_photo(
    bot: ExtBot[None],
    chat_id: int | str,
    post: Post,
    parts: list[str],
    thread: int | None,
    paid: bool | None = None,
) -> tuple[list[str], list[str]]:
    """Send the post's photo: (its message id, or none; the parts still to send as text).
    ``paid``: ``allow_paid_broadcast``, as on every send while paid broadcasts are on."""
    photo = post.extra.get("telegram_photo")
    if not photo:
        return [], parts
    caption = parts[0] if parts and fits(parts[0]) else None
    try:
        message = await bot.send_photo(
            chat_id,
            photo,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(post, parts),
            message_thread_id=thread,
            disable_notification=post.silent or None,
            allow_paid_broadcast=paid,
        )
    except BadRequest as exc:  # the photo, not the chat: the text goes out without it
        if not any(word in exc.message.lower() for word in _PHOTO_REFUSED):
            raise
        log.warning("telegram: the release photo was refused (%s); sending the text", exc)
        return [], parts
    return [str(message.message_id)], parts[1:] if caption else parts


async def edit_caption(
    bot: ExtBot[None], chat_id: int | str, message_ids: list[str], post: Post, parts: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """Edit the photo's caption of a revised post: (the photo's id, the message ids and the
    parts still to edit as text). A post sent as text alone (its photo refused) is all text."""
    if not post.extra.get("telegram_photo") or not message_ids:
        return [], message_ids, parts
    caption = parts[0] if parts and fits(parts[0]) else ""
    try:
        await bot.edit_message_caption(
            chat_id=chat_id,
            message_id=int(message_ids[0]),
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(post, parts),
        )
    except BadRequest as exc:
        if not not_modified(exc):
            if "caption" not in exc.message.lower():
                raise
            return [], message_ids, parts  # no photo there: the text was sent alone
    return message_ids[:1], message_ids[1:], parts[1:] if caption else parts
