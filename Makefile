# The two commands a newcomer needs: `make run` and `make test` (see README.md).
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run serve bench bench-publishing test test-postgres lint audit setup browser demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

setup: $(VENV)/.installed node_modules/.package-lock.json

# Debian's Chromium for the browser tests (Playwright cannot download browsers here).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

demo: setup
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo_atlas
	$(BIN)/python manage.py ensure_demo_users

run: demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# The production server on this machine: production settings, collected and compressed static
# files, gunicorn workers (cms/gunicorn.conf.py) and scheduled publishing every minute.
# DATABASE_URL and REDIS_URL come from the environment (defaults: the SQLite file of `make run`,
# the local Redis); DJANGO_SECRET_KEY too, else one is made once in .secret-key.
# Collected (hashed, compressed) static files: again only when a source changed.
STATIC_SOURCES := $(shell find static -type f 2>/dev/null) package-lock.json pyproject.toml
staticfiles/staticfiles.json: $(STATIC_SOURCES) | setup
	DJANGO_SETTINGS_MODULE=cms.settings.production DJANGO_SECRET_KEY=collectstatic-only \
		$(BIN)/python manage.py collectstatic --noinput -v0

serve: setup staticfiles/staticfiles.json
	@test -n "$$DJANGO_SECRET_KEY" || test -s .secret-key || \
		$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > .secret-key
	export DJANGO_SETTINGS_MODULE=cms.settings.production \
		DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .secret-key)}" \
		REDIS_URL="$${REDIS_URL:-redis://127.0.0.1:6379/0}" \
		DJANGO_SECURE_COOKIES="$${DJANGO_SECURE_COOKIES:-0}" \
		DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-0}" \
		GUNICORN_BIND="$${GUNICORN_BIND:-127.0.0.1:$(PORT)}"; \
	$(BIN)/python manage.py migrate --noinput -v0 && \
	{ $(BIN)/python manage.py run_scheduled_publishing & scheduler=$$!; \
	  trap 'kill $$scheduler 2>/dev/null' EXIT INT TERM; \
	  $(BIN)/gunicorn -c cms/gunicorn.conf.py; }

# Lighthouse (mobile) on a running site (`make run` in another shell), with npm's lighthouse
# and Debian's Chromium; scores printed, the whole report in lighthouse.json.
LIGHTHOUSE_URL ?= http://127.0.0.1:$(PORT)/nl/
lighthouse: browser
	CHROME_PATH=$$(command -v chromium) npx --yes lighthouse@13.5.0 $(LIGHTHOUSE_URL) --quiet \
		--chrome-flags="--headless=new --no-sandbox" --output=json --output-path=lighthouse.json \
		--only-categories=performance,accessibility,best-practices,seo
	@$(BIN)/python -c "import json; r = json.load(open('lighthouse.json')); \
		print({k: round(v['score'] * 100) for k, v in r['categories'].items()})"

# Benchmarks (figures in README.md): on the demo atlas and on generated atlases of
# BENCH_ACCOUNTS accounts (SQLite files in /tmp, built once): cached pages and API under wrk at
# 64 connections vs a trivial view, the uncached whole atlas vs graphql-core's floor, and our
# uncached API vs Wagtail's REST API v2 (docs-style and tuned).
BENCH_ACCOUNTS ?= 300 3000 30000
bench: demo staticfiles/staticfiles.json
	@command -v wrk >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python benchmarks/http_load.py --label "demo atlas (SQLite)"
	$(BIN)/python benchmarks/whole_atlas.py
	$(BIN)/python benchmarks/compare_peer.py
	$(BIN)/python benchmarks/admin_views.py
	@for accounts in $(BENCH_ACCOUNTS); do \
		db=/tmp/atlas-bench-$$accounts.sqlite3; \
		test -s $$db || { rm -f $$db.new; export DATABASE_URL=sqlite:///$$db.new; \
			$(BIN)/python manage.py migrate --noinput -v0 && \
			$(BIN)/python manage.py generate_atlas --accounts $$accounts --no-index -v0 && \
			mv $$db.new $$db; } || exit 1; \
		export DATABASE_URL=sqlite:///$$db; \
		$(BIN)/python manage.py migrate --noinput -v0 || exit 1; \
		$(BIN)/python benchmarks/http_load.py --label "$$accounts accounts (SQLite)" || exit 1; \
		$(BIN)/python benchmarks/whole_atlas.py --rounds 2 || exit 1; \
		$(BIN)/python benchmarks/compare_peer.py --rounds 2 || exit 1; \
	done

# Publishing under a crowd (issue 26's goals, benchmarks/publishing.py): the production server on
# a generated atlas of BENCH_PUBLISHING_ACCOUNTS accounts, a crowd on the country pages while a
# publish lands every 5 s; freshness after a publish, CPU per publish, memory per worker.
BENCH_PUBLISHING_ACCOUNTS ?= 30000
bench-publishing: setup staticfiles/staticfiles.json
	@command -v wrk >/dev/null 2>&1 || { \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	@db=/tmp/atlas-bench-$(BENCH_PUBLISHING_ACCOUNTS).sqlite3; \
	test -s $$db || { rm -f $$db.new; export DATABASE_URL=sqlite:///$$db.new; \
		$(BIN)/python manage.py migrate --noinput -v0 && \
		$(BIN)/python manage.py generate_atlas --accounts $(BENCH_PUBLISHING_ACCOUNTS) \
			--no-index -v0 && mv $$db.new $$db; } || exit 1; \
	export DATABASE_URL=sqlite:///$$db; \
	$(BIN)/python manage.py migrate --noinput -v0 && \
	$(BIN)/python benchmarks/publishing.py --label "$(BENCH_PUBLISHING_ACCOUNTS) accounts (SQLite)" && \
	$(BIN)/python benchmarks/kept_pages.py

# On every core (pytest-xdist; each worker has its own test database and Redis databases,
# tests/workers.py); each worker runs its tests in pytest-django's order (transactional ones,
# which empty the database, last).
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist load

test: setup browser
	$(PYTEST)

# The same suite on PostgreSQL (pytest-django creates and drops a test_ database).
test-postgres: setup browser
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/atlas} $(PYTEST)

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=cms.settings.test $(BIN)/python manage.py makemigrations --check --dry-run

# Known vulnerabilities of the installed (pinned) packages; fails when the advisories cannot
# be reached (.ci/audit).
audit: setup
	bash .ci/audit

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3
