"""Deployment files: the lock covers pyproject.toml, compose.yaml and the Dockerfile agree
with the bot's settings, and the container health check asks the port the bot listens on.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from bot.app import App
from bot.config import load_config
from bot.healthcheck import DEFAULT_PORT, healthz_url
from tests.helpers import ROOT, SCHEDULES

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCK = ROOT / "requirements.lock"
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")


def locked() -> dict[str, tuple[Version, int]]:
    """{canonical name: (pinned version, number of hashes)} from requirements.lock."""
    pins: dict[str, tuple[Version, int]] = {}
    name = ""
    for line in LOCK.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match:
            name = canonicalize_name(match.group(1))
            assert name not in pins, f"{name} pinned twice"
            pins[name] = (Version(match.group(2)), 0)
        elif line.strip().startswith("--hash=sha256:") and name:
            version, hashes = pins[name]
            pins[name] = (version, hashes + 1)
        else:
            assert not line.strip() or line.lstrip().startswith(("#", "--hash")), line
    return pins


# -- the lock file ---------------------------------------------------------------------------


def test_the_lock_pins_every_direct_dependency_within_its_range() -> None:
    pins = locked()
    wanted = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    wanted += [Requirement(r) for r in PYPROJECT["build-system"]["requires"]]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{requirement} is not in requirements.lock: run pip-compile again"
        version, _ = pins[name]
        assert requirement.specifier.contains(version, prereleases=True), (
            f"requirements.lock has {name}=={version}, pyproject.toml wants {requirement}"
        )


def test_every_pin_has_hashes_and_nothing_of_the_dropped_extras() -> None:
    pins = locked()
    assert len(pins) > 20
    assert all(hashes >= 1 for _, hashes in pins.values()), pins
    assert "tornado" not in pins  # python-telegram-bot[webhooks]: the webhook is aiohttp's


def test_python_telegram_bot_extras() -> None:
    """[webhooks] is gone; [rate-limiter] only for bench/'s peer run, in the test extra."""
    runtime = [Requirement(r) for r in PYPROJECT["project"]["dependencies"]]
    ptb = [r for r in runtime if canonicalize_name(r.name) == "python-telegram-bot"]
    assert len(ptb) == 1
    assert ptb[0].extras == set()
    test = [Requirement(r) for r in PYPROJECT["project"]["optional-dependencies"]["test"]]
    assert any(r.name == "python-telegram-bot" and r.extras == {"rate-limiter"} for r in test)
    assert any(canonicalize_name(r.name) == "tzdata" for r in runtime)


def test_the_image_installs_from_the_lock_and_bakes_in_no_config() -> None:
    assert re.search(r"^COPY requirements\.lock ", DOCKERFILE, re.M)
    assert "pip install --require-hashes -r requirements.lock" in DOCKERFILE
    assert "pip install --no-deps --no-build-isolation ." in DOCKERFILE
    copied = re.findall(r"^COPY\s+(.+?)\s+\S+$", DOCKERFILE, re.M)
    sources = {part for line in copied for part in line.split()}
    assert sources == {"requirements.lock", "pyproject.toml", "README.md", "bot"}
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").splitlines()
    for secret in ("config", "schedules", ".env", ".git"):
        assert secret in ignored


# -- compose.yaml ----------------------------------------------------------------------------


VARIABLE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")
ENV = {"POSTGRES_PASSWORD": "secret"}


def interpolate(value: Any, env: dict[str, str]) -> Any:
    """Compose's ``${VAR}``, ``${VAR:-default}`` and ``${VAR:?error}``, for the YAML path."""
    if isinstance(value, dict):
        return {k: interpolate(v, env) for k, v in value.items()}
    if isinstance(value, list):
        return [interpolate(v, env) for v in value]
    if not isinstance(value, str):
        return value

    def one(match: re.Match[str]) -> str:
        name, op, arg = match.group(1), match.group(2) or "", match.group(3) or ""
        current = env.get(name)
        if current:
            return current
        if op.endswith("?"):
            raise ValueError(f"required variable {name} is missing a value: {arg}")
        return arg if op.endswith("-") else ""

    return VARIABLE.sub(one, value)


def compose_file(env: dict[str, str]) -> dict[str, Any]:
    """compose.yaml as Compose itself resolves it where it exists, else as plain YAML."""
    docker = shutil.which("docker")
    if docker is not None:
        probe = subprocess.run(
            [docker, "compose", "version"], capture_output=True, text=True, check=False
        )
        if probe.returncode == 0:
            clean = {
                k: v for k, v in os.environ.items() if not k.startswith(("RACEBOT_", "POSTGRES_"))
            }
            done = subprocess.run(
                [
                    docker,
                    "compose",
                    "--env-file",  # not a developer's own .env: only ``env`` counts
                    os.devnull,
                    "-f",
                    str(ROOT / "compose.yaml"),
                    "config",
                    "--format",
                    "json",
                ],
                capture_output=True,
                text=True,
                env={**clean, **env},
                check=False,
            )
            if done.returncode != 0:
                raise ValueError(done.stderr)
            data: dict[str, Any] = json.loads(done.stdout)
            return data
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    resolved: dict[str, Any] = interpolate(loaded, env)
    return resolved


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return compose_file(ENV)


def environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) for item in env)
    return {key: str(value) for key, value in env.items()}


def mounts(service: dict[str, Any]) -> dict[str, tuple[str, bool]]:
    """{target: (source, read-only)} from the short or the long volume syntax."""
    found = {}
    for volume in service.get("volumes") or []:
        if isinstance(volume, str):
            source, target, *mode = volume.split(":")
            found[target] = (source, mode == ["ro"])
        else:
            found[volume["target"]] = (volume["source"], bool(volume.get("read_only")))
    return found


