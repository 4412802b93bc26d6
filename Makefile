# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser run test lint bench bench-small vendor clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium and a Chinese font for the browser tests and their screenshots (needs root
# and apt-get; without Chromium they skip, except under CI, where they fail).
BROWSER_PACKAGES := chromium fonts-wqy-microhei
browser:
	@{ command -v chromium >/dev/null 2>&1 && [ -d /usr/share/fonts/truetype/wqy ]; } \
	  || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null \
	  && { apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null 2>&1 \
	       || { apt-get update -qq && apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; }; }; } \
	  || echo "未安装 chromium，浏览器测试将跳过 / chromium not installed: browser tests will skip"

# Migrate, load the demo city (one city under each regime), and serve the platform.
run: install
	$(BIN)/jifang demo --if-empty
	$(BIN)/jifang serve

# The whole suite on SQLite, then again on PostgreSQL (skipped, saying why, if none answers).
test: install browser
	$(BIN)/ruff check src tests bench
	$(BIN)/python -m pytest
	JIFANG_TEST_DB=postgres $(BIN)/python -m pytest
	$(BIN)/python -m bench --small

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

bench: install
	$(BIN)/python -m bench

bench-small: install
	$(BIN)/python -m bench --small

# Re-vendor the front-end packages (HTMX, ECharts) from the npm registry into the static files.
vendor:
	sh assets/vendor.sh

clean:
	rm -rf $(VENV) build .pytest_cache .ruff_cache .hypothesis
