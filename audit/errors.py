"""The error hierarchy: every user-facing error says where it happened and what was expected."""

from __future__ import annotations

import errno
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file, and optionally a line, a row and a field."""

    file: Path | str | None = None
    line: int | None = None
    row: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            where = str(self.file)
            if self.line is not None:
                where += f":{self.line}"
            parts.append(where)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.field:
            parts.append(f"field '{self.field}'")
        return ", ".join(parts)


@dataclass
class AuditError(Exception):
    """Base of all errors a user can cause; the CLI turns them into a message and exit 1."""

    message: str
    location: Location = field(default_factory=Location)
    expected: str | None = None
    exit_code: int = 1

    def __post_init__(self) -> None:
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.message
        where = str(self.location)
        if where:
            text = f"{where}: {text}"
        if self.expected:
            text += f" (expected {self.expected})"
        return text


class YamlError(AuditError):
    """A YAML file could not be parsed (syntax, duplicate key...)."""


class QuestionnaireError(AuditError):
    """A questionnaire pack is invalid."""


class AnswersError(AuditError):
    """An answers file is invalid or does not fit its pack."""


class ContactsError(AuditError):
    """A contact-list export cannot be read."""


class RulesError(AuditError):
    """Findings or rules are invalid."""


class ReportError(AuditError):
    """A report cannot be rendered or written."""


class UsageError(AuditError):
    """The command was called wrongly (exit 2)."""

    def __post_init__(self) -> None:
        self.exit_code = 2
        super().__post_init__()


class Interrupted(AuditError):
    """The user interrupted an interactive session; answers are saved (exit 130)."""

    def __post_init__(self) -> None:
        self.exit_code = 130
        super().__post_init__()


def os_error(exc: OSError) -> AuditError:
    """An operating-system error as a user error naming its file (a folder that cannot be
    entered, a full disk, a closed output...)."""
    reason = exc.strerror or str(exc)
    if exc.filename is not None:
        return AuditError(f"cannot use this file or folder: {reason}", Location(file=exc.filename))
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EPIPE):
        return AuditError(f"cannot write the output: {reason}", Location(file="<stdout>"))
    return AuditError(f"system error: {reason}")
