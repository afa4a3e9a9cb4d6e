"""Small images for release photo tests: real first bytes (the bot and the fakes check
them), different contents so a test can tell whose bytes a fan got."""

from __future__ import annotations

#: A JPEG (SOI, APP0 JFIF) as Telegram gives staff's photos.
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"jarama" * 40
#: A PNG (signature, IHDR) as staff may attach on Discord.
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"estoril" * 40
