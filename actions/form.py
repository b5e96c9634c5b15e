"""The screening form: which questions to ask, how answers are checked, and how each is asked."""

from __future__ import annotations

import re
from typing import Any, Callable, Dict, List

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.answers import answer_to_benefit_asked
from actions.common import answers_from, domain_or_project
from bot.knowledge import label, label_list, recovery
from bot.screening import does_it_count
from bot.screening.answers import read_answer
from bot.screening.facts import DAYS_SKIPPED
from bot.vocabulary import (
    ALREADY_NOTED,
    ANSWERS_CONFIRMED,
    ASKED_IF_IT_COUNTS,
    CHANGEABLE_SLOTS,
    CONDITIONS,
    CONSENT,
    DAYS_SINCE_PROCEDURE,
    GOALS,
    LIFESTYLE,
    LIST_SLOTS,
    PAST_CONDITIONS,
    QUESTION_MISSES,
    RECENT_PROCEDURES,
    REQUESTED_SLOT,
    SCREENING_SLOTS,
    SKIN_TYPE,
    SKIN_TYPES,
    SKIP_OFFERED_AFTER,
    SKIPPED_QUESTIONS,
    UNRECOGNISED,
)

# A reply of at most this many words may decline by intent alone ("nah", "no thank you").

MISSES = QUESTION_MISSES
CONSENT_NO_CHECKED = "consent_no_checked"  # in MISSES: a typed "no" at the consent question was checked once


HEALTH_LIST_REMINDER = (
    "If anything else applies, such as pregnancy, blood thinners, a skin infection, a pacemaker or epilepsy,"
    " please tell me too."
)
# How the summary's buttons and "Noted: ..." name each question.
CHANGEABLE = dict(
    zip(CHANGEABLE_SLOTS, ("Skin type", "Health", "Recent treatments", "Lifestyle", "Goals"), strict=True)
)


def _when(days: float | None, verb: str = "") -> str:
    prefix = f"{verb} " if verb else ""
    return f"{prefix}about {int(days)} days ago" if days is not None else f"{prefix}date not given"


def summary_text(tracker: Tracker) -> str:
    answers = answers_from(tracker)
    procedures = ", ".join(
        f"{label('procedure', p)} ({_when(answers.days_for(p))})" for p in answers.recent_procedures
    )
    health = label_list("condition", answers.conditions)
    ended = [f"{label('condition', c)} ({_when(days, 'ended')})" for c, days in answers.past_conditions]
    lines = [
        "Here's what you told me:",
        f"• Skin type: {label('skin_type', answers.skin_type) if answers.skin_type else 'not given'}",
        f"• Health: {health}" + (f"; in the past: {', '.join(ended)}" if ended else ""),
        f"• Recent treatments: {procedures or 'none'}",
        f"• Lifestyle: {label_list('habit', answers.lifestyle)}",
        f"• Goals: {label_list('benefit', answers.goals, empty='not given')}",
    ]
    if answers.skipped:
        lines.append(f"• Skipped: {', '.join(q.replace('_', ' ') for q in answers.skipped)}")
    lines.append("Is that right?")
    return "\n".join(lines)


