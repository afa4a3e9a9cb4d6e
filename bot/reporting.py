"""Optional error reporting: the one hook the service's error boundary and the delivery
worker call with an exception nobody expected.

Off unless ``[observability] sentry_dsn`` is set (or ``RACEBOT_OBSERVABILITY__SENTRY_DSN``);
then each reported exception goes to Sentry (or any server speaking its envelope protocol,
e.g. GlitchTip) with a ``where`` tag. Only what is reported here is sent: no automatic
integrations, no request bodies, no chat texts, no personal data (the SDK's default).
sentry-sdk is imported only when on.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger(__name__)

_on = False


def start(dsn: str | None, *, release: str, environment: str | None = None, **extra: Any) -> bool:
    """Initialise Sentry if ``dsn`` is set; ``extra`` goes to ``sentry_sdk.init`` (tests)."""
    global _on
    if not dsn:
        return False
    import sentry_sdk

    sentry_sdk.init(
        dsn=dsn,
        release=release,
        environment=environment,
        default_integrations=False,
        **extra,
    )
    _on = True
    return True


def report(exc: BaseException, where: str, **tags: str) -> None:
    """Send ``exc`` with where it happened; nothing when reporting is off. Never raises."""
    if not _on:
        return
    try:
        import sentry_sdk

        with sentry_sdk.new_scope() as scope:
            scope.set_tag("where", where)
            for key, value in tags.items():
                scope.set_tag(key, value)
            sentry_sdk.capture_exception(exc)
    except Exception:  # reporting must never add a failure of its own
        log.warning("errors: could not report %s", type(exc).__name__, exc_info=True)


def stop(timeout: float = 2.0) -> None:
    """Send what is queued (up to ``timeout`` seconds) and switch reporting off."""
    global _on
    if not _on:
        return
    import sentry_sdk

    sentry_sdk.get_client().close(timeout=timeout)
    sentry_sdk.get_global_scope().set_client(None)
    _on = False
