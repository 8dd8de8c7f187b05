# The two commands: `make demo` and `make test`. Everything else is what they are made of.
PYTHON ?= python3.11
PORT ?= 8000
UV_VERSION := 0.13.8
UV := .tools/bin/uv
BIN := .venv/bin
export DJANGO_SETTINGS_MODULE := scpvn.settings

.PHONY: install demo serve test lint fmt bench messages worker

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

install: $(UV)  ## .venv with the locked dependencies (idempotent)
	$(UV) sync --frozen --python $(PYTHON) --quiet
	$(BIN)/python scripts/compile_messages.py

demo: install  ## migrate, load the Hanoi plan and demo data, serve on PORT
	$(BIN)/scpvn migrate --noinput
	$(BIN)/scpvn demo load
	@echo ""
	@echo "scpvn đang chạy tại (serving at) http://127.0.0.1:$(PORT)/ — Ctrl+C để dừng"
	$(BIN)/scpvn runserver 127.0.0.1:$(PORT)

test: install  ## lint, migrations check, deploy check, tests on SQLite (+ PostgreSQL)
	bash scripts/test.sh

lint: install
	$(BIN)/ruff check src bench scripts
	$(BIN)/ruff format --check src bench scripts

fmt: install
	$(BIN)/ruff check --fix src bench scripts
	$(BIN)/ruff format src bench scripts

bench: install  ## speed ratios against baselines measured in the same run
	$(BIN)/python -m bench

messages: install  ## refresh the English .po catalogs from the sources
	bash scripts/make_messages.sh

worker: install  ## the background task worker (reminders, imports, indicator recomputation)
	$(BIN)/scpvn db_worker
