"""From `audit batch INPUT...` to a list of jobs, one per client report.

An INPUT is an answers file, a folder of them (`*.yaml`, `*.yml`, not `*.mapping.yaml`),
or a form export (CSV/XLSX) read through the mapping. Each export row becomes an answers
file in `DIR/answers/`, so the prospect's answers are kept and a consultant can resume
them with `audit run --answers`. A row or file that cannot be used is a failure with its
file and row; it never stops the others.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from audit.batch.export import is_export, read_export
from audit.batch.mapping import Mapping, locate_columns, row_answers
from audit.errors import AuditError, Location, UsageError
from audit.session.runner import client_slug
from audit.session.store import save_answers

ANSWERS_SUFFIXES = (".yaml", ".yml")
MAPPING_SUFFIX = ".mapping.yaml"


@dataclass(frozen=True)
class Job:
    """One report to make: the answers to assess and where the report goes."""

    label: str  # what the user reads: "acme.yaml" or "form.csv, row 5"
    source: Path  # the input the report is made from (its date decides if it is stale)
    answers: Path
    output: Path
    row: int | None = None


@dataclass
class Failure:
    """An input that gave no report: where, and why (a one-line message)."""

    label: str
    source: Path
    message: str
    row: int | None = None


@dataclass
class Plan:
    jobs: list[Job] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Names:
    """Unique report names in the output folder: a second `acme` becomes `acme-2`."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def unique(self, stem: str) -> str:
        name, count = stem, 1
        while name in self.used:
            count += 1
            name = f"{stem}-{count}"
        self.used.add(name)
        return name


def _answers_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and p.suffix.lower() in ANSWERS_SUFFIXES
        and not p.name.lower().endswith(MAPPING_SUFFIX)
    )


def _is_stale(output: Path, *inputs: Path) -> bool:
    if not output.exists():
        return True
    made = output.stat().st_mtime_ns
    return any(p.exists() and p.stat().st_mtime_ns > made for p in inputs)


def plan_batch(
    inputs: list[Path],
    out_dir: Path,
    suffix: str,
    mapping: Mapping | None,
    *,
    force: bool = False,
) -> Plan:
    """The jobs for `inputs`, the rows and files already known to fail, and warnings.

    Export rows are written as answers files under `out_dir/answers/` (not rewritten when
    the report is up to date). Raises UsageError if an export is given without a mapping.
    """
    plan = Plan()
    names = _Names()
    for given in inputs:
        if given.is_dir():
            files = _answers_files(given)
            if not files:
                plan.warnings.append(f"{given}: no answers files (*.yaml) in this folder")
            for path in files:
                stem = names.unique(path.stem)
                plan.jobs.append(Job(path.name, path, path, out_dir / (stem + suffix)))
        elif is_export(given):
            if mapping is None:
                raise UsageError(
                    f"{given} is a form export: it needs a mapping",
                    expected="--mapping FILE (write a first one with --init-mapping EXPORT)",
                )
            _plan_export(plan, given, out_dir, suffix, mapping, names, force)
        elif not given.exists():
            plan.failures.append(Failure(given.name, given, f"{given}: file not found"))
        else:
            stem = names.unique(given.stem)
            plan.jobs.append(Job(given.name, given, given, out_dir / (stem + suffix)))
    return plan


def _plan_export(
    plan: Plan,
    path: Path,
    out_dir: Path,
    suffix: str,
    mapping: Mapping,
    names: _Names,
    force: bool,
) -> None:
    try:
        export = read_export(path)
        columns = locate_columns(mapping, export)
    except AuditError as exc:
        plan.failures.append(Failure(path.name, path, str(exc)))
        return
    plan.warnings += [str(problem) for problem in columns.missing]
    answers_dir = out_dir / "answers"
    for row in export.rows:
        label = f"{path.name}, row {row.number}"
        if row.problem is not None:
            where = Location(file=path, row=row.number)
            plan.failures.append(Failure(label, path, f"{where}: {row.problem}", row.number))
            continue
        try:
            answers = row_answers(mapping, columns, export, row.number, row.cells)
        except AuditError as exc:
            plan.failures.append(Failure(label, path, str(exc), row.number))
            continue
        stem = names.unique(client_slug(answers.client.name))
        output = out_dir / (stem + suffix)
        answers_path = answers_dir / f"{stem}-answers.yaml"
        if force or not answers_path.exists() or _is_stale(output, path, mapping.path):
            answers_dir.mkdir(parents=True, exist_ok=True)
            save_answers(answers_path, answers, touch=False)
        plan.jobs.append(Job(label, path, answers_path, output, row.number))


def is_up_to_date(job: Job, extra: list[Path]) -> bool:
    """Whether the job's report is newer than its input, its answers and `extra` files."""
    return not _is_stale(job.output, job.source, job.answers, *extra)
