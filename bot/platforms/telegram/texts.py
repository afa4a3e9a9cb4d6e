"""The /settings presets the Telegram keyboard offers; their faces are in ``bot.core.texts``
(``Texts.telegram``), like every other word the bot shows.
"""

from __future__ import annotations

LEAD_PRESETS = ("60+15", "30", "15", "5")
KIND_PRESETS = ("race", "race+qualifying", "race+qualifying+practice+other")
ZONE_PRESETS = ("Europe/Stockholm", "Europe/London", "Asia/Seoul", "America/New_York")
