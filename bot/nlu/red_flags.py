"""Find red flags in what a visitor writes: which one, whether it is denied, whether it is only asked about.

Plain Python over the text (no spaCy, no Rasa), driven by data/lexicon/red_flag.yml. Three decisions
are made per mention, each leaning towards safety:
- denied only when a negation cue governs that very phrase ("no chest pain"), never by a cue elsewhere
  in the sentence ("I'm not ok, I keep thinking about suicide"), and never by "anymore";
- a question only when its clause asks without telling ("can it cause drooping?" asks; "is it normal
  that my lips are swelling?" tells);
- an ordinary setting ("out of breath on the stairs"), history that is over ("as a child"), someone
  else in the past, or a sentence saying it settled, drop a mention, unless the message sounds urgent.
When the patterns find nothing at all, a learned reader (bot/nlu/red_flag_model.py) gets a say, under
the same checks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Dict, List, Pattern, Sequence, Tuple

import yaml

from bot import DATA_DIR
from bot.nlu import red_flag_model
from bot.nlu.lexicon import compile_pattern
from bot.nlu.red_flag_spelling import respell
from bot.vocabulary import QUESTION, RED_FLAG

RED_FLAG_FILE = DATA_DIR / "lexicon" / "red_flag.yml"
# Clause boundaries: a cue or a question frame does not reach across these.
# "And" only before "I" and a verb: "no X and Y" is one denial; "... and I've got rosacea" starts anew.
_CLAUSE_BREAK = re.compile(
    r"[.;!?\n]|,|\b(?:but|although|though|however|except|and then|yet|so|because)\b"
    r"|\band (?=(?:i'?ve|i have|i'?m|i am|i got|i get|i had)\b)"
)
_BUILT_MODEL = object()  # find_red_flags' default: the model built by make (var/spacy)
SELF_HARM = "self_harm"  # history only when plainly over; an "if" does not make it a question
# A sentence that opens like a question and ends with "?" ("is chest pain ever a side effect?"), unless
# it opens on the visitor themselves ("is my face meant to droop?" tells as much as it asks).
_SELF_NEXT = r"(?!\W+(?:my|i|i'm|im|i've|ive|me)\b)"
# A clause after some context that asks what would happen: "I'm on warfarin, would I bleed loads?", "I've an
# event next week, will my face be red or swollen after?"
_WOULD_I = re.compile(r"^\W*(?:would|will) (?:i|my|it|they|the|there)\b")
_YES_NO_OPENING = re.compile(
    # "will my face droop?" asks; "can't", "will not" and "could barely" tell
    # "should my arm feel this heavy?" tells of now; "will my face droop?" asks
    r"^\W*(?:(?:can|could|will|would|might|may|shall)(?!n?'?t\b|\s+not\b|\s+barely\b|\s+hardly\b)\b"
    rf"|should(?!n?'?t\b|\s+not\b){_SELF_NEXT}\b"
    rf"|(?:is|are|does|do|did|has|have|what|how|why|when|which|any)\b{_SELF_NEXT})"
    # After a greeting or a filler, only a question about the treatment or others asks: "hey, can it make
    # your face droop?" does; "ok, could my lips swelling up this fast be an allergy?" tells.
    r"|^\W*(?:(?:hey|hi|hiya|hello|ok|okay|so|um+|er+|sorry|also|and|but|quick (?:q|question)|question|"
    r"just wondering|i was wondering|one more thing|another question)\W+)+"
    rf"(?:can|could|will|would|might|may|should|shall|is|are|does|do|did|has|have)\b(?!n?'?t\b){_SELF_NEXT}"
)
_BUT_WORD = re.compile(r"\bbut\b")
_JUST_ASKING = re.compile(
    r"\b(?:just curious|just wondering|out of interest|out of curiosity|asking for a friend|hypothetically"
    r"|for future reference|general knowledge)\b"
)
_UNSURE_IF = re.compile(
    r"\b(?:idk|dunno|not sure|(?:i )?don'?t know|no idea|unsure"
    r"|(?:can'?t|cant|cannot|can not|couldn'?t|couldnt|could not) (?:tell|say|work out|figure out))"
    r"\s+(?:if|whether)\b"
    # "what does it mean if my chin has been numb since this morning?" wonders about what is happening
    r"|\bwhat (?:does|do|is) (?:it|this|that) mean(?:s|ing)? (?:if|that|when)\b"
    # "is it bad that I can hear myself wheezing": wonders about what is happening, it does not ask a
    # hypothetical ("is it normal if I bleed a bit after?" still asks)
    r"|\b(?:is it|is this|is that) (?:bad|normal|ok|okay|serious|worrying|dangerous|fine|a problem)"
    r" that (?=i\b|my\b)"
    # "sorry if this is a weird thing to ask but half of what i look at is missing": an apology, then
    # a telling
    r"|\bif (?:this|that|it) (?:is|'s|sounds|seems) (?:a )?"
    r"(?:weird|stupid|silly|dumb|strange|odd|daft|random)"
    r"(?: thing to (?:ask|say)| question)?\b[^.!?]*?\bbut\b"
)
_EXAMPLE_OPENING = re.compile(r"^\W*(?:like|such as|as in|you mean|e\.?g\.?)\s")
_SEVERITY = re.compile(r"\b(?:really|so|very) bad\b")
_PRESENT = re.compile(
    # ("now and again", "every now and then" say how often, not now)
    # ("ten years ago now" says how long ago)
    r"\b(?:(?<!ago )now(?! and (?:again|then))|(?<!now and )again|today|tonight"
    r"|this (?:morning|afternoon|evening)|currently"
    # ("clear since", at the end, is "ever since then": it says nothing of now)
    r"|(?<!ever )(?<!long )since(?![^.,;!?]{0,50}\b(?:years|decades) (?:ago|back)\b)(?!\s*(?:$|[.,;!?]))"
    r"|still"
    r"|just (?:got|started|came|began|noticed|had|happened))\b"
)
# A red flag echoed as a question and answered no right after it: "Chest pain? No, never. Breathing? No."
_ECHOED_NO = re.compile(
    # ("chest pain: no." in a checklist answers it the same way)
    r"\s*(?:\?+|:|-|\u2013)\s*(?:no+|nope|nah|never|none|nil|negative)"
    r"(?:\W+(?:never|none|not really|not at all))?\s*(?:[.,;!/]|$)"
)
_NOW_AND_THEN = re.compile(r"\b(?:every )?now and (?:again|then)\b")
# A habit of the past ("I used to get hives"), not being accustomed ("I'm used to headaches").
_USED_TO = re.compile(r"(?<!i'm )(?<!im )(?<!am )(?<!get )(?<!got )(?<!getting )(?<!was )\bused to\b")
_TREATMENT_RISK = re.compile(
    r"\b(?:acupuncture|treatment|needl\w*|sessions?|it|this|that)\W+(?:[\w']+\W+){0,3}?"
    r"(?:cause|causes|make|makes|trigger|triggers|lead|leads|give|gives|worsen|worsens|bring on|affect"
    r"|hurt|hurts|sting|stings|be painful|be sore)\b"
    r"|\bside ?-?effects?\b|\bsafe (?:for|if|with)\b|\bhistory of\b"
)
# When it began, or that it goes on: a question that says this tells of the visitor's own symptom now.
_ONSET = re.compile(
    r"\bsince (?:this (?:morning|afternoon|evening)|last night|yesterday|lunch\w*|breakfast|about an hour"
    r"|an hour|half an hour|\d{1,2}(?:[:.]\d\d)? ?(?:am|pm|o'?clock))\b"
    r"|\bfor (?:about |over |nearly |almost )?(?:an|half an|\d+|one|two|three) (?:hours?|hrs?)(?: now)?\b"
    r"|\bsince (?:about |around |only )?(?:\d+|a few|a couple of|ten|five|fifteen|twenty|thirty)"
    r" (?:minutes?|mins?|hours?|hrs?) ago\b"
    r"|\b(?:half an|an) hour later\b|\b(?:by|every) the hour\b|\bevery hour\b|\bstill going\b|\bnon-?stop\b"
)
# Outside the question's own sentence, words that tell of the visitor's symptom now.
_TELLS_ELSEWHERE = re.compile(
    r"\b(?:mine (?:is|are|has|have|keeps?|started|won'?t)|it'?s been (?:going|like this|happening|there)|"
    r"it has been|i'?ve had (?:it|this|them)|i have had (?:it|this)|it started|"
    r"started (?:\d+|an|about|ten|twenty|half)|since i got|getting worse|keeps? getting|right now|"
    r"at the moment|happening now|it'?s happening|it'?s there now|there now too|still there|it'?s back|"
    r"not getting better|rn|having (?:it|this|them|one) (?:now|rn|right now)|what'?s happening|getting more|"
    r"(?:it|this|that) (?:appeared|came on|started) (?:just now|\w+ (?:ago|minutes|mins))|just now|"
    r"every hour|by the hour|mine (?:just|has just) (?:did|done|started|happened)|still going"
    r"|(?:half an|an|\w+ minutes?) (?:hour )?later"
    r"|(?:it'?s|it is|i'?m) still at"
    # "... this is new", "that just happened to me"
    r"|(?:this|it) is new|(?:this|it)'?s new|(?:that|this|it) (?:just )?happened to me|happening to me"
    # how bad it is now: "is it normal that a headache slammed into me? honestly worst of my life"
    r"|(?:the )?worst (?:\w+ )?(?:of my life|i'?ve ever (?:had|felt))|unbearable|excruciating|in agony"
    # signs of the whole body said beside it: "... to spread over half my face? I also feel hot and achy"
    r"|i (?:also |now |really )?(?:feel|am|'m|have|'ve got|have got) (?:really |so |very |quite |a bit )?"
    r"(?:hot|feverish|a fever|a temperature|a high temperature|shivery|shivering|chills|the chills|achy"
    r"|faint|dizzy|lightheaded|light-headed))\b"
)
# After a mention, words saying it goes on: "... and take tacrolimus", "... still on it".
_TAKEN_NOW = re.compile(
    r"^\W*(?:\w+\W+){0,3}?(?:and |so |but )?(?:i )?"
    r"(?:take|takes|taking|use|using|am on|'m on|still on|on it)\b"
)
_TAKING_BEFORE = re.compile(r"\b(?:take|takes|taking|am on|'m on|still on|using|use)\s+(?:[\w-]+\s+){0,2}$")
# A clause that speaks of the one before it: "..., but that was back in 2022", "... and it ended in 2019".
_BACK_REFERENCE = re.compile(
    r"\W*(?:(?:but|and|though|although)\s+)?(?:that|it|this|which|they|those)"
    r"(?:'s|\s+(?:was|were|ended|finished|stopped|cleared|is over|was over|all ended))\b"
)
# A clause that says all is well again: "had the flu last week, fine now", "stitches, healed up months ago",
# "gestational diabetes but it went away after".
_WELL_AGAIN = re.compile(
    r"\W*(?:(?:but|and|though|although)\s+)?(?:(?:it|that|they|this)(?:'s|\s+(?:is|was|has|have))?\s+|its\s+|"
    r"(?:i'?m|im|i am|i feel|feeling|all)\s+)?"
    r"(?:all\s+|completely\s+|totally\s+|fully\s+|much\s+|a lot\s+|loads\s+|way\s+|heaps\s+)?(?:fine|grand|"
    r"better|clear|cleared(?: up)?|healed(?: up)?|gone|normal|recovered|over it|back to normal|scabbed over|"
    r"peeled off|went away|gone away|calmed down|settled down|died down|all good"
    r"|(?<!just )finished(?=\s*(?:now\s*)?(?:$|[.,;!?])))\b"
    r"(?:\s+(?:now|again))?"
    # ("heavy drinker at weekends, fine in the week": well at other times, not over)
    r"(?!\s+(?:in|during|on|through|for) (?:the )?(?:week|weekdays?|daytime|days|rest of the week)\b)"
    r"(?![^.,;!?]*\b(?:except|apart from|but|still)\b)"
)
# A clause that ends the one before it in so many words: "I had prednisone for my chest, finished it in
# February", "came off them last year". The ending verb says it is over; a date, if any, says when.
_ENDED_IT = re.compile(
    r"\W*(?:(?:but|and|then|which)\s+)?"
    r"(?:i\s+|(?:the |my )?(?:doctor|dr|gp|consultant|specialist|haematologist|oncologist|dermatologist|derm"
    r"|they)\s+)?"
    r"(?:finished|stopped|ended|completed|quit|came off|come off|"
    r"got off|weaned off|reversed|beat|cured)\s+"
    r"(?:it|them|that|those|the course|the tablets|the pills|taking (?:it|them))\b"
)
# "no rash or swelling", "never fainted or had trouble breathing": a joint (with "or", a verb may follow).
_LIST_JOINT = re.compile(
    r"(?:\b(?:or|nor)\s+(?:had|have|felt|got|get|experienced|noticed)|\b(?:or|nor|and no|and)\b|,)"
    r"\s*(?:any\s+)?$"
)
# A chart-style denial reaches across the commas of its list: "denies headache, visual disturbance,
# facial weakness". Plain "no" does not: "no fever, swollen lips" may tell of swollen lips.
_CHART_DENIAL = re.compile(
    r"\b(?:denies|denied)\b"
    r"(?:(?!\b(?:but|though|although|however|yet|now|i|i'm|im|i've|my|me|his|her|their|he|she|they|suddenly)\b)"
    r"[\w\s,/'-])*$"
)
# A list item of a chart is a name ("facial weakness"), not a state said of now ("throat closing up").
_STATE_SAID = re.compile(
    r"\b(?:is|are|was|were|has|have|had|feels?|getting|going|gone|went|closing|closed|swelling|swollen|"
    r"drooping|dropped|can'?t|won'?t|suddenly|fast|now|keeps?|started|spreading|bleeding|pouring)\b"
)
_INNER_CUE = re.compile(
    r"\b(?:isn'?t|aren'?t|is not|are not|wasn'?t|weren'?t|hasn'?t|haven'?t|has not|have not"
    r"|doesn'?t|does not|don'?t|do not|didn'?t|did not|not|no longer|never|no|nothing)\b"
)
# States a denial may govern from inside a match: "isn't drooping", "not suicidal", "aren't red".
_DENIABLE_STATE = re.compile(
    r"\s*(?:(?:at all|really|very|too|so|even|that|particularly|remotely) )?"
    r"(?:droop\w*|swollen|swelling|red|hot|numb|bleeding|blurr\w*|suicidal|painful|sore|tight|itchy|dizzy|"
    r"faint|infected|weeping|oozing|spread|spreading|slurr\w*|lopsided|crooked|uneven|puffy|inflamed|hurting|"
    r"sagging|weak|tingl\w*|throbbing)\b"
)
_HEDGE = re.compile(
    r"\b(?:unless|probably|maybe|yet|for now|not today|until|except|exactly|as such|in case"
    r"|a plan)\b|\.\.\.|…"
)
# Hedges only in or after the denial's own clause: "stress is high but no dark thoughts" denies.
_HEDGE_AFTER = re.compile(r"\b(?:well|but)\b")
# Self-harm words that make a question the visitor's own ("make the thoughts of killing myself stop?").
_OWN_INTENT = re.compile(r"\b(?:myself|my life|i want to|i'?m going to|i will|i'?ll)\b")
# (within its clause: in "not big, not growing" the first denial rules nothing out of the second)
_RULED_OUT = re.compile(
    r"\b(?:not|isn'?t|wasn'?t|haven'?t|hasn'?t|didn'?t|without|nothing to do with)[^\w,;.!?]+"
    r"(?:\w+[^\w,;.!?]+)?$"
)
# Someone else's symptom said in the present ("mum says she can't see out of one eye") is now.
_SENTENCE_STOP = re.compile(r"[.?!]+\s")
# (compiled with red_flag.yml's macros by parse_rules, as RedFlagRules.said_now)
_SAID_NOW = (
    r"\b(?:says|saying|can'?t|cannot|won'?t|keeps)\b"
    # "my dad has a sudden terrible headache": has (not "has had", "has been") is now
    # ("my mum has angina" names a long-standing diagnosis, not something happening now)
    r"|\b(?:has|is having|'s having|has got|'s got)\b"
    r"(?!\s+(?:had|been|always|never|ever|{DIAGNOSES})\b)"
    r"|\bjust (?:happened|started|began|came on)\b"
    # "she's slurring", "his mouth is pulled down": a state said in the present tense
    r"|\b(?:is|are|she'?s|he'?s|they'?re)\W+(?:(?:all|really|very|so|just|now)\W+)?"
    r"(?:\w+ing|pulled|swollen|droopy|numb|blue|grey|gray|pale|sweaty|clammy|huge|massive|enormous|covered|puffy|puffed"
    r"|blotchy"
    r"|purple|floppy|limp|wonky|crooked|lopsided|slurred|confused)\b"
    # Someone with the visitor now: "writing for my daughter, she's on my lap"
    r"|\b(?:on my lap|in my arms|next to me|beside me|here with me|sitting with me"
    r"|with me (?:now|here|right now))\b"
)
# Whether the treatment is still open to the visitor: "is it still suitable?", "can I still book?"
_STILL_ALLOWED = re.compile(
    r"\b(?:is it|is that|would it be|will it be|can i|could i|may i|am i) still "
    r"(?:suitable|ok|okay|safe|possible|allowed|able to|a candidate|an option|have it|get it|book|go ahead"
    r"|do it|have (?:the )?(?:treatment|acupuncture))"
)
_WELL_NOW = re.compile(
    r"\b(?:(?:happy|well|stable|fine|good|great|better|ok|okay|thriving|settled|content)(?: and \w+)?"
    r"|in a (?:(?:really|very|much|so) )?(?:good|better) place"
    r"|well for (?:a long time|years|ages|a while)|for a long time) now\b"
    r"|\b(?:been (?:really |very |so )?(?:well|fine|stable|good|ok|okay)"
    r"|doing (?:really |very |so )?(?:well|great|fine|good|ok|okay))"
    r"(?: for (?:over |more than |about |nearly )?(?:\w+ )?(?:years|months|ages|a long time|a while))?"
    r"(?: now| these days| nowadays)?\b"
    r"|\bin recovery(?: (?:ever )?since)?\b"
    # support kept up: "still see a therapist now and then"
    r"|\bstill (?:see|seeing|have|talk to|talking to|go to|going to) (?:a |my |the )?"
    r"(?:therapist|counsell?or|psychologist|psychiatrist|support (?:group|worker)|cpn|gp about it)\b"
    # "long behind me now", "all in the past now"
    r"|\b(?:long |well |far |way |all )?behind me(?: now)?\b|\b(?:all )?in the past(?: now)?\b"
    r"|\ba thing of the past\b"
    # "not an issue now", "no longer a problem"
    r"|\b(?:not|no longer|isn'?t|is not|never) (?:an? |really an? )?(?:issue|problem|concern|worry)"
    r"(?: for me)?(?: (?:any ?more|now|these days))?\b"
    # Care that keeps someone well: "I still see a therapist", "citalopram that keeps me steady".
    r"|\bstill (?:see|seeing|have|go to|talk to) (?:a |my |the )?"
    r"(?:therapist|counsell?or|psychologist|psychiatrist|gp|cpn)\b"
    r"|\bkeeps? me (?:steady|stable|well|level|on track|balanced|going|grounded)\b"
    r"|\bin a (?:(?:really|very|much|so) )?(?:good|better|great) place\b"
    r"|\b(?:i'?m|i am) (?:\d+|in my \w+) now\b"  # "I'm 45 now and doing great": an age, not a present
)
# An answer word opening a clause, before a new subject: "no i want to die", "nah my chest hurts".
_ANSWER_WORD = re.compile(
    r"^\s*(?:no+|nope|nah|not really|not great|not good|not ok|not okay)\b\W*"
    r"(?=(?:i|i'm|im|i've|ive|my|it|it's|its|me|just|actually|really|honestly|well|but|and)\b)"
)


class RedFlagFileError(ValueError):
    """The red-flag file is malformed; the message names what is wrong."""


@dataclass(frozen=True)
class RedFlagMention:
    code: str
    start: int
    end: int
    negated: bool = False
    question: bool = False
    past: bool = False  # history that is clearly over ("as a child", "in 2019")

    @property
    def stated(self) -> bool:
        return not (self.negated or self.question or self.past)


@dataclass(frozen=True)
class _Category:
    code: str
    patterns: Tuple[Pattern[str], ...]
    weak: Tuple[Pattern[str], ...]
    ordinary: Tuple[Pattern[str], ...]
    ordinary_weak: Tuple[Pattern[str], ...]
    exclude: Tuple[Pattern[str], ...]
    idioms: Tuple[Pattern[str], ...]
    together: Tuple[Tuple[Pattern[str], ...], ...]
    reader_needs: Tuple[Pattern[str], ...] = ()


@dataclass(frozen=True)
class RedFlagRules:
    categories: Tuple[_Category, ...]
    question_frames: Tuple[Pattern[str], ...]
    assertions: Tuple[Pattern[str], ...]
    inversions: Tuple[Pattern[str], ...]
    negation_cues: Tuple[Pattern[str], ...]
    mild_effects: Tuple[Pattern[str], ...]
    history: Tuple[Pattern[str], ...]
    others: Tuple[Pattern[str], ...]
    hearsay: Tuple[Pattern[str], ...]
    not_the_visitor: Tuple[Pattern[str], ...]
    others_past: Pattern[str]
    resolved: Tuple[Pattern[str], ...]
    urgent_markers: Tuple[Pattern[str], ...]
    symptom_words: Tuple[Pattern[str], ...]
    symptom_subjects: Tuple[Pattern[str], ...]
    acute_markers: Tuple[Pattern[str], ...]
    not_symptoms: Tuple[Pattern[str], ...]
    self_harm_over: Tuple[Pattern[str], ...]
    self_harm_current: Tuple[Pattern[str], ...]
    interface_words: Tuple[Pattern[str], ...]
    self_harm_cues: Tuple[Pattern[str], ...]
    said_now: Pattern[str]  # someone else's symptom said in the present tense (_SAID_NOW with the macros)
    plain_endings: Tuple[Pattern[str], ...] = ()
    not_self_harm_cues: Tuple[Pattern[str], ...] = ()
    short_reader_cues: Tuple[Pattern[str], ...] = ()
    chat_steering: Tuple[Pattern[str], ...] = ()
    self_harm_plain_words: Tuple[Pattern[str], ...] = ()
    everyday_reasons: Tuple[Pattern[str], ...] = ()
    respelled_words: Tuple[str, ...] = ()  # key words a typo is read as (bot/nlu/red_flag_spelling.py)
    sent_to_hospital: Tuple[Pattern[str], ...] = ()  # also among urgent_markers and acute_markers
    work_roles: Tuple[Pattern[str], ...] = ()  # an emergency-facing job (_talk_of_work)
    work_generic: Tuple[Pattern[str], ...] = ()  # a general frame of that job
    worry_frames: Tuple[Pattern[str], ...] = ()  # also among question_frames; no assertion of their own

    # Every category's lists at once, gathered on first use rather than on every message (describes_symptom
    # runs on each one). cached_property writes past the frozen dataclass's __setattr__.
    @cached_property
    def all_idioms(self) -> Tuple[Pattern[str], ...]:
        return tuple(p for c in self.categories for p in c.idioms)

    @cached_property
    def all_ordinary(self) -> Tuple[Pattern[str], ...]:
        return tuple(p for c in self.categories for p in c.ordinary) + self.not_symptoms


def _compile(source: str, macros: Dict[str, str], where: str) -> Pattern[str]:
    return compile_pattern(source, macros, where, error=RedFlagFileError)


def parse_rules(data: Dict) -> RedFlagRules:
    macros = {str(k): str(v) for k, v in (data.get("macros") or {}).items()}
    values = data.get("values")
    if data.get("entity") != "red_flag" or not isinstance(values, dict) or not values:
        raise RedFlagFileError("red_flag.yml: expected 'entity: red_flag' and a 'values' mapping")

    def many(items: Sequence[str] | None, where: str) -> Tuple[Pattern[str], ...]:
        return tuple(_compile(str(item), macros, where) for item in items or [])

    # Figures of speech of no one red flag (titles, games) are every red flag's idioms too.
    shared = [str(item) for item in data.get("shared_idioms") or []]
    categories = []
    for code, spec in values.items():
        if not isinstance(spec, dict) or not (spec.get("patterns") or spec.get("together")):
            raise RedFlagFileError(f"red_flag.yml: {code} needs patterns or together groups")
        categories.append(
            _Category(
                code=str(code),
                patterns=many(spec.get("patterns"), f"{code}.patterns"),
                weak=many(spec.get("weak"), f"{code}.weak"),
                ordinary=many(spec.get("ordinary"), f"{code}.ordinary"),
                ordinary_weak=many(spec.get("ordinary_weak"), f"{code}.ordinary_weak"),
                exclude=many(spec.get("exclude"), f"{code}.exclude"),
                idioms=many([*(spec.get("idioms") or []), *shared], f"{code}.idioms"),
                together=tuple(many(group, f"{code}.together") for group in spec.get("together") or []),
                reader_needs=many(spec.get("reader_needs"), f"{code}.reader_needs"),
            )
        )
    sections = {}
    for key in (
        "question_frames",
        "assertions",
        "inversions",
        "negation_cues",
        "mild_effects",
        "history",
        "others",
        "hearsay",
        "not_the_visitor",
        "resolved",
        "urgent_markers",
        "symptom_words",
        "symptom_subjects",
        "acute_markers",
        "not_symptoms",
        "self_harm_over",
        "self_harm_current",
        "interface_words",
        "self_harm_cues",
        "plain_endings",
    ):
        if not data.get(key):
            raise RedFlagFileError(f"red_flag.yml: {key} is missing")
        sections[key] = many(data[key], key)
    if not data.get("others_past"):
        raise RedFlagFileError("red_flag.yml: others_past is missing")
    sections["others_past"] = _compile(str(data["others_past"]), macros, "others_past")
    sections["said_now"] = _compile(_SAID_NOW, macros, "said_now")
    sections["not_self_harm_cues"] = many(data.get("not_self_harm_cues"), "not_self_harm_cues")
    sections["short_reader_cues"] = many(data.get("short_reader_cues"), "short_reader_cues")
    sections["chat_steering"] = many(data.get("chat_steering"), "chat_steering")
    sections["self_harm_plain_words"] = many(data.get("self_harm_plain_words"), "self_harm_plain_words")
    sections["everyday_reasons"] = many(data.get("everyday_reasons"), "everyday_reasons")
    sections["respelled_words"] = tuple(str(w).lower() for w in data.get("respelled_words") or [])
    sections["sent_to_hospital"] = many(data.get("sent_to_hospital"), "sent_to_hospital")
    sections["work_roles"] = many(data.get("work_roles"), "work_roles")
    sections["work_generic"] = many(data.get("work_generic"), "work_generic")
    sections["worry_frames"] = many(data.get("worry_frames"), "worry_frames")
    sections["question_frames"] += sections["worry_frames"]
    sections["urgent_markers"] += sections["sent_to_hospital"]
    sections["acute_markers"] += sections["sent_to_hospital"]
    return RedFlagRules(categories=tuple(categories), **sections)


@lru_cache(maxsize=2)
def load_rules(path: Path = RED_FLAG_FILE) -> RedFlagRules:
    with open(path, encoding="utf-8") as handle:
        return parse_rules(yaml.safe_load(handle) or {})


def normalise(text: str) -> str:
    """Lower case, straight apostrophes, and a point between digits made a colon ("at 7.15 this morning"
    is no end of a sentence): same length as the input, so offsets still fit."""
    lowered = (
        text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").replace("\u00b4", "'")
    )
    return _POINT_BETWEEN_DIGITS.sub(":", lowered)


_POINT_BETWEEN_DIGITS = re.compile(r"(?<=\d)\.(?=\d)")


def _clause_bounds(text: str, start: int, end: int) -> Tuple[int, int]:
    left = 0
    for match in _CLAUSE_BREAK.finditer(text, 0, start):
        left = match.end()
    following = _CLAUSE_BREAK.search(text, end)
    return left, following.start() if following else len(text)


def _sentence_before(text: str, start: int) -> str:
    left = 0
    for match in re.finditer(r"[.;!?\n]", text[:start]):
        left = match.end()
    return text[left:start]


def _is_negated(text: str, start: int, rules: RedFlagRules) -> bool:
    clause_start, _ = _clause_bounds(text, start, start)
    before = text[clause_start:start]
    # An answer word that opens the clause ("no, I can't breathe", "nah i want to die") is not a denial
    # of what follows it.
    before = _ANSWER_WORD.sub("", before)
    if _NOT_ORDINARY.search(before) or _CANNOT_WITHOUT.search(before):
        return False
    if any(cue.search(before) for cue in rules.negation_cues):
        return True
    if _PLAIN_DONT.search(before) and _SYMPTOM_VERB.match(text, start):
        return True
    if _CHART_DENIAL.search(_sentence_before(text, start)) and not _STATE_SAID.search(
        _rest_of_sentence(text, start, start)[:40]
    ):
        return True
    # A cue governs a list: "no blurring or double vision", "don't have any heart problems or chest pains".
    rest = before
    while (joint := _LIST_JOINT.search(rest)) is not None:
        rest = rest[: joint.start()]
        for _ in range(3):  # the conjunct before the joint, of up to three words
            last = re.search(r"[\w']+\W*$", rest)
            if last is None:
                break
            rest = rest[: last.start()]
            if any(cue.search(rest) for cue in rules.negation_cues):
                return True
    return False


# A plain "don't" right before the symptom's own verb: "I don't bleed a lot", "my lips don't swell" (not
# "doesn't stop bleeding" or "don't feel right": there the symptom is what follows).
_PLAIN_DONT = re.compile(r"\b(?:don'?t|dont|do not|doesn'?t|doesnt|does not)\s+$")
_SYMPTOM_VERB = re.compile(r"(?:bleed|bruise|swell)s?\b")


def _hedged_after(text: str, start: int, end: int) -> bool:
    """A hedged self-harm denial is none: "for now, I won't hurt myself", "I won't... unless tomorrow goes
    badly". A "but" hedges only in or after the denial's clause: "stress is high but no dark thoughts"
    is a denial."""
    return bool(_HEDGE.search(text) or _HEDGE_AFTER.search(text, _clause_bounds(text, start, end)[0]))


def _denied_inside(matched: str, text: str, self_harm: bool) -> bool:
    """A denial inside the matched words, right before the symptom's own state: "my face isn't
    drooping", "I'm not suicidal", "the marks aren't red". Only those states: in "my face isn't moving",
    "air isn't going in", "no one would notice" the negation is the symptom. For self-harm never when
    the message hedges ("I won't do anything... unless tomorrow goes badly")."""
    cues = list(_INNER_CUE.finditer(matched))
    if not cues:
        return False
    after = matched[cues[-1].end() :]
    if len(after.split()) > 3 or not _DENIABLE_STATE.match(after):
        return False
    return not (self_harm and (_HEDGE.search(text) or _HEDGE_AFTER.search(text)))


def _is_question(text: str, start: int, end: int, rules: RedFlagRules, self_harm: bool = False) -> bool:
    """Asks rather than tells. For self-harm only a real question ("can it make you suicidal?") asks:
    "if this doesn't work I'll end my life" is a threat, and "nobody would care if I vanished" a
    statement."""
    clause_start, clause_end = _clause_bounds(text, start, end)
    # A question frame may open the sentence ("is it normal, after a session, to ...") or the clause.
    # "idk if this is infection but the red is spreading" wonders about the visitor's own state.
    # ("what does it mean if a bruise keeps growing? just curious" asks: said to be curiosity, it wonders
    # about nothing happening)
    asking_part = _sentence_before(text, start)
    if not _JUST_ASKING.search(text):
        asking_part = _UNSURE_IF.sub(" ", asking_part)
    sentence_end = re.search(r"[.;!?\n]", text[end:])
    if not (sentence_end and sentence_end.group() == "?"):
        # "I'll wait and see if it goes down but my whole face is puffed up": a frame before a "but"
        # frames only its own clause when nothing is asked; what follows the "but" tells.
        asking_part = _BUT_WORD.split(asking_part)[-1]
    # The yes/no question opens the sentence, or a clause after some context asks what would happen
    # ("I'm on warfarin, would I bleed loads?"); "ok, could my lips be swelling?" still tells.
    sentence_asks = (
        bool(sentence_end)
        and sentence_end.group() == "?"
        and bool(
            _YES_NO_OPENING.match(asking_part)
            or _WOULD_I.match(text[clause_start:start])
            # an example after a question: "does it hurt? like tingling during or after?"
            or (
                _EXAMPLE_OPENING.match(asking_part)
                and text[: start - len(asking_part)].rstrip().endswith("?")
            )
        )
    )
    # An unpunctuated "will my face be puffy after" asks about what would follow, as with a question mark.
    sentence_asks = sentence_asks or (
        sentence_end is None and bool(_WOULD_I.match(asking_part) or _WOULD_I.match(text[clause_start:start]))
    )
    sentence = _sentence(text, start, end)
    if _OWN_WHY.search(sentence):
        return False  # "why is my smile lopsided all of a sudden??": a question about one's own body now
    # "the needles won't make me bleed loads, will they": a tag at the end asks too
    tagged = bool(_TAG_QUESTION.search(sentence))
    if not (sentence_asks or tagged or any(frame.search(asking_part) for frame in rules.question_frames)):
        return False
    clause = text[clause_start:clause_end]
    # (nor is the frame itself an assertion: "my biggest fear is ending up with a droopy face")
    for inversion in (*rules.inversions, *rules.worry_frames):
        clause = inversion.sub(" ", clause)
    conditional = re.search(
        r"\b(?:if|in case|incase|what if|whether|supposing|(?<!i )suppose|imagine|hypothetically)\b",
        _UNSURE_IF.sub(" ", text[clause_start:start]),
    )
    if self_harm:
        # Only a question about the treatment's risk asks ("can acupuncture make you suicidal?"). A
        # question about means ("how much insulin would it take?", "does it work for people who don't
        # want to live?") or anything the visitor says of themselves anywhere in the message gets the
        # crisis line, not an answer.
        if not (sentence_asks and _TREATMENT_RISK.search(sentence)) or _OWN_INTENT.search(sentence):
            return False
        whole = text
        for inversion in rules.inversions:
            whole = inversion.sub(" ", whole)
        return not any(assertion.search(whole) for assertion in rules.assertions)
    if _ONSET.search(sentence) or _POINTS_AT_OWN_STATE.search(_sentence_before(text, start)):
        return False  # "should I be worried about a shadow over my vision since an hour ago?": it tells
    if _TELLS_ELSEWHERE.search(_outside_sentence(text, start, end)):
        return False  # "is chest tightness a side effect? it's been going for 20 minutes": it tells
    if conditional:
        return True  # "what if my face droops?": a telling word inside an if-clause still asks
    return not any(assertion.search(clause) for assertion in rules.assertions)


def _sentence(text: str, start: int, end: int) -> str:
    left = 0
    for match in re.finditer(r"[.;!?\n]", text[:start]):
        left = match.end()
    following = re.search(r"[.;!?\n]", text[end:])
    return text[left : end + following.start()] if following else text[left:]


def _rest_of_sentence(text: str, start: int, end: int) -> str:
    following = re.search(r"[.;!?\n]", text[end:])
    return text[start : end + following.start()] if following else text[start:]


def _outside_sentence(text: str, start: int, end: int) -> str:
    """The message without the sentence that holds text[start:end]."""
    left = 0
    for match in re.finditer(r"[.;!?\n]", text[:start]):
        left = match.end()
    following = re.search(r"[.;!?\n]", text[end:])
    right = end + following.end() if following else len(text)
    return text[:left] + " " + text[right:]


def _is_history(text: str, start: int, end: int, rules: RedFlagRules) -> bool:
    """Over and done with, or someone else's past: "I had hives as a kid", "my gran lost her sight"."""
    # "gets angina now and again": how often, not now (blanked, as a clause would end at its "and")
    text = _NOW_AND_THEN.sub(lambda m: " " * len(m.group()), text)
    clause_start, clause_end = _clause_bounds(text, start, end)
    clause = text[clause_start:clause_end]
    sentence = _sentence(text, start, end)
    # The mention's own severity words do not make it urgent ("I had a really bad headache last month" is
    # over); its other urgent words still do ("bleeding that won't stop, like when I was a kid").
    mention = _SEVERITY.sub(lambda m: " " * len(m.group()), text[start:end])
    # "In 2016 I had a heart attack at the wheel, ambulance came, two stents": the clause dates it. (Severity
    # said just before the mention is the mention's own too: "a really bad allergic reaction ... in 2021".)
    own_clause = _SEVERITY.sub(lambda m: " " * len(m.group()), text[clause_start:end]) + text[end:clause_end]
    if (
        _DATED_PAST.search(own_clause)
        and not _PRESENT.search(own_clause)
        and not any(p.search(own_clause) for p in rules.urgent_markers)
    ):
        return True
    if _dated_narrative(text, start, end, rules):
        return True
    around = _sentence(text[:start] + mention + text[end:], start, end)
    # (and the next sentence when it goes on about the same person: "...reported by my mother at 10. She is
    # now drowsy.")
    following = _next_sentence(text, end)  # (read again below for what is long-standing)
    if _GOES_ON.match(following):
        around += " " + following
    # A character in a story as the subject, with nothing of the visitor between, is no one's emergency
    # whatever the words ("my character in the play collapses clutching his chest every night"); nor is
    # someone known at second hand, unless it is said to be happening now.
    if _someone_elses(text, start, rules, end, subjects=(_STORY_SUBJECT,)):
        return True
    if _someone_elses(text, start, rules, end, subjects=(_SECOND_HAND,)) and not (
        rules.said_now.search(sentence) or _OWN_NOW.search(sentence)
    ):
        return True
    if any(p.search(around) for p in rules.urgent_markers):
        return False
    if _someone_elses(text, start, rules, end):
        return True  # "the guy in the film had a heart attack and now I'm paranoid"
    if _LONG_STANDING.search(sentence) or _LONG_STANDING.search(following):
        # "a mini stroke in my forties, my hand still a touch weaker, no change for years"; "Numb patch on my
        # chin since 2012. Permanent nerve damage, it never changes."
        return True
    if _others_long_standing(text, start, end, rules):
        return True  # "my aunt had a stroke years ago and her face still droops a bit"
    if _PRESENT.search(clause):
        return False  # "I had a stroke years ago and now my face is drooping again": the present wins
    # "my lips used to swell from an ACE inhibitor": a habit of the past, in the mention's own clause up to it
    if _USED_TO.search(text[clause_start:end]):
        return True
    # "no history of allergies but I'm covered in hives": a denial of a history, not a history
    if any(p.search(_NO_HISTORY.sub(" ", sentence)) for p in rules.history):
        return True
    # The symptom's own words never say it is over: "my mouth has gone down" is a droop, not swelling
    # that went down.
    unsaid = _sentence(text[:start] + " " * (end - start) + text[end:], start, end)
    if any(p.search(unsaid) for p in rules.resolved + rules.hearsay):
        return True
    # Someone else's, when the clause that names it says nothing of the visitor ("my sister had
    # anaphylaxis once, I've no allergies myself").
    # ("my sister just said my face looks crooked" is the visitor's own face, whoever noticed it)
    someone_else = (
        any(p.search(sentence) for p in rules.others)
        and not _VISITOR.search(clause)
        and not _MY_RIGHT_BEFORE.search(text[max(0, start - 8) : start])
        and not rules.said_now.search(sentence)
    )
    return someone_else and bool(rules.others_past.search(sentence))


