"""Labels only the Telegram adapter shows: confirm buttons and the /settings presets.

Everything a fan reads as a sentence lives in ``bot.core.texts``; these are button faces.
"""

from __future__ import annotations

LABELS = {
    "sv": {"publish": "✅ Publicera", "cancel": "✖️ Avbryt", "all": "Alla", "filler": "⋯"},
    "en": {"publish": "✅ Publish", "cancel": "✖️ Cancel", "all": "All", "filler": "⋯"},
}
LEAD_PRESETS = ("60+15", "30", "15", "5")
KIND_PRESETS = (
    ("race", {"sv": "Race", "en": "Races"}),
    ("race+qualifying", {"sv": "Race+kval", "en": "Races+quali"}),
    ("race+qualifying+practice+other", {"sv": "Alla pass", "en": "All sessions"}),
)
ZONE_PRESETS = ("Europe/Stockholm", "Europe/London", "Asia/Seoul", "America/New_York")


def labels(language: str) -> dict[str, str]:
    """The button labels in ``language`` (Swedish unless English)."""
    return LABELS["en" if language == "en" else "sv"]
