"""Discord (discord.py 2.x): slash commands into the shared core, posts as embeds.

One module per concern: ``adapter`` (lifecycle, sending, guild events), ``slash``
(command tree and localizations), ``render`` (posts as embeds and buttons), ``events``
(native scheduled events), ``errors`` (library failures as delivery outcomes).
"""

from bot.platforms.discord.adapter import DiscordAdapter
from bot.platforms.discord.render import render_embed, render_lines

__all__ = ["DiscordAdapter", "render_embed", "render_lines"]