# A date in the past: "in 2016", "back in 2020", "years ago", "in my early twenties", "in March".
_DATED_PAST = re.compile(
    r"\b(?:in|back in|during|around) (?:19|20)\d\d\b"
    # a bare year closing the clause, as in a list of past history: "- anaphylaxis to wasp sting 2009"
    r"|\b(?:19|20)\d\d\W*$"
    r"|\b(?:\d+|a few|several|many|two|three|four|five|ten) years? ago\b"
    # (months back, in the mention's own clause only: "filler last month, but I've got chest pain" is now)
    r"|\blast month\b|\b(?:\d+|two|three|four|five|six|several|a few|a couple of) months? (?:ago|back)\b"
    r"|\bin my (?:early |mid |mid-|late )?(?:teens|twenties|thirties|forties|fifties|sixties|[2-6]0s)\b"
    # someone else's decade as a time, ending its clause ("lost the sight in one eye in her 70s,"), not as an
    # age ("a client in her 50s has just said her chest hurts")
    r"|\bin (?:his|her|their) (?:early |mid |mid-|late )?"
    r"(?:teens|twenties|thirties|forties|fifties|sixties|seventies|eighties|[2-9]0s)(?=\s*(?:[,.;!?)]|$))"
    r"|\b(?:as a (?:kid|child|teen\w*)|when i was (?:a kid|a child|little|young|younger|\d+))\b"
)
# Said to be unchanged for years, or known to the doctor for years: long-standing, not acute (urgent
# words in the sentence still make it now; they are checked first).
_LONG_STANDING = re.compile(
    r"\bno (?:real )?change (?:for|in) (?:\w+ )?(?:years|decades)\b"
    r"|\b(?:been )?(?:like (?:that|this)|the same|stable|unchanged) for (?:\w+ |a few |many )?"
    r"(?:years|decades)\b"
    # What a past stroke left: "still has a slight droop on her left side from it"
    r"|\b(?:slight|mild|little|small|tiny) \w+(?: \w+){0,4} from"
    r" (?:it|that|then|the stroke|her stroke|his stroke|the palsy)\b"
    # Lifelong or permanent, unchanged, or kept away by its usual medicine: "numb since my wisdom teeth came
    # out in 2018, permanent nerve damage, it hasn't changed", "hives on and off for years, antihistamines
    # keep it away", "blind in my left eye since a childhood accident"
    r"|\b(?:permanent(?:ly)?|lifelong|life-long|congenital|since birth|from birth)\b"
    r"|\bsince (?:i was )?(?:a child|a kid|a baby|born|little|childhood)\b"
    r"|\bsince (?:a|an|my) (?:childhood |old |car |sports? |school )?"
    r"(?:accident|injury|operation|op|surgery)\b"
    r"|\b(?:hasn'?t|has not|haven'?t|have not|never) (?:really )?changed?\b|\bnever changes\b"
    r"|\bon and off for (?:years|ages|decades|months)\b"
    r"|\b(?:keep|keeps|kept) (?:it|them) (?:away|at bay|under control)\b"
    # Said to be stable or controlled: "angina, stable, I have a GTN spray but rarely use it"
    r"|\b(?<!not )(?<!isn't )(?<!isnt )(?<!never )(?<!no longer )"
    r"(?:stable|well[- ]controlled|under control)\b"
)
_MY_STORY = re.compile(
    r"\b(?:in|on|from) my (?:favourite |fave |new |latest )?"
    r"(?:show|series|book|novel|film|movie|programme|program|soap|game|drama|podcast|comic|manga)\b"
)
_FIRST_PERSON = re.compile(r"\b(?:i|i'm|im|i've|ive|i'd|me|my|myself|mine)\b")
_MY_RIGHT_BEFORE = re.compile(r"\bmy\s+$")
# The visitor in someone else's clause ("my sister had anaphylaxis once, I've no allergies myself").
_VISITOR = re.compile(r"\b(?:i|i'm|im|me|we|us)\b")


