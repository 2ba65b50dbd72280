# Two commands: `make run` and `make test`. Everything else here is what they build on.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 5000
FLASK := $(BIN)/flask --app council

.PHONY: run test setup translations database lint messages clean

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

# Refresh the catalogs after changing user-facing text, then translate the new entries.
messages: setup
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o council/translations/messages.pot --no-location --sort-output council
	$(BIN)/pybabel update -i council/translations/messages.pot -d council/translations --no-fuzzy-matching --ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
