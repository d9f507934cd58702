# The two commands a newcomer needs: `make run` and `make test`. Both set up .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml | cksum | cut -d' ' -f1)
# `make run PORT=8100 HOST=0.0.0.0` serves elsewhere; the banner prints the address really served.
PORT ?= 8000
HOST ?= 127.0.0.1

.PHONY: run test test-postgres test-sqlite test-system-packages bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip wheel setuptools
	$(PY) -m pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

## Serve the demo on http://127.0.0.1:8000 (SQLite file in OPSTA_DATA_DIR, default var/; in-process broker; demo data on first start)
run: $(STAMP)
	$(VENV)/bin/opsta run --demo --host $(HOST) --port $(PORT)

## The whole suite: on PostgreSQL (127.0.0.1:5432) with the browser tests, then the database-backed part again on SQLite
# tests/face runs in a process of its own: the face models belong to the one thread of a process that loaded
# them (face/model.py), and in the first process the app's face thread (browser and API tests) owns them.
test: $(STAMP) test-system-packages
	$(PY) -m pytest --ignore=tests/face
	$(PY) -m pytest tests/face
	OPSTA_TEST_DATABASE=sqlite $(PY) -m pytest tests/api tests/cli tests/engine -m "not postgres_only and not slow and not database_free"

test-postgres: $(STAMP) test-system-packages
	$(PY) -m pytest --ignore=tests/face
	$(PY) -m pytest tests/face

## Debian's chromium, Thai fonts and poppler for the browser and PDF tests (apt-get as root, only when missing)
test-system-packages:
	@bash .ci/test-system-packages

test-sqlite: $(STAMP)
	OPSTA_TEST_DATABASE=sqlite $(PY) -m pytest tests/api tests/cli tests/engine -m "not postgres_only and not slow and not database_free"

clean:
	rm -rf $(VENV) var .pytest_cache
