# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint bench bench-small clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Migrate, load the demo city (one city under each regime), and serve the platform.
run: install
	$(BIN)/jifang demo --if-empty
	$(BIN)/jifang serve

# The whole suite on SQLite, then again on PostgreSQL (skipped, saying why, if none answers).
test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest
	JIFANG_TEST_DB=postgres $(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python -m bench

bench-small: install
	$(BIN)/python -m bench --small

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis
