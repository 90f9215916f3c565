"""Benchmark: `audit batch` renders 40 one-page summaries with --jobs 1, then --jobs 2.

Prints the speed-up (target: at least 1.7x on a 2-core machine) and the steady time per
summary at --jobs 2 (target: under 0.4 s), i.e. the median gap between two reports once
the workers are warm. Both need the cores to be free: the load average is printed with
them, and so is the processor time one summary takes in a worker (median), which a busy
machine hardly changes. Printed, not asserted: a busy machine must not fail the suite.
Run with `make bench`.
"""

from __future__ import annotations

import os
import shutil
import statistics
import time
from pathlib import Path

import pytest

from audit.batch.command import run_batch
from audit.report.formats import ReportFormat

EXAMPLES = Path(__file__).resolve().parents[2] / "questionnaires" / "engagement" / "examples"
COUNT = 40


def _answers(folder: Path) -> list[Path]:
    folder.mkdir()
    names = ("industrial", "craft", "digital")
    for name in names:  # the lists the answers name, beside them
        shutil.copy(EXAMPLES / f"{name}-contacts.csv", folder)
    sources = [EXAMPLES / f"{n}.yaml" for n in names]
    paths = []
    for index in range(COUNT):
        text = sources[index % 3].read_text("utf-8")
        name = text.split("client:\n  name: ")[1].split("\n")[0]
        path = folder / f"client-{index:02d}.yaml"
        path.write_text(text.replace(name, f"Client {index:02d}"), "utf-8")
        paths.append(path)
    return paths


def _run(inputs: list[Path], out: Path, jobs: int) -> tuple[float, float, float]:
    stamps: list[float] = []
    start = time.perf_counter()
    outcome = run_batch(
        inputs, out, fmt=ReportFormat.SUMMARY, jobs=jobs, force=True,
        on_result=lambda _: stamps.append(time.perf_counter()),
    )  # fmt: skip
    wall = time.perf_counter() - start
    assert outcome.count("rendered") == COUNT, outcome.failures
    gaps = [b - a for a, b in zip(stamps[4:], stamps[5:], strict=False)]
    cpu = statistics.median(r.cpu_seconds for r in outcome.results)
    return wall, statistics.median(gaps), cpu


@pytest.mark.benchmark
def test_batch_speed_up_and_time_per_summary(tmp_path: Path) -> None:
    inputs = _answers(tmp_path / "answers")
    load = os.getloadavg()[0]
    one, steady_one, cpu_one = _run(inputs, tmp_path / "one", 1)
    two, steady_two, cpu_two = _run(inputs, tmp_path / "two", 2)
    print(
        f"\nbatch of {COUNT} summaries (load average {load:.1f} -> {os.getloadavg()[0]:.1f} "
        f"on {os.cpu_count()} cores): --jobs 1 {one:.1f} s ({steady_one:.2f} s/summary "
        f"steady), --jobs 2 {two:.1f} s ({steady_two:.2f} s/summary steady); speed-up "
        f"{one / two:.2f}x (target >= 1.7x), steady {steady_two:.2f} s (target < 0.4 s); "
        f"processor time per summary in a worker {cpu_one:.2f} s / {cpu_two:.2f} s"
    )
