# Polku: `make test` sets up and runs every check; `make check-journeys` validates the content.
VENV ?= .venv
PYTHON ?= python3
BIN := $(VENV)/bin

.PHONY: setup test lint check-journeys schema bench

setup: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

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

bench: setup
	$(BIN)/python bench/plan_bench.py
