"""Errors that carry an answer for a person: what is wrong and how to fix it.

Everything a user or an operator can get wrong raises one of these; adapters and the
CLI show ``str(error)`` and never a traceback.
"""

from __future__ import annotations


class UserError(Exception):
    """Bad input from a chat user or staff member; ``hint`` tells them how to fix it."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}\n{self.hint}" if self.hint else self.message


class ScheduleError(Exception):
    """One problem in a schedule file, located by file and (where known) line."""

    def __init__(self, file: str, line: int | None, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.file = file
        self.line = line
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        text = f"{where}: {self.message}"
        return f"{text}\n  hint: {self.hint}" if self.hint else text


class ScheduleErrors(Exception):
    """All problems found in one load, so an editor can fix them in one go."""

    def __init__(self, errors: list[ScheduleError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


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
