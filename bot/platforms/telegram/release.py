"""A press release sent to the bot in a private chat: as a .txt/.docx document (with or
without the caption /release), or pasted in messages between /release and /done.

The document is fetched with getFile and downloaded from the Bot API's file URL, which
follows ``[telegram] base_url`` (``…/file/bot<token>/<path>``, as a local Bot API server
serves them too).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from telegram import Chat, Document, Message, PhotoSize, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.texts import texts
from bot.service.release import MAX_PHOTO
from bot.service.types import Caller, text_reply

if TYPE_CHECKING:
    from bot.platforms.telegram.handlers import Handlers

log = logging.getLogger(__name__)

#: The Bot API lets bots download files up to 20 MB.
MAX_DOWNLOAD = 20 * 1024 * 1024


class ReleaseHandlers:
    """The release's way in: documents and pasted text in a staff member's private chat."""

    def __init__(self, handlers: Handlers) -> None:
        self.handlers = handlers

    async def on_document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or message.document is None:
            return
        if chat.type != Chat.PRIVATE:
            return
        handlers = self.handlers
        commands = handlers._commands()
        caller = await handlers.caller(chat, update.effective_user, message)
        document = message.document
        if (document.mime_type or "").startswith("image/"):  # a photo sent as a file
            await self._keep_photo(chat.id, caller, document, document.mime_type)
            return
        name = document.file_name or "release"
        data = b""
        if caller.is_staff:  # nobody else's file is fetched; the service refuses them
            try:
                if (document.file_size or 0) > MAX_DOWNLOAD:
                    raise TelegramError("file is too big")
                file = await document.get_file()
                data = bytes(await file.download_as_bytearray())
            except TelegramError as exc:
                log.warning("telegram: could not download %s: %s", name, exc)
                reply = text_reply(texts(caller.language).failed, caller.language, private=True)
                await handlers.show(chat.id, reply, caller)
                return
        reply = await commands.release_file(caller, name, data)
        await handlers.show(chat.id, reply, caller)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A plain message: one more part of a release being pasted, else nothing."""
        found = await self._private(update)
        if found is None or not found[0].text:
            return
        message, caller = found
        reply = await self.handlers._commands().release_message(caller, message.text or "")
        if reply is not None:
            await self.handlers.show(message.chat.id, reply, caller)

    async def _private(self, update: Update) -> tuple[Message, Caller] | None:
        """The message of a private chat and who sent it; None for anything else."""
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or chat.type != Chat.PRIVATE:
            return None
        return message, await self.handlers.caller(chat, update.effective_user, message)

    async def on_photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A photo sent with the release (or right after it): it goes with the preview. Its
        bytes are downloaded now (getFile, then the file URL) and kept by the service, so
        Discord can show it too and no Telegram link (it carries the token) is kept."""
        found = await self._private(update)
        if found is None or not found[0].photo:
            return
        message, caller = found
        largest = message.photo[-1]  # Telegram lists the sizes smallest first
        await self._keep_photo(message.chat.id, caller, largest, "image/jpeg")

    async def _keep_photo(
        self, chat_id: int, caller: Caller, file: PhotoSize | Document, content_type: str | None
    ) -> None:
        """Download the photo's bytes (not when it is larger than the service keeps, nor a
        fan's) and hand them to the service, which keeps them or says why not."""
        commands = self.handlers._commands()
        if not caller.is_staff or (file.file_size or 0) > MAX_PHOTO:  # refused unread
            reply = await commands.release_photo(caller, b"", content_type, file.file_size)
        else:
            try:
                data = bytes(await (await file.get_file()).download_as_bytearray())
            except TelegramError as exc:
                log.warning("telegram: could not download the release photo: %s", exc)
                reply = text_reply(texts(caller.language).failed, caller.language, private=True)
            else:
                reply = await commands.release_photo(caller, data, content_type)
        await self.handlers.show(chat_id, reply, caller)
