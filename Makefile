# Two commands matter: `make run` and `make test`. Both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
# Interpreters tried in order; `make PYTHON=/path/to/python3.12 run` picks one.
PYTHON_CANDIDATES := $(or $(PYTHON),python3.13 python3.12 python3 python)
# `make run PORT=8001` serves on another port.
PORT ?= 8000
WORKER := $(BIN)/celery -A config.celery_app worker --beat --loglevel=INFO --concurrency=2

.PHONY: help setup run port-free test bench lint format migrate worker clean

help:  ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-8s %s\n", $$1, $$2}'

$(PY):
	@found=""; \
	for candidate in $(PYTHON_CANDIDATES); do \
	  if command -v $$candidate >/dev/null 2>&1 && \
	     $$candidate -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then \
	    found=$$candidate; break; \
	  fi; \
	done; \
	if [ -z "$$found" ]; then \
	  echo "This project needs Python 3.12 or newer; none found among: $(PYTHON_CANDIDATES)." >&2; \
	  echo "Install Python >= 3.12, or name one: make PYTHON=/path/to/python3.12 run" >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$($$found --version)"; \
	$$found -m venv $(VENV)

# Reinstalled whenever a requirements file changes.
$(VENV)/.installed: $(PY) requirements/base.txt requirements/local.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements/local.txt
	@touch $@

setup: $(VENV)/.installed  ## Create .venv and install the dependencies

migrate: setup  ## Apply database migrations
	$(PY) manage.py migrate --noinput

# The port is checked first, so a busy one is reported before anything starts
# (runserver alone would say so only after the worker is up).
run: export APP_URL ?= http://127.0.0.1:$(PORT)
run: port-free migrate  ## Serve on 127.0.0.1:8000 (PORT=8001 for another) with a Celery worker and beat; Ctrl-C stops all
	@$(PY) manage.py ensure_dev_account
	@echo "Starting the Celery worker (with beat) and the web server on http://127.0.0.1:$(PORT)"
	@$(WORKER) & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker' EXIT; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

port-free: setup
	@$(PY) manage.py check_port $(PORT)

worker: setup  ## Run only the Celery worker (with beat)
	$(WORKER)

test: setup  ## Lint, then run the whole suite (PostgreSQL when DATABASE_URL names one)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(PY) manage.py guards
	$(BIN)/pytest $(PYTEST_ARGS)

bench: setup  ## Benchmarks on the local PostgreSQL and Redis; writes bench/REPORT.md
	$(PY) -m bench.run

format: setup  ## Fix lint and formatting where ruff can
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:  ## Remove the virtualenv, local database and broker folders
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* .test-db.sqlite3* .broker .pytest_cache .ruff_cache .oidc-dev-key.pem
