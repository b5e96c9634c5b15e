"""`make run`: train if needed, start the action server and Rasa (SQLite by default), stop on Ctrl-C."""

from __future__ import annotations

import sys
import time

from bot.tasks.env import auth_token, ports
from bot.tasks.services import ServiceError, Services, serve_until_stopped
from bot.tasks.supervise import Supervisor
from bot.tasks.train import train


def main() -> int:
    model = train()
    port = ports()
    token = auth_token()
    started = time.monotonic()
    services = Services(
        model=model, token=token, rasa_port=port["rasa"], action_port=port["actions"], web_port=port["web"]
    )
    actions = (
        "inside the Rasa process"
        if services.actions_in_process
        else f"http://127.0.0.1:{port['actions']}/health"
    )
    try:
        services.start()
    except ServiceError as error:
        print(f"could not start: {error}", file=sys.stderr)
        return 1
    print(
        f"""
Ready in {time.monotonic() - started:.0f} s.
  Demo clinic page with the chat widget:  http://127.0.0.1:{port["web"]}/
  Chat over REST:  curl -s -X POST http://127.0.0.1:{port["rasa"]}/webhooks/rest/webhook \\
                     -H 'Content-Type: application/json' -d '{{"sender": "me", "message": "hi"}}'
  HTTP API:        http://127.0.0.1:{port["rasa"]}/status?token=<RASA_AUTH_TOKEN from .env>
  Actions:         {actions}
  Logs:            var/log/
Press Ctrl-C to stop.""",
        flush=True,
    )
    # Rasa is restarted when it dies; the action server or the web app dying still stops everything.
    supervisor = Supervisor(services.children, services.spawn, restart=("rasa",))
    serve_until_stopped(services.stop, supervisor.check)
    return 1 if supervisor.gave_up else 0


if __name__ == "__main__":
    sys.exit(main())
