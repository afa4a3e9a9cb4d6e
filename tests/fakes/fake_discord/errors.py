"""Discord's error bodies: a JSON error with a code, and the nested form-error tree (50035)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

JSON = dict[str, Any]


class ApiError(Exception):
    """An error response, raised from deep inside a handler."""

    def __init__(
        self, status: int, body: JSON | str, *, headers: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {body}")
        self.status = status
        self.body = body
        self.headers = dict(headers or {})


def error(status: int, code: int, message: str) -> ApiError:
    return ApiError(status, {"message": message, "code": code})


def missing_permissions() -> ApiError:
    return error(403, 50013, "Missing Permissions")


def missing_access() -> ApiError:
    return error(403, 50001, "Missing Access")


def unknown(kind: str, code: int) -> ApiError:
    return error(404, code, f"Unknown {kind}")


class FormErrors:
    """Collects field errors in Discord's nested ``errors`` shape (code 50035)."""

    def __init__(self) -> None:
        self.tree: JSON = {}

    def add(self, path: Iterable[str | int], code: str, message: str) -> None:
        node = self.tree
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def check_length(
        self, path: tuple[str | int, ...], value: Any, maximum: int, minimum: int = 0
    ) -> int:
        if value is None:
            return 0
        if not isinstance(value, str):
            self.add(path, "BASE_TYPE_STRING", "Must be a string.")
            return 0
        if len(value) > maximum or len(value) < minimum:
            if minimum:
                message = f"Must be between {minimum} and {maximum} in length."
                self.add(path, "BASE_TYPE_BAD_LENGTH", message)
            else:
                self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {maximum} or fewer in length.")
        return len(value)

    def raise_if_any(self) -> None:
        if self.tree:
            raise ApiError(
                400, {"message": "Invalid Form Body", "code": 50035, "errors": self.tree}
            )
