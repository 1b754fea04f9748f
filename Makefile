# Two commands: `make serve` (set up and serve the lessons) and `make test` (set up and run every test).
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 8866
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: serve test test-fast system-deps venv venv-test lint bench screenshots notebooks clean hub-proxy

serve: $(VENV)/.stamp-base
	$(BIN)/spasm-edu serve --host $(HOST) --port $(PORT) --no-browser

test: system-deps $(VENV)/.stamp-test lint hub-proxy
	$(BIN)/python -m pytest

# The tiers that need no Voilà server, browser, PostgreSQL, faked clock or network, without the
# slow stress and property tests (markers in pyproject.toml): about a minute and a half on an idle 2-core
# machine, and nothing to install beyond the venv. `make test` still runs everything.
FAST_TIERS := tests/unit tests/content tests/widgets tests/notebooks tests/robustness tests/store \
	tests/export
test-fast: $(VENV)/.stamp-test
	$(BIN)/python -m pytest $(FAST_TIERS) -q -m "not (slow or postgres or dashboard or browser)"

# Review dates are checked against the real date here: CI fails when a lesson is due for review
# (authors must re-check it); the tests never depend on the date, and served pages never check it.
lint: $(VENV)/.stamp-test
	$(BIN)/ruff check src tests benchmarks notebooks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/spasm-edu validate

notebooks: $(VENV)/.stamp-base
	$(BIN)/spasm-edu notebooks notebooks

# The venv is rebuilt only when pyproject.toml or what pip copies (shared data: our Voilà template,
# the server extension's config) changes, so a second run is quick.
INSTALLED := pyproject.toml $(shell find src/spasm_edu/share jupyter-config -type f 2>/dev/null)

$(VENV)/.stamp-base: $(INSTALLED)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.stamp-test: $(INSTALLED)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@ $(VENV)/.stamp-base

# Browser tests drive Debian's Chromium (Playwright cannot download a browser here); store tests
# need a PostgreSQL server binary; the date tests run tiers with the clock moved ahead (faketime);
# the QR test decodes with zbarimg; WeasyPrint (PDF handouts) needs Pango; the JupyterHub tests
# install configurable-http-proxy with npm. Install them when missing.
system-deps:
	@missing=""; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v faketime >/dev/null || missing="$$missing faketime"; \
	command -v zbarimg >/dev/null || missing="$$missing zbar-tools"; \
	ldconfig -p | grep -q libpangoft2-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v npm >/dev/null || missing="$$missing nodejs npm"; \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages:$$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

# configurable-http-proxy for JupyterHub (deploy/jupyterhub), from npm as package-lock.json pins
# it; the hub tests use it, and so does a hub started from that folder.
CHP := deploy/jupyterhub/node_modules/.bin/configurable-http-proxy
hub-proxy: $(CHP)
$(CHP): deploy/jupyterhub/package.json deploy/jupyterhub/package-lock.json
	cd deploy/jupyterhub && npm ci --no-audit --no-fund
	touch $@

bench: system-deps $(VENV)/.stamp-test
	$(BIN)/python benchmarks/bench_pages.py

# Every test that can save a picture for the README saves it into docs/screenshots.
SCREENSHOT_TESTS := tests/ui/test_screenshots.py tests/ui_class/test_presentation_screen.py \
	tests/ui_class/test_learning_journey.py tests/hub/test_hub_class.py
screenshots: system-deps $(VENV)/.stamp-test hub-proxy
	SPASM_EDU_SCREENSHOTS=$(CURDIR)/docs/screenshots $(BIN)/python -m pytest $(SCREENSHOT_TESTS) -q -m "not slow"

clean:
	rm -rf $(VENV) build dist
