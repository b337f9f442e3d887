# Two commands set up a fresh Debian machine: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app conference
APT_PACKAGES := fonts-noto-cjk fonts-noto-color-emoji libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium libxml2-utils
PYTEST_ARGS ?=
# On SQLite every test has a database file of its own, so the suite runs on every core; on
# PostgreSQL the tests share one database and run one at a time.
PYTEST_WORKERS ?= $(if $(TEST_DATABASE_URL),0,auto)
PORT ?= 5000
# The versions installed: pinned for the runtime, test and redis extras (see `lock`).
LOCK := requirements.lock
UV := uv==0.13.9

.PHONY: run test install install-test system-deps translations db lint clean messages lock lock-upgrade

run: install system-deps translations db
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: install-test system-deps translations
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

# The app and its dependencies at the versions requirements.lock pins (as constraints, so
# `make run` installs only the runtime and redis ones).
$(VENV)/.installed: pyproject.toml $(LOCK)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[redis]'
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c $(LOCK) -e '.[test,redis]'
	touch $@

# After changing the dependencies in pyproject.toml: pin them again, keeping the versions
# already pinned where they still fit; `lock-upgrade` moves every pin to the newest that fits.
# Then run `make test` and commit requirements.lock.
lock lock-upgrade:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet '$(UV)'
	$(BIN)/uv pip compile --quiet --universal --python-version 3.11 --extra test --extra redis \
	  --custom-compile-command "make lock" \
	  $(if $(filter lock-upgrade,$@),--upgrade) -o $(LOCK) pyproject.toml

# Fonts for Chinese and emoji, Pango for WeasyPrint, poppler and Chromium for the tests.
system-deps:
	@missing=""; \
	fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing="$$missing fonts-noto-cjk"; \
	fc-list 2>/dev/null | grep -q "Noto Color Emoji" || missing="$$missing fonts-noto-color-emoji"; \
	ldconfig -p 2>/dev/null | grep -q libpango-1.0 || missing="$$missing libpango-1.0-0 libpangoft2-1.0-0"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v xmllint >/dev/null || missing="$$missing libxml2-utils"; \
	test -x /usr/bin/chromium || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing system packages:$$missing"; \
	    apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing; \
	  else \
	    echo "Missing system packages. Run: sudo apt-get install -y$$missing"; exit 1; \
	  fi; \
	fi

translations: install
	$(BIN)/pybabel compile --use-fuzzy -d conference/translations

db: install translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty

lint: install-test
	$(BIN)/ruff check conference tests bench

clean:
	rm -rf $(VENV) .pytest_cache

# After changing UI strings: refresh the catalogue, translate the new entries, commit the .po.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k lazy_ngettext:1,2 --no-location -o /tmp/conference-messages.pot .
	$(BIN)/pybabel update -i /tmp/conference-messages.pot -d conference/translations --no-fuzzy-matching
