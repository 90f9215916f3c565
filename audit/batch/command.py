"""`audit batch` as a plain function: plan, render in parallel, write the index."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from audit.batch.index import write_index
from audit.batch.inputs import Failure, Plan, plan_batch
from audit.batch.mapping import load_mapping
from audit.batch.runner import JobResult, run_jobs
from audit.errors import Location, ReportError, UsageError
from audit.report.formats import ReportFormat, renderer_for
from audit.report.theme import load_theme


@dataclass
class BatchOutcome:
    plan: Plan
    results: list[JobResult] = field(default_factory=list)
    index: list[Path] = field(default_factory=list)

    @property
    def failures(self) -> list[Failure]:
        """Every input that gave no report: planning failures, then rendering failures."""
        failed = [
            Failure(r.label, Path(r.source), r.error or "", r.row)
            for r in self.results
            if r.status == "failed"
        ]
        return self.plan.failures + failed

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)


def run_batch(
    inputs: list[Path],
    out_dir: Path,
    *,
    fmt: ReportFormat = ReportFormat.SUMMARY,
    mapping_path: Path | None = None,
    lang: str | None = None,
    jobs: int = 1,
    force: bool = False,
    theme_path: Path | None = None,
    on_plan: Callable[[Plan], None] | None = None,
    on_result: Callable[[JobResult], None] | None = None,
) -> BatchOutcome:
    """Make one report per input (answers file, folder of them, export row) in `out_dir`.

    Reports newer than their input (and the mapping and theme) are kept unless `force`.
    Raises UsageError for wrong arguments and MappingError for a bad mapping; a bad input
    is a failure in the outcome, never an exception.
    """
    if not inputs:
        raise UsageError("nothing to do", expected="answers files, folders or form exports")
    if jobs < 1:
        raise UsageError(f"--jobs {jobs}", expected="--jobs 1 or more")
    if out_dir.exists() and not out_dir.is_dir():
        raise ReportError("the output is not a folder", Location(file=out_dir))
    theme = load_theme(theme_path)
    mapping = load_mapping(mapping_path) if mapping_path is not None else None
    out_dir.mkdir(parents=True, exist_ok=True)
    plan = plan_batch(inputs, out_dir, renderer_for(fmt).suffix, mapping, force=force)
    if on_plan:
        on_plan(plan)
    extra = [p for p in (mapping_path, theme.path) if p is not None]
    results = run_jobs(
        plan.jobs,
        fmt,
        lang=lang,
        workers=jobs,
        force=force,
        theme_path=theme_path,
        extra_inputs=extra,
        on_result=on_result,
    )
    outcome = BatchOutcome(plan, results)
    index_lang = lang or (mapping.model.language if mapping else None)
    if index_lang is None:
        languages = [r.summary["language"] for r in results if r.summary]
        index_lang = languages[0] if languages else "fr"
    outcome.index = write_index(out_dir, results, plan.failures, index_lang, theme)
    return outcome
