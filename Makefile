# Two commands: `make run` and `make test`. Everything else here is what they build on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app council

.PHONY: run test setup translations database lint messages clean bench serve soak

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
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

test: setup lint
	$(BIN)/python -m pytest -W error $(PYTEST_ARGS)

# The production server against DATABASE_URL (default: the SQLite file of `make run`), one worker per core.
serve: setup
	$(FLASK) db upgrade
	$(BIN)/gunicorn --workers $$(nproc) --bind 127.0.0.1:$(PORT) 'council:create_app()'

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
