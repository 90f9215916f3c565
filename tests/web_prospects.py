"""Simulated prospects: each completes the quick questionnaire through the site's plain forms.

A prospect is a browser without JavaScript: it GETs a page, fills its form from the choices
the page offers (deterministically, from the prospect's number, so two prospects differ),
POSTs it with the CSRF token and follows the redirect. It records what it sent and which
answers the server acknowledged (a 303 to the next page): the load benchmark and the crash
test compare those with what the store holds. How it spends its time between answers (when
it arrives, how long it reads each question) is a `Pace`, drawn from a random generator
seeded with the prospect's number, so a run can be repeated exactly.
"""

from __future__ import annotations

import asyncio
import random
import time
import zlib
from dataclasses import dataclass, field
from typing import Any

import httpx
from web_forms import Form, parse

from audit.session.answers import Answer, Status

TEXT_ANSWER = "Réponse n°{n} : « automatisation » & <b>suivi</b> — 100 % promis"


@dataclass
class Stats:
    """Latencies in seconds and errors, shared by all the prospects of a run."""

    submits: list[float] = field(default_factory=list)
    pages: list[float] = field(default_factory=list)
    pdfs: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: int = 0


@dataclass(frozen=True)
class Sent:
    """What the prospect sent for one question: a status and the form's value(s)."""

    status: Status
    value: Any = None  # str, or a sorted list of str for a multiple choice


class ProspectError(Exception):
    pass


def _pick(number: int, question: str, count: int) -> int:
    return (number * 7 + zlib.crc32(question.encode())) % count


def fill(form: Form, question: str, number: int) -> tuple[dict[str, Any], Sent]:
    """The fields to POST for this question page, and what they mean."""
    data: dict[str, Any] = dict(form.hidden())
    actions = {b.value for b in form.buttons if b.name == "action"}
    # One answer in nine is "don't know", where the page offers it.
    if "unknown" in actions and _pick(number, question, 9) == 0:
        data["action"] = "unknown"
        return data, Sent(Status.UNKNOWN)
    data["action"] = "answer"
    kinds = {f.kind for f in form.fields if f.name == "value"}
    choices = form.choices("value")
    if "radio" in kinds:
        value: Any = choices[_pick(number, question, len(choices))]
        data["value"] = value
        return data, Sent(Status.ANSWERED, value)
    if "checkbox" in kinds:
        first = _pick(number, question, len(choices))
        picked = sorted({choices[first], choices[(first + number) % len(choices)]})
        data["value"] = picked
        return data, Sent(Status.ANSWERED, picked)
    if "textarea" in kinds:
        value = TEXT_ANSWER.format(n=number)
        data["value"] = value
        return data, Sent(Status.ANSWERED, value)
    raise ProspectError(f"{question}: no field this prospect knows how to fill ({kinds})")


def stored_as_sent(answer: Answer | None) -> Sent | None:
    """A stored answer in the form's terms (yes/no as sent, lists sorted)."""
    if answer is None:
        return None
    value = answer.value
    if isinstance(value, bool):
        value = "yes" if value else "no"
    elif isinstance(value, list):
        value = sorted(str(v) for v in value)
    return Sent(answer.status, value)


@dataclass(frozen=True)
class Pace:
    """When a prospect arrives and how long it pauses after each answer, in seconds.

    It arrives at a moment drawn uniformly in [0, `arrival`) after the start, and pauses
    a time drawn uniformly in [`think` - `jitter`, `think` + `jitter`] after each answer
    (mean `think`). The default is a stress: everyone at once, no pause at all.
    """

    arrival: float = 0.0
    think: float = 0.0
    jitter: float = 0.0

    def __post_init__(self) -> None:
        assert 0 <= self.jitter <= self.think or self.think == self.jitter == 0

    def arrival_delay(self, rng: random.Random) -> float:
        return rng.uniform(0.0, self.arrival) if self.arrival else 0.0

    def pause(self, rng: random.Random) -> float:
        return rng.uniform(self.think - self.jitter, self.think + self.jitter)

    def describe(self) -> str:
        arrival = (
            f"arrivals spread at random over {self.arrival:g} s"
            if self.arrival
            else "all arrive at once"
        )
        if not self.think:
            return f"{arrival}, no pause between answers"
        if not self.jitter:
            return f"{arrival}, {self.think:g} s after each answer"
        return (
            f"{arrival}, {self.think - self.jitter:g} to {self.think + self.jitter:g} s"
            f" (uniform, mean {self.think:g} s) after each answer"
        )


