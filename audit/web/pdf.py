"""PDF rendering off the event loop, in a bounded pool of worker processes.

WeasyPrint is CPU-bound Python: in a thread it would hold the interpreter lock and slow
every other prospect's page. Worker processes (spawned, so no thread state is forked)
render in parallel with the server; `workers` bounds them, `queue` bounds the requests
waiting, and beyond that a request gets `PdfBusy` (the page says to retry) rather than a
growing backlog.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from functools import cache
from pathlib import Path
from typing import Any


class PdfBusy(Exception):
    """Too many PDFs are waiting already."""


@cache
def _theme(theme_path: str | None) -> Any:
    from audit.report.theme import load_theme

    return load_theme(Path(theme_path) if theme_path else None)


def render_in_worker(
    assessment: dict[str, Any], fmt: str, lang: str, theme_path: str | None
) -> bytes:
    """Runs in a worker process: the report's bytes (raises ReportError)."""
    from audit.report.formats import ReportFormat
    from audit.report.writer import render_report

    return render_report(assessment, ReportFormat(fmt), lang, _theme(theme_path))


def exit_with_parent(parent: int) -> None:
    """Worker initializer: leave when the server process is gone.

    A server killed with SIGKILL (an OOM kill, a crash) runs no shutdown: without this its
    workers would stay behind as orphans, a few more after every restart.
    """

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def warm_up() -> None:
    """Import the PDF engine in a worker before the first prospect waits for it."""
    from audit.report.formats.pdf import preload

    preload()


class PdfPool:
    def __init__(self, workers: int, queue: int, theme_path: Path | None) -> None:
        self.workers = max(1, workers)
        self.queue = max(1, queue)
        self.theme_path = str(theme_path) if theme_path else None
        self._executor: Executor | None = None
        self._pending = 0

    def _pool(self) -> Executor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=exit_with_parent,
                initargs=(os.getpid(),),
            )
        return self._executor

    def start(self) -> None:
        """Start the workers and load the PDF engine in them (returns at once)."""
        pool = self._pool()
        for _ in range(self.workers):
            pool.submit(warm_up)

    async def render(self, assessment: dict[str, Any], fmt: str, lang: str) -> bytes:
        """The PDF bytes; raise PdfBusy when `queue` renders are already pending."""
        if self._pending >= self.workers + self.queue:
            raise PdfBusy
        self._pending += 1
        try:
            loop = asyncio.get_running_loop()
            return await loop.run_in_executor(
                self._pool(), render_in_worker, assessment, fmt, lang, self.theme_path
            )
        finally:
            self._pending -= 1

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
