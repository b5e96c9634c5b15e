"""CPU seconds and resident memory of a process and its children, read from /proc (Linux)."""

from __future__ import annotations

import os
import threading
import time
from typing import Dict, List

TICKS = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> List[int]:
    """The process and every live descendant."""
    found, pending = [], [pid]
    while pending:
        current = pending.pop()
        found.append(current)
        try:
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(c) for c in children.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            continue
    return found


def cpu_seconds(pid: int) -> float:
    """User + system CPU time used so far by a process and its live children."""
    total = 0
    for current in tree(pid):
        try:
            with open(f"/proc/{current}/stat") as stat:
                # The command name may hold spaces and parentheses: the fields start after the last ')'.
                fields = stat.read().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of proc(5))
    return total / TICKS


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its live children, in MB."""
    total = 0
    for current in tree(pid):
        try:
            with open(f"/proc/{current}/status") as status:
                total += next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


class PeakMemory:
    """Samples the RSS of some processes twice a second while a load runs; keeps the highest."""

    def __init__(self, pids: Dict[str, int]) -> None:
        self.pids, self.peak = pids, {name: 0.0 for name in pids}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        for name, pid in self.pids.items():
            self.peak[name] = max(self.peak[name], rss_mb(pid))

    def _run(self) -> None:
        while not self._stop.is_set():
            self._sample()
            self._stop.wait(0.5)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()  # at least one sample, even for a round shorter than the interval


def wait_until_idle(pids: List[int], cpu_share: float = 0.05, timeout: float = 20) -> None:
    """Wait until the processes use less than `cpu_share` of a core (work left from the last round)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        before = sum(cpu_seconds(p) for p in pids)
        time.sleep(0.5)
        if sum(cpu_seconds(p) for p in pids) - before < cpu_share * 0.5:
            return
