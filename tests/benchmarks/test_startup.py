"""Benchmark: start-up time of `audit --help`, as a ratio to `python -c "import typer"`.

Each command runs several times in fresh processes; the medians are printed with their
ratio (target: under 3x, and well under a second). Printed, not asserted: a slow or busy
machine must not fail the suite. Run with `make bench`.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

import pytest

RUNS = 9
AUDIT = Path(sys.executable).with_name("audit")


def _median_seconds(command: list[str]) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


@pytest.mark.benchmark
def test_audit_help_starts_about_as_fast_as_typer_alone() -> None:
    _median_seconds([sys.executable, "-c", "pass"])  # warm the file cache
    typer_alone = _median_seconds([sys.executable, "-c", "import typer"])
    help_via_entry_point = _median_seconds([str(AUDIT), "--help"])
    run_help = _median_seconds([str(AUDIT), "run", "--help"])
    print(
        f"\nstart-up, median of {RUNS}:"
        f"\n  python -c 'import typer'  {typer_alone * 1000:7.1f} ms"
        f"\n  audit --help              {help_via_entry_point * 1000:7.1f} ms"
        f"  ratio {help_via_entry_point / typer_alone:.2f}x"
        f"\n  audit run --help          {run_help * 1000:7.1f} ms"
        f"  ratio {run_help / typer_alone:.2f}x"
    )
