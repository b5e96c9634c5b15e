"""The metrics module's text format: counters with labels, and a cumulative latency histogram."""

from bot import metrics


def test_counters_and_histogram_render_in_prometheus_text_format():
    metrics.reset()
    metrics.count("screening_messages_total", channel="rest")
    metrics.count("screening_messages_total", channel="rest")
    metrics.count("screening_refused_total", channel="socketio", reason='a "quoted" reason')
    for seconds in (0.01, 0.07, 0.3, 30.0):
        metrics.observe_latency(seconds)
    text = metrics.render()
    assert 'screening_messages_total{channel="rest"} 2' in text
    assert 'screening_refused_total{channel="socketio",reason="a \\"quoted\\" reason"} 1' in text
    assert "screening_errors_total 0" in text
    assert 'screening_message_seconds_bucket{le="0.025"} 1' in text
    assert 'screening_message_seconds_bucket{le="0.1"} 2' in text
    assert 'screening_message_seconds_bucket{le="10"} 3' in text
    assert 'screening_message_seconds_bucket{le="+Inf"} 4' in text
    assert "screening_message_seconds_count 4" in text
    assert all(line.startswith("#") or " " in line for line in text.splitlines())
    metrics.reset()
    assert "screening_message_seconds_count 0" in metrics.render()