_STORY_SUBJECT = re.compile(
    r"\b(?:(?:my|the|a|his|her|main) )?(?:character|actor|actress|hero|heroine|villain|protagonist)\b"
)
# Someone known only at second hand, not with the visitor: "my coworker said her friend's bruise kept getting
# bigger", "a friend of a friend had her lips blow up".
_SECOND_HAND = re.compile(
    r"\b(?:said|says|told me|tells me|heard|reckons|mentioned|swears)(?: that)? (?:her|his|their) "
    r"(?:[\w']+ )?(?:friend|mate|colleague|co-?worker|cousin|sister|brother|mum|mom|dad|aunt|auntie|uncle"
    r"|neighbou?r|client|boss|daughter|son)'?s?\b|\b(?:a )?friend of (?:a friend|a colleague|my \w+'?s?)\b"
)


def _someone_elses(
    text: str,
    start: int,
    rules: RedFlagRules,
    end: int | None = None,
    subjects: Sequence[Pattern[str]] | None = None,
) -> bool:
    """The mention's subject, earlier in its sentence, is a pet or someone on a screen or in a book, and
    nothing of the visitor comes between: "my dog's lip is swollen", "the guy in the film had a heart
    attack". "I saw it on the news and now my face is drooping" is the visitor's own, and so is a mention
    that names the visitor ("told my sister to look after my cat after I'm gone")."""
    if end is not None and _FIRST_PERSON.search(text[start:end]):
        return False
    before = _sentence_before(text, start)
    for pattern in rules.not_the_visitor if subjects is None else subjects:
        for match in pattern.finditer(before):
            # A pet or a screen named as the cause is not the subject: "a scratch on her cheek from the cat".
            if _CAUSE_BEFORE.search(before[: match.start()]):
                continue
            # "in my show" names whose show, not who had it: "a character in my show just had a heart attack"
            between = _MY_STORY.sub(" ", before[match.end() :])
            # The subject of the mention: close before it, in the same clause ("walking the dog,
            # suddenly can't breathe" is the visitor's own).
            if len(between) <= 40 and not _FIRST_PERSON.search(between) and not _CLAUSE_BREAK.search(between):
                return True
    return False


