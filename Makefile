# Two commands on a fresh Debian machine: `make demo` and `make test`.
# Each creates .venv if missing and installs what it needs.
PYTHON ?= python3
# This Makefile itself, so that recursive calls work when it is run with -f from elsewhere.
SELF := $(abspath $(firstword $(MAKEFILE_LIST)))
ROOT := $(patsubst %/,%,$(dir $(SELF)))
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils
# Only `make test` needs these: a real browser for the site's tests, a real PostgreSQL server
# for the store's. `make demo` stays light.
TEST_SYSTEM_PACKAGES := chromium chromium-driver postgresql
# axe-core, the accessibility checker the browser tests inject into every page (from npm: the
# PyPI wrappers for Python 3.11 ship a 2018 copy).
AXE_CORE_VERSION := 4.14.1
AXE_CORE_STAMP := $(VENV)/npm/.axe-core-$(AXE_CORE_VERSION)

.PHONY: demo test bench system-libs test-system-packages venv-debian clean

$(STAMP): $(ROOT)/pyproject.toml
	@$(MAKE) --no-print-directory -f $(SELF) system-libs
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || $(MAKE) --no-print-directory -f $(SELF) venv-debian
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '$(ROOT)[dev]'
	@touch $(STAMP)

# WeasyPrint needs Pango and HarfBuzz; pdftoppm (poppler-utils) turns report pages into pictures.
system-libs:
	@missing=""; for p in $(SYSTEM_LIBS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	    echo "Installing system libraries:$$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  else \
	    echo "Missing system libraries:$$missing"; \
	    echo "Run: sudo apt-get update && sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

# The same check and install, for the test-only packages (a separate target, so `make demo`
# never pulls a browser and a database server). Without root the tests still run: those
# needing a browser or PostgreSQL are skipped with the reason (under CI=true they fail).
test-system-packages:
	@$(MAKE) --no-print-directory -f $(SELF) system-libs SYSTEM_LIBS="$(TEST_SYSTEM_PACKAGES)" || \
	  echo "The browser and PostgreSQL tests will be skipped."

$(AXE_CORE_STAMP):
	@if ! command -v npm >/dev/null && [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing npm"; \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends npm >/dev/null; \
	fi
	@if command -v npm >/dev/null; then \
	  npm install --silent --no-save --no-package-lock --no-audit --no-fund \
	    --prefix $(VENV)/npm axe-core@$(AXE_CORE_VERSION) && touch $@; \
	else \
	  echo "npm is missing: the accessibility checks will be skipped. Run: sudo apt-get install -y npm"; \
	fi

# Debian's python3 needs python3-venv (ensurepip) to create a virtual environment.
venv-debian:
	@rm -rf $(VENV)
	@if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null; then \
	  echo "Installing python3-venv"; \
	  DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null; \
	  $(PYTHON) -m venv $(VENV); \
	else \
	  echo "Cannot create a virtual environment. Run: sudo apt-get install -y python3-venv"; \
	  exit 1; \
	fi

demo: $(STAMP)
	$(BIN)/audit demo

test: $(STAMP) test-system-packages $(AXE_CORE_STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy audit

bench: $(STAMP) test-system-packages
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -p no:cacheprovider

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
