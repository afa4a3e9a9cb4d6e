"""Find the line of a value in a TOML file from its path (('events', 0, 'start')).

tomllib returns plain data without positions; schedule errors must still point at a line,
so this walks the text's table headers the same way TOML builds arrays of tables.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\s\"]+?)\s*\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"]+)\s*=")

Path = tuple[str | int, ...]


class TomlLocator:
    def __init__(self, text: str) -> None:
        self._tables: list[tuple[Path, int]] = [((), 1)]
        self._lines = text.splitlines()
        counts: dict[Path, int] = {}
        for number, line in enumerate(self._lines, start=1):
            match = _HEADER.match(line)
            if not match:
                continue
            is_array = match[1] == "[["
            segments = [seg.strip().strip('"') for seg in match[2].split(".")]
            path: Path = ()
            for i, seg in enumerate(segments):
                path = (*path, seg)
                last = i == len(segments) - 1
                if last and is_array:
                    index = counts.get(path, 0)
                    counts[path] = index + 1
                    path = (*path, index)
                elif not last and counts.get(path):
                    path = (*path, counts[path] - 1)
            self._tables.append((path, number))

    def line(self, loc: Sequence[str | int]) -> int | None:
        """Best line for ``loc``: the key's own line, else its table's header line."""
        loc = tuple(loc)
        best: tuple[Path, int] | None = None
        span_end: int | None = None
        for index, (path, start) in enumerate(self._tables):
            if loc[: len(path)] == path and (best is None or len(path) >= len(best[0])):
                end = self._tables[index + 1][1] if index + 1 < len(self._tables) else None
                best = (path, start)
                span_end = end
        if best is None:
            return None
        path, start = best
        rest = loc[len(path) :]
        key = next((part for part in rest if isinstance(part, str)), None)
        if key is None:
            return start if path else None
        first = start if path else 1
        stop = span_end - 1 if span_end else len(self._lines)
        for number in range(first, stop + 1):
            match = _KEY.match(self._lines[number - 1])
            if match and match[1].strip('"') == key:
                return number
        return start if path else None
