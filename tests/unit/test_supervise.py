"""`make run` restarts Rasa when it dies, with backoff, and gives up after repeated quick deaths."""

import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from bot.tasks.supervise import RestartPolicy, Supervisor


@dataclass
class Process:
    name: str
    command: list
    log: Path
    popen: object = None


class FakePopen:
    """A child process that has exited with `code`, or is running while `code` is None."""

    def __init__(self, code=None):
        self.returncode = code

    def poll(self):
        return self.returncode


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def supervised(tmp_path, restart=("rasa",), policy=RestartPolicy()):
    children = {
        name: Process(name, ["true"], tmp_path / f"{name}.log", popen=FakePopen())
        for name in ("actions", "rasa")
    }
    spawned, said, clock = [], [], Clock()

    def spawn(child):
        spawned.append(child.name)
        child.popen = FakePopen()

    supervisor = Supervisor(children, spawn, restart=restart, policy=policy, clock=clock, say=said.append)
    return supervisor, children, spawned, said, clock


def test_a_dead_rasa_is_started_again_after_a_delay_and_the_rest_keeps_running(tmp_path):
    supervisor, children, spawned, said, clock = supervised(tmp_path)
    clock.now += 300  # it ran for five minutes
    children["rasa"].popen = FakePopen(-9)
    assert supervisor.check() is True
    assert spawned == [] and "rasa exited with code -9 after 300 s; restarting in 1 s" in said
    clock.now += 0.5
    assert supervisor.check() is True and spawned == []  # not yet: the delay has not passed
    clock.now += 0.6
    assert supervisor.check() is True and spawned == ["rasa"]
    assert children["rasa"].popen.poll() is None and supervisor.gave_up is None


def test_quick_deaths_in_a_row_back_off_and_then_stop_everything_with_a_clear_message(tmp_path):
    policy = RestartPolicy(first_delay=1, max_delay=5, quick=60, give_up_after=4)
    supervisor, children, spawned, said, clock = supervised(tmp_path, policy=policy)
    delays = []
    for _ in range(3):
        clock.now += 2  # dies two seconds after each start
        children["rasa"].popen = FakePopen(1)
        assert supervisor.check() is True
        delays.append(supervisor.restart_at["rasa"] - clock.now)
        clock.now = supervisor.restart_at["rasa"]
        assert supervisor.check() is True
    assert delays == [1, 2, 4] and spawned == ["rasa"] * 3
    clock.now += 2
    children["rasa"].popen = FakePopen(1)
    assert supervisor.check() is False
    assert spawned == ["rasa"] * 3
    assert "rasa died 4 times in a row within 60 s of starting (last exit code 1)" in supervisor.gave_up
    assert str(tmp_path / "rasa.log") in supervisor.gave_up and said[-1] == supervisor.gave_up


def test_a_long_run_between_deaths_starts_the_count_afresh(tmp_path):
    policy = RestartPolicy(first_delay=1, quick=60, give_up_after=2)
    supervisor, children, spawned, _, clock = supervised(tmp_path, policy=policy)
    for _ in range(3):
        clock.now += 600
        children["rasa"].popen = FakePopen(1)
        assert supervisor.check() is True
        clock.now = supervisor.restart_at["rasa"]
        assert supervisor.check() is True
    assert spawned == ["rasa"] * 3 and supervisor.gave_up is None


def test_a_service_that_is_not_restarted_still_stops_everything(tmp_path):
    supervisor, children, spawned, said, _ = supervised(tmp_path)
    children["actions"].popen = FakePopen(2)
    assert supervisor.check() is False
    assert spawned == [] and "actions exited with code 2" in said[-1]


def test_a_real_process_that_keeps_exiting_is_restarted_then_given_up(tmp_path):
    child = Process(
        "rasa", [sys.executable, "-c", "raise SystemExit(3)"], "http://unused", tmp_path / "r.log"
    )

    def spawn(process):
        process.popen = subprocess.Popen(process.command)

    spawn(child)
    policy = RestartPolicy(first_delay=0.01, max_delay=0.05, quick=60, give_up_after=3)
    said = []
    supervisor = Supervisor({"rasa": child}, spawn, policy=policy, say=said.append)
    deadline = time.monotonic() + 30
    while supervisor.check() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert supervisor.gave_up and "last exit code 3" in supervisor.gave_up
    assert sum("restarted" in line for line in said) == 2
