#!/usr/bin/env bash
# `make test`: lint, then every test: rules, slot filling, language layer, actions, the contract, data
# validation, test stories, held-out NLU figures, live REST conversations and the widget in Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
export SQLALCHEMY_SILENCE_UBER_WARNING=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONPATH="$PWD"

# Browser tests use Debian's Chromium (never a downloaded browser); install it where missing.
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "== installing Debian's chromium for the browser tests"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "chromium is missing: install Debian's chromium package (the browser tests need it)" >&2
  fi
fi

echo "== lint (ruff)"
.venv/bin/ruff check bot actions tests bench
echo "== tests"
# Fast tests first, so a broken rule fails in seconds; then model, servers and browser.
if [ "$#" -eq 0 ]; then set -- tests/unit tests/console tests/test_data.py tests/slow tests/scale; fi
.venv/bin/python -m pytest -v -rs --durations=10 "$@"
