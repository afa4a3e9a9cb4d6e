"""Authoring: turning what staff write (press releases) into schedule files.

Kept apart from bot/core so the runtime never depends on press-release parsing; this
package may import bot/core, never the reverse.
"""
