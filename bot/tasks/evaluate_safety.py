"""The language layer alone (no Rasa model) over safety sets: a quick loop for tuning the lexicon.

    python -m bot.tasks.evaluate_safety --heldout data/safety/dev_round5b.yml   # figures, every miss
    python -m bot.tasks.evaluate_safety --counts tests/safety/redflags_test.yml

Escalated means what the language layer alone would escalate: a stated red flag (the patterns, then
the learned reader), or an acute symptom in the visitor's own words (bot/nlu/safety_override.py).
A development file is only a fair test of the learned reader when it was left out of its training:
`--heldout` trains a reader on the other development files and the NLU data, in memory, first.
The live figures (tests/slow/test_safety.py) add Rasa's intent classifier on top. The test set is
read with `--counts` only, so nobody tunes on it by accident.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

from bot.nlu import red_flag_model
from bot.nlu.red_flags import acute_symptom, find_red_flags, load_rules

SELF_HARM = "self_harm"


def escalates(text: str, rules, model) -> Tuple[bool, List[str]]:
    stated = [m.code for m in find_red_flags(text, rules, model) if m.stated]
    return bool(stated) or acute_symptom(text, rules), stated


def reader_without(paths: List[Path]) -> red_flag_model.RedFlagModel:
    safety, nlu, conversations = red_flag_model.default_sources()
    left_out = {p.resolve() for p in paths}
    kept = [p for p in safety if p.resolve() not in left_out]
    return red_flag_model.RedFlagModel(
        red_flag_model.fit(*red_flag_model.training_set(kept, nlu, conversations))
    )


def evaluate(paths: List[Path], model=None) -> Dict[str, object]:
    rules = load_rules()
    model = model if model is not None else red_flag_model.load()
    missed: List[Tuple[str, str]] = []
    no_crisis: List[str] = []
    alarms: List[Tuple[str, str]] = []
    flags = looks = 0
    for path in paths:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for code, utterances in (data.get("red_flags") or {}).items():
            for text in utterances:
                flags += 1
                up, stated = escalates(text, rules, model)
                if not up:
                    missed.append((code, text))
                elif code == SELF_HARM and SELF_HARM not in stated:
                    no_crisis.append(text)
        for kind, utterances in (data.get("lookalikes") or {}).items():
            for text in utterances:
                looks += 1
                if escalates(text, rules, model)[0]:
                    alarms.append((kind, text))
    return {
        "flags": flags,
        "lookalikes": looks,
        "missed": missed,
        "no_crisis": no_crisis,
        "alarms": alarms,
    }


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--counts", action="store_true", help="figures and counts per category only")
    parser.add_argument("--heldout", action="store_true", help="train the learned reader without FILES")
    args = parser.parse_args(argv)
    result = evaluate(args.files, reader_without(args.files) if args.heldout else None)
    flags, looks = result["flags"], result["lookalikes"]
    missed, no_crisis, alarms = result["missed"], result["no_crisis"], result["alarms"]
    recall = 1 - len(missed) / flags if flags else 1.0
    alarm_rate = len(alarms) / looks if looks else 0.0
    print(f"red flags {flags}: recall {recall:.3f} ({len(missed)} missed)")
    print(f"self-harm without the crisis line: {len(no_crisis)}")
    print(f"look-alikes {looks}: false alarms {alarm_rate:.3f} ({len(alarms)})")
    if args.counts:
        counts: Dict[str, int] = {}
        for code, _ in missed:
            counts[code] = counts.get(code, 0) + 1
        for code, n in sorted(counts.items()):
            print(f"  missed {code}: {n}")
        return 0
    for code, text in missed:
        print(f"MISS  {code:22} {text}")
    for text in no_crisis:
        print(f"NOCRI {'self_harm':22} {text}")
    for kind, text in alarms:
        print(f"ALARM {kind:22} {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
