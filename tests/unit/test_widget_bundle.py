"""The widget script gets the outcome codes and labels from the server, not from a copy of its own."""

import re

from bot.knowledge import labels
from bot.vocabulary import OUTCOMES, SEEK_URGENT_CARE
from bot.web.widget_bundle import WIDGET_DIR, widget_source


def test_widget_source_carries_every_outcome_label_from_the_labels_file():
    source = widget_source()
    for code in OUTCOMES:
        assert f'"{code}": "{labels()["outcome"][code]}"' in source
    assert f'"urgent": "{SEEK_URGENT_CARE}"' in source
    assert not re.search(r"/\*__[A-Z_]+__\*/", source)  # every placeholder filled in


def test_the_widget_files_name_no_outcome_code_themselves():
    for name in ("widget.js", "widget.css"):
        text = (WIDGET_DIR / name).read_text(encoding="utf-8")
        assert not [code for code in OUTCOMES if code in text], name