def _validates_list(slot: str) -> Callable[..., Dict[str, Any]]:
    """The validate_<slot> method of a question answered by a list (the SDK finds it by that name)."""

    def validate(
        self: ValidateScreeningForm,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[str, Any]:
        return self._validate_list(slot, value, dispatcher, tracker)

    validate.__name__ = f"validate_{slot}"
    return validate


def _answer_goal_asked_about(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """ "Could it help my jowls?" at the goals question is the goal, and a question that gets its answer
    before the summary (bot/screening/facts.py takes the goal from it)."""
    if (tracker.latest_message.get("intent") or {}).get("name") != "ask_benefit":
        return
    _, answer = answer_to_benefit_asked(tracker)
    if answer:
        dispatcher.utter_message(text=answer)


class ValidateScreeningForm(FormValidationAction):
    def name(self) -> str:
        return "validate_screening_form"

    async def required_slots(
        self,
        domain_slots: List[str],
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> List[str]:
        if tracker.get_slot(CONSENT) is False:
            return [CONSENT]  # no consent, no screening: the form ends and general answers go on
        procedures = tracker.get_slot("recent_procedures")
        # Asked while any treatment lacks its own time (facts.py leaves it empty until then).
        needs_date = isinstance(procedures, list) and len(procedures) > 0
        return [s for s in domain_slots if s != DAYS_SINCE_PROCEDURE or needs_date]

    def domain_slots(self, domain: DomainDict) -> List[str]:
        return super().domain_slots(domain_or_project(domain))

    def _failed(
        self, slot: str, dispatcher: CollectingDispatcher, tracker: Tracker, value: Any = None
    ) -> Dict[str, Any]:
        if value == ASKED_IF_IT_COUNTS:
            # "does the pill count?": whether it does, and the question again; no miss
            message = tracker.latest_message
            said = does_it_count.reply(slot, message.get("text") or "", message.get("entities") or [])
            if said:
                dispatcher.utter_message(text=said)
            return {slot: None}
        if value == ALREADY_NOTED:
            # Only facts already given, said again: no miss; the question comes again (the form asks it).
            dispatcher.utter_message(text="Thanks, I have that already.")
            return {slot: None}
        misses = dict(tracker.get_slot(MISSES) or {})
        misses[slot] = int(misses.get(slot) or 0) + 1
        unnamed = (recovery().get("unnamed") or {}).get(slot) or {}
        text = (tracker.latest_message.get("text") or "").lower()
        if misses[slot] < 2 and unnamed and re.search(unnamed["pattern"], text):
            # "tablets for my heart": asked which, with the ones that matter here (recovery.yml)
            dispatcher.utter_message(text=unnamed["say"])
        elif misses[slot] < 2:
            dispatcher.utter_message(response="utter_not_understood")
        # From the second miss on, action_ask_<slot> says something new each time (misses_help).
        return {slot: None, MISSES: misses}

    def _accepted(
        self, slot: str, value: Any, tracker: Tracker, dispatcher: CollectingDispatcher
    ) -> Dict[str, Any]:
        # A fact given while another question was pending: say we noted it.
        if tracker.get_slot(REQUESTED_SLOT) not in (slot, None) and value not in (None, []):
            kind = LIST_SLOTS.get(slot)
            shown = label_list(kind, value) if kind else label(slot, str(value))
            if slot == CONDITIONS and not tracker.get_slot(CONDITIONS):
                # The health question is not asked again once filled (SPEC), so the rest of its list is
                # offered here: one condition said in passing must not hide a pregnancy or a blood thinner.
                dispatcher.utter_message(
                    text=f"Noted: {CHANGEABLE.get(slot, slot).lower()}: {shown}. {HEALTH_LIST_REMINDER}"
                )
            elif slot != DAYS_SINCE_PROCEDURE:
                dispatcher.utter_message(text=f"Noted: {CHANGEABLE.get(slot, slot).lower()}: {shown}.")
        misses = dict(tracker.get_slot(MISSES) or {})
        misses.pop(slot, None)  # answered: a later change of this answer starts afresh
        return {slot: value, MISSES: misses}

    def _validate_list(
        self, slot: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> Dict[str, Any]:
        if value == UNRECOGNISED or not isinstance(value, list):
            return self._failed(slot, dispatcher, tracker, value)
        if slot == GOALS and not value and GOALS not in (tracker.get_slot(SKIPPED_QUESTIONS) or []):
            return self._failed(slot, dispatcher, tracker)
        if slot == GOALS and tracker.get_slot(REQUESTED_SLOT) == GOALS:
            _answer_goal_asked_about(dispatcher, tracker)
        return self._accepted(slot, value, tracker, dispatcher)

    def validate_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # Declining ends the screening, so only a plain "no" declines (data/lexicon/answers.yml, saying_no):
        # a reply the classifier heard as "deny" ("nope, I'm healthy, no meds", "none", "nothing in years")
        # is an answer to a later question said early, and the visitor is asked for a yes or a no.
        if value is False:
            text = tracker.latest_message.get("text") or ""
            pressed = text.startswith("/")  # the "No, just questions" button: never second-guessed
            if not pressed and read_answer(text, CONSENT) is not False:
                dispatcher.utter_message(response="utter_consent_first")
                return {CONSENT: None}
            # A typed "no" from someone who has been answering the screening's questions at this one is
            # more likely a "no" to a question they think they are on ("no" to treatments) than a refusal:
            # once, say what a "no" here means and ask again (the buttons, or a second "no", decide).
            misses = dict(tracker.get_slot(MISSES) or {})
            answered_early = any(tracker.get_slot(slot) not in (None, []) for slot in CHANGEABLE_SLOTS)
            if answered_early and not pressed and not misses.get(CONSENT_NO_CHECKED):
                dispatcher.utter_message(response="utter_consent_no_check")
                return {CONSENT: None, MISSES: {**misses, CONSENT_NO_CHECKED: 1}}
        # Tells the widget whether it may keep the transcript in the page's storage.
        if value in (True, False):
            dispatcher.utter_message(json_message={"type": "consent", "kept": value})
        return {CONSENT: value}

    def validate_skin_type(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        if value not in SKIN_TYPES:
            return self._failed(SKIN_TYPE, dispatcher, tracker, value)
        return self._accepted(SKIN_TYPE, value, tracker, dispatcher)

    validate_conditions = _validates_list(CONDITIONS)
    validate_recent_procedures = _validates_list(RECENT_PROCEDURES)
    validate_lifestyle = _validates_list(LIFESTYLE)
    validate_goals = _validates_list(GOALS)

    def validate_days_since_procedure(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        try:
            days = float(value)
        except (TypeError, ValueError):
            return self._failed(DAYS_SINCE_PROCEDURE, dispatcher, tracker, value)
        if days == DAYS_SKIPPED or 0 <= days <= 365 * 80:
            return self._accepted(DAYS_SINCE_PROCEDURE, days, tracker, dispatcher)
        return self._failed(DAYS_SINCE_PROCEDURE, dispatcher, tracker)

    def validate_past_conditions(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # An ended condition said while another question is pending ("finished chemo in September" at the
        # treatments question) is noted like any other fact, so the question is not simply asked again.
        if tracker.get_slot(REQUESTED_SLOT) not in (CONDITIONS, None) and isinstance(value, dict):
            said = {
                e.get("value")
                for e in tracker.latest_message.get("entities") or []
                if e.get("entity") == "condition" and e.get("role") == "past"
            }
            ended = [
                f"{label('condition', code)} ({_when(days, 'ended')})"
                for code, days in value.items()
                if code in said
            ]
            if ended:
                dispatcher.utter_message(text=f"Noted: health in the past: {', '.join(ended)}.")
        return {PAST_CONDITIONS: value}

    def validate_answers_confirmed(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[str, Any]:
        # "No" to the summary: ask again, and action_ask_answers_confirmed offers what to change.
        return {ANSWERS_CONFIRMED: True if value is True else None}


def misses_help(slot: str, misses: int, responses: Dict[str, Any]) -> Dict[str, Any]:
    """What to say when asking `slot` after `misses` unreadable answers: text and buttons. Each further
    miss says something new (data/knowledge/recovery.yml), never the same rephrase again."""
    asked = ((responses.get(f"utter_ask_{slot}") or [{}])[0]).copy()
    if misses < 2:
        return {"text": asked.get("text"), "buttons": asked.get("buttons") or []}
    if misses == 2:
        plain = (responses.get(f"utter_rephrase_{slot}") or [asked])[0]
        return {"text": plain.get("text"), "buttons": plain.get("buttons") or []}
    help_data = recovery()
    if misses < SKIP_OFFERED_AFTER:
        examples = ", ".join(help_data["examples"][slot])
        text = f"{asked.get('text')}\nYou can answer in your own words, for example: {examples}."
        return {"text": text, "buttons": asked.get("buttons") or []}
    text = (
        "Shall we skip this question? " + help_data["skip_means"][slot] + " Or answer in a few words, "
        "or use a button."
    )
    buttons = [
        {"title": "Skip this question", "payload": "/skip_question"},
        *(asked.get("buttons") or [])[:3],
        {"title": "Stop the check", "payload": "/stop_screening"},
    ]
    return {"text": text, "buttons": buttons}


class AskSlotMixin:
    """Ask a question; after misses, ask it in ways that help more each time (misses_help).

    A mixin, not an Action: the SDK registers every Action subclass, and this one has no name."""

    slot: str = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        misses = int((tracker.get_slot(MISSES) or {}).get(self.slot) or 0)
        responses = domain_or_project(domain).get("responses") or {}
        if not responses.get(f"utter_ask_{self.slot}"):
            dispatcher.utter_message(response=f"utter_ask_{self.slot}")
            return []
        # Sent as text and buttons, not as a response name: Rasa's response templating reads the
        # buttons' {"entity": ...} payloads as slot placeholders and logs an error per button.
        message = misses_help(self.slot, misses, responses)
        dispatcher.utter_message(text=message["text"], buttons=message["buttons"])
        return []


# One ask action per question, each a class so the SDK registers it under its own name.
for _slot in SCREENING_SLOTS:
    _name = "ActionAsk" + _slot.title().replace("_", "")
    globals()[_name] = type(_name, (AskSlotMixin, Action), {"slot": _slot})


class ActionAskAnswersConfirmed(Action):
    def name(self) -> str:
        return "action_ask_answers_confirmed"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
    ) -> List[Dict[str, Any]]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        buttons = [
            {"title": f"Change: {title}", "payload": f'/change_answer{{"answer_field": "{slot}"}}'}
            for slot, title in CHANGEABLE.items()
        ]
        if intent == "deny" and tracker.get_slot(REQUESTED_SLOT) == ANSWERS_CONFIRMED:
            dispatcher.utter_message(text="Which answer would you like to change?", buttons=buttons)
            return []
        dispatcher.utter_message(
            text=summary_text(tracker),
            buttons=[{"title": "Yes, that's right", "payload": "/affirm"}] + buttons,
        )
        return []
