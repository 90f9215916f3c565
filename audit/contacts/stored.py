"""The shape a stored contact-list analysis must have to be read back.

An answers file keeps the analysis under `facts.contacts` (`ContactAnalysis.to_dict()`),
and people edit answers files by hand. This model checks what diagnosis and reports read,
so a damaged analysis is an error naming its field, never a crash further down. Keys it
does not know are kept (a newer analysis may add some).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from audit.contacts.view import view_of
from audit.schema_errors import describe

Count = Annotated[int, Field(ge=0)]
Share = Annotated[float, Field(ge=0, le=1)]


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow", defer_build=True, allow_inf_nan=False)


class _Closed(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True, allow_inf_nan=False)


class Source(_Open):
    file: str
    size: Count | None = None
    modified: str | None = None
    analysed: str | None = None


class Sample(_Open):
    row: Count
    email: str
    reason: str | None = None


class Domain(_Open):
    domain: str
    count: Count
    share: Share | None = None


class Malformed(_Open):
    row: Count
    reason: str


class Observation(_Open):
    id: str
    tone: str
    text: dict[Literal["fr", "en"], str]


class StoredContactAnalysis(_Open):
    source: Source | None = None
    layout: dict[str, Any] | None = None
    email_column: str | None = None
    consent_column: str | None = None
    activity_column: str | None = None
    audience: Literal["b2b", "b2c"] | None = None
    audience_inferred: bool | None = None
    rows: Count | None = None
    valid: Count | None = None
    invalid: Count | None = None
    duplicates: Count | None = None
    unique_valid: Count | None = None
    generic: Count | None = None
    webmail: Count | None = None
    disposable: Count | None = None
    named: Count | None = None
    no_address: Count | None = None
    generic_share: Share | None = None
    webmail_share: Share | None = None
    named_share: Share | None = None
    disposable_share: Share | None = None
    invalid_share: Share | None = None
    duplicate_share: Share | None = None
    consent_share: Share | None = None
    stale_share: Share | None = None
    consent_known: Count | None = None
    dated: Count | None = None
    stale_months: Count | None = None
    median_age_months: Annotated[float, Field(ge=0)] | None = None
    malformed_count: Count | None = None
    malformed_rows: list[Malformed] = Field(default_factory=list)
    recoded_rows: Count | None = None
    top_domains: list[Domain] = Field(default_factory=list)
    top_domains_exact: bool | None = None
    samples: dict[str, list[Sample]] = Field(default_factory=dict)
    observations: list[Observation] = Field(default_factory=list)


def check_stored_analysis(data: Any) -> None:
    """Raise ValueError naming the first field of `data` that is not a readable analysis."""
    if not isinstance(data, dict):
        raise ValueError("'contacts' must be a contact-list analysis (a mapping)")
    try:
        StoredContactAnalysis.model_validate(data)
    except ValidationError as exc:
        loc, message = describe(exc.errors()[0])
        field = ".".join(str(p) for p in loc)
        raise ValueError(f"contacts.{field}: {message}") from None


def client_view(data: Mapping[str, Any]) -> dict[str, Any]:
    """The stored analysis `data`, checked, as a report or `--json` may show it
    (`audit.contacts.view`: no raw address, no local path)."""
    return view_of(StoredContactAnalysis.model_validate(data).model_dump())
