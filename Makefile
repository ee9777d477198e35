# Two commands: `make run` (serve the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
APT_PACKAGES_RUN := gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
APT_PACKAGES_TEST := chromium postgresql-client
# The multi-host proof (bench/cluster.py): the load balancer; PostgreSQL's server binaries for the two
# database hosts; Redis for the shared cache (optional: without it the hosts share no cache).
APT_PACKAGES_CLUSTER := haproxy postgresql redis-server iproute2

.PHONY: run test test-fast lint format messages migrations-check bench bench-cluster worker venv install install-dev system-packages system-packages-test system-packages-cluster clean

$(VENV)/bin/activate:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade --quiet pip

$(VENV)/.installed-run: requirements.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(VENV)/bin/activate
	$(PIP) install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.installed-run

install: system-packages $(VENV)/.installed-run
install-dev: system-packages system-packages-test $(VENV)/.installed-dev

# System libraries: Pango for WeasyPrint, gettext for the catalogues, Chromium for browser tests.
system-packages:
	@missing=""; for p in $(APT_PACKAGES_RUN); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

system-packages-test:
	@missing=""; for p in $(APT_PACKAGES_TEST); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --address $(HOST):$(PORT)
	@echo "Starting the task worker and the web server on http://$(HOST):$(PORT)/ (Ctrl+C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	$(PY) manage.py db_worker --queue-name '*' --interval 1 & \
	$(PY) manage.py runserver $(HOST):$(PORT)

worker: install
	$(PY) manage.py db_worker --queue-name '*'

# Unit, integration and view tests first, spread over TEST_WORKERS processes (pytest-xdist; each has its own test
# database); then the browser tests in one session of their own (they load the demo data once).
TEST_WORKERS ?= 2
test: install-dev
	$(PY) -m pytest --ignore=tests/e2e -n $(TEST_WORKERS) $(PYTEST_ARGS)
	$(PY) -m pytest tests/e2e $(PYTEST_ARGS)

test-fast: install-dev
	$(PY) -m pytest --ignore=tests/e2e -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/mypy

format: install-dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

messages: install-dev
	for app in bapas clients pokmaslipas trainings reports workbook config; do bin/messages $$app; done

migrations-check: install-dev
	$(PY) manage.py makemigrations --check --dry-run

bench: install-dev
	$(PY) bench/run.py

# Not in CI: needs root (network namespaces). Builds a primary and a standby database, two application
# hosts, a worker host, a cache and HAProxy in namespaces on this machine and fails them under load
# (docs/RELIABILITY.md). CLUSTER_ARGS passes options, e.g. CLUSTER_ARGS="--clients 20000".
bench-cluster: install-dev system-packages-cluster
	$(PY) bench/cluster.py $(CLUSTER_ARGS)

system-packages-cluster:
	@missing=""; for p in $(APT_PACKAGES_CLUSTER); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "Installing system packages:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .import_linter_cache
