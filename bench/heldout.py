"""The held-out NLU figures, measured by the benchmark run through the live server's /model/parse.

The same file and the same scoring as `make evaluate-nlu` and the slow model test (bot/tasks/evaluate_nlu.py);
the live server parses with the same `Agent.parse_message` those call in-process.
"""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any, Dict

from bot import PROJECT_ROOT
from bot.tasks.evaluate_nlu import HELDOUT, Report, load_examples


def parse(base: str, token: str, text: str) -> Dict[str, Any]:
    request = urllib.request.Request(
        f"{base}/model/parse?{urllib.parse.urlencode({'token': token})}",
        data=json.dumps({"text": text}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def measure(base: str, token: str, data: Path = HELDOUT) -> Dict[str, Any]:
    report = Report()
    for text, intent, entities in load_examples(data):
        report.add(text, intent, parse(base, token, text), entities)
    summary = report.summary()
    summary["file"] = str(data.relative_to(PROJECT_ROOT)) if data.is_relative_to(PROJECT_ROOT) else str(data)
    return summary
