"""The answers file: one per client engagement, human-readable YAML."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

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


# Size limits: far above any real engagement, low enough that a hostile file is refused
# at once instead of taking minutes and gigabytes in a report.
NAME_MAX = 300  # a client, person, role or sector
TEXT_MAX = 20_000  # a note or a free-text answer
ANSWERS_MAX = 2_000  # answers in one file (a pack has about a hundred questions)

Name = Annotated[str, Field(max_length=NAME_MAX)]


class Answer(Model):
    status: Status
    value: Any = None
    note: str | None = Field(default=None, max_length=TEXT_MAX)
    confidence: Confidence | None = None

    @field_validator("value")
    @classmethod
    def _bounded(cls, value: Any) -> Any:
        if isinstance(value, str) and len(value) > TEXT_MAX:
            raise ValueError(f"an answer holds at most {TEXT_MAX} characters")
        if isinstance(value, list) and len(value) > ANSWERS_MAX:
            raise ValueError(f"an answer lists at most {ANSWERS_MAX} items")
        return value


class Client(Model):
    name: Name = Field(min_length=1)
    sector: Name | None = None
    contact: Name | None = None


class Respondent(Model):
    name: Name = Field(min_length=1)
    role: Name | None = None


def now() -> str:
    """The current time as an ISO 8601 string with seconds, in UTC."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


class AnswersFile(Model):
    pack: Identifier
    pack_version: str = Field(max_length=100)
    mode: Mode = Mode.FULL
    client: Client
    consultant: Name | None = None
    language: str = Field(default="fr", pattern="^(fr|en)$")
    respondents: list[Respondent] = Field(default_factory=list, max_length=100)
    started: str = Field(default_factory=now)
    updated: str = Field(default_factory=now)
    answers: dict[str, Answer] = Field(default_factory=dict, max_length=ANSWERS_MAX)
    # Measured facts attached to the engagement (a contact-list analysis...), by name.
    facts: dict[str, Any] = Field(default_factory=dict)

    @field_validator("started", "updated")
    @classmethod
    def _timestamp(cls, value: str) -> str:
        """A date a report prints on its cover: it must be one."""
        try:
            datetime.fromisoformat(value)
        except ValueError:
            raise ValueError(
                f"'{value}' is not a date and time (like 2026-11-23T10:00:00+00:00)"
            ) from None
        return value

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
