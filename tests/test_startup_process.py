"""``racebot run`` that cannot start: one message with a hint, exit code 1, no traceback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.helpers import SCHEDULES
from tests.process import Racebot, free_port, write_config

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]


async def _run(tmp_path: Path, storage: str, web: str = "enabled = false") -> tuple[int, str]:
    config = write_config(
        tmp_path,
        f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "{storage}"\n\n[web]\n{web}\n',
    )
    bot = await Racebot(tmp_path, "run", "--config", str(config)).start()
    code = await bot.exit_code(30)
    return code, bot.text()


async def test_an_unreachable_database_is_named_without_its_password(tmp_path: Path) -> None:
    port = free_port()  # nobody listens there
    code, out = await _run(tmp_path, f"postgresql://racebot:s3cret@127.0.0.1:{port}/racebot")
    assert code == 1
    assert (
        f"racebot: storage: cannot reach the database at "
        f"postgresql+asyncpg://racebot:***@127.0.0.1:{port}/racebot (" in out
    )
    assert "hint: check that the server runs and accepts this user" in out
    assert "RACEBOT_DATABASE_URL" in out
    assert "s3cret" not in out
    assert "Traceback" not in out


@pytest.mark.parametrize("where", ["under-a-file", "is-a-folder"])
async def test_a_database_file_that_cannot_be_written_is_named(tmp_path: Path, where: str) -> None:
    blocker = tmp_path / "blocker"
    if where == "under-a-file":
        blocker.write_text("not a folder", encoding="utf-8")
        path = blocker / "racebot.db"
    else:
        blocker.mkdir()
        path = blocker
    code, out = await _run(tmp_path, f"sqlite:///{path}")
    assert code == 1
    assert f"racebot: storage: cannot write the database file {path} (" in out
    assert "hint: check that its folder exists and this user may write there" in out
    assert "Traceback" not in out


async def test_a_taken_web_port_says_how_to_choose_another(tmp_path: Path) -> None:
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code, out = await _run(
            tmp_path,
            f"sqlite:///{tmp_path}/r.db",
            web=f'host = "127.0.0.1"\nport = {port}',
        )
    assert code == 1
    assert f"racebot: web: cannot listen on 127.0.0.1:{port} (" in out
    assert "set [web] port or RACEBOT_WEB_PORT" in out
    assert "Traceback" not in out


async def test_racebot_web_port_moves_the_server(tmp_path: Path) -> None:
    port = free_port()
    config = write_config(
        tmp_path,
        f'[bot]\nschedules = "{SCHEDULES}"\n\n[storage]\nurl = "sqlite:///{tmp_path}/r.db"\n',
    )
    env = {"RACEBOT_WEB_PORT": str(port), "RACEBOT_WEB_HOST": "127.0.0.1"}
    async with Racebot(tmp_path, "run", "--config", str(config), env=env) as bot:
        await bot.wait_log(f"web: on at http://127.0.0.1:{port}/")
