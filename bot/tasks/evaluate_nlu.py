"""Evaluate a trained model on the held-out NLU file: intents, entities per type, and negation.

usage: python -m bot.tasks.evaluate_nlu [MODEL] [--data tests/nlu/heldout.yml] [--json OUT]
Prints intent accuracy, per-entity precision / recall / F1 (a mention counts when entity type,
canonical value and polarity all match), and negation accuracy. The held-out file is never
trained on (`rasa train` reads only data/).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Set, Tuple

from bot import PROJECT_ROOT
from bot.vocabulary import DENIED_ROLES, DURATION, NEGATABLE_ENTITIES, RATED_ANSWER, RED_FLAG

HELDOUT = PROJECT_ROOT / "tests" / "nlu" / "heldout.yml"
NEGATABLE = {*NEGATABLE_ENTITIES, RED_FLAG}

Mention = Tuple[str, str, str]  # (entity, value, polarity) with polarity "+" or "-"
# Intents that lose or reopen the visitor's answers when taken for one another (issue: understanding):
# a start read as a stop, a change read as a restart. Counted apart, and held to zero.
CONTROL_INTENTS = frozenset({"start_screening", "stop_screening", "restart_screening", "change_answer"})


def polarity(entity: Dict[str, Any]) -> str:
    return "-" if entity.get("role") in DENIED_ROLES else "+"


def mentions(entities: Iterable[Dict[str, Any]]) -> Set[Mention]:
    found = set()
    for e in entities:
        if e.get("entity") in (DURATION, RATED_ANSWER):
            found.add((e["entity"], "span", "+"))
            continue
        found.add((e["entity"], str(e.get("value")), polarity(e)))
    return found


@dataclass
class Report:
    examples: int = 0
    intent_correct: int = 0
    intent_errors: List[Tuple[str, str, str]] = field(default_factory=list)
    control_confusions: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    polarity_checked: int = 0
    polarity_correct: int = 0
    denied_returned_positive: List[Tuple[str, str]] = field(default_factory=list)
    entity_errors: List[Tuple[str, List[Mention], List[Mention]]] = field(default_factory=list)

    def add(self, text: str, gold_intent: str, predicted: Dict[str, Any], gold_entities: List[Dict]) -> None:
        self.examples += 1
        predicted_intent = predicted["intent"].get("name")
        full = predicted["intent"].get("full_retrieval_intent_name") or predicted_intent
        if gold_intent in (predicted_intent, full) or (
            gold_intent.startswith("faq/") and predicted_intent == "faq" and full == gold_intent
        ):
            self.intent_correct += 1
        else:
            self.intent_errors.append((text, gold_intent, full))
            if gold_intent in CONTROL_INTENTS and predicted_intent in CONTROL_INTENTS:
                self.control_confusions += 1
        gold = mentions(gold_entities)
        got = mentions(predicted.get("entities") or [])
        for m in gold & got:
            self.tp[m[0]] += 1
        for m in got - gold:
            self.fp[m[0]] += 1
        for m in gold - got:
            self.fn[m[0]] += 1
        if gold != got:
            self.entity_errors.append((text, sorted(gold - got), sorted(got - gold)))
        # Polarity, over every gold mention of a negatable thing, found or not: a denied or past one is
        # right unless it comes back as a plain positive (not returning it at all is allowed); a stated
        # one is right only if it comes back as stated.
        for entity, value, pol in gold:
            if entity not in NEGATABLE:
                continue
            self.polarity_checked += 1
            as_positive = (entity, value, "+") in got
            if (pol == "-" and not as_positive) or (pol == "+" and as_positive):
                self.polarity_correct += 1
            if pol == "-" and as_positive:
                self.denied_returned_positive.append((text, value))

    def prf(self, entity: str) -> Tuple[float, float, float]:
        tp, fp, fn = self.tp[entity], self.fp[entity], self.fn[entity]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def summary(self) -> Dict[str, Any]:
        entities = sorted(set(self.tp) | set(self.fp) | set(self.fn))
        per_entity = {
            e: dict(
                zip(("precision", "recall", "f1"), self.prf(e), strict=False), support=self.tp[e] + self.fn[e]
            )
            for e in entities
        }
        tp, fp, fn = sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values())
        micro_p = tp / (tp + fp) if tp + fp else 0.0
        micro_r = tp / (tp + fn) if tp + fn else 0.0
        return {
            "examples": self.examples,
            "intent_accuracy": self.intent_correct / self.examples if self.examples else 0.0,
            "control_confusions": self.control_confusions,
            "entity_micro_f1": 2 * micro_p * micro_r / (micro_p + micro_r) if micro_p + micro_r else 0.0,
            "per_entity": per_entity,
            "negation_accuracy": self.polarity_correct / self.polarity_checked
            if self.polarity_checked
            else 0.0,
            "negation_checked": self.polarity_checked,
            "denied_returned_positive": len(self.denied_returned_positive),
            "condition_recall": per_entity.get("condition", {}).get("recall", 0.0),
        }


def load_examples(path: Path) -> List[Tuple[str, str, List[Dict[str, Any]]]]:
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    examples = []
    for message in data.training_examples:
        intent = message.get("intent")
        key = message.get("intent_response_key")
        examples.append((message.get("text"), key or intent, message.get("entities") or []))
    return examples


async def evaluate(model: Path, data: Path = HELDOUT) -> Report:
    from rasa.core.agent import Agent

    agent = Agent.load(str(model))
    report = Report()
    for text, intent, entities in load_examples(data):
        report.add(text, intent, await agent.parse_message(text), entities)
    return report


def print_report(report: Report, out=None, texts: bool = True) -> None:
    """The figures; with `texts`, the utterances behind the errors too (never for the held-out file in the
    test run, whose log whoever tunes the data reads: counts by intent pair instead)."""
    out = out or sys.stdout
    s = report.summary()
    print(f"held-out NLU evaluation: {s['examples']} utterances", file=out)
    print(f"  intent accuracy      {s['intent_accuracy']:.3f}", file=out)
    print(f"  start/stop/restart/change confusions {s['control_confusions']}", file=out)
    print(f"  entity micro F1      {s['entity_micro_f1']:.3f}", file=out)
    print(
        f"  negation accuracy    {s['negation_accuracy']:.3f}  ({s['negation_checked']} mentions; "
        f"denied returned as positive: {s['denied_returned_positive']})",
        file=out,
    )
    print(f"  {'entity':<14}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}", file=out)
    for entity, m in s["per_entity"].items():
        print(
            f"  {entity:<14}{m['precision']:>10.3f}{m['recall']:>8.3f}{m['f1']:>8.3f}{m['support']:>9}",
            file=out,
        )
    by_kind: Dict[str, int] = defaultdict(int)
    for _, gold, _ in report.intent_errors:
        by_kind[gold] += 1
    if report.intent_errors:
        print("  intent errors (gold -> predicted):", file=out)
        if texts:
            for text, gold, got in report.intent_errors[:25]:
                print(f"    {gold} -> {got}: {text}", file=out)
        else:
            pairs = Counter((gold, got) for _, gold, got in report.intent_errors)
            for (gold, got), count in pairs.most_common():
                print(f"    {gold} -> {got}: {count}", file=out)
    for text, value in report.denied_returned_positive:
        print(f"  DENIED BUT POSITIVE: {value}" + (f": {text}" if texts else ""), file=out)


def main(argv: List[str]) -> int:
    from bot.tasks.train import model_path

    parser = argparse.ArgumentParser()
    parser.add_argument("model", nargs="?", default=None)
    parser.add_argument("--data", default=str(HELDOUT))
    parser.add_argument("--json", default=None)
    parser.add_argument("--errors", action="store_true", help="list every entity mismatch")
    args = parser.parse_args(argv[1:])
    report = asyncio.run(evaluate(Path(args.model) if args.model else model_path(), Path(args.data)))
    print_report(report)
    if args.errors:
        for text, missed, extra in report.entity_errors:
            print(f"  {text!r}: missed {missed} extra {extra}")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(report.summary(), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