_CAUSE_BEFORE = re.compile(r"\b(?:from|by|off|after|because of|thanks to)\s+$")
_NOW_AFTER = re.compile(
    r"\bnow (?:i'?ve got|i have got|i have|i got|there'?s|i'?m getting|i'?m having"
    r"|it'?s (?:back|started|come))\b"
)
# "not a normal headache" says it is abnormal, not that there is none.
_NOT_ORDINARY = re.compile(
    r"\bnot (?:a |an |your |my |the )?(?:normal|ordinary|usual|regular|typical|standard)\s+$"
)
# "can't walk to the kitchen without gasping": a double negative states the symptom.
_CANNOT_WITHOUT = re.compile(
    r"\b(?:can'?t|cant|cannot|can not|couldn'?t|couldnt|could not|unable to|not able to)\s+"
    r"(?:[\w']+\s+){1,6}?without\s+(?:[\w']+\s+){0,2}$"
)
_NOT_USUALLY = re.compile(
    r"\b(?:never|don'?t (?:usually|normally|often|ever)|do not (?:usually|normally)|rarely|hardly ever)"
    r" (?:get|have|suffer (?:from|with))\b|\bnever had (?:one|anything like (?:it|this|that)) before\b"
)
_BUT_INSIDE = re.compile(r"\b(?:but|however|though|although|yet)\b")
_NO_HISTORY = re.compile(r"\b(?:no|never any|not any) (?:\w+ )?history of\b")
_NEW_AGAIN = re.compile(r"\b(?:now|again|today|tonight|this (?:morning|afternoon|evening)|just|suddenly)\b")


