"""spaCy pipeline components of our own: misspelt terms read as meant, time spans as entities, and
things given up marked as past.

Importing this module registers the components (and negspacy's `negex`) with spaCy, which must
happen before the saved pipeline is loaded.
"""

from __future__ import annotations

import re

import negspacy.negation  # noqa: F401  (registers the "negex" factory used by the saved pipeline)
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from bot.nlu import spelling, treatment_scope
from bot.nlu.described_conditions import find_described
from bot.nlu.red_flags import blank, find_red_flags, is_over, load_rules
from bot.nlu.sleep_hours import find_sleep_hours
from bot.nlu.time_spans import find_time_spans

if not Span.has_extension("days"):
    Span.set_extension("days", default=None)
if not Span.has_extension("negex"):
    Span.set_extension("negex", default=False)
if not Span.has_extension("question"):
    Span.set_extension("question", default=False)

# "I quit smoking", "stopped taking warfarin", "not on Accutane anymore": a thing given up is not a
# current one, but it is not a plain denial either (isotretinoin in the last 6 months still counts),
# so such mentions get their own mark, `span._.past`, and the slot filler decides per value.
_PAST_BEFORE = re.compile(
    r"(?<!trying to )(?<!want to )(?<!going to )(?<!need to )(?<!try to )"  # "trying to quit": current
    r"(?<!n't )(?<!nt )(?<!not )(?<!never )"  # "haven't stopped breastfeeding": still going on
    r"\b(?:quit|quitted|stopped|gave up|given up|used to|use to|no longer|came off|come off|got over|"
    r"recovered from|"
    r"finished|finished (?:a |the )?course of|ex|former|formerly|kicked|was on|were on|had been on|"
    # "I had a short course of prednisolone" (not "I'm having a course of")
    r"had (?:a |one |the )?(?:short |brief |quick |\w+[- ](?:day|week) )?course of|"
    r"was taking|were taking|had been taking|used to take|"
    r"took me off|taken off|weaned off|got off|(?:had|made|told|asked|got) me (?:to )?stop|"
    # "my last cycle of chemo was 8 weeks ago", "last dose of accutane was new year's eve"
    r"my last|last (?:dose|cycle|round|course|session|injection|infusion|tablet|pill|jab|treatment)s?"
    r"(?: of)?)"
    r"[\s-]+(?:\w+\s+){0,2}$"
    # "I'm off the steroid tablets 3 weeks now", "been off the fags since May"
    r"|(?:\b(?:i'?m|im|i am|been|i'?ve been|now)\s+|^\s*)(?:completely\s+|totally\s+)?"
    r"off\s+(?:the|my|all)\s+(?:\w+\s+)?$"
    # "I've been off methotrexate since August", "went off clopidogrel a fortnight ago"
    r"|\b(?:been|went|gone|taken|got taken|was taken)\s+(?:completely\s+|totally\s+)?off\s+$"
    # "nothing since before I got pregnant": a time before it, not it now
    r"|\b(?:before|prior to)\s+(?:i|she)\s+(?:got|was|became|fell)\s+$"
    # "switched from smoking to vaping": what was switched from, not what it was switched to
    r"|\b(?:switched|moved|changed) (?:over )?from\s+$"
    # "high blood pressure when I was pregnant": the pregnancy is over
    r"|\bwhen (?:i|she) was\s+$"
    # "after years of botox": what came before is over
    r"|\bafter (?:\w+\s+)?(?:years|months|a decade|decades|a lifetime|a long time) of\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# "scarring left over from teenage acne": the condition behind the marks is over (a condition only: "marks
# from botox yesterday" are a recent treatment's).
_LEFT_FROM = re.compile(
    r"\b(?:left ?over|leftover|scars?|scarring|marks?|pitting|pigmentation) (?:\w+\s+)?from"
    r"\s+(?:\w+\s+){0,2}$",
    re.IGNORECASE,
)
_PAST_AFTER = re.compile(
    r"^\s*(?:\w+\s+){0,2}(?:anymore|any more|no more|no longer)\b"
    # "chemo ended in august", "my acne cleared up" (not "accutane, my acne cleared up": another thing)
    r"|^\s*(?:(?:treatment|course|therapy|tablets|it)\s+)?(?:ended|finished|stopped|cleared up|went away"
    r"|wrapped up|came to an end)\b"
    # "my methotrexate was stopped 6 weeks ago", "cyclosporin for psoriasis - stopped a month ago"
    r"|^\s*(?:was|were|got|has been|had been)\s+(?:stopped|discontinued|finished|ended)\b"
    r"|^\s+for\s+(?:my\s+|her\s+|his\s+)?[\w']+\s*[-\u2013,]\s*(?:stopped|finished|ended|came off)\b"
    # after a comma, with its subject or a time: "cancer, treatment ended in january", "steroid tablets,
    # finished six weeks ago" (not "eczema, stopped using the cream": another thing stopped)
    r"|^\W*(?:the\s+)?(?:treatment|course|therapy|tablets|chemo|radiotherapy|it)\s+(?:ended|finished|stopped)\b"
    # "breast cancer but finished all my treatment back in 2017": the condition's own treatment, ended
    # (the rules then weigh when; not "stopped my tablets", which may be another thing's)
    r"|^\W*(?:had (?:it|that)\W+)?(?:(?:and|but)\s+)?(?:i\s+|i'?ve\s+|i have\s+)?"
    r"(?:finished|completed|ended)\s+"
    r"(?:all\s+)?(?:of\s+)?"
    r"(?:my\s+|the\s+|her\s+|his\s+)?(?:treatments?|chemo(?:therapy)?|radiotherapy|radiation)\b"
    r"|^\W*(?:ended|finished|stopped)\s+(?:in|on|at|last|about|around|over|nearly|almost|a|an|\d+|one|two|three|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|yesterday|"
    r"four|five|six|seven|eight|nine|ten|twelve)\b"
    # "pregnant til 6 weeks ago", "on steroids until last spring"
    r"|^\s*(?:till|til|until|up to|up until)\s+(?:about\s+|around\s+)?"
    r"(?:\d+|a|an|one|two|three|four|five|six|a few|a couple of|last|the)\b"
    r"(?![^.,;!?]*\b(?:from now|next|time)\b)"
    # "prednisone on and off for my colitis, off it since august"
    r"|^[^.;!?]{0,40}?(?:,|\band\b|\bbut\b)\s*(?:i'?m\s+|been\s+)?off (?:it|them|those|that)\b"
    # "lymphoma, in remission since 2015"; "smoked, but that was decades ago"
    r"|^\W*(?:(?:and|but|now)\s+)?in remission\b"
    r"|^\W*(?:(?:and|but)\s+)?(?:that|it|this) was (?:[\w']+\s+){0,3}?(?:ago|back|in (?:19|20)\d\d)\b"
    # "accutane in high school", "steroids at uni": a time of life gone by (not "still", "again")
    r"|^\s*(?:back\s+)?(?:in|at|during)\s+"
    r"(?:high school|secondary school|school|college|uni|university|sixth form"
    r"|my (?:teens|twenties|20s|teenage years|school days|student days))\b"
    r"(?![^.;!?]*\b(?:still|currently|again|back on|now on)\b)"
    # "smoked for years, quit when I turned 50": the stop verb with nothing new after it (not "stopped
    # alcohol", "stopped my retinol": another thing stopped)
    r"|^[^.;!?]{0,40}?(?:,|\band\b|\bbut\b)\s*(?:i\s+)?"
    r"(?:quit|stopped|gave (?:it |them )?up|kicked (?:it|the habit)|packed (?:it )?in)"
    r"(?=\s*(?:$|[,.;!]|(?:it|them|that|when|in|at|last|about|around|like|roughly|maybe|probably|approx\w*|"
    r"ages|years?|months?|weeks?|since|after|"
    r"before|back|for good|completely|a|an|over|nearly|almost|one|two|three|four|five|six|seven|eight|nine|"
    r"ten|\d+)\b))",
    re.IGNORECASE,
)
# How often a habit is had says it is had: "don't smoke, drink socially", unless the denial governs it
# directly ("don't drink much").
_HOW_OFTEN = re.compile(
    r"^\s*(?:\w+\s+)?(?:socially|occasionally|sometimes|at (?:the )?weekends?|on weekends|a bit|a little"
    r"|a lot|every day|daily|most (?:days|nights)|heavily|moderately|regularly|now and then|with dinner"
    r"|w(?:ith|/)? (?:friends|mates|the girls|the lads|work)|on (?:sat|sun|fri)\w*|on nights out|at parties"
    r"|when i go out)\b",
    re.IGNORECASE,
)
_DENIED_RIGHT_BEFORE = re.compile(
    r"\b(?:not|n't|never|no|dont|don't|doesnt|rarely|hardly)\s+(?:really\s+)?$", re.IGNORECASE
)
_SEASONAL = re.compile(r"\b(?:every|each) (?:summer|spring|autumn|fall|winter)\b", re.IGNORECASE)


# Someone else's, said so by its subject: "my father is having BP and sugar but I am alright", "dad's on
# warfarin", "my husband had botox last week"; a bare relative opening the message or a clause counts too
# ("dad had high blood pressure"). Not when the visitor comes in between ("my mum says I have diabetes", "my
# sister and I both have eczema"): the words after the relative up to the mention are checked.
_RELATIVE = re.compile(
    r"(?:\b(?:my|our)\s+(?:\w+\s+)?|(?:^|[.,;:!?(]\s*)(?:\w+\s+)?)"
    r"(?:mum|mom|mother|mam|ma|dad|father|papa|pa|husband|hubby|wife|partner|sister|brother"
    r"|son|daughter|gran|granny|grandma|grandmother|nan|nana|nanna|grandad|granddad|grandpa|grandfather|aunt|auntie"
    r"|aunty|uncle|cousin|niece|nephew|boyfriend|girlfriend|fianc[eé]e?|parents?|mother-in-law|father-in-law"
    r"|in-laws?|kids?|child|children|twin|friend|mate|bestie|colleague|boss|neighbou?r|flatmate|housemate"
    r"|other half"
    r"|missus|mrs|sibling|siblings|family|mum'?s side|dad'?s side)\b(?:'s)?",
    re.IGNORECASE,
)
_VISITOR_BETWEEN = re.compile(
    r"\b(?:i|i'?m|im|i'?ve|ive|i'?d|me|my|myself|mine|we|us|both|too|also|as well|so do i|same)\b|[.!?;]",
    re.IGNORECASE,
)
_HAS_IT = re.compile(
    r"^(?:'s\s+|\s+)(?:(?:also|too|really|just|still|always)\s+)?"
    r"(?:has|have|had|is having|was having|is on|was on|are on|were on|'s on|takes|took|is taking|was taking"
    r"|suffers from|suffered from|suffers with|got|gets|has got|'s got|is|was|are|were|had to have|went for"
    r"|is getting|gets|did|does|uses|used to have|passed away from|died of|died from|lives with"
    r"|deals with"
    # "my dad's on the blood thinning tablets": the relative's "'s" is taken with the relative
    r"|on)\b",
    re.IGNORECASE,
)


# ...unless the visitor says it of themselves too: "my dad has diabetes and so do I".
_VISITOR_TOO = re.compile(
    r"\b(?:so do i|so have i|so am i|me too|me as well|i do too|i do as well|i have (?:it|that|them|one) too"
    r"|as do i|as have i|same (?:here|for me|with me|as me)|i also|and i do|i'?ve got (?:it|that|one) too"
    r"|both of us|we both|runs in the family and i)\b",
    re.IGNORECASE,
)


# The visitor says they themselves are clear of it: only then is a relative's condition left out. Alone,
# "my mum has a pacemaker" may be said by someone screening on their mother's behalf, and a contraindication
# is never dropped on a guess.
_VISITOR_CLEAR = re.compile(
    r"\b(?:i'?m|i am|im|i'?ve been|i feel|me|myself)\s+(?:\w+\s+)?"
    r"(?:alright|all right|fine|ok|okay|healthy|well"
    r"|good|clear|not|free)\b|\bnot me\b|\bi (?:don'?t|do not|dont|haven'?t|have not|havent|never)\b"
    r"|\b(?:i'?ve|ive) never\b"
    r"|\bi have (?:no|nothing|none)\b|\b(?:no|none|nothing|not any|no any)\s+(?:\w+\s+)?(?:health issues?"
    r"|health problems?|problems?|conditions?|issues?|illness\w*)\b"
    r"|\b(?:nothing|none) (?:for|with|wrong with) me\b"
    # "my twin has rosacea but mine is just dry"
    r"|\bmy skin(?:'s| is) (?:\w+ )?(?:fine|ok|okay|normal|clear|good|alright)\b"
    r"|\bmine(?:'s| is) (?:just |only |totally |completely )?"
    r"(?:fine|ok|okay|normal|clear|good|dry|oily|combination)\b",
    re.IGNORECASE,
)


# The family named after the mention: "epilepsy runs in the family", "haemophilia on my mum's side".
_FAMILY_AFTER = re.compile(
    r"^\W*(?:[\w']+\W+){0,2}?(?:runs? in (?:the|my|our) family|in (?:the|my|our) family"
    r"|on (?:my|the) (?:mum|mom|mother|dad|father|mam)'?s side)\b",
    re.IGNORECASE,
)


def _someone_elses_by_subject(doc: Doc, ent: Span) -> bool:
    """The mention's subject, earlier in its sentence, is a relative or a friend, nothing of the visitor
    comes between them, the visitor does not say it of themselves after it, and says they are clear."""
    before = doc.text[max(0, ent.start_char - 60) : ent.start_char]
    after = doc.text[ent.end_char : ent.end_char + 60].split(".")[0]
    if _VISITOR_TOO.search(after) or not _VISITOR_CLEAR.search(doc.text):
        return False
    if _FAMILY_AFTER.match(doc.text[ent.end_char :]):
        return True
    for relative in reversed(list(_RELATIVE.finditer(before))):
        between = before[relative.end() :]
        if _VISITOR_BETWEEN.search(between):
            return False
        return not between.strip() or bool(_HAS_IT.match(between))
    return False


# Someone else's, said so right after the mention: "the missus has had botox but not me". (NegEx cannot
# see it: "but" ends a negation's reach.)
_NOT_ME_AFTER = re.compile(
    r"^\W*(?:(?:but|though|although)\s+)?"
    # "...but that's him not me"
    r"(?:(?:that'?s|thats|that is|it'?s|its)\s+(?:him|her|them|his|hers|theirs)\W+(?:and\s+)?)?"
    r"(?:not|never)\s+(?:for\s+|on\s+)?me\b",
    re.IGNORECASE,
)
# A skin type said and taken back: "I said sensitive but it really isn't" (the whole clause ends at
# the denial, so "eczema but it's not bad" keeps its eczema; a skin type only, never a safety term).
_TAKEN_BACK_AFTER = re.compile(
    r"^\W*(?:(?:before|earlier|first|then|at first)\W+)?(?:but|though|although)\s+"
    r"(?:it|that|they|mine|my skin)(?:'?s|\s+is|\s+are|'re)?\s+"
    r"(?:really\s+|actually\s+|honestly\s+)?(?:not|isn'?t|isnt|aren'?t|wasn'?t|not really)"
    r"(?:\s+(?:really|actually|true|at all|anymore|any more))?\s*(?:[,.;!]|$)",
    re.IGNORECASE,
)
# A medicine not begun: "the doctor mentioned roaccutane but I haven't started it".
_NOT_STARTED_AFTER = re.compile(
    r"^\W*(?:[\w']+\W+){0,3}?(?:i\s+)?(?:haven'?t|have not|havent|not yet|never|didn'?t)\s+"
    r"(?:yet\s+)?(?:started|begun|began|taken|tried|gone on|been on)\b",
    re.IGNORECASE,
)
# "never I did botox": a learner's word order, which NegEx does not reach (it ends a denial at "I did").
_LEARNERS_NEVER = re.compile(
    r"\bnever (?:i|we) (?:did|had|have|made|do|done|got|tried|take|took|use|used)\b[^.;!?,]*$", re.IGNORECASE
)
# A lasting condition is over only when the message says it ended: "had fits as a child, nothing since".
_LASTING_ENDED = re.compile(
    r"\b(?:nothing|none|not had (?:one|any)|no (?:more |further )?(?:fits|seizures|episodes|attacks)) since\b"
    r"|\b(?:grew out of (?:it|them)|outgrew (?:it|them)|in remission|cured|fully resolved|went away|gone away"
    r"|gone (?:since|now|ever since)|cleared up|disappeared|went back (?:to )?normal|returned to normal"
    r"|back to normal (?:after|afterwards|since|now)"
    r"|resolved|reversed (?:it|them|that)"
    r"|all clear|(?:been )?clear (?:ever )?since|discharged|signed off|cancer[- ]free|no evidence of disease"
    r"|off (?:the |my |all )?(?:meds|medication|medicines|tablets|pills) since"
    r"|(?:it'?s|its|it is|it'?s been|been) (?:back to )?normal (?:now|since|ever since))\b",
    re.IGNORECASE,
)
# A form-style answer: "cancer no, diabetes no, blood pressure yes". The word right after the mention,
# before a comma or the end, says no or yes; only there, so "diabetes, no other problems" stays stated.
# Where a form-style answer ends: a comma, a slash, a dash, the next number of a numbered list.
_ITEM_END = r"(?:[,;.!/|)\n\u2013\u2014-]|\d+[).]|$)"
_NO_MARK = (
    r"(?:no+|nope|nah|never|none(?: of (?:it|them|those|that|the above))?|n|n/?a|nil|no way|no chance"
    r"|not for me"
    r"|not yet|not me|not at all"
    r"|(?:definitely|certainly|absolutely|defo|def) not|\u2717|\u2718|\u274c|\u00d7)"
)
_YES_MARK = r"(?:yes|yeah|yep|yup|definitely|for sure|\u2713|\u2714|\u2705|\u2611)"
_ANSWERED_NO = re.compile(
    r"^\s*[-:=\u2013\u2014,]?\s*"
    + _NO_MARK
    + r"\s*"
    + _ITEM_END
    # "smoking, that's a hard no from me"
    + r"|^\W*(?:question\W+)?(?:that'?s|that is|that'?d be|that would be|it'?s|its) a"
    r" (?:hard |big |definite |firm |clear |solid )?no(?: from me)?\b",
    re.IGNORECASE,
)
# "peels no lasers no threads no botox yes": items each followed by a bare answer and the next item.
_BARE_ANSWER = re.compile(
    r"\s*[-:=\u2013\u2014]?\s*(?P<no>" + _NO_MARK + r")?(?P<yes>" + _YES_MARK + r")?\s*(?:\d+[).]\s*)?",
    re.IGNORECASE,
)
_ANSWER_THEN_NEXT = re.compile(r"\s*[-:=\u2013\u2014,]?\s*" + _NO_MARK + r"\s*[,;./|]\s*", re.IGNORECASE)
_ECHO_GAP = re.compile(r"\s*\?+\s*(?:(?:or|and)\s+)?|\s*(?:,|or|and)\s*", re.IGNORECASE)
_FIRST_ANSWER = re.compile(
    r"\s*[-:=\u2013\u2014]?\s*(?:(?P<no>" + _NO_MARK + r")|(?P<yes>" + _YES_MARK + r"))(?!\w)", re.IGNORECASE
)
_LIST_START = re.compile(r"^\W*(?:\d+[).]\s*)?(?:[\w' ]{1,20}:\s*)?$")
# The visitor echoes the question and answers it: "pregnant? god no lol", "keloids? no", "stress? not really".
_ECHO_DENIED = re.compile(
    r"^\s*(?:\?+|\.{2,}|\u2026)\s*(?:(?:god|hell|oh|lol|haha|um+|er+|definitely|absolutely|certainly|defo|def|nah|no"
    r"|me)\W+)?"
    r"(?:no+|nope|nah|never|none(?: of (?:it|them|those|that|the above))?|not(?=\W*(?:$|[,;.!]))"
    r"|not (?:really|at all|me|now|currently|at the moment)"
    r"|not that i(?:'m| am)? (?:know|aware) of|not as far as i know)"
    r"(?:\W+(?:that i(?:'m| am)? (?:know|aware) of|that i know|i know of|i'?m aware of|as far as i know))?"
    r"\W*(?:$|[,;.!?]|lol|haha|mate|thanks|thank you|sorry|way|chance|in my life|ever\b"
    r"|had (?:it|them|one|any)|tried)",
    re.IGNORECASE,
)
# ...or says it is over: "breastfeeding? not anymore", "smoking? gave up years ago".
_ECHO_OVER = re.compile(
    r"^\s*\?+\s*(?:(?:no|nah|nope)\W+)?(?:not (?:anymore|any more|since)|no longer|used to|"
    r"gave (?:it |that )?up|quit|stopped|finished|over (?:it|that)|a thing of the past)\b",
    re.IGNORECASE,
)
_ANSWERED_YES = re.compile(
    r"^\s*[-:=\u2013\u2014]?\s*(?:(?:\w+\s+){0,4}?)" + _YES_MARK + r"\s*" + _ITEM_END, re.IGNORECASE
)

_REASON_FOR = re.compile(
    r"^\s+(?:for|because of|to (?:treat|clear|clear up|sort out|sort|help with|fix|calm))\s+"
    r"(?:my|the|his|her|some|bad|a bit of|really bad|a|an|a bad|a nasty)?\s*$",
    re.IGNORECASE,
)
_STILL_ON = re.compile(r"\b(?:still|currently|ongoing|at the moment|right now)\b[^,.;!?]*$", re.IGNORECASE)
_TREATMENT_OF = re.compile(
    r"^\s+(?:for|of|to treat)\s+(?:my|the|his|her|a)?\s*(?:[\w']+\s+)?$", re.IGNORECASE
)
# "in remission now", "fine now": the "now" of something over does not bring it back.
# ("now my skin is clear", "now skin is clear" likewise)
_WELL_NOW = re.compile(
    r"\b(?:in remission|fine|clear|better|well|ok|okay|all good|gone|recovered) now\b"
    r"|\bnow (?:my |the )?(?:skin|face|it)(?:'s| is| has been)? (?:totally |completely |all )?"
    r"(?:clear|fine|good|better|great|normal)\b",
    re.IGNORECASE,
)
_STILL = re.compile(r"\b(?:still|came back|come back|back again|again now|returned|now)\b", re.IGNORECASE)

PAST_LABELS = ("condition", "habit", "procedure", "skin_type")
LASTING_CONDITIONS = (
    "pacemaker",
    "diabetes",
    "epilepsy",
    "bleeding_disorder",
    "keloid",
    "metal_allergy",
    "hypertension",
)
OVER_LABELS = ("condition", "habit")
# Illnesses that last days, not months: one dated more than two weeks back in its own clause is over
# ("two months ago I had covid"); a recent one may still be going on ("got flu 3 days ago").
SHORT_ILLNESSES = ("acute_illness", "sunburn")
SHORT_ILLNESS_OVER_DAYS = 14
if not Span.has_extension("past"):
    Span.set_extension("past", default=False)


@Language.component("screening_spelling")
def correct_spelling(doc: Doc) -> Doc:
    """Misspelt term-list words ("warferin") get the intended word as their norm, which the
    EntityRuler matches on; the text is unchanged (bot/nlu/spelling.py)."""
    speller = spelling.speller()
    for token in doc:
        corrected = speller.correct(token.lower_)
        if corrected is not None:
            token.norm_ = corrected
    return doc


@Language.component("screening_durations")
def add_duration_entities(doc: Doc) -> Doc:
    """Time spans ("3 weeks ago", "last month") as `duration` entities with `span._.days`."""
    spans = []
    for found in find_time_spans(doc.text):
        span = doc.char_span(found.start, found.end, label="duration", alignment_mode="expand")
        if span is not None:
            span._.days = found.days
            spans.append(span)
    if spans:
        # Durations never displace a curated term: keep the ruler's entities where they overlap.
        kept = [s for s in spans if not any(s.start < e.end and e.start < s.end for e in doc.ents)]
        doc.ents = filter_spans(list(doc.ents) + kept)
    return doc


_GIVES_WAY_TO_DESCRIPTION = frozenset({"condition", "benefit", "rating"})


@Language.component("screening_described_conditions")
def add_described_conditions(doc: Doc) -> Doc:
    """Conditions described rather than named ("a spot that's gone yellow, it's infected"): a `condition`
    entity (bot/nlu/described_conditions.py). The description is the more specific reading, so it takes
    the place of a condition named in it ("pimple", acne, in "a pimple that's gone septic"); a red flag,
    treatment, habit or time it would overlap stays and the description is dropped. Before the denials, so "no
    infected spots" is denied like any named condition."""
    ents, changed = list(doc.ents), False
    for found in find_described(doc.text):
        span = doc.char_span(found.start, found.end, alignment_mode="expand")
        if span is None:
            continue
        overlapping = [e for e in ents if span.start < e.end and e.start < span.end]
        # A named condition, a goal or a rating ("spot on" in "a spot on my chin") give way; a red flag, a
        # treatment, a habit or a time never do.
        inside = [e for e in overlapping if e.label_ in _GIVES_WAY_TO_DESCRIPTION]
        if len(inside) != len(overlapping):
            continue
        described = Span(doc, span.start, span.end, label="condition")
        described.id_ = found.condition
        ents, changed = [e for e in ents if e not in inside] + [described], True
    if changed:
        doc.ents = filter_spans(ents)
    return doc


@Language.component("screening_sleep_hours")
def add_sleep_hours(doc: Doc) -> Doc:
    """Hours of sleep ("I sleep maybe five hours"): six or fewer are a `habit` entity, poor_sleep; more
    are no habit at all. Either way the hours are not a time since anything (bot/nlu/sleep_hours.py)."""
    found = find_sleep_hours(doc.text)
    if not found:
        return doc
    spans = []
    for hours in found:
        span = doc.char_span(hours.start, hours.end, alignment_mode="expand")
        if span is None:
            continue
        if hours.poor:
            span = Span(doc, span.start, span.end, label="habit")
            span.id_ = "poor_sleep"
        spans.append(span)
    others = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in spans)]
    doc.ents = filter_spans(others + [s for s in spans if s.label_])
    return doc


