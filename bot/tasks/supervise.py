"""Keep a service running under `make run`: restart it when it dies, with backoff, and give up loudly.

A Rasa server that dies (out of memory, a crash in a component) used to take every service down with
it. The supervisor starts it again, waiting longer after each death that came soon after a start, and
after a few such deaths in a row stops everything with a message naming the service and its log,
since a service that cannot stay up for a minute will not be fixed by starting it again.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Collection, Dict, Mapping, Protocol


class Child(Protocol):
    """What the supervisor needs of a service (bot.tasks.services.Process has it)."""

    name: str
    log: Path
    popen: Any  # subprocess.Popen, or anything with poll(); None before it is started


@dataclass(frozen=True)
class RestartPolicy:
    first_delay: float = 1.0  # seconds before the first restart; doubled after each quick death
    max_delay: float = 30.0
    quick: float = 60.0  # a death sooner than this after a start counts as quick
    give_up_after: int = 5  # quick deaths in a row

    def delay(self, quick_deaths: int) -> float:
        return min(self.first_delay * 2 ** max(quick_deaths - 1, 0), self.max_delay)


@dataclass
class Supervisor:
    """Watches `children` (by name); restarts the ones in `restart` through `spawn`.

    `check()` is polled by the serving loop: False means stop everything (a child that is not restarted
    died, or a restarted one keeps dying). It never blocks: a restart waits for its time to come."""

    children: Mapping[str, Child]
    spawn: Callable[[Child], None]
    restart: Collection[str] = ("rasa",)
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    clock: Callable[[], float] = time.monotonic
    say: Callable[[str], None] = lambda text: print(text, flush=True)
    started: Dict[str, float] = field(default_factory=dict)
    quick_deaths: Dict[str, int] = field(default_factory=dict)
    restart_at: Dict[str, float] = field(default_factory=dict)
    gave_up: str | None = None  # why the supervisor stopped everything, when it did

    def __post_init__(self) -> None:
        now = self.clock()
        for name in self.children:
            self.started.setdefault(name, now)

    def check(self) -> bool:
        now = self.clock()
        for name, child in self.children.items():
            if name in self.restart_at:
                if now >= self.restart_at[name]:
                    self._start_again(name, child, now)
                continue
            code = child.popen.poll() if child.popen is not None else None
            if code is None and child.popen is not None:
                continue
            if name not in self.restart:
                self._stop_all(f"{name} exited with code {code}; stopping everything (see {child.log})")
                return False
            if not self._schedule(name, child, code, now):
                return False
        return True

    def _schedule(self, name: str, child: Child, code: int | None, now: float) -> bool:
        lived = now - self.started.get(name, now)
        deaths = self.quick_deaths.get(name, 0) + 1 if lived < self.policy.quick else 0
        self.quick_deaths[name] = deaths
        if deaths >= self.policy.give_up_after:
            self._stop_all(
                f"{name} died {deaths} times in a row within {self.policy.quick:.0f} s of starting "
                f"(last exit code {code}); not restarting it again. Its log: {child.log}"
            )
            return False
        delay = self.policy.delay(deaths)
        self.restart_at[name] = now + delay
        self.say(f"{name} exited with code {code} after {lived:.0f} s; restarting in {delay:.0f} s")
        return True

    def _start_again(self, name: str, child: Child, now: float) -> None:
        del self.restart_at[name]
        self.started[name] = now
        self.spawn(child)
        self.say(f"{name} restarted (log: {child.log}); it answers again once its model is loaded")

    def _stop_all(self, why: str) -> None:
        self.gave_up = why
        self.say(why)
