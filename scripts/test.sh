#!/usr/bin/env bash
# `make test`: lint, the contract, data validation, then every test (fast ones first).
set -euo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH="$PWD"

echo "== lint (ruff)"
.venv/bin/ruff check bot actions tests
echo "== data validation (rasa data validate)"
.venv/bin/rasa data validate --domain domain.yml --data data/nlu data/rules data/stories --fail-on-warnings 2>&1 | tail -n 5
echo "== tests"
.venv/bin/python -m pytest -v -rs --durations=10 "$@"
