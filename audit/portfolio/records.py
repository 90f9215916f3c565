"""Adding assessments to the portfolio, reading it back, and the statistics on it."""

from __future__ import annotations

import hashlib
import json
import statistics
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from audit.assessment import assess_loaded
from audit.errors import AuditError, Location
from audit.questionnaire.loader import load_pack
from audit.session.answers import AnswersFile, Status
from audit.session.runner import client_slug
from audit.session.store import load_answers
from audit.store.database import Store, StoreError
from audit.store.schema import portfolio

MIN_PEERS = 5  # fewer past clients than this in a size band: compare with all clients
UNKNOWN = "unknown"


def client_key(name: str) -> str:
    """The digest that stands for a client in the portfolio (its name is never stored)."""
    return hashlib.sha256(client_slug(name).encode("utf-8")).hexdigest()


def _choice(answers: AnswersFile, qid: str) -> str:
    answer = answers.answers.get(qid)
    if answer is None or answer.status != Status.ANSWERED or not isinstance(answer.value, str):
        return UNKNOWN
    return answer.value


def _record(answers: AnswersFile, assessment: dict[str, Any]) -> dict[str, Any]:
    scores = {k: s["score"] for k, s in assessment["scores"].items() if s["score"] is not None}
    return {
        "client_key": client_key(answers.client.name),
        "pack": answers.pack,
        "size_band": _choice(answers, "company_size"),
        "sector": _choice(answers, "sector"),
        "assessed": answers.updated,
        "scores": scores,
        "added": assessment["generated"],
    }


def answers_files(paths: list[Path]) -> list[Path]:
    """The answers files named, folders expanded to their `*.yaml` (not form mappings)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.glob("*.y*ml") if not p.name.endswith(".mapping.yaml"))
        else:
            files.append(path)
    return files


class FolderPortfolio:
    """A folder of answers files read as a portfolio (instead of the store)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def records(self, pack: str | None = None) -> list[dict[str, Any]]:
        rows = []
        packs: dict[str, Any] = {}
        for path in answers_files([self.folder]):
            try:
                answers = load_answers(path)
                if pack is not None and answers.pack != pack:
                    continue
                if answers.pack not in packs:
                    packs[answers.pack] = load_pack(answers.pack)
                assessment = assess_loaded(packs[answers.pack], answers, path, "en")
            except AuditError:
                continue  # a file that does not assess is no benchmark; `add` reports it
            rows.append(_record(answers, assessment))
        return sorted(rows, key=lambda r: r["assessed"], reverse=True)


Source = Store | FolderPortfolio


def open_source(where: str | None) -> Source:
    """The portfolio at `where`: a folder of answers files, else the store at that URL
    (None: the local store). Raises StoreError."""
    if where is not None and "://" not in where:
        if Path(where).is_dir():
            return FolderPortfolio(Path(where))
        raise StoreError(
            f"no folder '{where}'",
            Location(field="--database"),
            expected="a folder of answers files, sqlite:///PATH or postgresql://USER@HOST/NAME",
        )
    return Store.open(where)


def close_source(source: Source) -> None:
    if isinstance(source, Store):
        source.close()


@dataclass
class Added:
    path: Path
    status: str  # added | already | failed
    message: str = ""


def add_files(store: Store, paths: list[Path]) -> list[Added]:
    """Record each answers file (a failure is reported, never stops the others)."""
    results = []
    packs: dict[str, Any] = {}
    for path in answers_files(paths):
        try:
            answers = load_answers(path)
            if answers.pack not in packs:
                packs[answers.pack] = load_pack(answers.pack)
            assessment = assess_loaded(packs[answers.pack], answers, path, "en")
        except AuditError as exc:
            results.append(Added(path, "failed", str(exc)))
            continue
        row = _record(answers, assessment)
        row["scores"] = json.dumps(row["scores"])
        try:
            with store.write() as connection:
                connection.execute(insert(portfolio).values(**row))
        except IntegrityError:
            results.append(Added(path, "already"))
            continue
        results.append(Added(path, "added"))
    return results