@Language.component("screening_past_mentions")
def mark_past_mentions(doc: Doc) -> Doc:
    """Mark mentions of something given up; a past mark replaces NegEx's denial for that span."""
    for ent in doc.ents:
        if ent.label_ == "benefit" and ent._.negex and _denied_in_another_clause(doc, ent):
            ent._.negex = False  # "wrinkles aren't the issue, it's stress": the stress is wanted
        if ent.label_ not in PAST_LABELS:
            continue
        before = doc.text[max(0, ent.start_char - 60) : ent.start_char]
        after = doc.text[ent.end_char : ent.end_char + 40]
        # A treatment last year is a past treatment that still counts (its waiting period is checked);
        # a condition or a habit that is over is not a current one.
        # A lasting condition is not over because it began long ago ("a pacemaker fitted three years
        # ago"): only an explicit end (`_PAST_BEFORE`, `_PAST_AFTER`) makes it past.
        lasting = ent.label_ == "condition" and ent.ent_id_ in LASTING_CONDITIONS
        # ("outdoors every summer": for a habit, the seasons say how often, not that it is over)
        told = blank(doc.text, (_SEASONAL,)) if ent.label_ == "habit" else doc.text
        over = ent.label_ in OVER_LABELS and not lasting and is_over(told, ent.start_char, ent.end_char)
        ended = (lasting and _lasting_ended(doc.text, ent)) or (
            ent.label_ == "condition" and "remission" in ent.text.lower()  # "in remission" names the past
        )
        left_from = ent.label_ == "condition" and bool(_LEFT_FROM.search(before))
        ended = ended or _short_illness_long_gone(doc, ent)
        if ent._.negex and _denial_out_of_reach(doc, ent):
            ent._.negex = False
        if not ent._.negex and _LEARNERS_NEVER.search(before):
            ent._.negex = True  # "never I did botox": the learner's word order, NegEx ends at "I did"
        # "still on chemo, it finished a cycle": what is still going on is not ended by what follows.
        ended_after = (_PAST_AFTER.search(after) or _ECHO_OVER.match(after)) and not _STILL_ON.search(before)
        past_before = _PAST_BEFORE.search(before) is not None
        if ent.label_ == "skin_type":
            # A skin type is over only as said of it ("used to be oily", "combination in my 20s"), never by
            # `is_over`, whose "fine now" would end "normal, fine now"; and only its own clause denies it
            # ("not oily at all, if anything on the dry side": the dry is stated).
            over = (past_before or _said_of_the_past(doc, ent)) and not _SKIN_STILL.search(after[:25])
            past_before = ended_after = ended = left_from = False
            if ent._.negex and _denied_in_another_clause(doc, ent):
                ent._.negex = False
        if _EXCEPTED_BEFORE.search(before) and not (past_before or ended_after or over or ended or left_from):
            # "apart from high blood pressure no": the exception to a denial is affirmed
            ent._.negex = False
            continue
        if past_before or ended_after or over or ended or left_from:
            ent._.past = True
            ent._.negex = False
        elif _NOT_ME_AFTER.match(after) or (ent.label_ == "condition" and _NOT_STARTED_AFTER.match(after)):
            ent._.negex = True
        elif ent.label_ in ("condition", "procedure", "habit") and _someone_elses_by_subject(doc, ent):
            ent._.negex = True
        elif _ECHO_DENIED.match(after):
            ent._.negex = True
        elif ent.label_ == "skin_type" and _TAKEN_BACK_AFTER.match(after):
            ent._.negex = True
        elif ent._.negex and _GOES_ON_AFTER.match(after):
            ent._.negex = False  # "I'm not off the warfarin, still taking it": a denied ending, not a denial
        elif _ANSWERED_NO.match(after):
            ent._.negex = True
        elif _ANSWERED_YES.match(after):
            ent._.negex = False
        elif (
            ent.label_ == "habit"
            and ent._.negex
            and (_HOW_OFTEN.match(after) or _HOW_OFTEN.match(ent.text))
            and not _DENIED_RIGHT_BEFORE.search(before)
        ):
            ent._.negex = False  # "don't smoke, drink socially": the denial was of the smoking
    _bare_list_answers(doc)
    _take_back_denied_times(doc)
    _drop_denied_times(doc)
    # The reason for a treatment that is over is over with it ("I was on roaccutane for my spots, finished
    # 3 years ago"), unless the message says it is back or still there (`is_over` reads that).
    ents = list(doc.ents)
    for earlier, later in zip(ents, ents[1:], strict=False):
        between = doc.text[earlier.end_char : later.start_char]
        # "radiotherapy for prostate cancer, finished in 2019": the treatment of a thing ended with it.
        if (
            later._.past
            and earlier.label_ == "condition"
            and earlier.ent_id_ == later.ent_id_
            and not earlier._.past
            and _TREATMENT_OF.match(between)
        ):
            earlier._.past = True
            earlier._.negex = False
        if earlier._.past and later.label_ == "condition" and not later._.past and _REASON_FOR.match(between):
            if not _STILL.search(_WELL_NOW.sub(" ", doc.text[later.end_char : later.end_char + 40])):
                later._.past = True
                later._.negex = False
    return doc


