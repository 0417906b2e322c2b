# Two commands get a newcomer going: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# manage.py falls back to the development settings by itself; pytest reads its own from
# pyproject.toml, so nothing here exports DJANGO_SETTINGS_MODULE.
MANAGE := $(BIN)/python manage.py
PRODUCTION := DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.production}
LOCK_FLAGS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-header \
  --no-emit-index-url --no-emit-find-links

.PHONY: install run demo test lint format check lock serve worker browsers clean

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml requirements.lock requirements-dev.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

# The embedded index is always built; Elasticsearch's only when it answers (while it is
# down or still starting, the embedded index answers searches: build it later with
# `manage.py search_reindex`).
demo: install
	$(MANAGE) load_demo

# Development: tasks run inline (no worker needed); `make worker` in a second terminal
# processes them in the background instead when TASKS_BACKEND=database.
run: demo
	@echo "Serving on http://127.0.0.1:$(PORT)/en/ and http://127.0.0.1:$(PORT)/he/"
	PORT=$(PORT) $(MANAGE) runserver 127.0.0.1:$(PORT)

test: install
	env -u DJANGO_SETTINGS_MODULE $(BIN)/pytest

# Production: gunicorn (gunicorn.conf.py) with the settings of DJANGO_SETTINGS_MODULE,
# config.settings.production unless set; static files collected first.
serve: install
	$(PRODUCTION) $(MANAGE) collectstatic --noinput --verbosity 0
	$(PRODUCTION) $(MANAGE) migrate --noinput
	$(PRODUCTION) $(MANAGE) migrate_insights
	$(PRODUCTION) PORT=$(PORT) $(BIN)/gunicorn

# The background worker: queued tasks (e-mail, index work) and the periodic jobs.
worker: install
	$(MANAGE) run_worker

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: install
	$(MANAGE) check
	$(MANAGE) makemigrations --check --dry-run

# Browser tests need Debian's Chromium (never a downloaded one).
browsers:
	command -v chromium >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium)

# Pin every dependency with its hashes after changing pyproject.toml (pip-tools). The
# development lock is constrained by the runtime one, so both name the same versions.
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	test -x $(BIN)/pip-compile || $(BIN)/pip install --quiet 'pip-tools>=7.6,<7.7'
	$(BIN)/pip-compile $(LOCK_FLAGS) --extra sentry -o requirements.lock pyproject.toml
	$(BIN)/pip-compile $(LOCK_FLAGS) --all-extras -c requirements.lock \
	  -o requirements-dev.lock pyproject.toml

clean:
	rm -rf $(VENV) db.sqlite3* db-insights.sqlite3* media staticfiles
