"""A crash loses nothing a prospect was told was saved.

`audit serve` runs as a real process; simulated prospects answer the quick questionnaire
through its forms; once a few dozen answers have been acknowledged (a 303 to the next
page), the server is killed with SIGKILL (no shutdown handler runs) and started again on
the same database. Every acknowledged answer must be there, and every prospect can go on
from their private link to the result. Small and bounded: 4 prospects, at most about 90
answers, a time limit on each phase.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import httpx
import pytest
from live_servers import LiveServer
from web_prospects import Prospect, ProspectError, Stats, stored_as_sent

from audit.store import Store, assessments

PROSPECTS = 4
KILL_AFTER = 20  # acknowledged answers, all prospects together
PHASE_TIMEOUT = 120.0
ORPHAN_GRACE = 10.0


async def _answer_until_killed(server: LiveServer, prospects: list[Prospect]) -> None:
    tasks = [asyncio.create_task(p.complete()) for p in prospects]
    try:
        async with asyncio.timeout(PHASE_TIMEOUT):
            while sum(len(p.acknowledged) for p in prospects) < KILL_AFTER:
                assert not all(t.done() for t in tasks), "the prospects finished before the kill"
                await asyncio.sleep(0.005)
        server.kill()
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        for task in tasks:
            task.cancel()
        await _close(prospects)
    for outcome in outcomes:
        # A prospect whose request was cut by the kill sees a transport error, nothing else.
        if isinstance(outcome, BaseException):
            assert isinstance(outcome, httpx.TransportError | ProspectError), repr(outcome)


async def _finish(prospects: list[Prospect]) -> None:
    try:
        async with asyncio.timeout(PHASE_TIMEOUT):
            await asyncio.gather(*(p.complete() for p in prospects))
    finally:
        await _close(prospects)


async def _close(prospects: list[Prospect]) -> None:
    for prospect in prospects:
        await prospect.close()


def _check_stored(database: str, prospects: list[Prospect], *, complete: bool) -> int:
    store = Store.open(database)
    checked = 0
    try:
        for prospect in prospects:
            if prospect.token is None:
                continue  # its start was cut by the kill: nothing was acknowledged
            found = assessments.by_token(store, prospect.token)
            assert found is not None, f"prospect {prospect.number}: the assessment is gone"
            stored = found.answers.answers
            for question, sent in prospect.acknowledged.items():
                assert stored_as_sent(stored.get(question)) == sent, (
                    f"prospect {prospect.number}, {question}: acknowledged {sent}, "
                    f"stored {stored.get(question)}"
                )
                checked += 1
            if complete:
                assert found.status == assessments.COMPLETE
    finally:
        store.close()
    return checked


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_every_acknowledged_answer_survives_a_sigkill(
    engine: str,
    make_server: Callable[..., LiveServer],
    request: pytest.FixtureRequest,
) -> None:
    database = None if engine == "sqlite" else request.getfixturevalue("postgres_url")
    server = make_server(database, "--pdf-workers", "1")
    stats = Stats()
    before = [Prospect(server.url, n, stats) for n in range(1, PROSPECTS + 1)]
    asyncio.run(_answer_until_killed(server, before))
    acknowledged = sum(len(p.acknowledged) for p in before)
    assert acknowledged >= KILL_AFTER

    # The killed server's worker processes must not outlive it (they check every second).
    deadline = time.monotonic() + ORPHAN_GRACE
    while server.survivors() and time.monotonic() < deadline:
        time.sleep(0.2)
    orphans = server.survivors()
    server.reap()
    server.start()
    assert _check_stored(server.database, before, complete=False) == acknowledged

    # Each prospect goes on from their private link (a new browser: only the link is kept).
    after = []
    for prospect in before:
        if prospect.token is None:
            continue
        resumed = Prospect(server.url, prospect.number, stats, token=prospect.token)
        resumed.acknowledged = dict(prospect.acknowledged)
        after.append(resumed)
    asyncio.run(_finish(after))
    assert all(p.done for p in after)
    assert _check_stored(server.database, after, complete=True) >= acknowledged
    assert not orphans, f"processes of the killed server still running: {orphans}"
