"""Rendering a batch in worker processes.

Each worker imports WeasyPrint, loads the theme and the packs once (`_start_worker`), then
assesses and renders job after job. A job that fails is a result with its message; it
never stops the others. The parent only plans, collects results in input order and
reports progress through a callback: nothing here prints.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from audit.batch.inputs import Job, is_up_to_date
from audit.errors import AuditError
from audit.questionnaire.model import Pack
from audit.report.formats import ReportFormat
from audit.report.theme import Theme


@dataclass
class JobResult:
    """What became of one job: `rendered`, `skipped` (up to date) or `failed`."""

    label: str
    source: str
    row: int | None
    status: str
    output: str | None = None
    error: str | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    cpu_seconds: float = 0.0  # the worker's processor time on this job (for benchmarks)


@dataclass
class _Worker:
    fmt: ReportFormat
    lang: str | None
    force: bool
    theme: Theme
    extra: list[Path]
    packs: dict[str, Pack] = field(default_factory=dict)

    def pack(self, pack_id: str) -> Pack:
        if pack_id not in self.packs:
            from audit.questionnaire.loader import load_pack

            self.packs[pack_id] = load_pack(pack_id)
        return self.packs[pack_id]


_WORKER: _Worker | None = None


def _start_worker(
    fmt: ReportFormat, lang: str | None, force: bool, theme_path: Path | None, extra: list[Path]
) -> None:
    """Set up a worker once: WeasyPrint imported and warmed, theme and pack loaded."""
    global _WORKER
    from audit.report.formats import renderer_for
    from audit.report.theme import load_theme

    renderer_for(fmt)
    if fmt in (ReportFormat.PDF, ReportFormat.SUMMARY):
        from audit.report.formats.pdf import warm_up

        warm_up()
    from audit.report.context import localised_texts, report_texts
    from audit.resources import shipped_packs

    for language in ("fr", "en"):  # read once here, not on each language's first report
        report_texts(language)
        for name in ("compare", "benchmark"):
            localised_texts(name, language)
    _WORKER = _Worker(fmt, lang, force, load_theme(theme_path), extra)
    for folder in shipped_packs():  # loaded once here, not on the first job
        _WORKER.pack(folder.name)


def summary_of(assessment: dict[str, Any]) -> dict[str, Any]:
    """What the index shows of an assessment: client, date, levels, verdicts."""
    return {
        "client": assessment["client"]["name"],
        "date": assessment.get("updated") or assessment.get("generated"),
        "language": assessment["language"],
        "levels": {
            key: {"name": s["name"], "level": s["level"], "level_name": s["level_name"]}
            for key, s in assessment["scores"].items()
        },
        "verdicts": {
            key: {"name": v["name"], "verdict": v["verdict"], "label": v["verdict_label"]}
            for key, v in assessment["verdicts"].items()
        },
    }


def _run_job(job: Job) -> JobResult:
    worker = _WORKER
    assert worker is not None, "_start_worker runs first"
    result = JobResult(job.label, str(job.source), job.row, "failed")
    started = time.process_time()
    try:
        _assess_and_render(worker, job, result)
    except AuditError as exc:
        result.status, result.error, result.output = "failed", str(exc), None
    except Exception as exc:  # one broken input must never stop the batch
        result.status, result.output = "failed", None
        result.error = f"{job.label}: internal error ({exc!r})"
    result.cpu_seconds = time.process_time() - started
    return result


def _assess_and_render(worker: _Worker, job: Job, result: JobResult) -> None:
    """Assess the job's answers (always: the index needs them), then render unless the
    report is up to date. Raises AuditError."""
    from audit.assessment import assess_loaded
    from audit.report.writer import write_report
    from audit.session.store import load_answers

    answers = load_answers(job.answers)
    assessment = assess_loaded(worker.pack(answers.pack), answers, job.answers, worker.lang)
    result.summary = summary_of(assessment)
    result.output = job.output.name
    if not worker.force and is_up_to_date(job, worker.extra):
        result.status = "skipped"
        return
    write_report(
        assessment,
        worker.fmt,
        assessment["language"],
        job.output,
        worker.theme,
        inputs=(job.answers, job.source),
    )
    result.status = "rendered"


def run_jobs(
    jobs: list[Job],
    fmt: ReportFormat,
    *,
    lang: str | None = None,
    workers: int = 1,
    force: bool = False,
    theme_path: Path | None = None,
    extra_inputs: list[Path] | None = None,
    on_result: Callable[[JobResult], None] | None = None,
) -> list[JobResult]:
    """Assess and render every job; return the results in the jobs' order.

    With `workers` > 1 the jobs run in that many processes (started clean by a fork
    server, so no lock held by this process is inherited); with 1, in this process.
    `extra_inputs` (the mapping, the theme) make a report stale when they are newer.
    """
    extra = list(extra_inputs or [])
    results: list[JobResult | None] = [None] * len(jobs)
    args = (fmt, lang, force, theme_path, extra)
    if workers <= 1 or len(jobs) <= 1:
        _start_worker(*args)
        for index, job in enumerate(jobs):
            results[index] = _run_job(job)
            if on_result:
                on_result(results[index])  # type: ignore[arg-type]
        return [r for r in results if r is not None]
    context = multiprocessing.get_context("forkserver")
    # The fork server imports these once; every worker forked from it starts with them
    # (WeasyPrint's import is most of a worker's start). Fonts are set up per worker.
    context.set_forkserver_preload(["audit.batch.runner", "audit.report.formats.pdf", "weasyprint"])
    count = min(workers, len(jobs), os.cpu_count() or workers)
    with ProcessPoolExecutor(
        count, mp_context=context, initializer=_start_worker, initargs=args
    ) as pool:
        futures: dict[Future[JobResult], int] = {
            pool.submit(_run_job, job): i for i, job in enumerate(jobs)
        }
        try:
            for future in as_completed(futures):
                index = futures[future]
                try:
                    result = future.result()
                except Exception as exc:  # a worker died (killed, out of memory)
                    job = jobs[index]
                    result = JobResult(
                        job.label, str(job.source), job.row, "failed", error=f"{job.label}: {exc!r}"
                    )
                results[index] = result
                if on_result:
                    on_result(result)
        except KeyboardInterrupt:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    return [r for r in results if r is not None]
