"""Contact requests: a prospect asks to be contacted, with the consent they gave."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import insert, select, update

from audit.session.answers import now
from audit.store.database import Store
from audit.store.schema import assessments, contact_requests


@dataclass(frozen=True)
class ContactRequest:
    name: str
    company: str
    email: str
    phone: str
    language: str
    consent_text: str  # the exact wording the prospect agreed to
    consent_version: str


@dataclass(frozen=True)
class StoredRequest:
    id: int
    assessment_id: int
    request: ContactRequest
    consented: str  # when the consent was given (UTC, ISO 8601)


def add(store: Store, assessment_id: int, request: ContactRequest) -> StoredRequest:
    """Store the request with its consent timestamp and mark the assessment."""
    stamp = now()
    with store.write() as connection:
        result = connection.execute(
            insert(contact_requests).values(
                assessment_id=assessment_id,
                name=request.name,
                company=request.company,
                email=request.email,
                phone=request.phone,
                language=request.language,
                consent_text=request.consent_text,
                consent_version=request.consent_version,
                consented=stamp,
            )
        )
        connection.execute(
            update(assessments)
            .where(assessments.c.id == assessment_id)
            .values(contact_requested=True)
        )
        key = result.inserted_primary_key
        assert key is not None
    return StoredRequest(int(key[0]), assessment_id, request, stamp)


def listing(store: Store, assessment_id: int | None = None) -> list[StoredRequest]:
    """Contact requests, oldest first (all, or one assessment's)."""
    query = select(contact_requests).order_by(contact_requests.c.id)
    if assessment_id is not None:
        query = query.where(contact_requests.c.assessment_id == assessment_id)
    with store.read() as connection:
        rows = connection.execute(query).all()
    return [
        StoredRequest(
            id=r.id,
            assessment_id=r.assessment_id,
            request=ContactRequest(
                name=r.name,
                company=r.company,
                email=r.email,
                phone=r.phone,
                language=r.language,
                consent_text=r.consent_text,
                consent_version=r.consent_version,
            ),
            consented=r.consented,
        )
        for r in rows
    ]
