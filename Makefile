# Developer and CI entry points; `make help` lists them.
# Without DATABASE_URL in the environment, a project-local PostgreSQL (factcheck/localdb.py, data in
# var/pgdata) is started and used; with it, that database is used and nothing is started.

.DEFAULT_GOAL := help
.PHONY: help venv db migrate demo run test test-slow lint fmt stop clean clean-db bench-data

VENV := .venv
PY := $(VENV)/bin/python
PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
# `stop` must work before the venv exists; localdb.py needs only the standard library for it.
BOOT_PY := $(if $(wildcard $(PY)),$(PY),$(PYTHON))
PORT ?= 8000
# bench-data: S (10k claims), M (100k), L (1M) or a number of claims; same SIZE and SEED, same rows. SIZE defaults
# to S for bench-data and bench-smoke, to L for bench (the issue's size).
SEED ?= 1
BENCH_DB ?= factcheck_bench
SERVER_PID := var/run/server.pid

export DJANGO_SETTINGS_MODULE ?= factcheck.settings
export LOCAL_PG_PORT ?= 54329

ifeq ($(origin DATABASE_URL),undefined)
export DATABASE_URL = postgres://postgres@127.0.0.1:$(LOCAL_PG_PORT)/$(or $(LOCAL_PG_DB),factcheck)
LOCAL_DB := 1
BENCH_URL := postgres://postgres@127.0.0.1:$(LOCAL_PG_PORT)/$(BENCH_DB)
else
BENCH_URL := $(DATABASE_URL)
endif

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-9s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

venv: $(VENV)/.installed ## Create .venv and install requirements-dev.txt (reinstalls only when they change)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -r requirements-dev.txt
	@touch $@

db: venv ## Start the local PostgreSQL (var/pgdata) unless DATABASE_URL is set
ifdef LOCAL_DB
	@$(PY) -m factcheck.localdb start
else
	@echo "db: DATABASE_URL is set; using it and not starting the local PostgreSQL"
endif

migrate demo: export DJANGO_DEBUG ?= true
migrate: db ## Apply database migrations
	$(PY) manage.py migrate --noinput

demo: migrate ## Load the demo data
	$(PY) manage.py load_demo

run: export DJANGO_DEBUG = true
run: venv db migrate demo ## Serve on 127.0.0.1:PORT (default 8000) with demo data; Ctrl-C or `make stop` ends it
	@mkdir -p $(dir $(SERVER_PID))
	@echo $$$$ > $(SERVER_PID); exec $(PY) manage.py runserver 127.0.0.1:$(PORT)

test: export DJANGO_SECRET_KEY ?= insecure-key-for-make-test-only-0123456789-abcdefghijklmnopqrstuvwxyz
test: venv db ## Check migrations, lint and formatting, then run pytest
	$(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest -n auto

# The benchmark's data goes to a database of its own on the local cluster (BENCH_DB), never into the demo's.
# bench and bench-smoke load it only when it does not hold SIZE and SEED already (bench.generate --skip-if-loaded);
# with DATABASE_URL set they use that database as it is, and only `make bench-data` loads into it.
define load_bench_data
	@LOCAL_PG_DB=$(BENCH_DB) $(PY) -m factcheck.localdb start
	$(PY) -m bench.generate --size $(BENCH_SIZE) --seed $(SEED) --recreate-database $(1) --database-url $(BENCH_URL)
endef

bench-data: BENCH_SIZE = $(or $(SIZE),S)
bench-data: venv ## Migrate, then load the benchmark data set (SIZE=S|M|L|<claims>, SEED=1) by COPY
ifdef LOCAL_DB
	$(call load_bench_data,)
else
	$(PY) -m bench.generate --size $(BENCH_SIZE) --seed $(SEED) --database-url $(DATABASE_URL)
endif

test-slow: export DJANGO_SECRET_KEY ?= insecure-key-for-make-test-only-0123456789-abcdefghijklmnopqrstuvwxyz
test-slow: venv db ## Run only the slow tests (the full LIAR import, minutes), which `make test` leaves out
	$(VENV)/bin/pytest -m slow

lint: venv ## Run ruff's linter and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: venv ## Format the code and apply ruff's safe fixes
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# runserver's autoreloader runs the server in a child process, so the child is stopped too.
stop: ## Stop the server started by `make run` (from any terminal) and the local PostgreSQL
	@if [ -f $(SERVER_PID) ]; then \
		pid=$$(cat $(SERVER_PID)); \
		if ps -o args= -p "$$pid" 2>/dev/null | grep -q 'manage.py runserver'; then \
			pids="$$pid $$(pgrep -P "$$pid" | tr '\n' ' ')"; \
			kill $$pids 2>/dev/null || true; \
			for p in $$pids; do \
				for _ in $$(seq 50); do kill -0 "$$p" 2>/dev/null || break; sleep 0.1; done; \
				kill -9 "$$p" 2>/dev/null || true; \
			done; \
			echo "stop: stopped the dev server (pid $$pid)"; \
		fi; \
		rm -f $(SERVER_PID); \
	fi
	@$(BOOT_PY) -m factcheck.localdb stop

clean: ## Remove .venv (keeps the database in var/)
	rm -rf $(VENV)

clean-db: stop ## Stop and delete the local database (var/pgdata, or LOCAL_PG_DATA)
	@$(BOOT_PY) -m factcheck.localdb destroy

# Benchmarks (issue 6): not part of `make test`. They read the database `make bench-data` fills (BENCH_DB on the
# local cluster, loaded first when it holds another size or seed, or DATABASE_URL when set) and need the bench-only
# dependencies in bench/requirements.txt. Without the LIAR statements (a clean CI clone) the smoke run loads 1,000
# claims of built-in sentences instead of S.
.PHONY: bench bench-smoke bench-venv bench-ready
bench-venv: venv
	$(PY) -m pip install --disable-pip-version-check -q -r bench/requirements.txt

bench-ready: bench-venv db
ifdef LOCAL_DB
	$(call load_bench_data,$(BENCH_DATA_FLAGS))
endif

bench-smoke: BENCH_SIZE = $(or $(SIZE),S)
bench-smoke: BENCH_DATA_FLAGS = --skip-if-loaded --small-without-liar
bench-smoke: bench-ready ## Benchmark smoke run (CI): every scenario for a few seconds, no thresholds
	$(PY) bench/run.py --database-url "$(BENCH_URL)" --smoke

bench: BENCH_SIZE = $(or $(SIZE),L)
bench: BENCH_DATA_FLAGS = --skip-if-loaded
bench: bench-ready ## Benchmark at SIZE (default L, 1M claims): app vs baselines, DURATION s per measurement (30)
	$(PY) bench/run.py --database-url "$(BENCH_URL)" --duration $(or $(DURATION),30)
