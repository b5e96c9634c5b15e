"""Build the project's spaCy pipeline from a blank English one and the term lists, and save it.

usage: python -m bot.nlu.build_pipeline [OUT_DIR]     (default: var/spacy/en_screening)
Nothing is downloaded: the pipeline is a tokenizer, a sentencizer, an EntityRuler over
data/lexicon/, our duration component, negspacy's NegEx, our past-mention rule and the red-flag
finder (bot/nlu/red_flags.py, which keeps its own, narrower, denial rule), with the learned
red-flag reader it consults (bot/nlu/red_flag_model.py) trained beside it.
"""

from __future__ import annotations

import sys
from pathlib import Path

import spacy
from negspacy.termsets import termset
from spacy.language import Language

import bot.nlu.spacy_components  # noqa: F401  (registers our components)
from bot import PROJECT_ROOT
from bot.nlu import red_flag_model
from bot.nlu.lexicon import (
    LEXICON_DIR,
    NEGATABLE,
    load_lexicon,
    load_negation_terms,
    ruler_patterns,
    token_patterns,
)

DEFAULT_OUT = PROJECT_ROOT / "var" / "spacy" / "en_screening"


def negation_termset(lexicon_dir: Path = LEXICON_DIR) -> dict:
    """negspacy's clinical termset plus our everyday-language cues."""
    terms = termset("en_clinical")
    terms.add_patterns(load_negation_terms(lexicon_dir))
    patterns = terms.get_patterns()
    return {key: sorted(set(values)) for key, values in patterns.items()}


def build(lexicon_dir: Path = LEXICON_DIR) -> Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("screening_spelling")
    # NORM is the lower-cased word, or the intended one when screening_spelling corrected a typo.
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "NORM", "overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(load_lexicon(lexicon_dir)) + token_patterns(lexicon_dir))
    nlp.add_pipe("screening_described_conditions")
    nlp.add_pipe("screening_durations")
    nlp.add_pipe("screening_sleep_hours")
    nlp.add_pipe("negex", config={"neg_termset": negation_termset(lexicon_dir), "ent_types": list(NEGATABLE)})
    nlp.add_pipe("screening_past_mentions")
    nlp.add_pipe("screening_skin_mix")
    nlp.add_pipe("screening_treatment_scope")
    nlp.add_pipe("screening_treatment_site")
    nlp.add_pipe("screening_red_flags")
    nlp.meta["name"] = "screening"
    nlp.meta["description"] = "Facial-acupuncture screening terms, durations and negation (rule-based)."
    return nlp


def main(argv: list) -> int:
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    print(f"red-flag model saved to {red_flag_model.build()}")
    nlp = build()
    out.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    patterns = len(nlp.get_pipe("entity_ruler").patterns)
    print(f"spaCy pipeline saved to {out} ({patterns} term patterns, pipes: {', '.join(nlp.pipe_names)})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
