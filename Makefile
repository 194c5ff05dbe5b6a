# Overstap: `make demo` sets everything up and runs the demo; `make test` sets up and runs the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | cksum | cut -d' ' -f1)

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser demo up test test-fast lint bench burst faults screenshots clean

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 of nieuwer is nodig") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

setup: $(STAMP)

# The browser test drives Debian's chromium (Playwright's own browser download is not used).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "chromium ontbreekt: installeren met apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq chromium; }

demo: $(STAMP)
	$(BIN)/overstap demo

up: $(STAMP)
	$(BIN)/overstap up

# Two workers, one test file each at a time: flow and end-to-end tests wait on servers a lot.
test: $(STAMP) browser
	$(BIN)/python -m pytest -n 2 --dist loadfile

test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "not flow and not e2e"

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python bench/resume_cost.py
	$(BIN)/python bench/email_throughput.py

# The busiest day (minutes to an hour): N pupils enrolled, answered and woken at once.
# BURST_POSTGRES=postgresql://user@host:port puts the workers' runs on PostgreSQL (production).
BURST_POSTGRES ?=
burst: $(STAMP)
	$(BIN)/python bench/burst.py --pupils 100 300 --mode up
	$(BIN)/python bench/burst.py --pupils 100 --mode workers --workers 1 $(if $(BURST_POSTGRES),--postgres $(BURST_POSTGRES))
	$(BIN)/python bench/burst.py --pupils 100 --mode workers --workers 2 $(if $(BURST_POSTGRES),--postgres $(BURST_POSTGRES))

# The production layout under faults, on a private PostgreSQL (needs root: runuser postgres).
faults: $(STAMP)
	$(BIN)/python bench/faults.py --pupils 100

# Refreshes docs/form.png and docs/dashboard.png with the browser test's code (not run by the tests).
screenshots: $(STAMP) browser
	$(BIN)/python -m tests.e2e.screenshots

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
