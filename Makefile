# Everything a contributor or CI needs: `make serve` and `make test` set up .venv on first use.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
EVENTS ?= events
OUTPUT ?= output
SETTINGS ?= pelicanconf.py
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONPATH := $(CURDIR)/plugins

.PHONY: help install chromium bench world-atlas validate stats new linkcheck schema import-timelinejs build publish serve test clean

help:
	@echo "make serve     set up, validate, build into $(OUTPUT)/, serve at http://$(HOST):$(PORT) and rebuild on changes"
	@echo "make test      set up and run the test suite"
	@echo "make validate  check the event records (EVENTS=<dir> for another folder)"
	@echo "make new       scaffold a record: make new DATE=2021-03-22 TYPE=sanction ACTORS=canada TITLE=\"...\" (asks when run without)"
	@echo "make linkcheck check every source address (needs the network; never part of the build)"
	@echo "make schema    rewrite events/event.schema.json after changing a registry"
	@echo "make stats     print the events per year, type, stance and region"
	@echo "make import-timelinejs FILE=... TYPE=... STANCE=... ACTORS=a,b   draft records from a TimelineJS timeline"
	@echo "make build     validate and build into $(OUTPUT)/, rewriting only what changed (EVENTS=<dir>, OUTPUT=<dir>, FULL=1 to rewrite all)"
	@echo "make bench     build synthetic datasets of 1,000 and 10,000 events and print speed and size figures"
	@echo "make publish   build with publishconf.py (production URLs)"

$(BIN)/.installed: requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.x")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	@touch $@

install: $(BIN)/.installed

validate: install
	$(BIN)/python -m timeline --settings $(SETTINGS) validate --events $(EVENTS)

stats: install
	$(BIN)/python -m timeline --settings $(SETTINGS) stats --events $(EVENTS)

new: install
	$(BIN)/python -m timeline --settings $(SETTINGS) new --events $(EVENTS) --date "$(DATE)" --type "$(TYPE)" --actors "$(ACTORS)" --title "$(TITLE)" --stance "$(STANCE)"

linkcheck: install
	$(BIN)/python -m timeline --settings $(SETTINGS) linkcheck --events $(EVENTS)

schema: install
	$(BIN)/python -m timeline --settings $(SETTINGS) schema --events $(EVENTS)

import-timelinejs: install
	$(BIN)/python -m timeline --settings $(SETTINGS) import-timelinejs "$(FILE)" --type "$(TYPE)" --stance "$(STANCE)" --actors "$(ACTORS)" --events $(EVENTS)

build: install
	$(BIN)/python -m timeline --settings $(SETTINGS) build --events $(EVENTS) --output $(OUTPUT) $(if $(FULL),--full)

publish: SETTINGS = publishconf.py
publish: build

serve: install
	$(BIN)/python -m timeline --settings $(SETTINGS) serve --events $(EVENTS) --output $(OUTPUT) --bind $(HOST) --port $(PORT)

# Browser tests drive Debian's chromium (or the browser at CHROMIUM); install it when missing (root or sudo needed).
CHROMIUM ?= /usr/bin/chromium
export CHROMIUM
chromium:
	@test -x $(CHROMIUM) || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi; }

# The real TimelineJS library, for the test that loads our export in it (npm registry, pinned).
TIMELINEJS := tests/.cache/timelinejs/node_modules/@knight-lab/timelinejs/dist/js/timeline.js
$(TIMELINEJS):
	npm install --prefix tests/.cache/timelinejs --no-audit --no-fund --silent @knight-lab/timelinejs@3.9.11

test: install chromium $(TIMELINEJS)
	$(BIN)/python -m pytest

# Speed and size figures, with Pelican's own pipeline measured in the same run. BENCH_FLAGS=--with-50k adds 50,000 events.
bench: install chromium $(TIMELINEJS)
	PYTHONPATH=$(CURDIR)/plugins:$(CURDIR)/bench $(BIN)/python bench/run.py $(BENCH_FLAGS)

# Copy the Natural Earth country outlines again from the world-atlas package (the build itself needs no Node.js).
world-atlas: install
	cd "$$(mktemp -d)" && npm pack world-atlas@2.0.2 --silent && tar xzf world-atlas-2.0.2.tgz && cp package/countries-110m.json $(CURDIR)/plugins/timeline/data/
	$(BIN)/python -c "from timeline.worldmap import write_country_shapes; write_country_shapes()"

clean:
	rm -rf $(OUTPUT) cache .pytest_cache
