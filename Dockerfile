# racebot — slim image, non-root, data on a volume, health checked on /healthz.
# Config and schedules are not baked in: mount them (compose.yaml does) at
# /app/config and /app/schedules, so a new weekend is a file change, not a rebuild.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    RACEBOT_DATABASE_URL=sqlite:////data/racebot.db \
    RACEBOT_WEB_HOST=0.0.0.0 \
    RACEBOT_WEB_PORT=8080

WORKDIR /app
# Exact versions with hashes first (a layer that changes only with the lock file), then
# the bot itself without resolving anything again. The lock includes the build backend.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md ./
COPY bot ./bot
RUN pip install --no-deps --no-build-isolation . \
    && useradd --create-home --uid 10001 racebot \
    && mkdir -p /data /app/config /app/schedules && chown racebot:racebot /data

USER racebot
VOLUME ["/data"]
EXPOSE 8080
# bot.healthcheck reads RACEBOT_WEB_PORT, as the bot does: change the port in one place.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-m", "bot.healthcheck"]

CMD ["racebot", "run"]