def _bare_list_answers(doc: Doc) -> None:
    """A list written as a form, each item followed by its answer and then straight by the next item ("peels
    no lasers no threads no botox yes"): each answer is its item's, not a denial of the next. Only a list
    that begins so (nothing before its first item but a number or a label) is read this way: in "I had
    botox no filler" the "no" denies the filler."""
    ents = [e for e in doc.ents if e.label_ in PAST_LABELS and e.label_ != "skin_type"]
    _echoed_lists(doc, ents)
    for earlier, later in zip(ents, ents[1:], strict=False):
        # "eczema no, acne a bit on my chin": the "no" was the eczema's answer, not a denial of the acne
        if _ANSWER_THEN_NEXT.fullmatch(doc.text[earlier.end_char : later.start_char]) and later._.negex:
            later._.negex = bool(_ANSWERED_NO.match(doc.text[later.end_char : later.end_char + 40]))
    chained = False
    for i, ent in enumerate(ents):
        following = ents[i + 1] if i + 1 < len(ents) else None
        if following is not None:
            answer = _BARE_ANSWER.fullmatch(doc.text[ent.end_char : following.start_char])
            starts = chained or bool(_LIST_START.match(doc.text[: ent.start_char]))
            if answer and (answer.group("no") or answer.group("yes")) and starts:
                chained = True
                _answer(ent, bool(answer.group("no")))
                continue
        if chained:
            # The list's last item, answered before whatever follows: "... filler yes 2 weeks ago".
            last = _FIRST_ANSWER.match(doc.text[ent.end_char : ent.end_char + 30])
            if last:
                _answer(ent, bool(last.group("no")))
        chained = False


