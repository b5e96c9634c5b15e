"""The console shows slot values as readable text and bot text with its bold, never Python reprs."""

import pytest
from markupsafe import Markup

from bot.console.display import rich_text, slot_value
from bot.console.rendering import TEMPLATES
from bot.vocabulary import UNRECOGNISED
from tests.console.seeded import login, running_console, slot, user


@pytest.mark.parametrize(
    "slot_name,value,shown",
    [
        ("conditions", ["anticoagulants", "diabetes"], "blood thinners, diabetes"),
        ("consent", True, "yes"),
        ("answers_confirmed", False, "no"),
        ("recent_procedures", [], "—"),
        ("skin_type", None, "—"),
        ("skin_type", "not_sure", "not sure"),
        ("skin_type", UNRECOGNISED, "not understood"),
        ("days_since_procedure", 12.0, "12 days ago"),
        ("days_since_procedure", -1.0, "skipped"),
        (
            "procedure_days",
            {"botox": 10.0, "laser": None},
            "Botox (10 days ago), laser treatment (date not given)",
        ),
        ("past_conditions", {"cancer": 1.5}, "cancer or cancer treatment (1.5 days ago)"),
        ("screening_outcome", "needs_medical_clearance", "Check with your doctor first"),
        ("red_flags", ["facial_droop"], "face drooping"),
        ("skipped_questions", ["recent_procedures"], "recent procedures"),
        ("goals", ["a_goal_we_do_not_know"], "a goal we do not know"),
    ],
)
def test_slot_values_read_as_text(slot_name, value, shown):
    assert slot_value(value, slot_name) == shown


def test_bot_text_is_escaped_before_bold_and_line_breaks_become_markup():
    html = rich_text("**Please seek care** now\n<script>alert(1)</script> **<b>x</b>**")
    assert isinstance(html, Markup)
    assert html == (
        "<strong>Please seek care</strong> now<br>&lt;script&gt;alert(1)&lt;/script&gt; "
        "<strong>&lt;b&gt;x&lt;/b&gt;</strong>"
    )
    assert rich_text("a ** b") == "a ** b" and rich_text(None) == ""


def test_the_templates_know_both_filters():
    rendered = TEMPLATES.from_string("{{ v|slot_value('conditions') }} {{ t|rich }}").render(
        v=["pregnancy"], t="**hi**"
    )
    assert rendered == "pregnancy <strong>hi</strong>"


CONVERSATIONS = {
    "readable": [
        user("hi", 1000.0),
        {"event": "bot", "timestamp": 1000.5, "text": "**Important:** see a doctor\nsoon <b>", "data": {}},
        slot("consent", True, 1001.0),
        slot("conditions", ["anticoagulants"], 1002.0),
    ]
}


@pytest.mark.slow
def test_the_conversation_page_shows_labels_and_bold_not_reprs(tmp_path):
    with running_console(tmp_path, "display", CONVERSATIONS) as console:
        status, _, html = login(console, "admin@demo.example").get("/console/c/readable")
    assert status == 200
    assert "<strong>Important:</strong> see a doctor<br>soon &lt;b&gt;" in html
    assert "<dd>blood thinners</dd>" in html and "<dd>yes</dd>" in html
    assert "[&#39;anticoagulants&#39;]" not in html and "<dd>True</dd>" not in html