def _others_long_standing(text: str, start: int, end: int, rules: RedFlagRules) -> bool:
    """Someone else's lasting after-effect of an old event: "my grandma's face has been droopy since her
    stroke in 2012". "Still" is no present here; "now", "again", "today" are, and so is the visitor."""
    clause_start, clause_end = _clause_bounds(text, start, end)
    sentence = _sentence(text, start, end)
    return (
        any(p.search(sentence) for p in rules.others)
        and any(p.search(sentence) for p in rules.history)
        and not _VISITOR.search(text[clause_start:clause_end])
        and not _NEW_AGAIN.search(sentence)
        and not rules.said_now.search(sentence)
    )


# The visitor's own body or state, or now: in the mention's sentence it makes the mention theirs even in
# talk of work ("I'm a nurse, I see chest pain all the time, but right now my own chest is crushing").
_OWN_NOW = re.compile(
    r"\b(?:i'?ve got|i have got|i have(?! to)|i'?m having|i am having"
    r"|i(?:'m| am) (?:getting|feeling|starting)|i feel|i'?m feeling|i can'?t|i cannot|i can not"
    r"|myself|me too|now|today|tonight"
    r"|this (?:morning|afternoon|evening)"
    r"|my (?:own )?(?:chest|face|lips?|throat|tongue|mouth|eyes?|eyelids?|sight|vision|head|cheeks?|jaw|arms?"
    r"|hands?|breathing|breath|heart|nose|gums?))\b"
)


