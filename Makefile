# souverain — two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_OUT ?= demo-output
BENCH ?=
REV ?= HEAD

.PHONY: demo test lint typecheck contracts catalog unit bench same-results clean

$(BIN)/.installed: pyproject.toml
	@# PDF reports (WeasyPrint) need Pango: install Debian's packages when it is missing.
	@if ! ldconfig -p | grep -q 'libpango-1.0'; then \
	  echo "Pango not found: installing libpango-1.0-0 libpangoft2-1.0-0 (PDF reports)"; \
	  apt-get update -qq && apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0; \
	fi
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip==25.3
	$(BIN)/pip install --quiet -e .
	touch $@

$(BIN)/.installed-dev: $(BIN)/.installed pyproject.toml
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

demo: $(BIN)/.installed
	$(BIN)/souverain demo --output $(DEMO_OUT)

test: $(BIN)/.installed-dev
	$(MAKE) lint typecheck contracts catalog unit

lint: $(BIN)/.installed-dev
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/ruff format --check src tests benchmarks scripts

typecheck: $(BIN)/.installed-dev
	$(BIN)/mypy src

contracts: $(BIN)/.installed-dev
	$(BIN)/lint-imports

catalog: $(BIN)/.installed-dev
	$(BIN)/souverain catalog validate --lang en

unit: $(BIN)/.installed-dev
	$(BIN)/pytest

bench: $(BIN)/.installed-dev
	$(BIN)/python benchmarks/run.py $(BENCH)

# The examples' audit, roadmap and scenario JSON at git revision REV and in the working
# tree, compared (scripts/same_results.py): a refactoring must leave them the same.
same-results: $(BIN)/.installed
	$(BIN)/python scripts/same_results.py $(REV) $(IGNORE)

clean:
	rm -rf $(VENV) $(DEMO_OUT) .mypy_cache .pytest_cache .ruff_cache
