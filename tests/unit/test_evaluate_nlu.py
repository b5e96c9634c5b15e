"""The held-out evaluation's own arithmetic: intents, control confusions, polarity over gold mentions."""

from bot.tasks.evaluate_nlu import Report


def parse(intent, entities=()):
    return {"intent": {"name": intent}, "entities": list(entities)}


def test_a_start_read_as_a_stop_is_a_control_confusion_but_a_fallback_is_not():
    report = Report()
    report.add("let's begin", "start_screening", parse("stop_screening"), [])
    report.add("start over", "restart_screening", parse("nlu_fallback"), [])
    report.add("fix my skin answer", "change_answer", parse("change_answer"), [])
    summary = report.summary()
    assert summary["control_confusions"] == 1
    assert summary["intent_accuracy"] == 1 / 3


def test_a_denied_mention_returned_as_positive_is_wrong_and_one_not_returned_is_right():
    report = Report()
    denied = [{"entity": "condition", "value": "pregnancy", "role": "negated"}]
    as_positive = parse("inform", [{"entity": "condition", "value": "pregnancy"}])
    report.add("not pregnant", "inform", as_positive, denied)
    report.add("not pregnant at all", "inform", parse("inform"), denied)
    summary = report.summary()
    assert summary["negation_checked"] == 2 and summary["negation_accuracy"] == 0.5
    assert summary["denied_returned_positive"] == 1


def test_the_report_can_show_counts_without_the_utterances():
    import io

    from bot.tasks.evaluate_nlu import Report, print_report

    report = Report()
    report.intent_errors = [("a secret held-out wording", "faq", "inform"), ("another one", "faq", "inform")]
    counts = io.StringIO()
    print_report(report, counts, texts=False)
    assert "faq -> inform: 2" in counts.getvalue()
    assert "secret" not in counts.getvalue()
    shown = io.StringIO()
    print_report(report, shown)
    assert "a secret held-out wording" in shown.getvalue()
