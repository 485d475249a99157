# studybot: a small image, a non-root user, the database on a volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    STUDYBOT_DB=/data/studybot.sqlite3 \
    STUDYBOT_CONTENT=/app/content

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY adapters ./adapters
COPY studybot ./studybot
COPY content ./content
RUN pip install . && useradd --create-home --uid 10001 studybot && mkdir /data && chown studybot /data

USER studybot
VOLUME ["/data"]
STOPSIGNAL SIGTERM
# Healthy while the bot's clock task keeps writing /data/studybot.sqlite3.heartbeat (every 10 s,
# only while no platform task has died); `studybot doctor --alive` fails once it is 90 s old.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["studybot", "doctor", "--alive"]
CMD ["studybot", "run"]
