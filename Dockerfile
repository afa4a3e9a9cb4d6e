# racebot — slim image, non-root, data on a volume, health checked on /healthz.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    RACEBOT_DATABASE_URL=sqlite:////data/racebot.db \
    RACEBOT_WEB_HOST=0.0.0.0 \
    RACEBOT_WEB_PORT=8080

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY schedules ./schedules
COPY config/bot.example.toml ./config/bot.example.toml
RUN pip install . \
    && useradd --create-home --uid 10001 racebot \
    && mkdir -p /data && chown racebot:racebot /data

USER racebot
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/healthz', timeout=4).status == 200 else 1)"

CMD ["racebot", "run"]
