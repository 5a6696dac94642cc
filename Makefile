# Two commands matter: `make run` and `make test`. Everything else is a step they use.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# The locks (requirements/*.lock, made by `make lock`): every package pinned with its sha256 hashes.
# runtime.lock: what `make run` needs; dev.lock: runtime + the test extra (tests, lint, types, audit),
# complete by itself; bench.lock: runtime + the bench extra, laid on top by `make bench`.
LOCKS  := requirements
STAMP         := $(VENV)/.installed
RUNTIME_STAMP := $(VENV)/.installed-runtime
BENCH_STAMP   := $(VENV)/.installed-bench

.PHONY: run test test-postgres audit build system bench clean lock lint

# pip installs nothing that is not in the lock with a matching hash; then the project itself,
# editable, without dependencies and built with the locked setuptools (no unpinned download).
define install-lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --require-hashes -r $(1)
	$(BIN)/pip install --quiet --no-deps --no-build-isolation -e .
endef

$(RUNTIME_STAMP): $(LOCKS)/runtime.lock pyproject.toml
	$(call install-lock,$(LOCKS)/runtime.lock)
	touch $@

# dev.lock holds all of runtime.lock at the same versions, so it stands in for the runtime stamp too.
$(STAMP): $(LOCKS)/dev.lock $(LOCKS)/runtime.lock pyproject.toml
	$(call install-lock,$(LOCKS)/dev.lock)
	touch $@ $(RUNTIME_STAMP)

$(BENCH_STAMP): $(LOCKS)/bench.lock $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet --require-hashes -r $(LOCKS)/bench.lock
	touch $@

system:
	bash .ci/system-deps

build: $(RUNTIME_STAMP)
	$(BIN)/buurtwijzer build

run: system build
	$(BIN)/buurtwijzer serve --host 127.0.0.1 --port 8080

test: system $(STAMP) build lint
	$(BIN)/python -m pytest

# ruff: pyflakes, pycodestyle, bugbear, pyupgrade and import order, and the format (pyproject.toml [tool.ruff]);
# mypy, strict on knowledge/ and intents/ (pyproject.toml [tool.mypy]).
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

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
bench: $(BENCH_STAMP) build
	-bash .ci/system-deps postgres
	BUURTWIJZER_DATABASE_URL=$${BUURTWIJZER_DATABASE_URL:-$$(bash .ci/postgres 2>/dev/null)} $(BIN)/python -m benchmarks

# Regenerate the three locks from pyproject.toml ([project] dependencies and the test and bench
# extras), with uv (pinned below, in its own venv) resolving against PyPI for CPython 3.11 on Linux.
# Existing pins are kept; only what pyproject.toml added or dropped changes. To move versions:
# `make lock LOCK_ARGS="--upgrade-package flask"` (or LOCK_ARGS=--upgrade for everything).
UV_PIN   := uv==0.13.8
LOCK_UV  := $(VENV)/lock-tool/bin/uv
COMPILE   = $(LOCK_UV) pip compile pyproject.toml --quiet --generate-hashes --python-version 3.11 \
            --python-platform linux --no-strip-extras --custom-compile-command "make lock" $(LOCK_ARGS)
$(LOCK_UV):
	$(PYTHON) -m venv $(VENV)/lock-tool
	$(VENV)/lock-tool/bin/pip install --quiet $(UV_PIN)

lock: $(LOCK_UV)
	$(COMPILE) -o $(LOCKS)/runtime.lock
	$(COMPILE) --extra test -c $(LOCKS)/runtime.lock -o $(LOCKS)/dev.lock
	$(COMPILE) --extra bench -c $(LOCKS)/dev.lock -o $(LOCKS)/bench.lock
	@grep -q '^setuptools==' $(LOCKS)/runtime.lock \
	  || { echo "runtime.lock has no setuptools (came via spacy/thinc): the editable install needs it"; exit 1; }

clean:
	rm -rf var $(VENV)
