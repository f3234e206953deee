# Polku: `make serve` sets up and serves; `make test` sets up and runs every check.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup serve test lint check-journeys schema openapi bench bench-api bench-pages

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

serve: setup
	$(BIN)/polku serve

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

check-journeys: setup
	$(BIN)/polku journeys check journeys

test: lint check-journeys
	$(BIN)/pytest

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
