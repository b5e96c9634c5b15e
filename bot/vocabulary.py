"""The names several modules share: outcomes, slots, entities and roles. It imports nothing of ours.

Rasa reads the same names from domain.yml, the rules engine from data/knowledge/screening_rules.yml, and
other programs from data/contract.yml; tests/test_vocabulary.py checks that those files and this module
agree, so a name changes here and in the YAML together, and nowhere else.
"""

from __future__ import annotations

from types import MappingProxyType

# Outcomes, most severe first: the outcome is the most severe level any answer triggers.
SEEK_URGENT_CARE = "seek_urgent_care"
NOT_SUITABLE_NOW = "not_suitable_now"
NEEDS_MEDICAL_CLEARANCE = "needs_medical_clearance"
SUITABLE_WITH_PRECAUTIONS = "suitable_with_precautions"
LIKELY_SUITABLE = "likely_suitable"
OUTCOMES = (
    SEEK_URGENT_CARE,
    NOT_SUITABLE_NOW,
    NEEDS_MEDICAL_CLEARANCE,
    SUITABLE_WITH_PRECAUTIONS,
    LIKELY_SUITABLE,
)

# Entities (the NLU's output) and their roles.
SKIN_TYPE_ENTITY = "skin_type"
CONDITION = "condition"
PROCEDURE = "procedure"
HABIT = "habit"
BENEFIT = "benefit"
RED_FLAG = "red_flag"
DURATION = "duration"
ANSWER_FIELD = "answer_field"
RATING = "rating"
RATED_ANSWER = "rated_answer"
NEGATED = "negated"  # denied ("I'm not pregnant")
PAST = "past"  # given up ("quit smoking"): never a plain positive
QUESTION = "question"  # a red flag only asked about ("can it cause drooping?"): answered, not escalated
DENIED_ROLES = (NEGATED, PAST)
# Entities whose mentions may be denied or given up (red flags too, by their own narrower rules).
NEGATABLE_ENTITIES = (SKIN_TYPE_ENTITY, CONDITION, PROCEDURE, HABIT, BENEFIT)
RED_FLAG_ROLES = (NEGATED, PAST, QUESTION)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# The contract's canonical values (data/contract.yml `entities`, `faq_keys`).
CONDITION_VALUES = _names(
    "pregnancy breastfeeding bleeding_disorder anticoagulants hypertension diabetes epilepsy "
    "immunosuppression cancer pacemaker migraine keloid skin_infection active_acne rosacea eczema "
    "open_wound sunburn acute_illness bells_palsy metal_allergy needle_phobia easy_bruising isotretinoin"
)
PROCEDURE_VALUES = _names("botox filler facial_surgery laser chemical_peel microneedling thread_lift")
RED_FLAG_VALUES = _names(
    "facial_droop facial_numbness breathing_difficulty severe_swelling spreading_infection chest_pain "
    "vision_loss severe_headache allergic_reaction uncontrolled_bleeding self_harm"
)
HABIT_VALUES = _names("smoking alcohol poor_sleep high_stress sun_exposure no_sunscreen low_water")
BENEFIT_VALUES = _names(
    "wrinkles elasticity muscle_tone texture glow stress qi_balance natural_approach non_invasive"
)
FAQ_KEYS = _names(
    "what_is how_it_works pain side_effects safety sessions results_duration cost practitioner vs_botox "
    "evidence preparation aftercare"
)
# An acute symptom the visitor describes that no red flag names: urgent care all the same.
REPORTED_SYMPTOM = "reported_symptom"
# The skin types the form accepts: the contract's five and "not sure" (what skipping the question means).
SKIN_TYPES = ("oily", "dry", "combination", "normal", "sensitive", "not_sure")

# Slots.
FORM = "screening_form"
CONSENT = "consent"
SKIN_TYPE = "skin_type"
CONDITIONS = "conditions"
RECENT_PROCEDURES = "recent_procedures"
DAYS_SINCE_PROCEDURE = "days_since_procedure"
LIFESTYLE = "lifestyle"
GOALS = "goals"
ANSWERS_CONFIRMED = "answers_confirmed"
# Each treatment with its own days since, and conditions that ended with the days since they ended.
PROCEDURE_DAYS = "procedure_days"
PAST_CONDITIONS = "past_conditions"
SKIPPED_QUESTIONS = "skipped_questions"
QUESTION_MISSES = "question_misses"  # per question, how many answers in a row could not be read
SKIP_OFFERED_AFTER = 4  # misses of one question after which asking it offers to skip it instead
SCREENING_OUTCOME = "screening_outcome"
RED_FLAGS = "red_flags"
REQUESTED_SLOT = "requested_slot"

# The screening questions, in the order the form asks them.
SCREENING_SLOTS = (SKIN_TYPE, CONDITIONS, RECENT_PROCEDURES, DAYS_SINCE_PROCEDURE, LIFESTYLE, GOALS)
# The form's required slots (domain.yml `forms`), in order.
FORM_SLOTS = (CONSENT, *SCREENING_SLOTS, ANSWERS_CONFIRMED)
# The questions a visitor answers by choosing and may change from the summary (how long ago a treatment
# was is a follow-up to recent_procedures), in the order the form asks them.
CHANGEABLE_SLOTS = (SKIN_TYPE, CONDITIONS, RECENT_PROCEDURES, LIFESTYLE, GOALS)
# The questions whose answer is a list, each with the entity that fills it.
LIST_SLOTS = MappingProxyType(
    {CONDITIONS: CONDITION, RECENT_PROCEDURES: PROCEDURE, LIFESTYLE: HABIT, GOALS: BENEFIT}
)
# Everything the screening keeps about a visitor, in the order a summary shows it.
VISITOR_SLOTS = (
    CONSENT,
    *SCREENING_SLOTS,
    PROCEDURE_DAYS,
    PAST_CONDITIONS,
    ANSWERS_CONFIRMED,
    SCREENING_OUTCOME,
    RED_FLAGS,
)
# What starting over forgets: every answer and the outcome, not consent.
ANSWER_SLOTS = (
    *SCREENING_SLOTS,
    PROCEDURE_DAYS,
    PAST_CONDITIONS,
    ANSWERS_CONFIRMED,
    SKIPPED_QUESTIONS,
    SCREENING_OUTCOME,
    RED_FLAGS,
)
# What a form answer that could not be read is set to, so the form validates it (and explains).
UNRECOGNISED = "__unrecognised__"
# What a pending answer is set to when the message only said again what other answers already hold ("I'm
# 14 weeks pregnant" at the treatments question, after saying so at the health one): no miss, no "Sorry,
# I didn't catch that"; the question is asked again.
ALREADY_NOTED = "__already_noted__"
# What a pending answer is set to when the message only asks whether something counts ("does the pill
# count?" at the health question): nothing is recorded from a question, no miss; the bot says whether it
# counts and asks again (bot/screening/does_it_count.py).
ASKED_IF_IT_COUNTS = "__asked_if_it_counts__"
NOT_ANSWERS = (UNRECOGNISED, ALREADY_NOTED, ASKED_IF_IT_COUNTS)

# What the tracker store keeps instead of a message said before the visitor agreed to keep their answers.
BEFORE_CONSENT = "(said before consent: not kept)"
