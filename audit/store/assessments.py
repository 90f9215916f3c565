"""Assessments: the answers-file content plus indexed columns, reached by private token."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Connection, Select, bindparam, func, insert, select, update

from audit.errors import AnswersError, Location
from audit.session.answers import AnswersFile, now
from audit.store.database import Store
from audit.store.schema import assessments, uploads
from audit.store.tokens import digest, new_token, plausible, same_digest

IN_PROGRESS = "in_progress"
COMPLETE = "complete"
SOURCES = ("web", "import")


@dataclass(frozen=True)
class Created:
    id: int
    token: str  # returned once, never stored: the prospect's private link


@dataclass(frozen=True)
class StoredAssessment:
    id: int
    status: str
    source: str
    created: str
    updated: str
    contact_requested: bool
    summary: dict[str, str] | None
    answers: AnswersFile

    @property
    def company(self) -> str:
        return self.answers.client.name


@dataclass(frozen=True)
class Listed:
    """One row of the agency's list (the answers are not parsed)."""

    id: int
    company: str
    pack: str
    mode: str
    language: str
    status: str
    source: str
    created: str
    updated: str
    contact_requested: bool
    summary: dict[str, str] | None


# The statements every page runs, built once (SQLAlchemy then reuses their compiled form
# without rebuilding the expression and its cache key on each request).
_BY_TOKEN = select(assessments).where(assessments.c.token_hash == bindparam("token_hash"))
_BY_TOKEN_FOR_UPDATE = _BY_TOKEN.with_for_update()
_BY_ID = select(assessments).where(assessments.c.id == bindparam("id"))
_BY_ID_FOR_UPDATE = _BY_ID.with_for_update()
# The columns to set are the execution's other parameters.
_REWRITE = update(assessments).where(assessments.c.id == bindparam("row_id"))


def _columns(answers: AnswersFile) -> dict[str, Any]:
    return {
        "pack": answers.pack,
        "pack_version": answers.pack_version,
        "company": answers.client.name[:200],
        "language": answers.language,
        "mode": answers.mode.value,
        "answers": json.dumps(answers.to_data(), ensure_ascii=False),
    }


def create(
    store: Store,
    answers: AnswersFile,
    *,
    source: str = "web",
    complete: bool = False,
    summary: dict[str, str] | None = None,
) -> Created:
    """Store a new assessment as it is (its `updated` time is kept); return its id and
    its private token (shown once)."""
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}")
    token = new_token()
    stamp = now()
    with store.write() as connection:
        result = connection.execute(
            insert(assessments).values(
                token_hash=digest(token),
                status=COMPLETE if complete else IN_PROGRESS,
                source=source,
                summary=json.dumps(summary) if summary is not None else None,
                contact_requested=False,
                created=stamp,
                updated=stamp,
                **_columns(answers),
            )
        )
        key = result.inserted_primary_key
        assert key is not None
        return Created(id=int(key[0]), token=token)


def _parse(row: Any) -> StoredAssessment:
    try:
        answers = AnswersFile.model_validate(json.loads(row.answers))
    except (ValueError, ValidationError) as exc:
        raise AnswersError(
            f"stored answers of assessment {row.id} do not read: {str(exc).splitlines()[0]}",
            Location(field="assessments.answers"),
        ) from None
    return StoredAssessment(
        id=row.id,
        status=row.status,
        source=row.source,
        created=row.created,
        updated=row.updated,
        contact_requested=bool(row.contact_requested),
        summary=json.loads(row.summary) if row.summary else None,
        answers=answers,
    )


def by_token(store: Store, token: str) -> StoredAssessment | None:
    """The assessment whose private token is `token`, or None (unknown or malformed)."""
    if not plausible(token):
        return None
    with store.read() as connection:
        row = connection.execute(_BY_TOKEN, {"token_hash": digest(token)}).first()
    if row is None or not same_digest(row.token_hash, token):
        return None
    return _parse(row)


def get(store: Store, assessment_id: int) -> StoredAssessment | None:
    with store.read() as connection:
        row = connection.execute(_BY_ID, {"id": assessment_id}).first()
    return None if row is None else _parse(row)


def save(
    store: Store,
    assessment_id: int,
    answers: AnswersFile,
    *,
    complete: bool,
    summary: dict[str, str] | None = None,
) -> None:
    """Replace the stored answers (one short transaction); raise KeyError if it is gone."""
    values = _saved_values(answers, Saved(complete, summary))
    with store.write() as connection:
        result = connection.execute(_REWRITE, {"row_id": assessment_id, **values})
        if result.rowcount != 1:
            raise KeyError(assessment_id)


