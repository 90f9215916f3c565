"""Timing whole processes side by side, so that a ratio is measured within one run.

The machine these benchmarks run on is shared: another job can slow one command down for a
second. Commands are therefore run in turns (A, B, A, B...), not in blocks, and each
figure is a median: a burst of load then weighs on both sides of a ratio alike.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

AUDIT = str(Path(sys.executable).with_name("audit"))
TYPER_ALONE = [sys.executable, "-c", "import typer"]


def benchmark_env(cache: Path) -> dict[str, str]:
    """The environment the measured commands run in: the pack cache in `cache`, and
    bytecode kept beside it.

    An installed tool runs from compiled bytecode (pip compiles it on install). A machine
    that sets PYTHONDONTWRITEBYTECODE would instead compile our freshly edited modules on
    every run, and only ours (the libraries' bytecode came with their install). So the
    measured processes write bytecode, into a prefix folder outside the checkout, during
    the unmeasured warm-up round; both sides of every ratio then read bytecode.
    """
    env = {**os.environ, "AUDIT_CACHE_DIR": str(cache), "COLUMNS": "100"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(cache.parent / "bytecode")
    return env


def run_seconds(command: Sequence[str], env: Mapping[str, str], cwd: Path | None = None) -> float:
    """Wall-clock seconds of one run of `command`, which must succeed."""
    start = time.perf_counter()
    subprocess.run(list(command), check=True, capture_output=True, env=dict(env), cwd=cwd)
    return time.perf_counter() - start


def interleaved_medians(
    actions: Mapping[str, Callable[[], float]], runs: int, warm: int = 1
) -> dict[str, float]:
    """Median seconds of each action, the actions taken in turns, after `warm` unmeasured
    rounds (file cache, the pack cache folder)."""
    for _ in range(warm):
        for action in actions.values():
            action()
    timings: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            timings[name].append(action())
    return {name: statistics.median(values) for name, values in timings.items()}


def ratio_line(label: str, ours: float, theirs: float, baseline: str, target: str) -> str:
    """One printed line: both medians, the ratio, and the target it is held against."""
    return (
        f"  {label:<34} {ours * 1000:7.0f} ms  vs {baseline} {theirs * 1000:6.0f} ms"
        f"  ratio {ours / theirs:5.2f}x  (target {target})"
    )
