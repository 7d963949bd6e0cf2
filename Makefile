# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000
# The suite runs on every core (pytest-xdist); `make test PYTEST_ARGS=-x` runs it serially.
PYTEST_ARGS ?= -n auto
# Mozilla's ical.js for the feed tests (tests/js), installed only where node and npm exist;
# elsewhere those tests skip with the reason (CI sets DOCKET_REQUIRE_ICALJS=1: they fail).
JS_STAMP := tests/js/node_modules/.package-lock.json
HAVE_NPM := $(shell command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && echo yes)

.PHONY: run test lint install bench clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

$(JS_STAMP): tests/js/package.json tests/js/package-lock.json
	npm ci --prefix tests/js --no-audit --no-fund
	touch $@

install: $(STAMP) $(if $(HAVE_NPM),$(JS_STAMP))

# Upgrade the database, load the demo court when it is empty, start the job process
# beside the web server, and stop both together.
run: $(STAMP)
	$(BIN)/docket db upgrade
	$(BIN)/docket demo --if-empty
	$(BIN)/docket demo logins
	@$(BIN)/docket jobs run & jobs_pid=$$!; \
	trap 'kill $$jobs_pid 2>/dev/null' EXIT INT TERM; \
	$(BIN)/docket run --host $(HOST) --port $(PORT)

test: $(STAMP) $(if $(HAVE_NPM),$(JS_STAMP))
	$(BIN)/ruff check docket tests bench
	$(BIN)/pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check docket tests bench
	$(BIN)/ruff format --check docket tests bench

bench: $(STAMP)
	$(BIN)/python -m bench.demo_load $(BENCH_ARGS)

clean-db:
	rm -f instance/docket.sqlite instance/docket.sqlite-wal instance/docket.sqlite-shm
