# The two commands a newcomer needs: `make run` and `make test`. See README.md.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# E-mailed links point where `make run` serves (make run PORT=8001 gives http://127.0.0.1:8001), unless set.
SITE_URL ?= http://$(HOST):$(PORT)
CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run worker test install chromium pdf-libs lint migrate demo serve test-postgres check-deploy smoke clean

$(VENV)/.installed: requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.lock
	touch $@

install: $(VENV)/.installed pdf-libs

# WeasyPrint (PDF award letters and reports) needs Pango from Debian.
pdf-libs:
	@ldconfig -p | grep -q "libpangoft2-1.0" || { echo "Installing Pango for PDF documents"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 fonts-liberation; }

## make run: install, migrate, load the Dorset profile and demo data, serve on http://127.0.0.1:8000 with the
## task worker (imports, exports, e-mail) running beside the web server; Ctrl+C stops both.
## (another port: make run PORT=8001; SITE_URL follows HOST and PORT)
run: install
	$(PY) manage.py migrate --no-input
	SITE_URL=$(SITE_URL) $(PY) manage.py setup_demo
	@echo "Serving on http://$(HOST):$(PORT)/ with a background task worker (Ctrl+C to stop both); e-mailed links use $(SITE_URL)"
	@SITE_URL=$(SITE_URL) $(PY) manage.py db_worker --no-reload --interval 1 & worker=$$!; \
	  trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	  SITE_URL=$(SITE_URL) $(PY) manage.py runserver $(HOST):$(PORT)

## make worker: only the background task worker (when the web server runs elsewhere)
worker: install
	$(PY) manage.py db_worker

## make test: install what tests need (Debian's chromium included) and run the whole suite
test: install chromium
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run
	$(PY) manage.py check
	$(VENV)/bin/pytest -n auto

chromium:
	@[ -x $(CHROMIUM) ] || { echo "Installing Debian's chromium for browser tests"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-liberation; }

## make test-postgres: the suite against PostgreSQL (DATABASE_URL, default the local server)
test-postgres: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/opcc_test} $(VENV)/bin/pytest -n auto

## make check-deploy: Django's deployment checks with production settings, and the static files collected as
## production collects them (hashed names; any file a stylesheet refers to that is missing fails the build)
DEPLOY_ENV := DEBUG=false ALLOWED_HOSTS=commissioning.example.org \
	SECRET_KEY=check-deploy-$$(date +%s)-a-long-random-value-for-the-check-only-0123456789
check-deploy: install
	$(DEPLOY_ENV) $(PY) manage.py check --deploy --fail-level WARNING
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
		$(DEPLOY_ENV) VAR_DIR="$$tmp" $(PY) manage.py collectstatic --no-input -v0 && \
		echo "Static files collected with DEBUG=false: $$(find "$$tmp/static" -type f | wc -l) files"

## make smoke: the production configuration under gunicorn against PostgreSQL (a throw-away DATABASE_URL)
smoke: install
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/opcc_smoke} scripts/smoke.sh

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/ruff format --check . || true

clean:
	rm -rf $(VENV) var/db.sqlite3
