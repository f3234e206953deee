# Polku: `make serve` sets up and serves; `make test` sets up and runs every check.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup lock serve test test-suite test-python lint check-journeys schema openapi bench bench-api bench-pages bench-load

setup: $(VENV)/.installed

# Exactly the versions in requirements.lock, then Polku itself without resolving anything again;
# `pip check` fails if pyproject.toml needs a package the lock lacks (then run `make lock`).
$(VENV)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	$(BIN)/pip check || { echo 'requirements.lock lacks what pyproject.toml needs: run make lock'; exit 1; }
	touch $@

# Rewrite requirements.lock from pyproject.toml (with the `test` extra) for Python 3.11, keeping
# every pin that still fits; `make lock LOCK_FLAGS=--upgrade` moves everything to the newest
# versions, `LOCK_FLAGS='--upgrade-package fastapi'` one package. pip's own settings on this
# machine (local wheel folders and indexes) are ignored so that the lock holds public releases
# only and no machine paths.
LOCK_FLAGS ?=
lock: $(BIN)/pip-compile
	env -u PIP_FIND_LINKS -u PIP_EXTRA_INDEX_URL -u PIP_CONSTRAINT PIP_CONFIG_FILE=/dev/null \
		CUSTOM_COMPILE_COMMAND='make lock' $(BIN)/pip-compile --quiet --extra test \
		--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links \
		--no-emit-trusted-host --output-file requirements.lock $(LOCK_FLAGS) pyproject.toml

# pip-tools comes with `make setup` (it is in the lock); this only starts a venv that has none.
$(BIN)/pip-compile:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet pip-tools

serve: setup
	$(BIN)/polku serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

check-journeys: setup
	$(BIN)/polku journeys check journeys
	$(BIN)/polku journeys links journeys

# pytest-xdist runs the tests in TEST_WORKERS processes, each with its own databases and ports
# (tests/conftest.py); many tests wait on a server or PostgreSQL rather than the CPU.
# `make test TEST_WORKERS=0` runs them in this one process. The browser tests run in one
# process of their own: they share one tour of every page per session and, in the editor's
# files, validate at the end the pages the file's earlier tests saw (xdist's groups do not
# keep them together here: with pytest 9.2 its group marks never reach the node ids), and in
# parallel they were no faster. `worksteal`: a worker that runs out of tests takes some from a
# busy one, so a few long tests (the schemathesis CLI runs, the races) do not leave a tail.
TEST_WORKERS ?= 3
PARALLEL = -n $(TEST_WORKERS) --dist worksteal
# pytest rewrites the asserts of every test module and of the plugins' packages (schemathesis,
# anyio) when it imports them, in each process (every xdist worker, the browser tests'), and
# keeps the result in __pycache__ unless Python may not write bytecode: with
# PYTHONDONTWRITEBYTECODE set (as in some shells and CI images) each process redid it, about
# 3 CPU s each per run.
PYTEST = env -u PYTHONDONTWRITEBYTECODE $(BIN)/pytest

# Lint and the journey checks run beside the tests (they are mostly one process each, and the
# tests often wait on servers and PostgreSQL); `make test` fails if any of them fails.
test: setup
	$(MAKE) --no-print-directory -j3 lint check-journeys test-suite

# The browser tests run beside the rest: alone they keep about one core busy (they wait on
# Chromium, the servers and the page loads), so the two parts together fill the machine. Their
# output is kept in a file and shown when they end; the target fails if either part fails.
test-suite: setup
	@log=$$(mktemp); \
	$(PYTEST) tests/browser >"$$log" 2>&1 & browser=$$!; \
	$(PYTEST) $(PARALLEL) --ignore=tests/browser; rest=$$?; \
	wait $$browser; browsers=$$?; \
	echo "--- tests/browser (run beside the rest) ---"; cat "$$log"; rm -f "$$log"; \
	[ $$rest -eq 0 ] && [ $$browsers -eq 0 ]

# The suite but the browser tests with another Python Polku supports, in a venv of its own:
# make test-python PYTHON=python3.12 (lint and types are checked once, by `make test`).
PYVENV = .venv-$(notdir $(PYTHON))
test-python:
	$(MAKE) setup PYTHON=$(PYTHON) VENV=$(PYVENV)
	$(PYVENV)/bin/pytest $(PARALLEL) --ignore=tests/browser

schema: setup
	$(BIN)/polku journeys schema journeys/schema

openapi: setup
	$(BIN)/polku openapi openapi.yaml

bench: setup
	$(BIN)/python bench/plan_bench.py

# Needs wrk (apt-get install -y wrk); about 2.5 minutes. See bench/README.md, "API throughput".
bench-api: setup
	$(BIN)/python bench/api_bench.py

# The plan page against a static page of the same size from the same app (needs wrk).
bench-pages: setup
	$(BIN)/python bench/api_bench.py --pages

# Two workers on a fresh PostgreSQL database (127.0.0.1:5432), mixed traffic for 60 s with a
# publish and a killed worker; prints lost writes. See bench/README.md, "Load".
bench-load: setup
	$(BIN)/python bench/load.py
