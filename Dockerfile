# The help center's image: gunicorn by default; the worker is `python manage.py run_worker`.
# Built and run by docker-compose.yml; on its own: docker build -t helpcenter .
# The Python the lock files are compiled with: a lock resolved on one version can miss a
# dependency that another version's markers ask for.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.production \
    BIND=0.0.0.0:8000 \
    MEDIA_ROOT=/data/media \
    SEARCH_INDEX_PATH=/data/search-index.sqlite3 \
    MARKDOWN_IMPORT_DIR=/data/markdown-imports

RUN useradd --create-home --uid 1000 helpcenter \
    && mkdir -p /data/media \
    && chown -R helpcenter /data

WORKDIR /app
# Exactly the locked versions, each checked against its hash.
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock
COPY . .
# Static files are collected into the image; whitenoise serves them (settings need values to
# load, none of which end up in the image).
RUN SECRET_KEY=build-only ALLOWED_HOSTS=localhost BASE_URL=http://localhost \
    python manage.py collectstatic --noinput --verbosity 0

USER helpcenter
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["gunicorn"]
