"""A press release's photo with a post: sendPhoto with the post as its caption where it
fits (1024 characters), else the photo alone and the post as text after it; a photo
Telegram refuses gives the text alone, so the text is never lost. A revision edits the
caption (``editMessageCaption``) and the text messages after it.

The photo's bytes are kept in the database since staff sent it (``release_images``): the
first chat of a notification gets them uploaded (multipart), and Telegram's file id of that
upload is stored, so every later chat (in this process or the next) sends the id instead.
One upload at a time per image: the chats the fan-out sends at once wait for the first.
Photos kept before the bytes were (a file id, a Discord URL) are sent as they are.
"""

from __future__ import annotations

import asyncio
import html
import logging
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from telegram import InlineKeyboardMarkup, InputFile, Message
from telegram.constants import ParseMode
from telegram.error import BadRequest

from bot.core.markup import Post
from bot.platforms.telegram.errors import not_modified
from bot.platforms.telegram.keyboards import link_keyboard
from bot.platforms.telegram.render import utf16_len

if TYPE_CHECKING:
    from telegram.ext import ExtBot

    from bot.service.commands import Commands

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


#: One upload at a time per (service, image): the others wait, then send its file id.
_uploading: WeakKeyDictionary[Commands, dict[str, asyncio.Lock]] = WeakKeyDictionary()


def has_photo(post: Post) -> bool:
    return bool(post.extra.get("photo_image") or post.extra.get("telegram_photo"))


async def send_photo(
    bot: ExtBot[None],
    chat_id: int | str,
    post: Post,
    parts: list[str],
    thread: int | None,
    paid: bool | None = None,
    commands: Commands | None = None,
) -> tuple[list[str], list[str]]:
    """Send the post's photo: (its message id, or none; the parts still to send as text).
    ``paid``: ``allow_paid_broadcast``, as on every send while paid broadcasts are on;
    ``commands``: where the kept bytes and the file id of their upload are."""
    if not has_photo(post):
        return [], parts
    caption = parts[0] if parts and fits(parts[0]) else None

    async def send(photo: str | InputFile) -> Message:
        return await bot.send_photo(
            chat_id,
            photo,
            caption=caption,
            parse_mode=ParseMode.HTML,
            reply_markup=_markup(post, parts),
            message_thread_id=thread,
            disable_notification=post.silent or None,
            allow_paid_broadcast=paid,
        )

    try:
        message = await _send_kept(post, commands, send)
    except BadRequest as exc:  # the photo, not the chat: the text goes out without it
        if not _refused(exc):
            raise
        log.warning("telegram: the release photo was refused (%s); sending the text", exc)
        return [], parts
    if message is None:
        return [], parts
    return [str(message.message_id)], parts[1:] if caption else parts


def _refused(exc: BadRequest) -> bool:
    return any(word in exc.message.lower() for word in _PHOTO_REFUSED)


async def _send_kept(post: Post, commands: Commands | None, send: Any) -> Message | None:
    """The photo as its kept bytes (uploaded once, then by the upload's file id), or as
    the older file id or URL; None when its bytes are not kept any more."""
    image_id = str(post.extra.get("photo_image") or "")
    if not image_id:
        sent: Message = await send(str(post.extra["telegram_photo"]))
        return sent
    if commands is None:
        return None
    file_id = await commands.telegram_file(image_id)
    if file_id is not None:
        try:
            sent = await send(file_id)
            return sent
        except BadRequest as exc:  # Telegram forgot the upload: upload the bytes again
            if not _refused(exc):
                raise
            await commands.uploaded_to_telegram(image_id, None)
    locks = _uploading.setdefault(commands, {})
    async with locks.setdefault(image_id, asyncio.Lock()):
        file_id = await commands.telegram_file(image_id)  # another chat uploaded it meanwhile
        if file_id is not None:
            sent = await send(file_id)
            return sent
        image = await commands.release_image(image_id)
        if image is None:
            log.warning("telegram: release photo %s is not kept any more", image_id)
            return None
        sent = await send(InputFile(image.data, filename="photo.jpg"))
        if sent.photo:  # the largest size Telegram made of it, for the next chats
            await commands.uploaded_to_telegram(image_id, sent.photo[-1].file_id)
        return sent


async def edit_caption(
    bot: ExtBot[None], chat_id: int | str, message_ids: list[str], post: Post, parts: list[str]
) -> tuple[list[str], list[str], list[str]]:
    """Edit the photo's caption of a revised post: (the photo's id, the message ids and the
    parts still to edit as text). A post sent as text alone (its photo refused) is all text."""
    if not has_photo(post) or not message_ids:
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
