# `make run` starts mnemo on the embedded profile; `make test` runs lint, layer checks and every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test lint bench bench-search clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/mnemo serve --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: lint
	$(BIN)/pytest $(PYTEST_ARGS)

bench: $(VENV)/.installed-dev
	$(BIN)/python bench/api.py
	$(BIN)/python bench/processing.py
	$(BIN)/python bench/listen.py

bench-search: $(VENV)/.installed-dev
	$(BIN)/python bench/locomo.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/search.py --postgres

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
