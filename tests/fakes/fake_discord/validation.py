"""Payload checks true to Discord's documentation: messages and scheduled events.

Why: a limit the fake does not enforce is a limit the bot can break unnoticed until it
meets the real Discord.  Application commands are checked in ``validation_commands``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from tests.fakes.fake_discord.errors import FormErrors, error
from tests.fakes.fake_discord.model import Guild

JSON = dict[str, Any]


def validate_message(payload: JSON, *, has_files: bool, partial: bool) -> None:
    """Discord's documented message limits: content, embeds, components, mentions."""
    errors = FormErrors()
    errors.check_length(("content",), payload.get("content"), 2000)
    embeds = payload.get("embeds")
    if embeds is not None:
        if not isinstance(embeds, list):
            errors.add(("embeds",), "BASE_TYPE_ARRAY", "Must be an array.")
            embeds = []
        if len(embeds) > 10:
            errors.add(("embeds",), "BASE_TYPE_MAX_LENGTH", "Must be 10 or fewer in length.")
        total = 0
        for i, embed in enumerate(embeds):
            base: tuple[str | int, ...] = ("embeds", i)
            total += errors.check_length((*base, "title"), embed.get("title"), 256)
            total += errors.check_length((*base, "description"), embed.get("description"), 4096)
            footer = embed.get("footer") or {}
            total += errors.check_length((*base, "footer", "text"), footer.get("text"), 2048)
            image = embed.get("image") or {}
            if image and not re.match(r"(?:https?|attachment)://\S+$", str(image.get("url"))):
                errors.add(
                    (*base, "image", "url"), "URL_TYPE_INVALID_URL", "Not a well formed URL."
                )
            author = embed.get("author") or {}
            total += errors.check_length((*base, "author", "name"), author.get("name"), 256)
            fields = embed.get("fields") or []
            if len(fields) > 25:
                errors.add(
                    (*base, "fields"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
                )
            for j, fld in enumerate(fields):
                for key, maximum in (("name", 256), ("value", 1024)):
                    if not fld.get(key):
                        errors.add(
                            (*base, "fields", j, key),
                            "BASE_TYPE_REQUIRED",
                            "This field is required",
                        )
                    else:
                        total += errors.check_length((*base, "fields", j, key), fld[key], maximum)
        if total > 6000:
            errors.add(
                ("embeds",),
                "MAX_EMBED_SIZE_EXCEEDED",
                "Embed size exceeds maximum size of 6000",
            )
    components = payload.get("components")
    if components and not int(payload.get("flags") or 0) & (1 << 15):
        if len(components) > 5:
            errors.add(("components",), "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
        for i, row in enumerate(components):
            children = row.get("components") or []
            if row.get("type") != 1:
                errors.add(
                    ("components", i, "type"),
                    "UNION_TYPE_CHOICES",
                    'Value of field "type" must be one of (1,).',
                )
            if len(children) > 5:
                errors.add(
                    ("components", i, "components"),
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 5 or fewer in length.",
                )
            for j, child in enumerate(children):
                where = ("components", i, "components", j)
                errors.check_length((*where, "custom_id"), child.get("custom_id"), 100)
                errors.check_length((*where, "label"), child.get("label"), 80)
                if (
                    child.get("type") == 2
                    and child.get("style") != 5
                    and child.get("style") != 6
                    and not child.get("custom_id")
                ):
                    errors.add(
                        (*where, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required"
                    )
    allowed = payload.get("allowed_mentions")
    if isinstance(allowed, dict):
        parse = allowed.get("parse") or []
        for kind in ("roles", "users"):
            if kind in parse and allowed.get(kind):
                errors.add(
                    ("allowed_mentions",),
                    "MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE",
                    f'parse:["{kind}"] and {kind}: [ids] are mutually exclusive.',
                )
            if len(allowed.get(kind) or []) > 100:
                errors.add(
                    ("allowed_mentions", kind),
                    "BASE_TYPE_MAX_LENGTH",
                    "Must be 100 or fewer in length.",
                )
    errors.raise_if_any()
    if not partial and not (
        payload.get("content")
        or payload.get("embeds")
        or has_files
        or payload.get("components")
        or payload.get("sticker_ids")
        or payload.get("poll")
    ):
        raise error(400, 50006, "Cannot send an empty message")


#: The flags a bot may set when it creates a message in a channel (Discord's "Create
#: Message": SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, IS_VOICE_MESSAGE, IS_COMPONENTS_V2).
CREATE_FLAGS = (1 << 2) | (1 << 12) | (1 << 13) | (1 << 15)
SUPPRESS_NOTIFICATIONS = 1 << 12


def validate_create_flags(payload: JSON) -> None:
    """A channel message may carry only the flags Discord lets a bot set on create."""
    flags = payload.get("flags")
    if flags is None:
        return
    if not isinstance(flags, int) or isinstance(flags, bool) or flags & ~CREATE_FLAGS:
        errors = FormErrors()
        errors.add(("flags",), "MESSAGE_FLAGS_INVALID", "Invalid flags for a new message.")
        errors.raise_if_any()


def check_not_empty_after_edit(record: JSON) -> None:
    if not (
        record.get("content")
        or record.get("embeds")
        or record.get("attachments")
        or record.get("components")
        or record.get("sticker_ids")
        or record.get("poll")
        or int(record.get("flags") or 0) & 128
    ):
        raise error(400, 50006, "Cannot send an empty message")


def validate_event(
    guild: Guild,
    event: JSON,
    changed: set[str],
    errors: FormErrors,
    now: Callable[[], datetime],
) -> None:
    """A scheduled event as Discord checks it; only a changed start may not be past."""
    errors.check_length(("name",), event.get("name"), 100, 1)
    errors.check_length(("description",), event.get("description"), 1000)
    if event.get("privacy_level") != 2:
        errors.add(
            ("privacy_level",),
            "ENUM_TYPE_COERCE",
            f'Value "{event.get("privacy_level")}" is not a valid enum value.',
        )
    entity_type = event.get("entity_type")
    start = parse_time(event.get("scheduled_start_time"))
    end = parse_time(event.get("scheduled_end_time"))
    if start is None:
        errors.add(("scheduled_start_time",), "BASE_TYPE_REQUIRED", "This field is required")
    elif "scheduled_start_time" in changed and start < now():
        errors.add(
            ("scheduled_start_time",),
            "GUILD_SCHEDULED_EVENT_SCHEDULE_PAST",
            "Cannot schedule event in the past.",
        )
    if start is not None and end is not None and end <= start:
        errors.add(
            ("scheduled_end_time",),
            "GUILD_SCHEDULED_EVENT_END_BEFORE_START",
            "Cannot schedule event to end before starting.",
        )
    if entity_type == 3:
        location = (event.get("entity_metadata") or {}).get("location")
        if not location:
            errors.add(
                ("entity_metadata", "location"), "BASE_TYPE_REQUIRED", "This field is required"
            )
        else:
            errors.check_length(("entity_metadata", "location"), location, 100, 1)
        if end is None:
            errors.add(("scheduled_end_time",), "BASE_TYPE_REQUIRED", "This field is required")
        if event.get("channel_id") is not None:
            errors.add(("channel_id",), "BASE_TYPE_CHOICES", "Must be null for external events.")
    elif entity_type in (1, 2):
        channel = guild.channels.get(int(event.get("channel_id") or 0))
        if channel is None or channel.type not in (2, 13):
            errors.add(
                ("channel_id",), "BASE_TYPE_REQUIRED", "A voice or stage channel is required"
            )
    else:
        errors.add(
            ("entity_type",),
            "ENUM_TYPE_COERCE",
            f'Value "{entity_type}" is not a valid enum value.',
        )


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def validate_callback_type(interaction_type: int, callback_type: Any) -> None:
    """Each interaction type allows only some callback types (PONG, message, defer...)."""
    allowed = {1: {1}, 2: {4, 5, 9}, 3: {4, 5, 6, 7, 9}, 4: {8}, 5: {4, 5, 6, 7}}[interaction_type]
    if callback_type not in allowed:
        errors = FormErrors()
        errors.add(
            ("type",),
            "INTERACTION_CALLBACK_TYPE_INVALID",
            f"Callback type {callback_type} is invalid here.",
        )
        errors.raise_if_any()


def validate_choices(data: JSON) -> None:
    """Autocomplete results: at most 25 choices, names 1-100, string values up to 100."""
    choices = data.get("choices") or []
    errors = FormErrors()
    if len(choices) > 25:
        errors.add(("data", "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        errors.check_length(("data", "choices", i, "name"), choice.get("name"), 100, 1)
        if isinstance(choice.get("value"), str):
            errors.check_length(("data", "choices", i, "value"), choice["value"], 100)
    errors.raise_if_any()


def validate_modal(data: JSON) -> None:
    """A modal needs a custom_id (1-100), a title (1-45) and components."""
    errors = FormErrors()
    errors.check_length(("data", "custom_id"), data.get("custom_id"), 100, 1)
    errors.check_length(("data", "title"), data.get("title"), 45, 1)
    if not data.get("components"):
        errors.add(("data", "components"), "BASE_TYPE_REQUIRED", "This field is required")
    errors.raise_if_any()