def _saved_values(answers: AnswersFile, saved: Saved) -> dict[str, Any]:
    """The columns to write for `answers` as they now stand (stamped `updated` now)."""
    answers.updated = now()
    return _columns(answers) | {
        "status": COMPLETE if saved.complete else IN_PROGRESS,
        "updated": answers.updated,
        "summary": json.dumps(saved.summary) if saved.summary is not None else None,
    }


def listing(
    store: Store,
    *,
    search: str | None = None,
    status: str | None = None,
    contact_requested: bool | None = None,
    limit: int = 500,
) -> list[Listed]:
    """Assessments, most recently updated first, filtered by company text, status, contact."""
    query: Select[Any] = select(
        *[c for c in assessments.c if c.name not in ("answers", "token_hash")]
    )
    if search:
        pattern = "%" + search.lower().replace("%", "").replace("_", "") + "%"
        query = query.where(func.lower(assessments.c.company).like(pattern))
    if status:
        query = query.where(assessments.c.status == status)
    if contact_requested is not None:
        query = query.where(assessments.c.contact_requested == contact_requested)
    query = query.order_by(assessments.c.updated.desc(), assessments.c.id.desc()).limit(limit)
    with store.read() as connection:
        rows = connection.execute(query).all()
    return [
        Listed(
            id=r.id,
            company=r.company,
            pack=r.pack,
            mode=r.mode,
            language=r.language,
            status=r.status,
            source=r.source,
            created=r.created,
            updated=r.updated,
            contact_requested=bool(r.contact_requested),
            summary=json.loads(r.summary) if r.summary else None,
        )
        for r in rows
    ]


def keep_upload(store: Store, assessment_id: int, filename: str, content: bytes) -> None:
    """Keep an uploaded contact list (only when the prospect agreed)."""
    with store.write() as connection:
        connection.execute(
            insert(uploads).values(
                assessment_id=assessment_id, filename=filename[:255], content=content, created=now()
            )
        )


def upload_count(store: Store, assessment_id: int) -> int:
    with store.read() as connection:
        return int(
            connection.execute(
                select(func.count()).where(uploads.c.assessment_id == assessment_id)
            ).scalar_one()
        )


@dataclass(frozen=True)
class Saved:
    """What a change decided: whether the assessment is now complete, and its verdicts."""

    complete: bool
    summary: dict[str, str] | None = None


def change(
    store: Store, assessment_id: int, mutate: Callable[[AnswersFile], Saved]
) -> StoredAssessment:
    """Read, change and write one assessment in a single transaction, so two requests on
    the same assessment (two tabs) never lose each other's answers. `mutate` changes the
    answers in place and says whether they are complete; raise KeyError if it is gone."""
    with store.write() as connection:
        row = connection.execute(_BY_ID_FOR_UPDATE, {"id": assessment_id}).first()
        if row is None:
            raise KeyError(assessment_id)
        return _rewrite(connection, row, lambda current: mutate(current.answers))


def change_by_token(
    store: Store, token: str, mutate: Callable[[StoredAssessment], Saved | None]
) -> StoredAssessment | None:
    """`change` for the assessment the private `token` opens, read once: None when the
    token is unknown or malformed. `mutate` sees the stored assessment, changes its answers
    in place and says whether they are complete, or returns None to leave it as it is (an
    answer the page refuses); the result is the assessment as it now stands."""
    if not plausible(token):
        return None
    with store.write() as connection:
        row = connection.execute(_BY_TOKEN_FOR_UPDATE, {"token_hash": digest(token)}).first()
        if row is None or not same_digest(row.token_hash, token):
            return None
        return _rewrite(connection, row, mutate)


def _rewrite(
    connection: Connection, row: Any, mutate: Callable[[StoredAssessment], Saved | None]
) -> StoredAssessment:
    """Parse `row`, let `mutate` change it and write it back (inside the caller's
    transaction, the row locked for update)."""
    current = _parse(row)
    saved = mutate(current)
    if saved is None:
        return current
    answers = current.answers
    values = _saved_values(answers, saved)
    connection.execute(_REWRITE, {"row_id": current.id, **values})
    return StoredAssessment(
        id=current.id,
        status=values["status"],
        source=current.source,
        created=current.created,
        updated=answers.updated,
        contact_requested=current.contact_requested,
        summary=saved.summary,
        answers=answers,
    )