def _echoed_lists(doc: Doc, ents: list[Span]) -> None:
    """Items echoed as questions and answered together: "botox? filler? threads? none of it"."""
    run: list[Span] = []
    for i, ent in enumerate(ents):
        run.append(ent)
        following = ents[i + 1] if i + 1 < len(ents) else None
        if following is not None and _ECHO_GAP.fullmatch(doc.text[ent.end_char : following.start_char]):
            continue
        if len(run) > 1 and _ECHO_DENIED.match(doc.text[ent.end_char : ent.end_char + 60]):
            for item in run:
                _answer(item, True)
        run = []


def _answer(ent: Span, no: bool) -> None:
    ent._.negex = no
    if no:
        ent._.past = False


# Said to go on right after a denial: "no, I'm not off the warfarin, still taking it every night".
_GOES_ON_AFTER = re.compile(
    r"^[^.;!?]{0,30}?\b(?:still (?:taking|on|using|having|doing|getting|have|get)"
    r" (?:it|them|that|those|this)\b"
    r"|i (?:do|am|still do)(?=\s*(?:[,.;!]|$)))",
    re.IGNORECASE,
)


# The exception to a denial: "apart from high blood pressure, no", "none other than the odd migraine".
_EXCEPTED_BEFORE = re.compile(
    r"\b(?:apart from|except(?: for)?|other than|besides|aside from|bar|save for|but for)\s+"
    r"(?:the odd\s+|a bit of\s+|(?:the|my|a|an|some|that|mild|slight)\s+)?$",
    re.IGNORECASE,
)