def _talk_of_work(text: str, start: int, end: int, rules: RedFlagRules) -> bool:
    """Someone whose job is other people's emergencies, talking of that job: "As an A&E nurse, chest pain is
    half my night", "I talk people through suicidal crises every week" (red_flag.yml, work_roles and
    work_generic). Urgent words, the visitor's own body or state, or now, in the mention's sentence keep the
    mention the visitor's."""
    if not any(p.search(text) for p in rules.work_roles):
        return False
    # The job's own name is no urgent word ("a 999 call handler", "I work in emergency"), nor are the words of
    # its cases ("see bleeding that won't stop every shift") and its routine ("we send them to 999").
    text = blank(text, rules.work_roles)
    sentence = _sentence(text, start, end)
    if not any(p.search(sentence) for p in rules.work_generic):
        return False
    if _OWN_NOW.search(sentence):
        return False
    unsaid = _sentence(text[:start] + " " * (end - start) + text[end:], start, end)
    unsaid = blank(unsaid, rules.work_generic)
    return not any(p.search(unsaid) for p in rules.urgent_markers)


# Present tense or now, which a story of the past does not use: "I can't breathe", "my lips are swelling".
_PRESENT_TENSE = re.compile(
    r"\b(?:can'?t|cant|cannot|can not|is|isn'?t|are|aren'?t|am|i'?m|im|you'?re|we'?re|they'?re|won'?t|wont"
    r"|keeps?|getting|starting|feel|feels|have got|'ve got|got worse|right now|rn|at the moment|atm)\b|'re\b"
)


_WELL_AGAIN_NOW = re.compile(
    r"\b(?:fully |completely |totally )?(?:recovered|better|fine|well|clear|cleared|gone|healed|resolved"
    r"|ok|okay|normal)(?: again)? now\b"
    r"|\bnow (?:fully |completely )?(?:recovered|better|fine|well|clear|gone|healed|resolved)\b"
)


def _dated_narrative(text: str, start: int, end: int, rules: RedFlagRules) -> bool:
    """A story of the past, dated before the mention in its own sentence and told in the past tense to the
    sentence's end: "When I was 12 I had a horrible allergic reaction to peanuts, lips swelled up, ambulance
    and everything", "In my twenties I passed out with chest pain at a festival". Its urgent words are the
    story's. Anything in the present tense or of now in that sentence ("In 2019 I had a stroke and my face
    is drooping again") keeps the mention current."""
    sentence_start = max(text.rfind(stop, 0, start) for stop in ".!?\n") + 1
    told_before = text[sentence_start:start]
    if not _DATED_PAST.search(told_before):
        return False
    rest = _to_sentence_end(text, start)
    # "fully recovered now" says it is over; its "now" is no present
    for pattern in (_WELL_AGAIN_NOW, *rules.resolved):
        rest = pattern.sub(" ", rest)
    return not (_PRESENT.search(rest) or _PRESENT_TENSE.search(told_before + rest))


def _self_harm_over(text: str, rules: RedFlagRules) -> bool:
    """Self-harm is history only when the message says so plainly ("self-harmed as a teenager, fifteen
    years ago") and says nothing of now: "ever since", "again", "lately", "still" keep it current."""
    if not any(p.search(text) for p in rules.self_harm_over):
        return False
    text = _WELL_NOW.sub(" ", text)  # "happy and stable now" is the present of someone who is well
    text = _STILL_ALLOWED.sub(" ", text)  # "...is it still suitable?" asks about the treatment, not now
    if _PRESENT.search(text) or any(p.search(text) for p in rules.urgent_markers):
        return False
    return not any(p.search(text) for p in rules.self_harm_current)


def _ordinary(text: str, patterns: Sequence[Pattern[str]]) -> bool:
    # The whole message: "sorry I'm out of breath, just ran up the stairs" explains itself later on.
    # A setting the visitor rules out does not explain anything: "not from the cold".
    return any(
        not _RULED_OUT.search(text[max(0, m.start() - 20) : m.start()])
        for p in patterns
        for m in p.finditer(text)
    )


