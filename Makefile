# Two commands on a fresh Debian machine: `make demo` and `make test`.
# Each creates .venv if missing and installs what it needs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SYSTEM_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils

.PHONY: demo test bench system-libs venv-debian clean

$(STAMP): pyproject.toml
	@$(MAKE) --no-print-directory system-libs
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || $(MAKE) --no-print-directory venv-debian
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
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

test: $(STAMP)
	$(BIN)/python -m pytest
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy audit

bench: $(STAMP)
	$(BIN)/python -m pytest tests/benchmarks -m benchmark -s -p no:cacheprovider

clean:
	rm -rf $(VENV) build dist .pytest_cache .mypy_cache .ruff_cache
