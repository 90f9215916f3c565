"""Benchmark: 50 prospects answer at once while summary PDFs are being requested.

`audit serve` runs as a real process on 127.0.0.1 (SQLite, then PostgreSQL). Fifty simulated
prospects (plain HTML forms over HTTP, no JavaScript, tests/web_prospects.py) each complete
the quick questionnaire (about 24 answers, a page and a POST each) while one client
downloads a summary PDF after another, without a pause, for the whole run.

The model of the prospects (printed with the figures), at two paces:

- "1 s per answer", the load the targets are about: the 50 prospects arrive at random
  moments over the first 5 seconds, and after each answer pause between 0.5 and 1.5 s
  (uniform, mean 1 s; far quicker than a person reads a question). Each prospect draws its
  moments from its own random generator seeded with its number, so every run replays the
  same schedule. All 50 are answering at once for most of the run (a prospect takes about
  30 s, the arrivals 5 s). Real visitors do not arrive in the same millisecond and then
  click every second on the dot: with that lockstep (the first version of this benchmark)
  the server sees bursts of 50 requests and an idle second between them, and the p95
  measures the burst's queue rather than the site.
- "no pause", a stress: the 50 arrive together and send the next request as soon as a
  page arrives. By Little's law 50 clients always waiting on a few milliseconds of server
  time each cannot see much less than 50 x that time / 2 cores on this machine.

Bounded: 50 prospects, at most 100 PDFs, a time limit of 5 minutes; it stops by itself.

Printed: answer-submit and page latency (p50, p95, p99, max), requests per second, PDF
latency, errors, the CPU time used by the server process, its PDF workers and this test's
own clients, and the load average (this machine's two cores are shared: read the figures
with it). Asserted: no error, no lost answer and every prospect at its result page, since
those do not depend on the machine's speed. The latency targets (submit p95 < 100 ms, a
summary PDF < 1.5 s) are printed with the figures, not asserted. The clients run on the
same two cores as the server, so the latencies include their share of the CPU. Run with
`make bench`.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from live_servers import LiveServer
from web_prospects import Pace, Prospect, ProspectError, Stats, stored_as_sent

from audit.store import Store, assessments

PROSPECTS = 50
PDF_REQUESTS = 100
TIME_LIMIT = 300.0
SUBMIT_P95_TARGET = 0.100
PDF_TARGET = 1.5


def _quantile(values: list[float], q: float) -> float:
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


async def _pdfs_while(running: asyncio.Future[object], url: str, stats: Stats) -> None:
    """One summary PDF after another until the prospects are done (or PDF_REQUESTS)."""
    async with httpx.AsyncClient(timeout=60.0) as client:
        for _ in range(PDF_REQUESTS):
            if running.done():
                return
            started = time.perf_counter()
            response = await client.get(url)
            stats.requests += 1
            if response.status_code != 200 or not response.content.startswith(b"%PDF"):
                stats.errors.append(f"summary PDF: HTTP {response.status_code}")
            else:
                stats.pdfs.append(time.perf_counter() - started)


async def _load(server: LiveServer, pace: Pace) -> tuple[list[Prospect], Stats, Stats, float]:
    # One prospect alone first (the baseline printed beside the load's figures); the PDFs
    # are its summary.
    warm = Stats()
    seed = Prospect(server.url, 0, warm)
    try:
        await seed.complete()
        pdf_url = f"{server.url}/a/{seed.token}/summary.pdf"
        async with httpx.AsyncClient(timeout=60.0) as client:
            (await client.get(pdf_url)).raise_for_status()  # the first PDF warms the workers
    finally:
        await seed.close()

    stats = Stats()
    prospects = [Prospect(server.url, n, stats) for n in range(1, PROSPECTS + 1)]
    started = time.perf_counter()
    try:
        async with asyncio.timeout(TIME_LIMIT):
            load = asyncio.gather(*(p.complete(pace) for p in prospects), return_exceptions=True)
            _, outcomes = await asyncio.gather(_pdfs_while(load, pdf_url, stats), load)
    finally:
        for prospect in prospects:
            await prospect.close()
    # A prospect's HTTP error is in stats already; anything else (a cut connection) is added.
    for outcome in outcomes:
        if isinstance(outcome, BaseException) and not isinstance(outcome, ProspectError):
            stats.errors.append(repr(outcome))
    return prospects, stats, warm, time.perf_counter() - started


def _lost_answers(database: str, prospects: list[Prospect]) -> list[str]:
    lost = []
    store = Store.open(database)
    try:
        for prospect in prospects:
            found = assessments.by_token(store, prospect.token) if prospect.token else None
            if found is None:
                lost.append(f"prospect {prospect.number}: no assessment")
                continue
            for question, sent in prospect.acknowledged.items():
                stored = stored_as_sent(found.answers.answers.get(question))
                if stored != sent:
                    lost.append(f"prospect {prospect.number}, {question}: {sent} -> {stored}")
            if found.status != assessments.COMPLETE:
                lost.append(f"prospect {prospect.number}: not complete")
    finally:
        store.close()
    return lost


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time of one process (0 if it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _server_cpu(server: LiveServer) -> tuple[float, float]:
    """CPU seconds of the server process and of its PDF workers (its process group)."""
    assert server.process is not None
    main = server.process.pid
    workers = sum(_cpu_seconds(pid) for pid in server.survivors() if pid != main)
    return _cpu_seconds(main), workers


def _figures(values: list[float]) -> str:
    """p50, p95, p99 and max in milliseconds."""
    return "  ".join(
        f"{name} {value * 1000:6.0f} ms"
        for name, value in (
            ("p50", _quantile(values, 0.50)),
            ("p95", _quantile(values, 0.95)),
            ("p99", _quantile(values, 0.99)),
            ("max", max(values, default=float("nan"))),
        )
    )


PACES = {
    "no pause": Pace(),
    "1 s per answer": Pace(arrival=5.0, think=1.0, jitter=0.5),
}


@pytest.mark.benchmark
@pytest.mark.parametrize("pace", list(PACES))
@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_fifty_prospects_and_pdfs_at_once(
    engine: str, pace: str, make_server: Callable[..., LiveServer], request: pytest.FixtureRequest
) -> None:
    database = None if engine == "sqlite" else request.getfixturevalue("postgres_url")
    server = make_server(database)
    load_before = os.getloadavg()[0]
    server_before, workers_before = _server_cpu(server)
    client_before = time.process_time()
    prospects, stats, alone, elapsed = asyncio.run(_load(server, PACES[pace]))
    client_cpu = time.process_time() - client_before
    server_after, workers_after = _server_cpu(server)
    load_after = os.getloadavg()[0]
    lost = _lost_answers(server.database, prospects)
    answers = sum(len(p.acknowledged) for p in prospects)
    submit95, pdf_max = _quantile(stats.submits, 0.95), max(stats.pdfs, default=float("nan"))

    def mark(ok: bool) -> str:
        return "ok" if ok else "MISSED"

    print(
        f"\n{engine}, {pace}: {PROSPECTS} prospects, {PACES[pace].describe()}"
        f" (seeded); a summary PDF after another meanwhile"
        f"\n  {answers} answers in {elapsed:.1f} s, {stats.requests / elapsed:.0f} requests/s"
        f" (load average {load_before:.1f} before, {load_after:.1f} after, 2 cores)"
        f"\n  answer submit  {_figures(stats.submits)}"
        f"  (target p95 < 100 ms: {mark(submit95 < SUBMIT_P95_TARGET)})"
        f"\n  page           {_figures(stats.pages)}"
        f"\n  summary PDF    p50 {_quantile(stats.pdfs, 0.5) * 1000:6.0f} ms"
        f"  p95 {_quantile(stats.pdfs, 0.95) * 1000:6.0f} ms  max {pdf_max * 1000:6.0f} ms"
        f"  ({len(stats.pdfs)} during the load; target < 1.5 s: {mark(pdf_max < PDF_TARGET)})"
        f"\n  CPU during the load: server {server_after - server_before:.1f} s"
        f" ({(server_after - server_before) / max(stats.requests, 1) * 1000:.1f} ms/request),"
        f" PDF workers {workers_after - workers_before:.1f} s,"
        f" simulated clients {client_cpu:.1f} s, over {elapsed:.1f} s x 2 cores"
        f"\n  one prospect alone, before the load (same run): submit p50"
        f" {statistics.median(alone.submits) * 1000:.0f} ms, page p50"
        f" {statistics.median(alone.pages) * 1000:.0f} ms"
        f"\n  errors {len(stats.errors)}, lost answers {len(lost)}"
    )
    assert not stats.errors, stats.errors[:5]
    assert not lost, lost[:5]
    assert all(p.done for p in prospects)
