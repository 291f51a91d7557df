# fichetracker: `make run` and `make test` do all the set-up on a fresh machine.
PYTHON_VERSION := $(shell cat .python-version)
# The interpreter that creates .venv: python3.13 when present (pyenv reads .python-version), else python3.
PYTHON ?= $(shell command -v python$(PYTHON_VERSION) 2>/dev/null || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test install install-dev migrate fixtures lint messages clean

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

migrate: install
	DJANGO_DEBUG=1 $(PY) manage.py migrate --noinput

fixtures: migrate
	DJANGO_DEBUG=1 $(PY) manage.py load_fixtures

run: fixtures
	@echo
	@echo "fichetracker runs at http://$(HOST):$(PORT)/"
	@echo "Create an editor account for the admin (http://$(HOST):$(PORT)/admin/) with:"
	@echo "    DJANGO_DEBUG=1 $(PY) manage.py createsuperuser"
	@echo
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

test: install-dev
	$(PY) -m pytest

lint: install-dev
	$(VENV)/bin/ruff check .

messages: install
	@command -v msgfmt >/dev/null || { test "$$(id -u)" = 0 && apt-get update -qq && apt-get install -y -qq gettext; } || { echo "make messages needs gettext: apt-get install gettext" >&2; exit 2; }
	DJANGO_DEBUG=1 $(PY) manage.py makemessages -l en --no-obsolete --ignore=.venv --ignore=tests
	DJANGO_DEBUG=1 $(PY) manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm

# Evidence (issue 7): backups and the benchmark. See DEPLOYMENT.md and BENCHMARKS.md.
.PHONY: backup restore bench
backup: install
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "Usage: make restore FILE=backups/fichetracker-YYYYMMDD-HHMMSS.dump" >&2; exit 2; }
	DJANGO_DEBUG=$${DJANGO_DEBUG:-1} $(PY) manage.py restore "$(FILE)"

# PostgreSQL only: DATABASE_URL names the server (its database name is replaced by ft_bench_100 and ft_bench_10000).
# Needs wrk (Debian: apt-get install -y wrk). Takes about 15 minutes the first time (demo data), about 8 after.
bench: install-dev  # bench/alerts.py needs aiosmtpd (requirements-dev.txt) as its local SMTP sink
	@command -v wrk >/dev/null || { test "$$(id -u)" = 0 && apt-get update -qq && apt-get install -y -qq wrk; } || { echo "make bench needs wrk: apt-get install wrk" >&2; exit 2; }
	$(PY) bench/run.py
	$(PY) bench/archive.py --fiches 400

# Screenshots of every public page type at 1280 and 390 px into screenshots/ (gitignored), from the
# demo database (DATABASE_URL, default ft_demo on the local PostgreSQL) with Debian's Chromium.
.PHONY: screenshots
screenshots: install-dev
	$(PY) bench/screenshots.py