# Between a treatment and a time: the time is denied, not the treatment ("the peel wasn't last week, it was
# two months ago").
_TIME_DENIED_BETWEEN = re.compile(
    r"^\W*(?:it\s+|that\s+)?(?:was|were|is|has been|had been|wasn'?t|wasnt|weren'?t|werent|isn'?t|isnt)?\s*"
    r"(?:not|n't)?\s*(?:really\s+|actually\s+|exactly\s+)?$",
    re.IGNORECASE,
)


# A time said not to be the time, in a correction: "three months ago, not three weeks", "not a year ago,
# six weeks ago". Dropped only when another time stands beside it, which is the one meant.
_TIME_DENIED_BEFORE = re.compile(
    r"\b(?:not|n't|never|rather than|instead of)\s+"
    r"(?:(?:about|around|like|roughly|even|really|actually)\s+)?$",
    re.IGNORECASE,
)


def _drop_denied_times(doc: Doc) -> None:
    times = [e for e in doc.ents if e.label_ == "duration"]
    denied = {
        e.start_char
        for e in times
        if _TIME_DENIED_BEFORE.search(doc.text[max(0, e.start_char - 24) : e.start_char])
    }
    if denied and len(denied) < len(times):
        doc.ents = [e for e in doc.ents if not (e.label_ == "duration" and e.start_char in denied)]


