"""Moving through a questionnaire: which questions are shown, where we are, what is left.

Everything here is computed afresh from the pack and the answers, so navigation can never
disagree with the answers file: changing an answer that a `when` depends on shows or hides
the questions after it at once.

A question is *done* when its answer is settled: answered with a value that fits the
question, unknown ("don't know", to verify) or not applicable. `skipped` means no answer
yet (it may carry a note written before answering); an answer whose value does not fit (a
hand-edited file, a pack that changed) is not done either: both are asked again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from audit.questionnaire.model import Pack, Question, Section
from audit.session.answers import Answer, AnswersFile, Mode, Status
from audit.session.values import check_value, environment


def is_done(question: Question, answer: Answer | None) -> bool:
    """Whether `answer` settles `question` (see the module docstring)."""
    if answer is None or answer.status == Status.SKIPPED:
        return False
    if answer.status != Status.ANSWERED:
        return True
    try:
        check_value(question, answer.value)
    except ValueError:
        return False
    return True


def visible_questions(pack: Pack, answers: AnswersFile) -> list[Question]:
    """The questions to ask, in order: the mode's subset, minus those hidden by `when`."""
    _, hidden = environment(pack, answers)
    quick = answers.mode == Mode.QUICK
    return [q for q in pack.questions if q.id not in hidden and (q.quick or not quick)]


def first_unanswered(pack: Pack, answers: AnswersFile) -> Question | None:
    """The first shown question that is not done, or None when the questionnaire is complete."""
    return Walk(pack, answers).first_unanswered()


def next_question(pack: Pack, answers: AnswersFile, current: str) -> Question | None:
    """The question to show after `current` has been answered (see `Walk.next_question`)."""
    return Walk(pack, answers).next_question(current)


def previous_question(pack: Pack, answers: AnswersFile, current: str | None) -> Question | None:
    """The shown question before `current` (the last one if `current` is None), or None."""
    return Walk(pack, answers).previous_question(current)


@dataclass(frozen=True)
class Progress:
    """Where the session stands, for the header shown above each question."""

    section: Section
    section_index: int  # 1-based, among sections that have questions to show
    section_count: int
    answered: int
    total: int
    minutes_left: int  # estimated from each remaining question's typical duration

    @property
    def fraction(self) -> float:
        return self.answered / self.total if self.total else 1.0


def progress(pack: Pack, answers: AnswersFile, current: Question) -> Progress:
    """The progress header for `current`: section k of n, done/total, minutes left."""
    return Walk(pack, answers).progress(current)


class Walk:
    """The shown questions for one state of the answers, computed once and asked many times.

    Deciding what is shown evaluates every `when` of the pack; a page that needs the
    progress, the previous and the next question builds one walk instead of doing it for
    each. A walk describes the answers as they were when it was built: after changing them,
    build a new one.
    """

    def __init__(self, pack: Pack, answers: AnswersFile) -> None:
        self.pack = pack
        self.answers = answers
        self.visible = visible_questions(pack, answers)

    def shown(self, question_id: str) -> Question | None:
        """The question if it is shown, else None (hidden by `when`, another mode, unknown)."""
        return next((q for q in self.visible if q.id == question_id), None)

    def done(self, question: Question) -> bool:
        return is_done(question, self.answers.answers.get(question.id))

    def first_unanswered(self) -> Question | None:
        """The first shown question not done, or None when the questionnaire is complete."""
        return next((q for q in self.visible if not self.done(q)), None)

    def next_question(self, current: str) -> Question | None:
        """The question to show after `current` has been answered.

        The next shown question in order (a wizard: after going back, the following
        questions come again with their answers as defaults); past the last one, the first
        question still not done; None when everything is done.
        """
        ids = [q.id for q in self.visible]
        if current in ids:
            later = self.visible[ids.index(current) + 1 :]
            if later:
                return later[0]
        return self.first_unanswered()

    def previous_question(self, current: str | None) -> Question | None:
        """The shown question before `current` (the last one if `current` is None), or None."""
        visible = self.visible
        if not visible:
            return None
        if current is None:
            return visible[-1]
        order = [q.id for q in self.pack.questions]
        if current not in order:
            return None
        position = order.index(current)
        before = [q for q in visible if order.index(q.id) < position]
        return before[-1] if before else None

    def progress(self, current: Question) -> Progress:
        """The progress header for `current`: section k of n, done/total, minutes left."""
        visible = self.visible
        shown = {q.section for q in visible} | {current.section}
        sections = [s for s in self.pack.sections if s.id in shown]
        section = next(s for s in sections if s.id == current.section)
        remaining = [q for q in visible if not self.done(q)]
        return Progress(
            section=section,
            section_index=sections.index(section) + 1,
            section_count=len(sections),
            answered=len(visible) - len(remaining),
            total=len(visible),
            minutes_left=math.ceil(sum(q.seconds for q in remaining) / 60),
        )


@dataclass(frozen=True)
class ReviewItem:
    question: Question
    answer: Answer | None
    done: bool


@dataclass(frozen=True)
class ReviewSection:
    section: Section
    items: list[ReviewItem]

    @property
    def done(self) -> int:
        return sum(1 for item in self.items if item.done)


def review(pack: Pack, answers: AnswersFile) -> list[ReviewSection]:
    """Every shown question with its answer, grouped by section (empty sections left out)."""
    visible = {q.id for q in visible_questions(pack, answers)}
    result = []
    for section in pack.sections:
        items = [
            ReviewItem(q, answers.answers.get(q.id), is_done(q, answers.answers.get(q.id)))
            for q in section.questions
            if q.id in visible
        ]
        if items:
            result.append(ReviewSection(section, items))
    return result


def orphan_ids(pack: Pack, answers: AnswersFile) -> list[str]:
    """Ids answered in the file that the pack no longer has (kept in the file, reported)."""
    known = {q.id for q in pack.questions}
    return [qid for qid in answers.answers if qid not in known]
