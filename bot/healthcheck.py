"""`python -m bot.healthcheck`: exit 0 if the bot's own /healthz answers 200, else 1.

For container health checks (Dockerfile HEALTHCHECK, compose.yaml): the port comes from
``RACEBOT_WEB_PORT``, the variable the bot itself reads, so the check and the server cannot
disagree; 8080 (the default port) when it is unset. Standard library only: it runs every
few seconds and must not load the bot.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request
from collections.abc import Mapping

DEFAULT_PORT = 8080


def healthz_url(env: Mapping[str, str]) -> str:
    """Where the bot in this container answers: localhost, on RACEBOT_WEB_PORT."""
    raw = (env.get("RACEBOT_WEB_PORT") or "").strip()
    port = int(raw) if raw.isdigit() and 0 < int(raw) < 65536 else DEFAULT_PORT
    return f"http://127.0.0.1:{port}/healthz"


def check(url: str, timeout: float = 4.0) -> tuple[bool, str]:
    """(healthy, what was seen) for one GET of ``url``."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200, f"{url}: {response.status}"
    except urllib.error.HTTPError as exc:
        return False, f"{url}: {exc.code}"
    except (OSError, ValueError) as exc:
        return False, f"{url}: {exc}"


def main() -> int:
    healthy, seen = check(healthz_url(os.environ))
    print(seen)
    return 0 if healthy else 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
