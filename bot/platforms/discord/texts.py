"""The Discord adapter's own words (roles, permissions, buttons), in Swedish and English."""

from __future__ import annotations

ROLE_TEXTS = {
    "sv": {
        "added": "Klart! Du har nu rollen {role} och pingas inför passen. "
        "/unsubscribe tar bort rollen.",
        "removed": "Klart! Rollen {role} är borttagen, du pingas inte längre.",
        "forbidden": "Jag får inte dela ut rollen {role}. Be en admin ge mig behörigheten "
        "Hantera roller och lägga min roll ovanför {role}.",
        "failed": "Det gick inte att ändra rollen just nu, försök igen om en stund.",
    },
    "en": {
        "added": "Done! You now have the {role} role and get pinged before sessions. "
        "/unsubscribe removes it.",
        "removed": "Done! The {role} role is removed, you will not be pinged any more.",
        "forbidden": "I may not hand out the {role} role. Ask an admin to give me the "
        "Manage Roles permission and put my role above {role}.",
        "failed": "Could not change the role right now, please try again in a while.",
    },
}
NO_PERMISSION = {
    "sv": "Jag kan inte skriva i {channel} – ge mig behörigheten Skicka meddelanden "
    "och kör /setup igen.",
    "en": "I cannot post in {channel} – give me the Send Messages permission and run /setup again.",
}
LABELS = {
    "sv": {"publish": "Publicera", "cancel": "Avbryt"},
    "en": {"publish": "Publish", "cancel": "Cancel"},
}


def lang(language: str) -> str:
    """Swedish unless English was asked for: the fans are mostly Swedish."""
    return "en" if language == "en" else "sv"
