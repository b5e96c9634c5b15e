"""Start Rasa with the HTTP API token from $RASA_AUTH_TOKEN instead of the command line.

`rasa run --auth-token X` shows the token to anyone who can list processes (`ps`). This wrapper is
started without it and hands it to Rasa's own command-line entry point inside the process, so the
process list shows only `python -m bot.tasks.rasa_server run --model …`.

usage: RASA_AUTH_TOKEN=… python -m bot.tasks.rasa_server run [rasa run options]
"""

from __future__ import annotations

import os
import sys

# Imported by TensorFlow (its TFLite converter, inside `try: from jax import … except ImportError`) when
# installed, and used by nothing this bot runs: about 100 MB of the Rasa process's memory
# (docs/performance.md). Marking it absent makes that import fail as TensorFlow expects.
NOT_LOADED = ("jax",)


def leave_out_unused_modules() -> None:
    for name in NOT_LOADED:
        sys.modules.setdefault(name, None)  # type: ignore[arg-type]  (None: "import fails")


def main() -> None:
    token = os.environ.get("RASA_AUTH_TOKEN", "")
    if not token:
        sys.exit("RASA_AUTH_TOKEN is not set: the HTTP API must not run without a token")
    leave_out_unused_modules()
    from rasa.__main__ import main as rasa_main

    sys.argv = ["rasa", *sys.argv[1:], "--auth-token", token]
    rasa_main()


if __name__ == "__main__":
    main()
