# The two commands: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test lint format install messages clean

# Playwright drives Debian's Chromium in tests/browser; it must never fetch a browser of its own.
$(BIN)/.installed: requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 $(BIN)/pip install --quiet -r requirements.txt
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/zielwerk migrate --noinput -v 0
	$(BIN)/zielwerk load-demo
	$(BIN)/zielwerk runserver $(HOST)

test: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Updates the English catalogue after UI texts changed (needs GNU gettext).
messages: install
	cd zielwerk && ../$(BIN)/zielwerk makemessages -l en --no-obsolete
	cd zielwerk && ../$(BIN)/zielwerk compilemessages

clean:
	rm -rf $(VENV) var
