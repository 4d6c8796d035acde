# The two commands: `make run` (set up and serve the demo) and `make test` (set up and run every test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
export FLASK_APP := portal

.PHONY: run test test-pg lint install translations extract serve send-mail audit audit-deps clean

$(STAMP): setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/pybabel compile -d translations

# Re-extract the strings and merge them into the catalogues (run after changing texts).
extract: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot .
	$(BIN)/pybabel update -N -i translations/messages.pot -d translations

run: translations
	mkdir -p instance
	GEHOORD_ENV=development $(BIN)/flask db upgrade -d migrations
	GEHOORD_ENV=development $(BIN)/flask portal demo
	GEHOORD_ENV=development $(BIN)/flask run --host 127.0.0.1 --port 5000

# Production path: gunicorn against DATABASE_URL and REDIS_URL (see docs/deploy.md).
serve: translations
	GEHOORD_ENV=production $(BIN)/flask db upgrade -d migrations
	@# No access log: status links carry a secret in their path.
	GEHOORD_ENV=production $(BIN)/gunicorn --workers "$${WEB_CONCURRENCY:-2}" --bind "$${BIND:-127.0.0.1:8000}" \
		"portal:create_app()"

# Long lines and unused names stop at the door (the rules are in pyproject.toml).
lint: install
	$(BIN)/ruff check portal charter tests bench migrations

# The benchmark's smoke run (seconds: a tiny seed, every page must answer) keeps bench/ from rotting.
test: translations lint
	$(BIN)/pytest -q
	$(BIN)/python bench/run.py --quick --smoke --port 8961

# The service-level suite again on PostgreSQL (needs TEST_DATABASE_URL).
test-pg: translations
	$(BIN)/pytest -q -m "not browser" tests

# Security lint of our own code: no finding of medium or high severity.
audit: install
	$(BIN)/bandit -q -r portal charter -ll

# Known vulnerabilities in our dependencies (pip-audit); skipped, and said so, where PyPI's advisory
# data cannot be reached (.ci/audit-deps explains).
audit-deps: install
	bash .ci/audit-deps

send-mail: install
	GEHOORD_ENV=development $(BIN)/flask portal send-mail

clean:
	rm -rf $(VENV) .venv-audit instance .pytest_cache .hypothesis