def published(service: dict[str, Any]) -> list[tuple[str, int, int]]:
    """(host ip, host port, container port) of each published port."""
    ports = []
    for port in service.get("ports") or []:
        if isinstance(port, str):
            ip, host, container = port.split(":")
            ports.append((ip, int(host), int(container)))
        else:
            ports.append((port.get("host_ip", ""), int(port["published"]), int(port["target"])))
    return ports


def command(check: dict[str, Any]) -> list[str]:
    test = check["test"]
    return test if isinstance(test, list) else ["CMD-SHELL", test]


def test_compose_has_the_bot_and_postgresql_with_health_checks(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"bot", "db"}
    db, bot = services["db"], services["bot"]
    assert str(db["image"]).startswith("postgres:")
    assert "pg_isready" in " ".join(command(db["healthcheck"]))
    assert mounts(db)["/var/lib/postgresql/data"][0] in ("db-data", "racebot_db-data")
    assert "db-data" in compose["volumes"]
    assert bot["depends_on"]["db"]["condition"] == "service_healthy"
    assert command(bot["healthcheck"])[:4] == ["CMD", "python", "-m", "bot.healthcheck"]
    assert bot["restart"] == db["restart"] == "unless-stopped"


def test_compose_mounts_config_and_schedules_read_only(compose: dict[str, Any]) -> None:
    bot_mounts = mounts(compose["services"]["bot"])
    for folder in ("config", "schedules"):
        source, read_only = bot_mounts[f"/app/{folder}"]
        assert Path(source).name == folder
        assert read_only


def test_the_health_check_asks_the_port_the_bot_listens_on(compose: dict[str, Any]) -> None:
    bot = compose["services"]["bot"]
    env = environment(bot)
    url = healthz_url(env)
    port = int(env["RACEBOT_WEB_PORT"])
    assert url == f"http://127.0.0.1:{port}/healthz"
    # The bot, given the same environment, listens on all addresses on that port...
    config = load_config(ROOT / "config" / "bot.example.toml", env=env)
    assert (config.web.host, config.web.port, config.web.enabled) == ("0.0.0.0", port, True)
    # ...which Compose publishes to the host's loopback only (for the reverse proxy).
    assert published(bot) == [("127.0.0.1", port, port)]
    # The image's own default agrees.
    assert f"RACEBOT_WEB_PORT={port}" in DOCKERFILE
    assert 'CMD ["python", "-m", "bot.healthcheck"]' in DOCKERFILE
    assert f"EXPOSE {port}" in DOCKERFILE


def test_compose_points_the_bot_at_its_postgresql(compose: dict[str, Any]) -> None:
    url = environment(compose["services"]["bot"])["RACEBOT_DATABASE_URL"]
    assert url == "postgresql://racebot:secret@db:5432/racebot"
    db_env = environment(compose["services"]["db"])
    assert (db_env["POSTGRES_USER"], db_env["POSTGRES_DB"]) == ("racebot", "racebot")


def test_compose_refuses_to_start_without_a_database_password() -> None:
    with pytest.raises(ValueError, match="POSTGRES_PASSWORD"):
        compose_file({})


def test_unset_tokens_reach_the_bot_empty_and_leave_the_platforms_off() -> None:
    env = environment(compose_file(ENV)["services"]["bot"])
    assert env["RACEBOT_TELEGRAM_TOKEN"] == env["RACEBOT_DISCORD_TOKEN"] == ""
    config = load_config(ROOT / "config" / "bot.example.toml", env=env)
    assert config.telegram.token is None
    assert config.discord.token is None
    assert config.storage.url == "postgresql://racebot:secret@db:5432/racebot"
    given = {**ENV, "RACEBOT_TELEGRAM_TOKEN": "123:abc", "RACEBOT_PUBLIC_URL": "https://x.se"}
    env = environment(compose_file(given)["services"]["bot"])
    config = load_config(ROOT / "config" / "bot.example.toml", env=env)
    assert (config.telegram.token, config.web.public_url) == ("123:abc", "https://x.se")


# -- the health check itself -----------------------------------------------------------------


def test_the_health_check_port_defaults_to_8080() -> None:
    assert DEFAULT_PORT == 8080
    assert healthz_url({}) == "http://127.0.0.1:8080/healthz"
    assert healthz_url({"RACEBOT_WEB_PORT": ""}) == "http://127.0.0.1:8080/healthz"
    assert healthz_url({"RACEBOT_WEB_PORT": " 9090 "}) == "http://127.0.0.1:9090/healthz"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def healthcheck(port: int | None) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "RACEBOT_WEB_PORT"}
    if port is not None:
        env["RACEBOT_WEB_PORT"] = str(port)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.healthcheck",
        env=env,
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode()


async def test_the_health_check_against_the_running_bot(tmp_path: Path) -> None:
    port, other = free_port(), free_port()
    config_file = tmp_path / "bot.toml"
    config_file.write_text(
        f'[bot]\nschedules = "{SCHEDULES}"\n[storage]\nurl = "sqlite:///{tmp_path}/r.db"\n',
        encoding="utf-8",
    )
    config = load_config(config_file, env={"RACEBOT_WEB_PORT": str(port)})
    app = App(config, console_target=False, idle_poll=3600)
    await app.start()
    try:
        assert await healthcheck(port) == (0, f"http://127.0.0.1:{port}/healthz: 200\n")
        code, out = await healthcheck(other)  # nothing listens there
        assert code == 1
        assert f"127.0.0.1:{other}/healthz" in out
    finally:
        await app.stop()
    code, _ = await healthcheck(port)  # the bot is gone
    assert code == 1
