# Vigie. `make run` serves the demo, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cksum requirements.txt | cut -d' ' -f1)

# The services the integration tests talk to (CI's machine runs them on loopback).
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/vigie
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
TEST_SECRET_KEY := vigie-tests-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz

.PHONY: run test test-unit test-postgres test-integration lint worker lock clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

run: $(STAMP)
	DEBUG=1 $(PY) manage.py migrate --noinput
	DEBUG=1 $(PY) manage.py seed_demo
	DEBUG=1 $(PY) manage.py runserver 127.0.0.1:8000

test: test-unit test-postgres test-integration

# Fast suite and browser tests: SQLite, tasks in-process.
test-unit: $(STAMP)
	env -u DATABASE_URL -u REDIS_URL SECRET_KEY=$(TEST_SECRET_KEY) $(PY) -m pytest -m "not integration"

# The same suite on the real PostgreSQL (tasks in-process). Skipped when
# PostgreSQL is unreachable, except with CI=true, where that is a failure.
test-postgres: $(STAMP)
	@if $(PY) tests/reachable.py $(TEST_DATABASE_URL); then \
		env -u REDIS_URL DATABASE_URL=$(TEST_DATABASE_URL) SECRET_KEY=$(TEST_SECRET_KEY) \
			$(PY) -m pytest -m "not integration and not e2e"; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true and PostgreSQL is unreachable at $(TEST_DATABASE_URL)" >&2; exit 1; \
	else \
		echo "PostgreSQL unreachable: skipping the PostgreSQL run of the suite"; \
	fi

# Real PostgreSQL + Redis + a Celery worker process. Skipped when they are
# unreachable, except with CI=true, where that is a failure.
test-integration: $(STAMP)
	DATABASE_URL=$(TEST_DATABASE_URL) REDIS_URL=$(TEST_REDIS_URL) SECRET_KEY=$(TEST_SECRET_KEY) \
		$(PY) -m pytest -m "integration"

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

worker: $(STAMP)
	$(VENV)/bin/celery -A config worker --loglevel=INFO

lock: $(STAMP)
	$(PY) -m pip install --quiet -r requirements.in
	{ echo "# Every dependency pinned (direct ones are listed in requirements.in; regenerate with 'make lock')."; \
	  $(PY) -m pip freeze --exclude-editable; } > requirements.txt

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles
