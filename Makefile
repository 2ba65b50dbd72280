# Two commands: `make run` and `make test`. Everything else here is what they build on.
# Python 3.11: `python3.11` if it is on the PATH, else `python3` when that is 3.11 (`make PYTHON=/path/to/python3.11`
# names another).
PYTHON ?= $(shell command -v python3.11 2>/dev/null || (python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && command -v python3))
VENV := .venv
# uv installs the dependencies pinned in pyproject.toml in a third of pip's time, compiled to bytecode as pip does.
UV := uv==0.13.9
# Python writes the bytecode of each of the platform's modules the first time one of make's processes imports it,
# also where the environment sets PYTHONDONTWRITEBYTECODE: every later process (the suite's workers, its servers and
# commands, `make run`) reads it, and pytest keeps each test module as it rewrote its asserts (docs/testing.md).
export PYTHONDONTWRITEBYTECODE :=
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app council

.PHONY: run test setup translations database lint messages clean bench serve soak

$(BIN)/activate:
	@test -n "$(PYTHON)" || (echo "Python 3.11 is needed: install python3.11, or run make PYTHON=/path/to/python3.11"; exit 1)
	$(PYTHON) -m venv --without-pip $(VENV)

# uv into the environment by the interpreter's own pip (pip 22.3 or later), else by a pip put into it first: a
# pip in every new environment costs 4 s of the 4-minute suite.
$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(PYTHON) -m pip --python $(BIN)/python install --quiet $(UV) 2>/dev/null \
		|| ($(BIN)/python -m ensurepip --default-pip >/dev/null && $(BIN)/python -m pip install --quiet $(UV))
	$(BIN)/uv pip install --quiet --compile-bytecode --python $(BIN)/python -e '.[dev]'
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile --use-fuzzy -d council/translations -f

setup: $(VENV)/.installed translations

database: setup
	$(FLASK) db upgrade
	$(FLASK) seed --demo

run: database
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

lint: setup
	$(BIN)/ruff check council tests

# The whole suite, on one pytest-xdist worker per core (TEST_WORKERS=0: in one process; docs/testing.md).
test: setup lint
	$(BIN)/python -m pytest -W error -n $(or $(TEST_WORKERS),auto) $(PYTEST_ARGS)

# The production server against DATABASE_URL (default: the SQLite file of `make run`), one worker per core
# (WORKERS=n for another number). `make bench` serves its district with this same target.
serve: setup
	$(FLASK) db upgrade
	$(BIN)/gunicorn --workers $(or $(WORKERS),$$(nproc)) --bind 127.0.0.1:$(PORT) 'council.wsgi:app'

# Pages under load against a reference route, on a scale-100 district built once (bench/run.py).
bench: setup
	@command -v wrk >/dev/null || (apt-get install -y -q wrk >/dev/null 2>&1) || (echo "install wrk (apt-get install wrk)"; exit 1)
	$(BIN)/python bench/run.py

# 16 children support, vote and rate at once for 60 s; counts must equal rows (SOAK_DATABASE_URL for PostgreSQL).
soak: setup
	$(BIN)/python bench/soak.py

# Refresh the catalogs after changing user-facing text, then translate the new entries.
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o council/translations/messages.pot --no-location --sort-output council
	$(BIN)/pybabel update -i council/translations/messages.pot -d council/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
