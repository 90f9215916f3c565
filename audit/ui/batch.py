"""Terminal side of `audit batch`: a progress bar on a terminal, plain lines otherwise."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from audit.diagnosis.wording import wording
from audit.ui.console import console, error_console, set_language

_TEXTS = Path(__file__).with_name("batch.yaml")
_STYLE = {"rendered": "ok", "skipped": "muted", "failed": "bad"}


class BatchView:
    """Shows a batch as it runs; `plan` and `result` are the engine's callbacks."""

    def __init__(self, lang: str, workers: int, folder: Path) -> None:
        self.lang = lang
        self.workers = workers
        self.folder = folder
        self.out = console()
        set_language(lang)  # French typography only for a French batch
        self.live = self.out.is_terminal
        self.progress: Progress | None = None
        self.task: Any = None
        self.done = 0
        self.total = 0

    def say(self, key: str, **values: object) -> str:
        text = wording(_TEXTS, self.lang, key)
        return text.format(**values) if values else text

    def plan(self, plan: Any) -> None:
        for warning in plan.warnings:
            error_console().print(f"[warn]{self.say('warning')}:[/] {escape(warning)}")
        self.total = len(plan.jobs)
        self.out.print(
            self.say("planned", jobs=self.total, folder=self.folder, workers=self.workers)
        )
        if self.progress is not None:
            self.task = self.progress.add_task(self.say("progress"), total=self.total)

    def result(self, result: Any) -> None:
        self.done += 1
        status = self.say(result.status)
        what = result.output or result.label
        if self.progress is not None:
            self.progress.advance(self.task)
            if result.status == "failed":
                self.progress.console.print(f"[bad]{status}[/] {escape(result.error or '')}")
            return
        line = f"[{self.done}/{self.total}] {status}: {what}"
        if result.status == "failed":
            line += f" ({result.error})"
        self.out.print(escape(line), style=_STYLE[result.status], soft_wrap=True)

    @contextmanager
    def running(self) -> Iterator[BatchView]:
        """While the batch runs: a live bar on a terminal, nothing extra otherwise."""
        if not self.live:
            yield self
            return
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=self.out,
            transient=False,
        )
        with self.progress:
            yield self

    def finish(self, outcome: Any) -> None:
        failures = outcome.failures
        rendered, skipped = outcome.count("rendered"), outcome.count("skipped")
        if failures:
            error_console().print(f"\n[bad]{self.say('failures_title')}[/]")
            for failure in failures:
                error_console().print(f"  {escape(failure.message)}", soft_wrap=True)
        self.out.print(self.say("done", rendered=rendered, skipped=skipped, failed=len(failures)))
        if skipped:
            self.out.print(self.say("force_hint"), style="muted")
        for path in outcome.index:
            self.out.print(f"{self.say('index')}: {path}", soft_wrap=True)


def show_mapping_written(path: Path, checks: int, lang: str) -> None:
    def say(key: str, **values: object) -> str:
        return wording(_TEXTS, lang, key).format(**values)

    console().print(say("mapping_written", path=path), soft_wrap=True)
    console().print(say("mapping_checks", count=checks) if checks else say("mapping_sure"))
