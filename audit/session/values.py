"""Answer values: checking them against their question, and typing them for conditions."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from audit import yamlio
from audit.questionnaire.conditions import (
    ABSENT,
    UNKNOWN,
    Symbol,
    when_conditions,
)
from audit.questionnaire.model import Pack, Question, QuestionType
from audit.session.answers import Answer, AnswersFile, Status

_TRUE = {"yes", "oui", "o", "y", "true", "1"}
_FALSE = {"no", "non", "n", "false", "0"}


def expected_form(question: Question) -> str:
    """What a value of this question looks like, for error messages."""
    ids = ", ".join(c.id for c in question.choices)
    if question.type == QuestionType.SINGLE:
        return f"one of: {ids}"
    if question.type == QuestionType.MULTIPLE:
        return f"a list of: {ids}"
    if question.type == QuestionType.SCALE:
        return f"one step of: {ids}"
    if question.type == QuestionType.YES_NO:
        return "yes or no"
    if question.type == QuestionType.NUMBER:
        bounds = []
        if question.min is not None:
            bounds.append(f">= {question.min:g}")
        if question.max is not None:
            bounds.append(f"<= {question.max:g}")
        kind = "a whole number" if question.integer else "a number"
        return kind + (f" ({', '.join(bounds)})" if bounds else "")
    if question.type == QuestionType.FILE:
        return "the path of a readable file"
    return "some text"


def check_value(question: Question, value: Any) -> Any:
    """Return `value` normalised for `question`; raise ValueError if it does not fit."""
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.SCALE):
        if not isinstance(value, str) or question.choice(value) is None:
            raise ValueError(f"'{value}' is not {expected_form(question)}")
        return value
    if kind == QuestionType.MULTIPLE:
        items: Sequence[Any] = value if isinstance(value, list | tuple) else [value]
        bad = [str(v) for v in items if not isinstance(v, str) or question.choice(v) is None]
        if bad or value is None:
            raise ValueError(f"{', '.join(bad) or 'nothing'} is not {expected_form(question)}")
        # Keep the pack's order and drop repeats.
        return [c.id for c in question.choices if c.id in items]
    if kind == QuestionType.YES_NO:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise ValueError(f"'{value}' is not yes or no")
    if kind == QuestionType.NUMBER:
        if isinstance(value, bool):
            raise ValueError(f"'{value}' is not {expected_form(question)}")
        try:
            number = float(str(value).replace(",", ".").replace(" ", "").replace("\u202f", ""))
        except ValueError:
            raise ValueError(f"'{value}' is not {expected_form(question)}") from None
        if not math.isfinite(number):
            raise ValueError(f"'{value}' is not {expected_form(question)}")
        if question.min is not None and number < question.min:
            raise ValueError(f"{number:g} is below the minimum ({expected_form(question)})")
        if question.max is not None and number > question.max:
            raise ValueError(f"{number:g} is above the maximum ({expected_form(question)})")
        if question.integer:
            if number != int(number):
                raise ValueError(f"{number:g} is not {expected_form(question)}")
            return int(number)
        return int(number) if number == int(number) else number
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValueError(f"expected {expected_form(question)}")
    return str(value)


def typed_value(question: Question, value: Any) -> Any:
    """The value as conditions see it (see `audit.questionnaire.conditions`)."""
    if question.type == QuestionType.MULTIPLE:
        return tuple(value)
    if question.type == QuestionType.SCALE:
        ids = [c.id for c in question.choices]
        return float(ids.index(value) + 1)
    if question.type == QuestionType.NUMBER:
        return float(value)
    return value


def answer_symbol(question: Question, answer: Answer | None) -> Symbol:
    """The symbol conditions read for one answer."""
    if answer is None:
        return UNKNOWN
    if answer.status == Status.NOT_APPLICABLE:
        return ABSENT
    if answer.status != Status.ANSWERED:
        return UNKNOWN
    try:
        return Symbol(typed_value(question, check_value(question, answer.value)))
    except ValueError:
        return UNKNOWN


def environment(pack: Pack, answers: AnswersFile) -> tuple[dict[str, Symbol], set[str]]:
    """The condition symbols for every question, and the ids of questions hidden by `when`.

    A hidden question is known to be absent; one whose `when` is undetermined is shown.
    """
    conditions = when_conditions(pack)
    env: dict[str, Symbol] = {}
    hidden: set[str] = set()
    for question in pack.questions:
        if question.when is not None:
            outcome = conditions[question.id].evaluate(env)
            if outcome.result is False:
                hidden.add(question.id)
                env[question.id] = ABSENT
                continue
        env[question.id] = answer_symbol(question, answers.answers.get(question.id))
    return env, hidden


@dataclass(frozen=True)
class Invalid:
    """An answer in a file that does not fit its question."""

    question: str
    line: int | None
    message: str


def invalid_answers(pack: Pack, answers: AnswersFile, path: Path) -> list[Invalid]:
    """Answers that do not fit their question (value, or a status it does not allow)."""
    problems: list[Invalid] = []
    doc: yamlio.Document | None = None
    for qid, answer in answers.answers.items():
        question = pack.question(qid)
        if question is None:
            continue
        message = None
        if answer.status == Status.ANSWERED:
            try:
                check_value(question, answer.value)
            except ValueError as exc:
                message = str(exc)
        elif answer.status == Status.UNKNOWN and not question.allow_unknown:
            message = '"don\'t know" (unknown) is not allowed for this question'
        elif answer.status == Status.NOT_APPLICABLE and not question.allow_not_applicable:
            message = "not_applicable is not allowed for this question"
        if message is None:
            continue
        if doc is None:
            doc = yamlio.load(path)
        key = "value" if answer.status == Status.ANSWERED else "status"
        problems.append(Invalid(qid, doc.line_of(["answers", qid, key]), message))
    return problems
