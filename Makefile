# The two commands: `make demo` (the demo site on SQLite) and `make test` (the test suite;
# DB=mysql runs it on MariaDB). Both set up what they need on a fresh machine.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
PYTEST_ARGS ?=

$(VENV)/.installed: setup.cfg pyproject.toml requirements/test.txt
	scripts/bootstrap.sh
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade "pip" "setuptools<81" wheel
	$(PY) -m pip install -q -r requirements/test.txt -e .
	touch $@

.PHONY: install demo serve test test-mysql i18n tutor-venv
install: $(VENV)/.installed

demo: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py demo_setup --url http://127.0.0.1:$(PORT)/
	$(PY) manage.py runserver 0.0.0.0:$(PORT)

# The demo under gunicorn (gthread workers, demo/gunicorn.conf.py): what the HTTP benchmarks run against.
serve: install
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py demo_setup --url http://127.0.0.1:$(PORT)/
	DEMO_DEBUG=0 DEMO_CONN_MAX_AGE=60 GUNICORN_BIND=0.0.0.0:$(PORT) $(VENV)/bin/gunicorn -c demo/gunicorn.conf.py

test: install
	scripts/bootstrap.sh
	$(PY) -m pytest $(PYTEST_ARGS)

i18n: install
	$(PY) scripts/i18n.py update

# tutor from the package registry and the project's Tutor plugin (tutor/), in a virtualenv of their own;
# tests/contract/test_tutor_plugin.py makes it on first use too.
tutor-venv:
	$(PYTHON) -m venv .venv-tutor
	.venv-tutor/bin/pip install -q "tutor>=22.0,<23.0"
	.venv-tutor/bin/pip install -q --no-deps --force-reinstall ./tutor