def _take_back_denied_times(doc: Doc) -> None:
    """A treatment whose time is corrected ("my botox wasn't 3 weeks ago, it was 3 months ago") is had;
    the denied time is dropped, so the later one (or, with none, a question) gives its date."""
    ents = list(doc.ents)
    dropped = set()
    for treatment, time in zip(ents, ents[1:], strict=False):
        between = doc.text[treatment.end_char : time.start_char]
        if (
            treatment.label_ == "procedure"
            and treatment._.negex
            and time.label_ == "duration"
            and _CUE.search(between)
            and _TIME_DENIED_BETWEEN.match(between)
        ):
            treatment._.negex = False
            dropped.add(time.start_char)
    if dropped:
        doc.ents = [e for e in ents if not (e.label_ == "duration" and e.start_char in dropped)]
    # ...and the time corrected before the treatment is named: "it was 10 days not 10 weeks for the filler"
    # (the "not" is of the weeks, not of the filler)
    for treatment in doc.ents:
        if treatment.label_ == "procedure" and treatment._.negex:
            before = doc.text[max(0, treatment.start_char - 50) : treatment.start_char]
            if _TIME_CORRECTED_BEFORE.search(before):
                treatment._.negex = False


_TIME_CORRECTED_BEFORE = re.compile(
    r"\b(?:not|n't|never)\s+(?:about\s+|around\s+)?(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|a few|a couple of)\s+(?:days?|weeks?|wks?|months?|mths?|years?)(?:\s+ago)?\W*"
    r"(?:(?:for|with|on|of|since)\s+)?(?:the\s+|my\s+|that\s+)?$",
    re.IGNORECASE,
)