def records(source: Source, pack: str | None = None) -> list[dict[str, Any]]:
    """Every recorded assessment (latest first), scores decoded."""
    if isinstance(source, FolderPortfolio):
        return source.records(pack)
    store = source
    query = select(portfolio).order_by(portfolio.c.assessed.desc())
    if pack is not None:
        query = query.where(portfolio.c.pack == pack)
    with store.read() as connection:
        rows = connection.execute(query).mappings().all()
    return [dict(row, scores=json.loads(row["scores"])) for row in rows]


def quartiles(values: list[float]) -> dict[str, float] | None:
    """Count, first quartile, median and third quartile (None for no values)."""
    if not values:
        return None
    if len(values) == 1:
        q1 = median = q3 = values[0]
    else:
        q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return {"count": len(values), "q1": q1, "median": median, "q3": q3}


def stats(store: Source, pack: str = "engagement") -> dict[str, Any]:
    """Counts, medians and quartiles per dimension: overall, by size band, by sector."""
    rows = records(store, pack)
    latest: dict[str, dict[str, Any]] = {}
    for row in rows:  # one client counts once: its latest assessment
        latest.setdefault(row["client_key"], row)
    kept = list(latest.values())

    def table(group: list[dict[str, Any]]) -> dict[str, Any]:
        values: dict[str, list[float]] = defaultdict(list)
        for row in group:
            for dim, score in row["scores"].items():
                values[dim].append(score)
        return {"clients": len(group), "dimensions": {d: quartiles(v) for d, v in values.items()}}

    by: dict[str, dict[str, Any]] = {"size_band": {}, "sector": {}}
    for key in by:
        groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in kept:
            groups[row[key]].append(row)
        by[key] = {name: table(group) for name, group in sorted(groups.items())}
    return {"pack": pack, "assessments": len(rows), "all": table(kept), **by}


def benchmark(store: Source, assessment: dict[str, Any], answers: AnswersFile) -> dict[str, Any]:
    """Where the client stands per dimension among past clients (never itself).

    Peers are the clients of the same size band when there are at least MIN_PEERS of
    them, otherwise all clients; `enough` is False when even all are fewer than that.
    """
    own = client_key(answers.client.name)
    latest: dict[str, dict[str, Any]] = {}
    for row in records(store, answers.pack):
        if row["client_key"] != own:
            latest.setdefault(row["client_key"], row)
    everyone = list(latest.values())
    band = _choice(answers, "company_size")
    same_band = [r for r in everyone if r["size_band"] == band and band != UNKNOWN]
    peers, scope = (same_band, "size_band") if len(same_band) >= MIN_PEERS else (everyone, "all")
    dimensions = []
    for key, score in assessment["scores"].items():
        values = [r["scores"][key] for r in peers if key in r["scores"]]
        spread = quartiles(values)
        dimensions.append(
            {
                "id": key,
                "name": score["name"],
                "score": score["score"],
                "peers": spread,
                "position": None
                if spread is None or score["score"] is None
                else "above"
                if score["score"] > spread["q3"]
                else "below"
                if score["score"] < spread["q1"]
                else "within",
            }
        )
    return {
        "peers": len(peers),
        "scope": scope,
        "size_band": band,
        "same_band": len(same_band),
        "enough": len(peers) >= MIN_PEERS,
        "min_peers": MIN_PEERS,
        "dimensions": dimensions,
    }


def benchmark_file(where: str | None, answers_path: Path) -> dict[str, Any]:
    """`benchmark` for an answers file, against the portfolio at `where` (see
    `open_source`)."""
    answers = load_answers(answers_path)
    assessment = assess_loaded(load_pack(answers.pack), answers, answers_path, "en")
    source = open_source(where)
    try:
        return benchmark(source, assessment, answers)
    finally:
        close_source(source)
