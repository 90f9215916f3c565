"""The questionnaire pack model: what to ask (never how to ask it, nor what it means)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class Text(Strict):
    """A text in both languages. Both are required: a client reads one or the other."""

    fr: Annotated[str, StringConstraints(min_length=1)]
    en: Annotated[str, StringConstraints(min_length=1)]

    def get(self, lang: str) -> str:
        return self.en if lang == "en" else self.fr


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    YES_NO = "yes_no"
    SCALE = "scale"
    NUMBER = "number"
    TEXT = "text"
    FILE = "file"


# Seconds a consultant typically spends on one question of each type, for the time estimate.
SECONDS_PER_TYPE: dict[QuestionType, int] = {
    QuestionType.SINGLE: 25,
    QuestionType.MULTIPLE: 35,
    QuestionType.YES_NO: 15,
    QuestionType.SCALE: 20,
    QuestionType.NUMBER: 20,
    QuestionType.TEXT: 60,
    QuestionType.FILE: 45,
}

Scores = dict[Identifier, Annotated[float, Field(ge=0, le=100)]]


class Choice(Strict):
    """One choice of a single/multiple question, or one step of a scale."""

    id: Identifier
    label: Text
    scores: Scores = Field(default_factory=dict)


class Dimension(Strict):
    id: Identifier
    name: Text
    description: Text | None = None


class Level(Strict):
    """A named maturity level (1-5) and the lowest score that reaches it."""

    level: Annotated[int, Field(ge=1, le=5)]
    min_score: Annotated[float, Field(ge=0, le=100)]
    name: Text
    description: Text | None = None


class Question(Strict):
    id: Identifier
    type: QuestionType
    text: Text
    help: Text
    quick: bool = False
    when: str | None = None
    allow_unknown: bool = True
    allow_not_applicable: bool = False
    choices: list[Choice] = Field(default_factory=list)
    # yes/no questions score each answer: {yes: {dimension: score}, no: {...}}
    scores: dict[str, Scores] = Field(default_factory=dict)
    unit: Text | None = None
    min: float | None = None
    max: float | None = None
    integer: bool = False
    weight: Annotated[float, Field(gt=0, le=10)] = 1.0
    # Set by the loader: the section this question belongs to and its line in its file.
    section: str = ""
    file: str = ""
    line: int = 0

    @model_validator(mode="after")
    def _check_type_fields(self) -> Question:
        has_choices = self.type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.SCALE)
        if has_choices and len(self.choices) < 2:
            raise ValueError(f"a '{self.type}' question needs at least two choices")
        if not has_choices and self.choices:
            raise ValueError(f"a '{self.type}' question takes no choices")
        if self.scores and self.type != QuestionType.YES_NO:
            raise ValueError("'scores' is only for yes_no questions (choices carry their scores)")
        if set(self.scores) - {"yes", "no"}:
            raise ValueError("yes_no 'scores' keys must be 'yes' and 'no'")
        number_fields = self.unit is not None or self.min is not None or self.max is not None
        if number_fields and self.type != QuestionType.NUMBER:
            raise ValueError("'unit', 'min' and 'max' are only for number questions")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("'min' is greater than 'max'")
        ids = [c.id for c in self.choices]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate choice id(s): {', '.join(duplicates)}")
        return self

    def choice(self, choice_id: str) -> Choice | None:
        return next((c for c in self.choices if c.id == choice_id), None)

    def dimensions(self) -> set[str]:
        """The maturity dimensions this question's answers feed."""
        fed: set[str] = set()
        for choice in self.choices:
            fed.update(choice.scores)
        for scores in self.scores.values():
            fed.update(scores)
        return fed

    @property
    def seconds(self) -> int:
        return SECONDS_PER_TYPE[self.type]


class Section(Strict):
    id: Identifier
    title: Text
    help: Text
    questions: list[Question] = Field(default_factory=list)
    file: str = ""
    line: int = 0


class PackMeta(Strict):
    """The pack's `pack.yaml`: identity, dimensions, levels and section files in order."""

    id: Identifier
    version: str
    title: Text
    description: Text
    languages: list[str] = Field(default_factory=lambda: ["fr", "en"])
    dimensions: list[Dimension]
    levels: list[Level] = Field(default_factory=list)
    sections: list[str] = Field(min_length=1, description="section files, in asking order")


class Pack(Strict):
    """A loaded pack: metadata plus its sections in order."""

    id: str
    version: str
    title: Text
    description: Text
    languages: list[str]
    dimensions: list[Dimension]
    levels: list[Level]
    sections: list[Section]
    path: str

    @property
    def questions(self) -> list[Question]:
        return [q for s in self.sections for q in s.questions]

    def question(self, question_id: str) -> Question | None:
        return next((q for q in self.questions if q.id == question_id), None)

    def quick_questions(self) -> list[Question]:
        return [q for q in self.questions if q.quick]

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)
