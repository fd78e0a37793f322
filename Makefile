# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PORT ?= 8000
HOST ?= 127.0.0.1
PYTHON ?= $(shell command -v python3.13 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
PYTEST_ARGS ?=

export SITE_URL ?= http://localhost:$(PORT)

.PHONY: help run test test-browser lint install chromium redis clean

help:
	@echo "make run    start the product on the embedded default with demo data (PORT=$(PORT))"
	@echo "make test   lint and run the whole test suite (DATABASE_URL=postgres://... for PostgreSQL)"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else "Python 3.12+ is needed (.python-version pins 3.13)")'
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet ".[dev]"
	@touch $@

install: $(STAMP)

run: $(STAMP)
	@mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo "Starting the web server on $(SITE_URL)/, the task worker, the sweeper and the webhook worker. Ctrl-C stops them."
	@trap 'kill 0' INT TERM EXIT; \
	  $(PY) manage.py db_worker & \
	  $(PY) manage.py ramp_sweeper & \
	  $(PY) manage.py webhook_worker & \
	  $(PY) manage.py runserver $(HOST):$(PORT) & \
	  wait

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

test: $(STAMP) chromium redis lint
	$(PY) -m pytest $(PYTEST_ARGS)

test-browser: $(STAMP) chromium
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# Browser tests drive Debian's Chromium (a downloaded browser build cannot be installed here).
chromium:
	@test -x /usr/bin/chromium || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# The task-queue tests start a private Redis (the production profile queues tasks on RQ).
redis:
	@command -v redis-server >/dev/null || { \
	  echo "Installing redis-server for the task-queue and rate-limit tests"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; else SUDO=sudo; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq redis-server; }

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artifacts staticfiles
