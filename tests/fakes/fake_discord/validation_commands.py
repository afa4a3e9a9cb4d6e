"""Application command rules true to Discord's documentation (names, sizes, options).

Why: Discord refuses a whole ``PUT .../commands`` over one bad option name; the fake
refuses it the same way, with the same nested error tree.
"""

from __future__ import annotations

import re
from typing import Any

from tests.fakes.fake_discord.errors import FormErrors

JSON = dict[str, Any]

LOCALES = frozenset(
    (
        *("id", "da", "de", "en-GB", "en-US", "es-ES", "es-419", "fr", "hr", "it", "lt", "hu"),
        *("nl", "no", "pl", "pt-BR", "ro", "fi", "sv-SE", "vi", "tr", "cs", "el", "bg", "ru"),
        *("uk", "hi", "th", "zh-CN", "ja", "zh-TW", "ko"),
    )
)
COMMAND_NAME = re.compile(r"^[-_'\w\u0900-\u097F\u0E00-\u0E7F]{1,32}$")


def validate_commands(body: list[Any]) -> None:
    """Enforce the application command rules that bite bots in practice."""
    errors = FormErrors()
    seen: set[tuple[int, str]] = set()
    chat_inputs = 0
    for i, command in enumerate(body):
        if not isinstance(command, dict):
            errors.add((i,), "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType")
            continue
        type_ = int(command.get("type", 1))
        name = command.get("name")
        if not isinstance(name, str):
            errors.add((i, "name"), "BASE_TYPE_REQUIRED", "This field is required")
            continue
        if (type_, name) in seen:
            errors.add(
                (i, "name"),
                "APPLICATION_COMMANDS_DUPLICATE_NAME",
                "Application command names must be unique",
            )
        seen.add((type_, name))
        if type_ == 1:
            chat_inputs += 1
            validate_name(errors, (i, "name"), name)
            errors.check_length((i, "description"), command.get("description"), 100, 1)
        else:
            errors.check_length((i, "name"), name, 32, 1)
            if command.get("description"):
                errors.add(
                    (i, "description"),
                    "BASE_TYPE_MAX_LENGTH",
                    "Context menu commands cannot have a description.",
                )
        validate_localizations(errors, (i,), command, type_ == 1)
        total = len(name) + len(command.get("description") or "")
        total += validate_options(errors, (i, "options"), command.get("options") or [], depth=0)
        if total > 4000:
            errors.add((i,), "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")
    if chat_inputs > 100:
        errors.add((), "BASE_TYPE_MAX_LENGTH", "Must be 100 or fewer in length.")
    errors.raise_if_any()


def validate_name(errors: FormErrors, path: tuple[str | int, ...], name: str) -> None:
    """Documented: the naming regex, 1-32 characters, lowercase wherever a case exists."""
    if not COMMAND_NAME.match(name) or name != name.lower():
        errors.add(path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid")


def validate_localizations(
    errors: FormErrors,
    path: tuple[str | int, ...],
    item: JSON,
    strict_name: bool,
    *,
    description_max: int | None = 100,
) -> None:
    """Keys must be Discord locales; values follow the rules of the field they localize.

    ``strict_name`` is the chat-input naming rule; context menu names only need 1-32
    characters.  Choices have no description (``description_max=None``) and 100-character
    names.
    """
    for key in ("name_localizations", "description_localizations"):
        values = item.get(key) or {}
        if not isinstance(values, dict):
            errors.add((*path, key), "DICT_TYPE_CONVERT", "Only dictionaries may be used here")
            continue
        for locale, text in values.items():
            where = (*path, key, locale)
            if locale not in LOCALES:
                errors.add(
                    where, "ENUM_TYPE_COERCE", f'Value "{locale}" is not a valid enum value.'
                )
            elif not isinstance(text, str):
                errors.add(where, "BASE_TYPE_STRING", "Must be a string.")
            elif key == "name_localizations" and description_max is None:
                errors.check_length(where, text, 100, 1)
            elif key == "name_localizations" and strict_name:
                validate_name(errors, where, text)
            elif key == "name_localizations":
                errors.check_length(where, text, 32, 1)
            elif description_max is not None:
                errors.check_length(where, text, description_max, 1)


def validate_localized_option_names(
    errors: FormErrors, path: tuple[str | int, ...], options: list[Any]
) -> None:
    """Documented: a localized option name must differ from the other options' default
    names and from their names in the same locale (checked among sibling options)."""
    localized = [
        o.get("name_localizations") if isinstance(o.get("name_localizations"), dict) else {}
        for o in options
    ]
    for j, names in enumerate(localized):
        for locale, text in names.items():
            taken = {str(o.get("name", "")) for k, o in enumerate(options) if k != j}
            taken |= {n[locale] for k, n in enumerate(localized) if k != j and locale in n}
            if text in taken:
                errors.add(
                    (*path, j, "name_localizations", locale),
                    "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                    "Option names must be unique",
                )


def validate_options(
    errors: FormErrors, path: tuple[str | int, ...], options: list[Any], depth: int
) -> int:
    if len(options) > 25:
        errors.add(path, "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    total = 0
    names: set[str] = set()
    seen_optional = False
    validate_localized_option_names(errors, path, options)
    for j, option in enumerate(options):
        where = (*path, j)
        type_ = option.get("type")
        name = str(option.get("name", ""))
        validate_name(errors, (*where, "name"), name)
        errors.check_length((*where, "description"), option.get("description"), 100, 1)
        validate_localizations(errors, where, option, True)
        if name in names:
            errors.add(
                (*where, "name"),
                "APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS",
                "Option names must be unique",
            )
        names.add(name)
        total += len(name) + len(option.get("description") or "")
        if type_ not in range(1, 12):
            errors.add(
                (*where, "type"), "ENUM_TYPE_COERCE", f'Value "{type_}" is not a valid enum value.'
            )
        if type_ in (1, 2):
            if depth >= (1 if type_ == 2 else 2):
                errors.add(
                    (*where, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Sub-command nesting too deep",
                )
            if type_ == 2 and any(o.get("type") != 1 for o in option.get("options") or []):
                errors.add(
                    (*where, "options"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Groups may only contain sub-commands",
                )
            total += validate_options(
                errors, (*where, "options"), option.get("options") or [], depth + 1
            )
            continue
        if option.get("required"):
            if seen_optional:
                errors.add(
                    (*where, "required"),
                    "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                    "Required options must be placed before non-required options",
                )
        else:
            seen_optional = True
        choices = option.get("choices") or []
        if choices and option.get("autocomplete"):
            errors.add(
                (*where, "autocomplete"),
                "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_CHOICES",
                "Autocomplete cannot be used with choices",
            )
        if len(choices) > 25:
            errors.add(
                (*where, "choices"), "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length."
            )
        for k, choice in enumerate(choices):
            errors.check_length((*where, "choices", k, "name"), choice.get("name"), 100, 1)
            if isinstance(choice.get("value"), str):
                errors.check_length((*where, "choices", k, "value"), choice["value"], 100)
            total += len(str(choice.get("name", ""))) + len(str(choice.get("value", "")))
            validate_localizations(
                errors, (*where, "choices", k), choice, False, description_max=None
            )
    return total