# A habit that says its own "no" or its own badness ("no spf", "barely sleep", "poor sleep") or counts
# hours of sleep ("sleep like 5hrs") is denied only by a cue in its own clause: in "dont smoke, drink w
# friends, sleep like 5hrs, no spf" the "dont" was of the smoking.
_SELF_DENYING = re.compile(
    r"^(?:no|never|don'?t|dont|forget|forgets|rarely|hardly|barely|skip|skips|not|poor|bad|badly|can'?t|cant"
    r"|too much|too little|lots of|loads of|heavy|heavily)\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\d|\b(?:one|two|three|four|five|six|hours?|hrs?)\b", re.IGNORECASE)
# (Not a bare "nt": "want", "went" and "recent" end in it.)
_CUE = re.compile(
    r"\b(?:no|not|never|none|nope|nah|without|neither|nor|dont|doesnt|didnt|cant|wont|isnt|arent|wasnt"
    r"|werent|havent|hasnt|hadnt|aint|wouldnt|couldnt|shouldnt)\b|n't\b",
    re.IGNORECASE,
)


# ...or says it at its end: "sleep is rubbish", "sleep's all over the place".
_SAYS_ITS_BADNESS = re.compile(
    r"\b(?:rubbish|terrible|awful|bad|poor|crap|shocking|dreadful|horrendous|non-?existent"
    r"|all over the place)$",
    re.IGNORECASE,
)


def _denial_out_of_reach(doc: Doc, ent: Span) -> bool:
    if ent.label_ != "habit" or not (
        _SELF_DENYING.match(ent.text) or _SAYS_ITS_BADNESS.search(ent.text) or _COUNTED.search(ent.text)
    ):
        return False
    left, _ = treatment_scope.clause_bounds(doc.text.lower(), ent.start_char, ent.end_char)
    return not _CUE.search(doc.text[left : ent.start_char])


_SKIN_STILL = re.compile(r"\b(?:still|again)\b", re.IGNORECASE)


def _said_of_the_past(doc: Doc, ent: Span) -> bool:
    """Its own clause dates it to the past: "it was combination in my 20s", "oily as a teenager"."""
    clause = treatment_scope.clause_around(doc.text.lower(), ent.start_char, ent.end_char)
    return any(p.search(clause) for p in load_rules().history)


def _denied_in_another_clause(doc: Doc, ent: Span) -> bool:
    """NegEx's cue is in another clause than the mention: "defo not combination, its oily everywhere"."""
    left, right = treatment_scope.clause_bounds(doc.text.lower(), ent.start_char, ent.end_char)
    own = doc.text[left : ent.start_char] + " " + doc.text[ent.end_char : right]
    return not _CUE.search(own)


