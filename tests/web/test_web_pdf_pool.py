"""The PDF workers: off the event loop, and behind the pages when the CPU is short."""

from __future__ import annotations

import os

from audit.web.pdf import WORKER_NICENESS, PdfPool


def test_pdf_workers_yield_the_cpu_to_the_pages(pdf_pool: PdfPool) -> None:
    # A page must answer in tens of milliseconds; a PDF takes half a second anyway.
    worker = pdf_pool._pool().submit(os.nice, 0).result(timeout=60)
    assert worker == min(os.nice(0) + WORKER_NICENESS, 19)
    assert pdf_pool._pool().submit(os.getpid).result(timeout=60) != os.getpid()
