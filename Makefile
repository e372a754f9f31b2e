# The two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: install run test lint format migrate seed clean chromium soak bench wrk concurrency browser cdn-check

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py seed_demo

# The development server, with the task worker (purges, Wagtail's background jobs)
# beside it; stopping `make run` stops both.
run: seed
	@$(BIN)/python manage.py db_worker --interval 0.5 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: install chromium
	$(BIN)/python -m pytest

# Browser tests drive Debian's Chromium. Installed when missing and we may
# (root with apt-get); otherwise those tests skip and say why.
chromium:
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && apt-get install -y -qq chromium >/dev/null) \
			|| echo "Could not install Chromium: browser tests will be skipped."; \
	fi

# The delivery API against Wagtail's API v2 and a bare ceiling view (bench/README.md):
# 1,000 articles on PostgreSQL by default; `make bench ARGS="--articles 100000"` for scale.
bench: install wrk
	$(BIN)/python -m bench $(ARGS)

# The benchmark's load generator is Debian's wrk, installed when missing and we may;
# otherwise the benchmark uses its Python load generator and says so.
wrk:
	@if ! command -v wrk >/dev/null && [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		(apt-get update -qq && apt-get install -y -qq wrk >/dev/null) \
			|| echo "Could not install wrk: the benchmark will use its Python load generator."; \
	fi

# A takedown and approved edits through Varnish (bench/README.md, `make cdn-check`): a
# fresh PostgreSQL database with the demo, gunicorn and the task worker behind Varnish
# with bench/varnish/vetted.vcl; writes bench/results/cdn-check.json. Installs Debian's
# varnish and varnish-modules when missing and we may (root with apt-get).
cdn-check: install
	$(BIN)/python -m bench.cdn_check $(ARGS)

# Races on PostgreSQL: threads that approve, edit, publish, unpublish and read at once,
# and webhook workers sharing the outbox. Prints how many operations ran.
CONCURRENCY_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/vetted_concurrency
concurrency: install
	DATABASE_URL=$(CONCURRENCY_DATABASE_URL) $(BIN)/python -m pytest -s --create-db \
		tests/concurrency tests/webhooks/test_concurrent_workers.py

# The admin flow and the reference frontend in Debian's Chromium (never skipped here).
browser: install chromium
	VETTED_REQUIRE_BROWSER=1 $(BIN)/python -m pytest tests/browser

# The publishing state machine at length (at least 1,000 random workflows).
soak: install
	HYPOTHESIS_PROFILE=soak $(BIN)/python -m pytest -s tests/properties

# The API contract at length: schemathesis runs FUZZ_EXAMPLES generated requests per
# operation (`make test` runs 20) and prints how many cases ran and how many failed.
FUZZ_EXAMPLES ?= 1000
.PHONY: fuzz
fuzz: install
	VETTED_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest tests/fuzz

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 .test-media staticfiles .pytest_cache
