"""The answers file: one per client engagement, human-readable YAML."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from audit.questionnaire.model import Identifier


class Status(StrEnum):
    ANSWERED = "answered"
    UNKNOWN = "unknown"  # "don't know": to verify
    NOT_APPLICABLE = "not_applicable"
    SKIPPED = "skipped"


class Confidence(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Mode(StrEnum):
    FULL = "full"
    QUICK = "quick"


class Model(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Answer(Model):
    status: Status
    value: Any = None
    note: str | None = None
    confidence: Confidence | None = None


class Client(Model):
    name: str = Field(min_length=1)
    sector: str | None = None
    contact: str | None = None


class Respondent(Model):
    name: str = Field(min_length=1)
    role: str | None = None


def now() -> str:
    """The current time as an ISO 8601 string with seconds, in UTC."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class AnswersFile(Model):
    pack: Identifier
    pack_version: str
    mode: Mode = Mode.FULL
    client: Client
    consultant: str | None = None
    language: str = Field(default="fr", pattern="^(fr|en)$")
    respondents: list[Respondent] = Field(default_factory=list)
    started: str = Field(default_factory=now)
    updated: str = Field(default_factory=now)
    answers: dict[str, Answer] = Field(default_factory=dict)
    # Measured facts attached to the engagement (a contact-list analysis...), by name.
    facts: dict[str, Any] = Field(default_factory=dict)

    @field_validator("facts")
    @classmethod
    def _check_contact_facts(cls, facts: dict[str, Any]) -> dict[str, Any]:
        """A stored contact analysis (possibly hand-edited) must still read as one."""
        from audit.contacts.stored import check_stored_analysis

        if facts.get("contacts") is not None:
            check_stored_analysis(facts["contacts"])
        return facts

    def to_data(self) -> dict[str, Any]:
        """Plain data for YAML, without empty optional fields."""
        data = self.model_dump(mode="json", exclude_none=True)
        for answer in data["answers"].values():
            answer.setdefault("value", None)
        if not data["facts"]:
            del data["facts"]
        return data
