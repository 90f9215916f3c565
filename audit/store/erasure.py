"""Erasing one prospect's data on request, and the log of what was erased (never the data)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select

from audit.session.answers import now
from audit.store.database import Store
from audit.store.schema import assessments, contact_requests, erasures, uploads


@dataclass(frozen=True)
class Erasure:
    id: int
    at: str
    by_user: str
    assessment_id: int
    erased: dict[str, int]  # what was erased: {"assessments": 1, "contact_requests": 2, ...}


def erase(store: Store, assessment_id: int, by_user: str) -> Erasure | None:
    """Delete an assessment, its contact requests and kept uploads in one transaction, and
    log the counts. Return the log entry, or None if there was no such assessment."""
    with store.write() as connection:
        exists = connection.execute(
            select(assessments.c.id).where(assessments.c.id == assessment_id)
        ).first()
        if exists is None:
            return None
        counts: dict[str, int] = {}
        for name, table in (("contact_requests", contact_requests), ("uploads", uploads)):
            counts[name] = int(
                connection.execute(
                    select(func.count())
                    .select_from(table)
                    .where(table.c.assessment_id == assessment_id)
                ).scalar_one()
            )
            connection.execute(delete(table).where(table.c.assessment_id == assessment_id))
        connection.execute(delete(assessments).where(assessments.c.id == assessment_id))
        counts = {"assessments": 1, **counts}
        stamp = now()
        result = connection.execute(
            insert(erasures).values(
                at=stamp, by_user=by_user, assessment_id=assessment_id, erased=json.dumps(counts)
            )
        )
        key = result.inserted_primary_key
        assert key is not None
    return Erasure(int(key[0]), stamp, by_user, assessment_id, counts)


def log(store: Store) -> list[Erasure]:
    """Every erasure, most recent first."""
    with store.read() as connection:
        rows = connection.execute(select(erasures).order_by(erasures.c.id.desc())).all()
    return [_entry(r) for r in rows]


def _entry(row: Any) -> Erasure:
    return Erasure(row.id, row.at, row.by_user, row.assessment_id, json.loads(row.erased))


def expire(store: Store, updated_before: str) -> list[Erasure]:
    """Erase every assessment not updated since `updated_before` (an ISO time), each
    logged by the user "retention". Returns the log entries."""
    with store.read() as connection:
        ids = (
            connection.execute(
                select(assessments.c.id).where(assessments.c.updated < updated_before)
            )
            .scalars()
            .all()
        )
    entries = [erase(store, int(assessment_id), by_user="retention") for assessment_id in ids]
    return [entry for entry in entries if entry is not None]
