#!/usr/bin/env bash
# Make .venv with Python 3.10 (what Rasa 3.6 supports) and install the pinned dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

find_python() {
  for candidate in "${PYTHON:-}" python3.10 /root/.pyenv/versions/3.10.13/bin/python3 \
                   "$HOME/.pyenv/versions/3.10.13/bin/python3" /usr/bin/python3.10; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 && \
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 10) else 1)' 2>/dev/null; then
      command -v "$candidate"; return 0
    fi
  done
  for candidate in "$HOME"/.pyenv/versions/3.10.*/bin/python3; do
    [ -x "$candidate" ] && { echo "$candidate"; return 0; }
  done
  return 1
}

if [ ! -x .venv/bin/python ]; then
  python=$(find_python) || { echo "Python 3.10 not found: install it (Rasa 3.6 needs 3.8-3.10) or set PYTHON=/path/to/python3.10" >&2; exit 1; }
  echo "making .venv with $python"
  "$python" -m venv .venv
fi
# pip's own cache (~/.cache/pip) is kept outside the clone, so a second install is quick.
.venv/bin/python -m pip install --quiet --upgrade "pip<25" wheel
.venv/bin/python -m pip install --quiet -r requirements.txt -c constraints.txt
# The widget's browser dependency (socket.io client), pinned in package-lock.json.
if command -v npm >/dev/null 2>&1; then
  npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
else
  echo "npm not found: install Node.js (the widget bundles socket.io-client from npm)" >&2; exit 1
fi
echo "dependencies installed in .venv and node_modules"
