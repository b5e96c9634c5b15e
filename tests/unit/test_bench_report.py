"""The benchmark report: recomputed from the raw files alone, targets judged, the README summary replaced."""

import pytest

from bench import report, results
from bot import PROJECT_ROOT


def _raw(tmp_path, our_latency=20.0, error=""):
    messages, rounds = [], []
    for level in (1, 50):
        for rnd in range(3):
            for bot, latency, cpu in (("ours", our_latency, 1.0), ("stock", 40.0, 2.0)):
                for turn in range(8):
                    messages.append(
                        {
                            **{"phase": "load", "level": level, "round": rnd, "bot": bot, "visitor": 0},
                            **{"conversation": 0, "turn": turn, "latency_ms": latency + rnd + turn},
                            "error": error if (level, bot, turn, rnd) == (1, "ours", 7, 1) else "",
                        }
                    )
                rounds.append(
                    {
                        **{"phase": "load", "level": level, "round": rnd, "bot": bot, "position": 0},
                        **{"messages": 8, "wall_s": 1.0, "cpu_s": cpu, "cpu_rasa_s": cpu, "cpu_actions_s": 0},
                        **{"peak_rss_rasa_mb": 600 if bot == "ours" else 1200, "peak_rss_actions_mb": 0},
                    }
                )
    meta = {
        "date": "2026-11-26",
        "machine": "test machine",
        "total_s": 600,
        "conversations_per_visitor": {1: 1},
        "bots": {
            "ours": {"script": "screening", "settings": {"TF_INTRA_OP_PARALLELISM_THREADS": "1"}},
            "stock": {"script": "moodbot", "settings": {"TF_INTRA_OP_PARALLELISM_THREADS": "1"}},
        },
        "cold_start_s": {"ours": [10, 11, 12], "stock": [30, 30, 30]},
        "idle_rss_mb": {"ours": {"rasa": 500, "actions": 300}, "stock": {"rasa": 1100}},
    }
    results.write(messages, rounds, meta, tmp_path / "raw")
    readme = tmp_path / "README.md"
    readme.write_text(f"# Title\n\nbefore\n{report.START}\nold table\n{report.END}\nafter\n")
    return tmp_path / "raw", tmp_path / "benchmarks.md", readme


def test_the_report_is_recomputed_from_the_raw_files_with_targets_judged(tmp_path):
    raw, doc, readme = _raw(tmp_path)
    report.write_all(raw, doc, readme)
    text = doc.read_text()
    # p50s: ours 23.5, 24.5, 25.5 ms; stock 43.5, 44.5, 45.5 ms: ratios 0.540, 0.551, 0.560.
    assert "| p50 at 1 visitor | ≤ 0.5× stock | 0.55× (0.54–0.56) | **not met** |" in text
    assert "| Rasa RSS at 50 visitors | ≤ 0.7× stock | 0.50× | **met** |" in text
    assert "| errors (ours) | ≤ 0 | 0 in 48 messages | **met** |" in text
    assert "| 1 | *ours ÷ stock* | 0.55× (0.54–0.56) |" in text
    assert "| cold start | ≤ 0.5× stock | 0.37× (0.33–0.40) | **met** |" in text
    summary = readme.read_text()
    assert summary.startswith("# Title\n\nbefore\n" + report.START + "\n")
    assert summary.endswith(report.END + "\nafter\n")
    assert "old table" not in summary
    assert "| 1 | 24 / 44: 0.55× (0.54–0.56) | 8.0 / 8.0: 1.00× |" in summary
    assert "Targets met: 3 of 6" in summary


def test_a_trouble_reply_in_the_raw_rows_fails_the_error_target(tmp_path):
    raw, doc, readme = _raw(tmp_path, our_latency=5.0, error="trouble")
    report.write_all(raw, doc, readme)
    text = doc.read_text()
    assert "| errors (ours) | ≤ 0 | 1 in 48 messages | **not met** |" in text
    assert "1 / 24 (1 trouble)" in text


def test_the_readme_must_hold_the_markers_once(tmp_path):
    with pytest.raises(ValueError, match="bench-summary"):
        report.replace_between_markers("no markers here", "table")
    twice = f"{report.START}\n{report.END}\n{report.START}\n{report.END}\n"
    with pytest.raises(ValueError):
        report.replace_between_markers(twice, "table")


def test_the_projects_readme_holds_the_summary_markers():
    text = (PROJECT_ROOT / "README.md").read_text()
    assert report.replace_between_markers(text, "x").count("x\n" + report.END) == 1


def test_a_console_page_is_timed_after_its_warm_up_request():
    from bench import console_scale

    class SlowFirstClient:
        def __init__(self):
            self.calls = 0

        def get(self, path):
            self.calls += 1
            if self.calls == 1:
                import time

                time.sleep(0.2)  # the cold first answer
            return 200, {}, ""

    client = SlowFirstClient()
    median_ms = console_scale.timed(client, "/console/", runs=3, warm_up=1)
    assert client.calls == 4
    assert median_ms < 100
