# Jobday: the two commands are `make run` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 5000
# Links in e-mails point at this server (make run PORT=5101: links to :5101), unless SERVER_URL is
# set: as JOBDAY_SERVER_URL in the environment or in instance/config.py.
LINK_HOST = $(if $(filter 0.0.0.0 ::,$(HOST)),127.0.0.1,$(HOST))
DEV_SERVER_URL = $(if $(JOBDAY_SERVER_URL),,$(if $(shell grep -s '^SERVER_URL' instance/config.py),,http://$(LINK_HOST):$(PORT)))
export FLASK_APP := jobday

.PHONY: run test bench lint clean install install-test system-deps build-deps translations extract-messages \
        instance-config migrate seed

# WeasyPrint (badges) draws through Pango and subsets fonts with HarfBuzz; both come from
# the system, not from pip. Missing ones are installed when we are root on Debian.
SYSTEM_LIBS := libpango-1.0.so.0:libpango-1.0-0 libpangoft2-1.0.so.0:libpangoft2-1.0-0 \
               libharfbuzz-subset.so.0:libharfbuzz-subset0

# The job worker (bulk PDFs, e-mail retries) runs beside the web server; Ctrl+C stops both.
run: install system-deps translations instance-config migrate seed
	@echo "Jobday on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	@trap 'kill 0' INT TERM EXIT; \
	export JOBDAY_LOG_FORMAT=$${JOBDAY_LOG_FORMAT:-text}; \
	$(if $(DEV_SERVER_URL),export JOBDAY_SERVER_URL=$(DEV_SERVER_URL);) \
	$(BIN)/python -m jobday.jobs.worker --workers 2 --max-delay 2 --quiet & \
	JOBDAY_COOKIE_INSECURE_OK=true $(BIN)/flask run --host $(HOST) --port $(PORT)

# The suite runs on TEST_WORKERS processes (pytest-xdist; "auto": one per core); TEST_WORKERS=0
# runs it in this process, e.g. to stop at the first failure with PYTEST_ARGS=-x.
TEST_WORKERS ?= auto
test: install-test system-deps translations
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

bench: install-test system-deps translations
	$(BIN)/python -m pytest tests/bench -o python_files='bench_*.py' -p no:cacheprovider -s $(PYTEST_ARGS)

# ruff's settings are in pyproject.toml; the import layers in setup.cfg ([importlinter]).
lint: install-test
	$(BIN)/ruff check jobday tests
	$(BIN)/lint-imports

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml | build-deps
	$(BIN)/pip install --quiet -e .
	@touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	@touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

system-deps:
	@missing=""; \
	for entry in $(SYSTEM_LIBS); do \
	  lib=$${entry%%:*}; pkg=$${entry##*:}; \
	  /sbin/ldconfig -p 2>/dev/null | grep -q "$$lib" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing system libraries:$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing >/dev/null; \
	  else \
	    echo "Jobday needs system libraries for PDF badges. Install them with:"; \
	    echo "  sudo apt-get install$$missing"; exit 1; \
	  fi; \
	fi

# PyICU (sorting and accent-free search, see jobday/collation.py) is built against the system's
# ICU by pip: it needs ICU's headers, pkg-config and a C++ compiler, installed when we are root.
BUILD_PACKAGES := libicu-dev pkg-config g++
build-deps:
	@if ! { pkg-config --exists icu-i18n 2>/dev/null && command -v g++ >/dev/null; }; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing build packages: $(BUILD_PACKAGES)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(BUILD_PACKAGES) >/dev/null; \
	  else \
	    echo "Jobday builds PyICU against the system's ICU. Install what it needs with:"; \
	    echo "  sudo apt-get install $(BUILD_PACKAGES)"; exit 1; \
	  fi; \
	fi

translations: $(VENV)/.installed
	@$(BIN)/pybabel compile -d jobday/translations >/dev/null

extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o jobday/translations/messages.pot .
	$(BIN)/pybabel update -i jobday/translations/messages.pot -d jobday/translations --no-fuzzy-matching

instance-config:
	@mkdir -p instance
	@if [ ! -f instance/config.py ]; then \
	  printf '# Written by make run. Local settings; never commit this file.\nSECRET_KEY = "%s"\n' \
	    "$$($(BIN)/python -c 'import secrets; print(secrets.token_hex(32))')" > instance/config.py; \
	  echo "Wrote instance/config.py with a new random SECRET_KEY"; \
	fi

migrate: $(VENV)/.installed instance-config
	$(BIN)/flask db upgrade

seed: $(VENV)/.installed instance-config
	$(BIN)/flask seed-demo --if-empty

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
	find jobday/translations -name '*.mo' -delete
