"""The facial-acupuncture screening assistant: everything that is not Rasa glue lives here."""

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = PROJECT_ROOT / "data"
