"""Errors that carry an answer for a person: what is wrong and how to fix it.

Everything a user or an operator can get wrong raises one of these; adapters and the
CLI show ``str(error)`` and never a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.core.texts.catalogue import AuthoringPhrases


class UserError(Exception):
    """Bad input from a chat user or staff member; ``hint`` tells them how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


@dataclass(frozen=True, slots=True)
class Said:
    """A sentence by name: which field of the reader's ``AuthoringPhrases`` and its fields.

    Field values may be ``Said`` themselves (rendered in the same language) or ``Day``
    (a date written the language's way); anything else is put in with ``str``.
    """

    pick: Callable[[AuthoringPhrases], str]
    fields: Mapping[str, object] = field(default_factory=dict)

    def say(self, language: str) -> str:
        from bot.core.texts.authoring import say  # the catalogues import the model

        return say(self, language)


@dataclass(frozen=True, slots=True)
class Day:
    """A date inside a sentence, written by a Babel pattern in the reader's language."""

    day: date
    pattern: str = "d MMMM y"


class ScheduleError(Exception):
    """One problem in a schedule file, located by file and (where known) line.

    ``message``/``hint`` are plain text (English, for logs and the operator's files), or
    ``Said`` rendered in the reader's language by ``render``; ``quoted`` is the line as
    written, which the message is about.
    """

    def __init__(
        self,
        file: str,
        line: int | None,
        message: str | Said,
        hint: str | Said | None = None,
        quoted: str | None = None,
    ) -> None:
        self.file = file
        self.line = line
        self.said = message
        self.said_hint = hint
        self.quoted = quoted
        super().__init__(self.message)

    @property
    def structured(self) -> bool:
        return isinstance(self.said, Said)

    def reason(self, language: str) -> str:
        """The message alone (without the quoted line) in ``language``."""
        return self.said if isinstance(self.said, str) else self.said.say(language)

    def advice(self, language: str) -> str | None:
        hint = self.said_hint
        return hint if hint is None or isinstance(hint, str) else hint.say(language)

    def text(self, language: str) -> str:
        """The quoted line and the message: "'14h30 FP1': the time cannot be read"."""
        reason = self.reason(language)
        if self.quoted is None:
            return reason
        if not self.structured:
            return f"'{self.quoted}': {reason}"
        from bot.core.texts import texts

        return texts(language).authoring.quoted.format(text=self.quoted, reason=reason)

    @property
    def message(self) -> str:
        return self.text("en")

    @property
    def hint(self) -> str | None:
        return self.advice("en")

    def render(self, language: str) -> str:
        """file:line, the message and the hint, in ``language`` (the CLI's, the draft's)."""
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.text(language)}"
        hint = self.advice(language)
        if hint is None:
            return text
        if not self.structured:
            return f"{text}\n  hint: {hint}"
        from bot.core.texts import texts

        return f"{text}\n  {texts(language).authoring.hint_label}: {hint}"

    def __str__(self) -> str:
        return self.render("en")


class ScheduleErrors(Exception):
    """All problems found in one load, so an editor can fix them in one go."""

    def __init__(self, errors: list[ScheduleError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors

    def render(self, language: str) -> str:
        return "\n".join(e.render(language) for e in self.errors)


class ConfigError(Exception):
    """A configuration problem; the message names the key and the file."""


class PlatformError(Exception):
    """A chat platform could not start (refused token, unreachable API): say which and why."""

    def __init__(self, message: str, hint: str) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n  hint: {self.hint}"


class PlatformUnreachable(PlatformError):
    """The platform did not answer (network, DNS, its outage): worth trying again later,
    unlike a refused token."""


class StartupError(PlatformError):
    """Something the bot needs to start (its database, its web port) is not there."""


def brief(exc: BaseException) -> str:
    """One line for the log: the error's type and first line, no traceback."""
    text = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {text[0][:200]}" if text else type(exc).__name__
