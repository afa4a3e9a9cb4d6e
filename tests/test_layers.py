"""The layering the design promises, checked on the source: who may import whom.

bot/core is pure domain (no outer layer, no chat, database or web library); adapters
reach the store and the engine only through the service; and no modules import each
other in a circle.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import typing
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"

CORE_MAY_NOT = (
    "bot.store",
    "bot.scheduler",
    "bot.delivery",
    "bot.web",
    "bot.platforms",
    "bot.app",
    "bot.service",
    "bot.cli",
    "bot.timers",
    "discord",
    "telegram",
    "sqlalchemy",
    "alembic",
    "aiohttp",
    "yarl",
    "apscheduler",
)
PLATFORMS_MAY_NOT = ("bot.store", "bot.scheduler", "bot.delivery", "bot.app")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST, *, top_level_only: bool) -> Iterator[str]:
    """Imported module names; top level only skips functions and TYPE_CHECKING blocks."""
    nodes: list[ast.AST] = [tree]
    while nodes:
        node = nodes.pop()
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                yield from (alias.name for alias in child.names)
            elif isinstance(child, ast.ImportFrom) and child.module and not child.level:
                yield child.module
                yield from (f"{child.module}.{alias.name}" for alias in child.names)
            elif top_level_only and (
                isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
                or (isinstance(child, ast.If) and _is_type_checking(child))
            ):
                continue
            else:
                nodes.append(child)


def _parse(path: Path) -> ast.Module:
    return ast.parse(path.read_text(encoding="utf-8"), str(path))


def _offending(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    found = []
    for path in _files(folder):
        for name in _imports(_parse(path), top_level_only=False):
            if any(name == f or name.startswith(f"{f}.") for f in forbidden):
                found.append(f"{path.relative_to(ROOT)}: {name}")
    return found


def test_core_imports_no_outer_layer_and_no_io_library() -> None:
    assert _offending(BOT / "core", CORE_MAY_NOT) == []


def test_platforms_reach_the_store_and_engine_only_through_the_service() -> None:
    assert _offending(BOT / "platforms", PLATFORMS_MAY_NOT) == []
    calls = []
    for path in _files(BOT / "platforms"):
        for node in ast.walk(_parse(path)):
            if isinstance(node, ast.Attribute) and node.attr in ("store", "engine"):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}: .{node.attr}")
    assert calls == []


def _graph() -> dict[str, set[str]]:
    modules = {_module(p): p for p in _files(BOT)}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(_parse(path), top_level_only=True) if m in modules}
        graph[name].discard(name)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt) :], nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_import_cycles() -> None:
    assert _cycle(_graph()) is None


def test_the_cycle_finder_finds_one() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("package", ["bot.service", "bot.core"])
def test_no_module_level_registry_filled_by_decorators(package: str) -> None:
    """Command groups are values the app registers, not tables filled at import."""
    folder = BOT.joinpath(*package.split(".")[1:])
    for path in _files(folder):
        tree = _parse(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                for decorator in node.decorator_list:
                    call = decorator.func if isinstance(decorator, ast.Call) else decorator
                    name = getattr(call, "id", getattr(call, "attr", ""))
                    assert name not in ("command", "completer", "publisher"), (
                        f"{path.relative_to(ROOT)}:{node.lineno}"
                    )


#: Where language codes may be compared: the catalogues themselves, and the authoring
#: tools that *detect* which language a press release is written in.
LANGUAGE_CHOICES_MAY_LIVE = ("bot/core/texts/", "bot/authoring/")
_CODE = re.compile(r"^[a-z]{2}(?:[_-][A-Z]{2})?$")


def _is_language(node: ast.expr) -> bool:
    name = node.id if isinstance(node, ast.Name) else getattr(node, "attr", "")
    return bool(re.search(r"lang|locale", name, re.IGNORECASE))


def _is_code(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(_CODE.match(node.value))
    )


def inline_language_choices(source: str) -> list[int]:
    """Lines that compare a language with a code (``language == "sv"``, ``lang != "en"``),
    the inline choices that belong in the catalogues instead."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            if any(map(_is_language, sides)) and any(map(_is_code, sides)):
                found.append(node.lineno)
    return sorted(set(found))


def test_no_inline_language_choice_outside_the_catalogues() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _files(BOT)
        if not str(path.relative_to(ROOT)).startswith(LANGUAGE_CHOICES_MAY_LIVE)
        for number in inline_language_choices(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "choose words through bot.core.texts.texts(language), not inline"


def test_the_language_choice_finder_finds_them() -> None:
    source = (
        'a = "en" if language == "en" else "sv"\n'
        "b = 1\n"
        'c = WORDS["sv" if lang != "en" else "en"]\n'
        'd = any(t.language != "en" for t in targets)\n'
        'e = via == "dm"\n'
    )
    assert inline_language_choices(source) == [1, 3, 4]


def test_every_discord_key_names_a_sentence_of_the_catalogue() -> None:
    from bot.core.texts.catalogue import DiscordTexts
    from bot.platforms.discord.texts import Key

    sentences = {f.name for f in dataclasses.fields(DiscordTexts) if f.type == "str"}
    assert set(typing.get_args(Key)) == sentences