@dataclass
class Prospect:
    base: str
    number: int
    stats: Stats
    language: str = "fr"
    token: str | None = None
    sent: dict[str, Sent] = field(default_factory=dict)
    acknowledged: dict[str, Sent] = field(default_factory=dict)
    done: bool = False
    _client: httpx.AsyncClient | None = None

    @property
    def client(self) -> httpx.AsyncClient:
        """Created on first use, inside the event loop that will close it."""
        if self._client is None:
            self._client = httpx.AsyncClient(
                base_url=self.base,
                timeout=60.0,
                headers={"accept-language": self.language},
                follow_redirects=False,
            )
        return self._client

    async def close(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def _get(self, path: str) -> httpx.Response:
        started = time.perf_counter()
        response = await self.client.get(path)
        self.stats.requests += 1
        self.stats.pages.append(time.perf_counter() - started)
        return response

    async def _post(self, path: str, data: dict[str, Any]) -> httpx.Response:
        started = time.perf_counter()
        response = await self.client.post(path, data=data)
        self.stats.requests += 1
        self.stats.submits.append(time.perf_counter() - started)
        return response

    def _fail(self, response: httpx.Response, what: str) -> ProspectError:
        error = f"prospect {self.number}: {what}: HTTP {response.status_code} {response.url}"
        self.stats.errors.append(error)
        return ProspectError(error)

    async def start(self) -> str:
        landing = await self._get("/")
        if landing.status_code != 200:
            raise self._fail(landing, "landing page")
        form = next(f for f in parse(landing.text).post_forms() if f.action.endswith("/start"))
        data = {**form.hidden(), "company": f"Prospect {self.number} & Fils", "lang": self.language}
        response = await self._post(form.action, data)
        if response.status_code != 303:
            raise self._fail(response, "start")
        self.token = response.headers["location"].rstrip("/").rsplit("/", 1)[1]
        return self.token

    async def step(self, location: str | None = None) -> str | None:
        """Answer the question at `location` (default: where the private link leads).

        Returns where the server sends the prospect next (None once at the result page).
        """
        if location is None:
            resumed = await self._get(f"/a/{self.token}")
            if resumed.status_code != 303:
                raise self._fail(resumed, "private link")
            location = resumed.headers["location"]
        if location.endswith("/result"):
            result = await self._get(location)
            if result.status_code != 200:
                raise self._fail(result, "result page")
            self.done = True
            return None
        page = await self._get(location)
        if page.status_code != 200:
            raise self._fail(page, "question page")
        question = location.rstrip("/").rsplit("/", 1)[1]
        form = next(f for f in parse(page.text).post_forms() if "/q/" in f.action)
        data, meaning = fill(form, question, self.number)
        self.sent[question] = meaning
        response = await self._post(form.action, data)
        if response.status_code != 303:
            raise self._fail(response, f"answer to {question}")
        self.acknowledged[question] = meaning
        next_location: str = response.headers["location"]
        return next_location

    async def complete(self, pace: Pace | None = None) -> None:
        """Start (if needed) and answer until the result page, at `pace` (default: no
        pause), its random draws seeded with this prospect's number."""
        pace = pace or Pace()
        rng = random.Random(self.number)
        if arrival := pace.arrival_delay(rng):
            await asyncio.sleep(arrival)
        if self.token is None:
            await self.start()
        location: str | None = None
        for _ in range(100):
            location = await self.step(location)
            if location is None:
                return
            if pause := pace.pause(rng):
                await asyncio.sleep(pause)
        raise ProspectError(f"prospect {self.number}: the questionnaire never ended")
