"""The pack linter: problems a schema cannot see (ids, conditions, reachability, coverage)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from audit.errors import Location
from audit.questionnaire.conditions import ConditionError, DataType, Expression, question_type
from audit.questionnaire.loader import Problem
from audit.questionnaire.model import Pack, Question, QuestionType


def _where(question: Question) -> Location:
    return Location(file=question.file, line=question.line or None, field=question.id)


def condition_types(pack: Pack) -> dict[str, Any]:
    """The typed symbols conditions may read: every question of the pack."""
    return {q.id: question_type(q) for q in pack.questions}


def check_literals(expression: Expression, pack: Pack) -> list[str]:
    """Messages for choice ids compared with a question that does not offer them."""
    messages = []
    for literal in expression.literals():
        question = pack.question(literal.symbol)
        if question is None or question.type not in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            continue
        if question.choice(literal.value) is None:
            offered = ", ".join(c.id for c in question.choices)
            messages.append(
                f"'{literal.value}' is not a choice of '{question.id}' (choices: {offered})"
            )
    return messages


def lint_pack(
    pack: Pack,
    extra_symbols: Mapping[str, Any] | None = None,
    unchecked: set[str] | frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every problem in a loaded pack, in file order.

    `unchecked` names questions that failed the schema: conditions may still cite them
    (as untyped symbols) so one mistake is reported once, not again in every condition.
    """
    problems: list[Problem] = []
    seen: dict[str, Question] = {}
    for question in pack.questions:
        if question.id in seen:
            first = seen[question.id]
            problems.append(
                Problem(
                    _where(question),
                    f"duplicate question id '{question.id}' (first at {first.file}:{first.line})",
                )
            )
        else:
            seen[question.id] = question
    section_ids = [s.id for s in pack.sections]
    for section in pack.sections:
        if section_ids.count(section.id) > 1:
            problems.append(
                Problem(Location(section.file, 1), f"duplicate section id '{section.id}'")
            )
        if not section.questions:
            problems.append(Problem(Location(section.file, 1), "section has no questions"))

    dimension_ids = {d.id for d in pack.dimensions}
    untyped = {name: DataType.UNDEFINED for name in unchecked}
    types = {**untyped, **condition_types(pack), **(extra_symbols or {})}
    order = {q.id: i for i, q in enumerate(pack.questions)}
    for question in pack.questions:
        for dim in sorted(question.dimensions() - dimension_ids):
            problems.append(
                Problem(
                    _where(question),
                    f"scores an unknown dimension '{dim}' "
                    f"(dimensions: {', '.join(sorted(dimension_ids))})",
                )
            )
        if question.when is None:
            continue
        try:
            expression = Expression(question.when, types)
        except ConditionError as exc:
            problems.append(Problem(_where(question), f"'when': {exc}"))
            continue
        for message in check_literals(expression, pack):
            problems.append(Problem(_where(question), f"'when': {message}"))
        for symbol in sorted(expression.symbols):
            if symbol == question.id:
                problems.append(
                    Problem(_where(question), "'when' refers to the question itself: never shown")
                )
            elif symbol in order and order[symbol] > order[question.id]:
                problems.append(
                    Problem(
                        _where(question),
                        f"'when' refers to '{symbol}', which is asked later",
                    )
                )
        if not (expression.symbols & unchecked) and _never_shown(question, pack):
            problems.append(
                Problem(_where(question), "can never be shown: its 'when' is false for any answer")
            )

    fed = {dim for q in pack.questions for dim in q.dimensions()}
    for dimension in pack.dimensions:
        if dimension.id not in fed:
            problems.append(
                Problem(
                    Location(f"{pack.path}/pack.yaml", field=dimension.id),
                    f"dimension '{dimension.id}' is fed by no scored question",
                )
            )
    levels = sorted(pack.levels, key=lambda level: level.level)
    if levels and [level.level for level in levels] != list(range(1, len(levels) + 1)):
        problems.append(
            Problem(Location(f"{pack.path}/pack.yaml"), "levels must be numbered 1, 2, 3...")
        )
    if any(a.min_score >= b.min_score for a, b in zip(levels, levels[1:], strict=False)):
        problems.append(
            Problem(Location(f"{pack.path}/pack.yaml"), "level min_score must increase with level")
        )
    return problems


def _never_shown(question: Question, pack: Pack) -> bool:
    """True when the `when` of a question is false for every answer its inputs can take.

    Checked exhaustively over the choice/yes-no inputs (and their absence); conditions that
    read numbers or text are assumed satisfiable.
    """
    from itertools import product

    from audit.questionnaire.conditions import ABSENT, Symbol

    assert question.when is not None
    expression = Expression(question.when, condition_types(pack))
    domains: list[list[Symbol]] = []
    names = sorted(expression.symbols)
    for name in names:
        source = pack.question(name)
        if source is None:
            return False
        if source.type == QuestionType.YES_NO:
            domains.append([Symbol(True), Symbol(False), ABSENT])
        elif source.type == QuestionType.SINGLE:
            domains.append([Symbol(c.id) for c in source.choices] + [ABSENT])
        elif source.type == QuestionType.SCALE:
            domains.append([Symbol(float(i + 1)) for i in range(len(source.choices))] + [ABSENT])
        elif source.type == QuestionType.MULTIPLE and len(source.choices) <= 8:
            subsets = [
                Symbol(tuple(c.id for c, on in zip(source.choices, mask, strict=True) if on))
                for mask in product([False, True], repeat=len(source.choices))
            ]
            domains.append(subsets + [ABSENT])
        else:
            return False
    combinations = 1
    for domain in domains:
        combinations *= len(domain)
    if combinations > 20000:
        return False
    for values in product(*domains):
        outcome = expression.evaluate(dict(zip(names, values, strict=True)))
        if outcome.result is not False:
            return False
    return True
