"""Maturity scores per dimension, from answered questions only, with their coverage.

A question feeds a dimension when one of its choices (or its yes/no answers) carries a
score for it. For each dimension:

- each answered question gives a score 0-100: the chosen choice's (or scale step's) score,
  the yes/no answer's score, or for a multiple choice the sum of the selected choices'
  scores capped at 100; a choice without a score for this dimension counts 0;
- the dimension score is the mean of these, weighted by `Question.weight`;
- the level is the highest of the pack's `levels` whose `min_score` the score reaches;
- coverage is answered / shown scored questions. A question hidden by its `when`, or
  answered "not applicable", is not part of the total: it is not a gap in knowledge. In a
  quick self-assessment only the quick questions are shown. "Don't know" and skipped
  answers count in the total, not in the answered: they lower coverage, never the score.

A dimension with no answered question has no score and no level (None).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from audit.questionnaire.model import Level, Pack, Question, QuestionType
from audit.session.answers import Answer, Status
from audit.session.values import check_value


@dataclass(frozen=True)
class DimensionScore:
    """The score of one dimension for one client."""

    dimension: str
    score: float | None
    level: Level | None
    answered: int
    total: int

    @property
    def coverage(self) -> float:
        return self.answered / self.total if self.total else 0.0


def question_score(question: Question, value: Any, dimension: str) -> float:
    """The 0-100 score an answered value gives `dimension` (see the module docstring)."""
    value = check_value(question, value)
    if question.type in (QuestionType.SINGLE, QuestionType.SCALE):
        choice = question.choice(value)
        return choice.scores.get(dimension, 0.0) if choice else 0.0
    if question.type == QuestionType.MULTIPLE:
        total = sum(c.scores.get(dimension, 0.0) for c in question.choices if c.id in value)
        return min(total, 100.0)
    if question.type == QuestionType.YES_NO:
        return question.scores.get("yes" if value else "no", {}).get(dimension, 0.0)
    return 0.0


def level_for(score: float, levels: list[Level]) -> Level | None:
    """The highest level whose `min_score` the score reaches (None without levels)."""
    reached = [level for level in levels if score >= level.min_score]
    return max(reached, key=lambda level: level.level) if reached else None


def score_dimensions(
    pack: Pack,
    answers: Mapping[str, Answer],
    hidden: set[str],
    quick: bool = False,
) -> dict[str, DimensionScore]:
    """Every dimension's score, level and coverage, in the pack's dimension order."""
    shown = [q for q in (pack.quick_questions() if quick else pack.questions) if q.id not in hidden]
    result: dict[str, DimensionScore] = {}
    for dimension in pack.dimensions:
        weighted = weights = 0.0
        answered = total = 0
        for question in shown:
            if dimension.id not in question.dimensions():
                continue
            answer = answers.get(question.id)
            if answer is not None and answer.status == Status.NOT_APPLICABLE:
                continue
            total += 1
            if answer is None or answer.status != Status.ANSWERED:
                continue
            try:
                score = question_score(question, answer.value, dimension.id)
            except ValueError:
                continue  # a value that does not fit its question is not an answer
            answered += 1
            weighted += question.weight * score
            weights += question.weight
        score_value = round(weighted / weights, 1) if weights else None
        level = level_for(score_value, pack.levels) if score_value is not None else None
        result[dimension.id] = DimensionScore(dimension.id, score_value, level, answered, total)
    return result
