# The verbs: `make run` starts everything, `make test` runs every test. The rest are their steps.
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
SPACY  := var/spacy/en_screening/meta.json

.PHONY: bench run run-scaled test install spacy train validate lint fast-test compare-nlu evaluate-nlu

run: $(STAMP) $(SPACY)
	$(PY) -m bot.tasks.run

# N Rasa processes behind HAProxy on PostgreSQL ($$DATABASE_URL) and Redis ($$REDIS_URL); RASA_REPLICAS=2.
run-scaled: $(STAMP) $(SPACY)
	$(PY) -m bot.tasks.scaled

test: $(STAMP) $(SPACY)
	bash scripts/test.sh

install: $(STAMP)

$(STAMP): requirements.txt constraints.txt package-lock.json scripts/setup_venv.sh
	bash scripts/setup_venv.sh
	touch $@

spacy: $(SPACY)

$(SPACY): $(STAMP) $(wildcard data/lexicon/*.yml) $(wildcard bot/nlu/*.py) $(wildcard data/safety/*.yml) $(wildcard data/dev/conversations_*.yml) $(wildcard data/nlu/*.yml)
	$(PY) -m bot.nlu.build_pipeline

train: $(STAMP) $(SPACY)
	$(PY) -m bot.tasks.train

validate: $(STAMP)
	$(PY) -m pytest -q tests/test_contract.py
	$(VENV)/bin/rasa data validate --domain domain.yml --data data/nlu data/rules data/stories --fail-on-warnings

lint: $(STAMP)
	$(VENV)/bin/ruff check bot actions tests bench

fast-test: $(STAMP) $(SPACY)
	$(PY) -m pytest -m "not slow" -q

# Speed, load, CPU, memory, accuracy and the console at scale, in rounds interleaved with a stock `rasa init`
# bot and our bot with stock settings: raw results in results/bench/, then docs/benchmarks.md and the README.
bench: $(STAMP) $(SPACY)
	$(PY) -m bench.run

compare-nlu: $(STAMP) $(SPACY)
	$(PY) -m bot.tasks.compare_nlu configs/rules-diet-light.yml configs/rules-diet.yml configs/diet-only.yml

evaluate-nlu: $(STAMP) $(SPACY)
	$(PY) -m bot.tasks.evaluate_nlu
