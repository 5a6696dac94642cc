# Two commands matter: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test test-postgres audit build system bench clean lock lint

$(STAMP): requirements.lock pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

system:
	bash .ci/system-deps

build: $(STAMP)
	$(BIN)/buurtwijzer build

run: system build
	$(BIN)/buurtwijzer serve --host 127.0.0.1 --port 8080

test: system build lint
	$(BIN)/python -m pytest

# ruff: pyflakes, pycodestyle, bugbear, pyupgrade and import order, and the format (pyproject.toml [tool.ruff]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# The same suite against the PostgreSQL backend. Uses BUURTWIJZER_DATABASE_URL when set,
# otherwise starts Debian's PostgreSQL on loopback (needs root, as in CI).
test-postgres:
	bash .ci/system-deps postgres
	url=$${BUURTWIJZER_DATABASE_URL:-$$(bash .ci/postgres)} && test -n "$$url" \
	  && BUURTWIJZER_DATABASE_URL=$$url $(MAKE) test

# Known vulnerabilities in the pinned dependencies (pip-audit).
audit: $(STAMP)
	$(BIN)/python .ci/audit

# Speed and memory report (docs/benchmark.md), in the default configuration, with ratios to a
# trivial handler measured in the same run; also starts Debian's PostgreSQL when it can, for the
# 1-vs-4-workers figures. Never part of `make test`.
bench: build
	-bash .ci/system-deps postgres
	BUURTWIJZER_DATABASE_URL=$${BUURTWIJZER_DATABASE_URL:-$$(bash .ci/postgres 2>/dev/null)} $(BIN)/python -m benchmarks

# Refresh the pinned versions after changing dependencies in pyproject.toml.
lock: $(STAMP)
	$(BIN)/pip freeze --exclude-editable | grep -v -i '^buurtwijzer' > requirements.lock

clean:
	rm -rf var $(VENV)
