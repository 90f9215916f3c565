"""Reading forms: CSRF and size checks first, then a form turned into an answer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request

from audit.questionnaire.model import Question, QuestionType
from audit.session.answers import Status
from audit.session.values import check_value
from audit.web.security import CSRF_FIELD, csrf_ok

TEXT_ANSWER_LIMIT = 2000  # characters in a free-text answer
FIELD_LIMIT = 200  # characters in a name, company...


class PageError(Exception):
    """Stop and show the error page for `status` (403, 404, 413, 429, 503)."""

    def __init__(self, status: int, **values: object) -> None:
        super().__init__(status)
        self.status = status
        self.values = values


async def read_form(request: Request, *, files: int = 0, part_size: int = 64 * 1024) -> FormData:
    """The submitted form, after checking its CSRF token (PageError 403 if it fails)."""
    form = await request.form(max_files=files, max_fields=100, max_part_size=part_size)
    if not csrf_ok(request.scope, form.get(CSRF_FIELD)):
        raise PageError(403)
    return form


@dataclass(frozen=True)
class Upload:
    filename: str
    content: bytes


async def read_upload_form(
    request: Request, field_name: str, part_size: int
) -> tuple[FormData, Upload | None]:
    """A multipart form with one file: its fields and the file's name and bytes (the
    temporary file is closed before returning). CSRF is checked first."""
    form = await read_form(request, files=1, part_size=part_size)
    try:
        upload = upload_field(form, field_name)
        if upload is None:
            return form, None
        return form, Upload(upload.filename or "", await upload.read())
    finally:
        await form.close()


def text_field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def upload_field(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    if isinstance(value, UploadFile) and value.filename:
        return value
    return None


@dataclass
class Problem(Exception):
    """An answer that cannot be recorded: a text key in `question.*` and its values."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


def answer_from_form(question: Question, form: FormData) -> tuple[Status, Any]:
    """The status and value a question's form means; raise Problem if it cannot be used.

    `action` is `answer` (the default submit button), `unknown`, `not_applicable` or, for
    a multiple-choice question, `none` (an empty selection on purpose).
    """
    action = text_field(form, "action") or "answer"
    if action == "unknown" and question.allow_unknown:
        return Status.UNKNOWN, None
    if action == "not_applicable" and question.allow_not_applicable:
        return Status.NOT_APPLICABLE, None
    if action == "none" and question.type == QuestionType.MULTIPLE:
        return Status.ANSWERED, []
    if question.type == QuestionType.FILE:
        raise Problem("file_on_result")
    if question.type == QuestionType.MULTIPLE:
        value: Any = [v for v in form.getlist("value") if isinstance(v, str)]
        if not value:
            raise Problem("error_empty_multiple")
    else:
        value = text_field(form, "value")
        if not value:
            raise Problem("error_empty")
        if len(value) > TEXT_ANSWER_LIMIT:
            raise Problem("error_too_long", {"limit": TEXT_ANSWER_LIMIT})
    try:
        return Status.ANSWERED, check_value(question, value)
    except ValueError as exc:
        if question.type == QuestionType.NUMBER:
            raise Problem("error_number") from None
        raise Problem("error_invalid", {"reason": str(exc)}) from None