def blank(text: str, patterns: Sequence[Pattern[str]]) -> str:
    """`text` with every match of `patterns` replaced by spaces (offsets stay the same)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group()), text)
    return text


def _about_interface(norm: str, rules: RedFlagRules) -> bool:
    """About the website, naming no part of the body: "the left side of the page isn't displaying"."""
    return (
        _ordinary(norm, rules.interface_words)
        and not rules.symptom_subjects[0].search(norm)
        # "can't see half the screen, it came on really fast" is about the eyes, not the website
        and not _ordinary(norm, rules.urgent_markers + rules.acute_markers)
    )


SHORT_MESSAGE_WORDS = 5
UNSIGNED_THRESHOLD = 0.9
# A message that steers the chat is short: a long one holds more than a wish to move on.
STEERING_WORDS = 16


def _learned_mention(norm: str, rules: RedFlagRules, model) -> RedFlagMention | None:
    """The learned reader's red flag, for a message the patterns found nothing in, once it has passed
    the checks the patterns' own findings pass: not a question about a risk, not a calm after-effect,
    not an ordinary setting of that red flag, not history that is over (unless something is urgent)."""
    if not norm.strip() or _plain_ending(norm, rules):
        return None
    reading = model.read(norm)
    if reading.probability < red_flag_model.THRESHOLD:
        return None
    category = next((c for c in rules.categories if c.code == reading.code), None)
    # A figure of speech of that red flag ("bending over backwards") is read again without it.
    if category is not None and any(idiom.search(norm) for idiom in category.idioms):
        norm = blank(norm, category.idioms)
        again = model.read(norm)
        if again.code != reading.code or again.probability < red_flag_model.THRESHOLD:
            return None
    cued = blank(norm, rules.not_self_harm_cues)  # "on the pill" names no means
    if reading.code == SELF_HARM and not any(p.search(cued) for p in rules.self_harm_cues):
        return None
    # A short message steering the chat or a treatment ("don't want to answer this one, go to the next",
    # "thinking of stopping Botox") shares its words with farewells; the reader's self-harm then needs a
    # plain word of dying, harm, despair or leaving. The patterns, read first, still catch "stop asking, I
    # want to die".
    if (
        reading.code == SELF_HARM
        and len(norm.split()) <= STEERING_WORDS
        and any(p.search(norm) for p in rules.chat_steering)
        and not any(p.search(norm) for p in rules.self_harm_plain_words)
    ):
        return None
    # A physical red flag the reader is only fairly sure of, in words that name no symptom and nothing
    # urgent ("my face feels like paper by the afternoon"), is no red flag: on development rounds read
    # before tuning, the reader's real finds without such words were all above this, its false alarms
    # between 0.81 and 0.91.
    if reading.code != SELF_HARM:
        names_symptom = any(p.search(norm) for p in rules.symptom_words)
        if (
            reading.probability < UNSIGNED_THRESHOLD
            and not names_symptom
            and not any(p.search(norm) for p in rules.urgent_markers)
        ):
            return None
        # A few words with nothing of the body or a symptom in them ("not right now") are no physical
        # red flag.
        if len(norm.split()) <= SHORT_MESSAGE_WORDS and not (
            names_symptom or any(p.search(norm) for p in rules.short_reader_cues)
        ):
            return None
    # Never self-harm, never the eyes: "can't see half the screen, it came on fast" is about vision.
    if reading.code not in (SELF_HARM, "vision_loss") and _about_interface(norm, rules):
        return None
    urgent = any(p.search(norm) for p in rules.urgent_markers)
    asks = asks_about_risk(norm, rules) and not _TELLS_ELSEWHERE.search(norm)
    if reading.code == SELF_HARM:
        # As for the patterns: only a question about the treatment's risk asks; "do you do gift vouchers?
        # I want to leave something for my daughter before I go" tells.
        asks = asks and bool(_TREATMENT_RISK.search(norm)) and not _OWN_INTENT.search(norm)
    if asks or (mild_after_effect(norm, rules) and not urgent):
        return None
    # Some red flags need a sign of their own beside the skin's words ("red and blotchy" is a skin type,
    # an allergic reaction needs faintness, swelling or the airway): `reader_needs` in red_flag.yml.
    needs = category.reader_needs if category is not None else ()
    if needs and not any(p.search(norm) for p in needs):
        return None
    # A category's exclusions hold whatever is urgent, as for the patterns ("chesty cough and a temperature
    # right now" is an illness, not chest pain); its ordinary settings only when nothing is.
    if category is not None and _ordinary(norm, category.exclude):
        return None
    if category is not None and not urgent and _ordinary(norm, category.ordinary):
        return None
    if reading.code == SELF_HARM:
        past = _self_harm_over(norm, rules)
    else:
        past = not urgent and any(p.search(norm) for p in rules.history + rules.resolved + rules.hearsay)
    if past:
        return None
    # Denied only when a cue governs every symptom word ("I'm not bleeding"), as for the patterns.
    symptoms = sorted(m.span() for p in rules.symptom_words for m in p.finditer(norm))
    # Someone else's, as for the patterns: "my horse has a swollen eye and the vet's coming out later".
    if reading.code != SELF_HARM and symptoms and _someone_elses(norm, symptoms[0][0], rules, symptoms[0][1]):
        return None
    # "...came on all at once, and I never get headaches": the usual denied, not what is happening now.
    negated = (
        bool(symptoms)
        and all(_is_negated(norm, at, rules) for at, _ in symptoms)
        and not (urgent and _NOT_USUALLY.search(norm))
    )
    # The span is the first symptom word (or the first word): the mention must not swallow the other
    # terms of the message ("oily skin, and my lip is blowing up" still answers the skin question).
    start, end = symptoms[0] if symptoms else re.search(r"\S+", norm).span()
    return RedFlagMention(str(reading.code), start, end, negated=negated, question=False, past=False)


def _plain_ending(norm: str, rules: RedFlagRules) -> bool:
    """The whole message only ends or steers the conversation ("goodbye", "I'd like to stop now")."""
    plain = norm.strip(" \t\n.!,;:-~*()[]\"'")
    if any(p.fullmatch(plain) for p in rules.plain_endings):
        return True
    # Several parts, each an ending or an everyday reason to go: "ok I have to stop here, my bus is
    # coming. bye!"
    parts = [part.strip(" \t\n.!,;:-~*()[]\"'") for part in _ENDING_PARTS.split(plain)]
    parts = [part for part in parts if part and not _FILLER_PART.fullmatch(part)]
    endings = [any(p.fullmatch(part) for p in rules.plain_endings) for part in parts]
    reasons = [any(r.fullmatch(part) for r in rules.everyday_reasons) for part in parts]
    return len(parts) > 1 and any(endings) and all(e or r for e, r in zip(endings, reasons, strict=True))


# A part that only fills: "Right, I think I'm going to close this window now".
_FILLER_PART = re.compile(
    r"(?:right|ok|okay|so|well|anyway|alright|all right|hmm+|um+|yes|yeah|no|sorry"
    r"|thanks|thank you|cheers|ta)"
)
_ENDING_PARTS = re.compile(r"[.,;!?]+|\s(?:-|and|so|as|because|cos|coz)\s")


def find_red_flags(
    text: str, rules: RedFlagRules | None = None, model: Any = _BUILT_MODEL
) -> List[RedFlagMention]:
    """Every red-flag mention in `text`, at most one per red flag (a stated one wins over the rest).
    The patterns first; when they find nothing at all, the learned reader (bot/nlu/red_flag_model.py;
    `model=None` leaves it out); when neither does, both again over the text with its typos of red-flag
    words respelled (bot/nlu/red_flag_spelling.py), the spans mapped back to what was typed."""
    rules = rules or load_rules()
    norm = normalise(text)
    found = _find(norm, rules, model)
    if found or not rules.respelled_words:
        return found
    respelled = respell(norm, rules.respelled_words)
    if respelled is None:
        return []
    return [
        replace(m, start=respelled.original(m.start), end=respelled.original(m.end))
        for m in _find(respelled.text, rules, model)
    ]


def _find(norm: str, rules: RedFlagRules, model: Any) -> List[RedFlagMention]:
    found: Dict[str, RedFlagMention] = {}

    def keep(mention: RedFlagMention) -> None:
        current = found.get(mention.code)
        if current is None or (mention.stated and not current.stated):
            found[mention.code] = mention

    about_interface = _about_interface(norm, rules)
    for category in rules.categories:
        if _ordinary(norm, category.exclude) or (about_interface and category.code != SELF_HARM):
            continue
        # Figures of speech ("the death of me", "dying to try it") are blanked out, not the message:
        # anything else in it is still read.
        text = blank(norm, category.idioms)
        candidates = [(m, False) for p in category.patterns for m in p.finditer(text)]
        candidates += [(m, True) for p in category.weak for m in p.finditer(text)]
        for match, weak in candidates:
            start, end = match.span()
            # A mention ends with its sentence: in "can it make people suicidal? I read it online" the
            # words after the question mark are not part of what is asked.
            if (stop := _SENTENCE_STOP.search(norm, start, end)) is not None:
                end = stop.start()
            if start == end:
                continue
            ordinary = category.ordinary + (category.ordinary_weak if weak else ())
            if _ordinary(norm, ordinary) and not _ordinary(norm, rules.urgent_markers):
                continue
            keep(
                RedFlagMention(
                    category.code,
                    start,
                    end,
                    negated=(
                        _is_negated(norm, start, rules)
                        # "Chest pain? No, never." echoes a question and answers it
                        or bool(_ECHOED_NO.match(norm, end))
                        or _denied_inside(norm[start:end], norm, category.code == SELF_HARM)
                    )
                    # "haven't had a headache in years and now I've got one": the denial was of the past
                    and not _NOW_AFTER.search(_rest_of_sentence(norm, start, end))
                    # "no migraine history, but this headache is the worst": the denial stops at the "but"
                    and not _BUT_INSIDE.search(norm[start:end])
                    # "I won't hurt myself... unless tomorrow goes badly": a hedged self-harm denial is none.
                    and not (category.code == SELF_HARM and _hedged_after(norm, start, end)),
                    question=_is_question(norm, start, end, rules, self_harm=category.code == SELF_HARM),
                    # (a character in a novel who takes an overdose is no one the visitor should call for)
                    past=(
                        (_self_harm_over(norm, rules) or _someone_elses(norm, start, rules, end))
                        if category.code == SELF_HARM
                        else _is_history(norm, start, end, rules)
                    )
                    or _talk_of_work(norm, start, end, rules),
                )
            )
        for group in category.together:
            matches = [p.search(norm) for p in group]
            if all(matches):
                start = min(m.start() for m in matches if m)
                end = max(m.end() for m in matches if m)
                first = min((m for m in matches if m), key=lambda m: m.start())
                keep(
                    RedFlagMention(
                        category.code,
                        start,
                        end,
                        # "hives but I don't feel faint": every part must be stated for the whole.
                        negated=any(_is_negated(norm, m.start(), rules) for m in matches if m),
                        question=_is_question(
                            norm, first.start(), first.end(), rules, self_harm=category.code == SELF_HARM
                        ),
                        past=_self_harm_over(norm, rules)
                        if category.code == SELF_HARM
                        else _is_history(norm, first.start(), first.end(), rules),
                    )
                )
    if not found and model is not None:
        learned = _learned_mention(norm, rules, red_flag_model.load() if model is _BUILT_MODEL else model)
        if learned is not None:
            found[learned.code] = learned
    return sorted(found.values(), key=lambda m: m.start)


def stated_in(entities: Sequence[Dict]) -> List[str]:
    """Red-flag codes stated in Rasa entity dicts (no role: neither denied nor only asked about)."""
    return [str(e["value"]) for e in entities or [] if e.get("entity") == RED_FLAG and not e.get("role")]


def asked_in(entities: Sequence[Dict]) -> List[str]:
    """Red-flag codes only asked about ("can it cause drooping?") in Rasa entity dicts."""
    return [
        str(e["value"]) for e in entities or [] if e.get("entity") == RED_FLAG and e.get("role") == QUESTION
    ]


# A question about one's own body that says it is happening: "why is my smile lopsided all of a sudden?"
_OWN_WHY = re.compile(
    r"\bwhy (?:is|has|does|did|are|have|won'?t|can'?t) my\b|\bwhy (?:am i|can'?t i|did i)\b"
)
# A question tagged on at the end: "..., will they", "... won't it?"
_TAG_QUESTION = re.compile(
    r",\s*(?:will|won'?t|would|wouldn'?t|do|does|don'?t|doesn'?t|can|could|is|isn'?t|are|aren'?t)"
    r" (?:they|it|you|i|that|this|we)\W*$"
    r"|\s(?:will|won'?t|would|wouldn'?t|do|does|can|could) (?:they|it|you)\s*(?:,|$)"
)
# "is this normal - hives all over and I nearly black out": what follows the dash is the visitor's own
# state now, which the question only points at.
_POINTS_AT_OWN_STATE = re.compile(
    r"\bis (?:this|that) (?:normal|ok|okay|bad|serious|a problem|an emergency|worrying|dangerous)"
    r"\W*[-\u2013\u2014:]"
    r"\s*(?:\w|$)"
)


def asks_about_risk(text: str, rules: RedFlagRules | None = None) -> bool:
    """The message asks about a risk ("are headaches normal after a session?") without telling."""
    rules = rules or load_rules()
    norm = normalise(text)
    if _POINTS_AT_OWN_STATE.search(norm) or _OWN_WHY.search(norm):
        return False
    opens_as_question = "?" in norm and bool(_YES_NO_OPENING.match(norm))
    if not (opens_as_question or any(frame.search(norm) for frame in rules.question_frames)):
        return False
    cleaned = norm
    for inversion in rules.inversions:
        cleaned = inversion.sub(" ", cleaned)
    return not any(a.search(cleaned) for a in rules.assertions)


def asks_about_a_symptom(text: str, rules: RedFlagRules | None = None) -> bool:
    """Asks about a risk in a symptom's words ("can it cause swelling?"), not only about anything."""
    rules = rules or load_rules()
    norm = normalise(text)
    return asks_about_risk(text, rules) and any(p.search(norm) for p in rules.symptom_words)


