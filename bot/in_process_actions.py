"""Our custom actions run inside the Rasa server's own process, when endpoints.yml says so.

The action server answers two or three calls per visitor message (the form's slot extraction, its
validation, the next question). Over HTTP each call encodes the tracker to JSON, crosses loopback, is
decoded by a second process, and its answer comes back the same way. With `url: "inprocess://actions"`
(bot/rasa_compat.py routes a request to that address here) the same rasa_sdk executor runs the same
actions on the same dictionaries, with no encoding and no second process. A rejection or an unknown
action gets the HTTP status the action server would give, so Rasa handles it exactly as before.
"""

from __future__ import annotations

import json
import logging
from functools import lru_cache
from typing import Any, Dict

from rasa_sdk.executor import ActionExecutor
from rasa_sdk.interfaces import ActionExecutionRejection, ActionNotFoundException

IN_PROCESS_URL = "inprocess://actions"
ACTIONS_PACKAGE = "actions"
logger = logging.getLogger(__name__)


def is_in_process(url: Any) -> bool:
    return str(url or "").startswith("inprocess:")


@lru_cache(maxsize=1)
def executor() -> ActionExecutor:
    found = ActionExecutor()
    found.register_package(ACTIONS_PACKAGE)
    return found


def health() -> str:
    """ "ok" when the actions are loaded and registered, as the action server's /health would say."""
    try:
        return "ok" if executor().actions else "no actions registered"
    except Exception as error:  # noqa: BLE001  any failure to load the actions is "not ready"
        return f"failed ({type(error).__name__})"


class InProcessActionError(Exception):
    """What the action server's HTTP error would have carried: a status and a JSON body."""

    def __init__(self, status: int, body: Dict[str, Any]) -> None:
        super().__init__(body.get("error"))
        self.status = status
        self.text = json.dumps(body)


async def run(action_call: Dict[str, Any]) -> Dict[str, Any]:
    try:
        return await executor().run(action_call)
    except ActionExecutionRejection as e:
        logger.debug(e)
        raise InProcessActionError(400, {"error": e.message, "action_name": e.action_name}) from e
    except ActionNotFoundException as e:
        logger.error(e)
        raise InProcessActionError(404, {"error": e.message, "action_name": e.action_name}) from e
