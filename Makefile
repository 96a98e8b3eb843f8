# The two commands: `make run` and `make test`. Everything else here serves them.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NPM_STAMP := frontend/node_modules/.installed
DIST := platform_core/static/dist/index.html
FRONTEND_SOURCES := $(shell find frontend/src frontend/scripts -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json frontend/tsconfig.node.json \
	frontend/package-lock.json
HOST ?= 127.0.0.1
PORT ?= 5000
# pytest-xdist processes: one per core, at most 4 (each has its own PostgreSQL database and Redis db).
PYTEST_WORKERS ?= auto
# STATIC_CHECKS=0 leaves out ruff and the front end's unit tests (a second pass on another database needs them once).
STATIC_CHECKS ?= 1

.PHONY: run test install lint frontend browser clean

run: install ## install, migrate, make sure an admin exists, install the IT template, serve http://$(HOST):$(PORT)
	$(BIN)/gongdan secret-key
	$(BIN)/gongdan db upgrade
	$(BIN)/gongdan users ensure-admin
	$(BIN)/gongdan templates install it-service-desk
	@echo "Serving Gongdan on http://$(HOST):$(PORT)"
	$(BIN)/gongdan run --host $(HOST) --port $(PORT)

test: install ## lint, the front end's unit tests, then the whole pytest suite (browser tests included)
ifneq ($(STATIC_CHECKS),0)
	$(BIN)/ruff check .
	cd frontend && npm test
endif
	browser="$$($(BIN)/python scripts/ensure_browser.py)" && \
	  GONGDAN_BROWSER="$$browser" $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --maxprocesses 4 $(PYTEST_ARGS)

browser: ## find Chromium for the browser tests, or install it (apt-get, as root), or say what to run
	@$(BIN)/python scripts/ensure_browser.py

# Our sources compiled once here: every process started afterwards (gunicorn and rq workers, CLI commands, the
# tests' subprocesses) reads the bytecode instead of compiling about 200 modules (0.6 s of CPU a process), also where
# PYTHONDONTWRITEBYTECODE keeps Python from caching it itself. Up-to-date files are skipped.
install: $(PY_STAMP) $(DIST)
	@$(BIN)/python -m compileall -q -j 0 gongdan platform_core runtime designer bench tests

frontend: $(DIST)

lint: $(PY_STAMP)
	$(BIN)/ruff check .
	cd frontend && npm run typecheck

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(PY_STAMP): setup.cfg pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NPM_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

$(DIST): $(NPM_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run build

clean:
	rm -rf $(VENV) frontend/node_modules platform_core/static/dist