def describes_symptom(text: str, rules: RedFlagRules | None = None) -> bool:
    """Uses the language of a symptom, outside an ordinary setting ("out of breath on the stairs")."""
    rules = rules or load_rules()
    # Figures of speech and explained numbness ("numb at the dentist") are blanked, as for the patterns.
    norm = blank(normalise(text), rules.all_idioms)
    if not any(p.search(norm) for p in rules.symptom_words):
        return False
    if not any(p.search(norm) for p in rules.symptom_subjects):
        return False
    if any(p.search(norm) for p in rules.all_ordinary):
        return False
    # Over and done with, and nothing urgent: "double vision in 2016 from a head injury, resolved".
    if any(p.search(norm) for p in rules.history + rules.resolved) and not any(
        p.search(norm) for p in rules.urgent_markers
    ):
        return False
    # Told of a character, a pet or someone on screen, with nothing of the visitor's own after it ("a
    # novel where the heroine loses her sight"; not "watching a film and now my face has gone numb").
    for pattern in rules.not_the_visitor:
        told = pattern.search(norm)
        if (
            told
            and not _FIRST_PERSON.search(norm, told.end())
            and not any(p.search(norm) for p in rules.urgent_markers)
        ):
            return False
    # Every symptom word denied ("I'm not bleeding, the spot closed up straight away"): none described.
    symptoms = [m.start() for p in rules.symptom_words for m in p.finditer(norm)]
    return not all(_is_negated(norm, at, rules) for at in symptoms)


def mild_after_effect(text: str, rules: RedFlagRules | None = None) -> bool:
    """A calm report of an expected minor effect: a small bruise, redness that faded."""
    rules = rules or load_rules()
    norm = normalise(text)
    return any(p.search(norm) for p in rules.mild_effects)


def _in_question(text: str, at: int) -> bool:
    """The sentence holding text[at] ends with a question mark."""
    following = re.search(r"[.;!?\n]", text[at:])
    return bool(following) and following.group() == "?"


def acute_symptom(text: str, rules: RedFlagRules | None = None) -> bool:
    """A symptom of the visitor's own, said to be sudden, severe or ongoing, and neither asked about nor
    calm ("my jaw suddenly feels strange and heavy"): urgent even without a red flag's name."""
    rules = rules or load_rules()
    norm = normalise(text)
    if not describes_symptom(text, rules) or not any(p.search(norm) for p in rules.acute_markers):
        return False
    # Sent to hospital by someone who saw it, and asking whether to go, is told, not asked about.
    sent = any(p.search(norm) for p in rules.sent_to_hospital)
    if not sent and (asks_about_risk(text, rules) or mild_after_effect(text, rules)):
        return False
    # A job's cases in general ("I'm a GP, I refer sudden headaches urgently all the time") are no one's now.
    if _talk_of_work(norm, 0, len(norm), rules):
        return False
    # (Every symptom word denied, "no sudden headache, no stiff neck", describes none: see above.)
    symptoms = [m.start() for p in rules.symptom_words for m in p.finditer(norm)]
    if all(_in_question(norm, at) for at in symptoms) and not sent:
        return False  # "does it hurt? i'm terrified of needles": the symptom word is only asked about
    return not any(p.search(norm) for p in rules.resolved + rules.history)


_DUE = re.compile(
    r"\b(?:expecting|(?:baby|(?:i'?m|im|i am|she'?s|we'?re) )?"
    r"due (?:in|on|around|at|by|early|late|mid|end))\b"
)


_GOES_ON = re.compile(r"^\s*(?:and |but |now )?(?:he|she|they|it|i)(?:'s|'re|'m|\s)")


_END_OF_SENTENCE = re.compile(r"[.!?\n]")


def _next_sentence(text: str, start: int) -> str:
    """The sentence after the one `start` is in."""
    stop = _END_OF_SENTENCE.search(text, start)
    return _to_sentence_end(text, stop.end()) if stop else ""


def _to_sentence_end(text: str, start: int) -> str:
    stop = _END_OF_SENTENCE.search(text, start)
    return text[start : stop.start() if stop else len(text)]


# Said again of the same thing later in the sentence: on it, or taking it, again or still.
_BACK_ON_IT = re.compile(
    r"\b(?:back on (?:it|them|that|those)|on (?:it|them|that|those) again|(?:re-?started|started|began|begun)"
    r" (?:it|them|taking (?:it|them)|on (?:it|them)) again|(?:taking|using|having) (?:it|them) again"
    r"|still (?:on|taking|using) (?:it|them)"
    # "found last spring and I'm still in treatment": a treatment going on now
    r"|(?:still|currently|now) (?:in|having|getting|undergoing|on)"
    r" (?:treatment|chemo\w*|radio\w*|immunotherapy)"
    r"|(?:in|having|getting|undergoing) (?:treatment|chemo\w*|radio\w*|immunotherapy)"
    r" (?:now|at the moment|currently|right now|still))\b"
)


def _present_in(text: str, rules: RedFlagRules) -> bool:
    """Speaks of now, other than to say something is over ("..., nothing there now" says it is over)."""
    for pattern in rules.resolved:
        text = pattern.sub(" ", text)
    return bool(_PRESENT.search(text))


def is_over(text: str, start: int, end: int, rules: RedFlagRules | None = None) -> bool:
    """The mention at text[start:end] is history that is over ("had acne as a teenager, clear now",
    "bell's palsy back in 2019"), not something current. The same reading as for red flags, shared
    by conditions and habits (bot/nlu/spacy_components.py)."""
    rules = rules or load_rules()
    norm = normalise(text)
    clause_start, clause_end = _clause_bounds(norm, start, end)
    # Its own clause only: in "I smoke, and had filler last year" the smoking is current.
    clause = re.sub(r"\bno (?:\w+ )?history of\b", " ", norm[clause_start:clause_end])  # a denial
    resolved = any(p.search(clause) for p in rules.resolved)
    for pattern in rules.resolved:  # "clear now" says it is over, its "now" does not make it current
        clause = pattern.sub(" ", clause)
    # "6 years ago, and take tacrolimus": the "and" clause says it is current.
    around = norm[clause_start:clause_end]
    before, after = around[: start - clause_start], around[end - clause_start :]
    if _PRESENT.search(clause) or _TAKEN_NOW.search(after) or _TAKING_BEFORE.search(before):
        return False
    if _DUE.search(clause):
        return False  # "expecting our second in june": a due date, not a time that is over
    if _BACK_ON_IT.search(_to_sentence_end(norm, end)):
        return False  # "roaccutane in my teens and I'm back on it now": a later clause says it is current
    if resolved or any(p.search(clause) for p in rules.history):
        return True
    # The next clause may end this one ("..., finished it in February") or say when it was ("a course of
    # prednisolone, but that was back in 2022").
    # (what follows in the same sentence: "I finished it 8 months ago. Now skin is clear" is about the skin)
    if _ENDED_IT.match(norm, clause_end) and not _present_in(_to_sentence_end(norm, clause_end), rules):
        return True
    well_again = _WELL_AGAIN.match(norm, clause_end)
    if well_again and not _present_in(norm[well_again.end() :], rules):
        return True
    following = _BACK_REFERENCE.match(norm, clause_end)
    if following is None:
        return False
    next_end = _clause_bounds(norm, following.end(), following.end())[1]
    said_of_it = norm[following.start() : next_end]
    when = rules.history + rules.resolved
    return not _PRESENT.search(said_of_it) and any(p.search(said_of_it) for p in when)