def _short_illness_long_gone(doc: Doc, ent: Span) -> bool:
    """A short illness with a time more than two weeks back in its own clause, and nothing saying it is
    still there: "two months ago I had covid, fine now"."""
    if ent.label_ != "condition" or ent.ent_id_ not in SHORT_ILLNESSES:
        return False
    text = doc.text.lower()
    left, right = treatment_scope.clause_bounds(text, ent.start_char, ent.end_char)
    if _STILL.search(text[ent.end_char : right]):
        return False
    return any(
        other.label_ == "duration"
        and left <= other.start_char
        and other.end_char <= right
        and (other._.days or 0) > SHORT_ILLNESS_OVER_DAYS
        for other in doc.ents
    )


def _lasting_ended(text: str, ent: Span) -> bool:
    """A lasting condition said to have ended, in its own words and its own time: "had fits as a child,
    nothing since" (the end right after it, and a childhood or a date in its clause). Not "epilepsy, had a
    fit last week, nothing since", nor another condition's cure later in the message."""
    after = text[ent.end_char : ent.end_char + 60]  # "...when I was pregnant but it went back to normal"
    if not _LASTING_ENDED.search(after):
        return False
    clause = treatment_scope.clause_around(text.lower(), ent.start_char, ent.end_char)
    return any(p.search(clause) for p in load_rules().history)


_ZONES = re.compile(
    r"\b(?:t[- ]?zone|forehead|nose|chin|cheeks?|middle|centre|center|sides?|edges|jaw(?:line)?|around)\b",
    re.IGNORECASE,
)


@Language.component("screening_skin_mix")
def oily_and_dry_make_combination(doc: Doc) -> Doc:
    """Oily in one zone and dry in another ("t-zone greasy but my cheeks are dry") is combination skin:
    the first skin-type mention becomes it, the others go."""
    stated = [e for e in doc.ents if e.label_ == "skin_type" and not e._.negex and not e._.past]
    values = {e.ent_id_ for e in stated}
    # By zone, not by season: "oily in summer and dry in winter" is both, said of different times.
    if not {"oily", "dry"} <= values or "combination" in values or not _ZONES.search(doc.text):
        return doc
    parts = [e for e in stated if e.ent_id_ in ("oily", "dry")]
    # The first skin mention becomes "combination" and the other skin mentions go; everything else said
    # in between ("oily forehead, had botox 3 days ago, dry cheeks") stays.
    first = parts[0]
    mixed = Span(doc, first.start, first.end, label="skin_type")
    mixed.id_ = "combination"
    doc.ents = sorted([e for e in doc.ents if e not in parts] + [mixed], key=lambda e: e.start)
    return doc


def _chars(span: Span) -> tuple:
    return span.start_char, span.end_char


@Language.component("screening_treatment_scope")
def drop_treatments_that_do_not_count(doc: Doc) -> Doc:
    """A treatment elsewhere on the body, or one not had yet, is not a recent facial treatment
    (bot/nlu/treatment_scope.py)."""
    kept = [
        e
        for e in doc.ents
        if e.label_ != "procedure" or treatment_scope.counts(doc.text, e.start_char, e.end_char)
    ]
    if len(kept) != len(doc.ents):
        doc.ents = kept
    return doc


# A part of the face named as where a treatment went or a condition sits ("filler in my nasolabial
# folds", "laser on my acne scars", "a boil on my jawline") is that place, not a goal: a benefit
# right after such a mention and a place word. A sentence that speaks of wanting keeps it ("I had
# botox for my frown lines and want them softer").
_SITE_BETWEEN = re.compile(
    r"^\s*(?:[\w']+\s+){0,3}?(?:in|on|along|around|across|into|under|over|for|to|between|near|at)\s+"
    r"(?:my|the|her|his|both|each|their|some)?\s*(?:[\w']+\s+)?$",
    re.IGNORECASE,
)
_WANTS = re.compile(
    r"\b(?:want\w*|wish|hop(?:e|ing)|goals?|aim\w*|looking (?:to|for)|would like|i'?d like|improve\w*|"
    r"reduce|soften|smooth\w* out|help (?:with|my)|get rid|less|fewer|better|firmer|lift\w*)\b",
    re.IGNORECASE,
)
SITE_OF = ("procedure", "condition")


@Language.component("screening_treatment_site")
def drop_benefits_that_are_places(doc: Doc) -> Doc:
    """A benefit that only names where a treatment or condition is goes (see _SITE_BETWEEN)."""
    drop = []
    for ent in doc.ents:
        if ent.label_ != "benefit" or _WANTS.search(ent.sent.text):
            continue
        before = [e for e in doc.ents if e.label_ in SITE_OF and e.end <= ent.start and e.sent == ent.sent]
        if before and _SITE_BETWEEN.match(doc.text[before[-1].end_char : ent.start_char]):
            drop.append(ent)
    if drop:
        doc.ents = [e for e in doc.ents if e not in drop]
    return doc


@Language.component("screening_red_flags")
def add_red_flags(doc: Doc) -> Doc:
    """Red flags from bot/nlu/red_flags.py as `red_flag` entities; they win over any overlapping term
    ("swollen lips" is an allergic reaction, not a lip-filler question)."""
    spans = []
    for mention in find_red_flags(doc.text):
        span = doc.char_span(mention.start, mention.end, label="red_flag", alignment_mode="expand")
        if span is None:
            continue
        span.id_ = mention.code
        span._.negex = mention.negated
        span._.question = mention.question
        span._.past = mention.past
        spans.append(span)
    if spans:
        # Where two mentions overlap, the stated one wins: in "no numbness no pain, just my face drooping"
        # the denied numbness reaches into the droop's words, and the longer span must not hide it.
        kept: list = []
        for span in sorted(spans, key=lambda s: (_stated(s), len(s)), reverse=True):
            if not any(span.start < k.end and k.start < span.end for k in kept):
                kept.append(span)
        others = [e for e in doc.ents if not any(e.start < s.end and s.start < e.end for s in kept)]
        doc.ents = filter_spans(kept + others)
    return doc


def _stated(span: Span) -> bool:
    return not (span._.negex or span._.question or span._.past)
