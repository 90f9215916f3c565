"""What a client reads as evidence: answers in words, measured facts, and why a condition held.

`support()` narrows a condition's result to the symbols that decided it: for an `any`
that holds, only the branches that are true; for an `all` that fails, only the branches
that are false. A consultant then quotes the answers that matter, not every one read.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

from audit.diagnosis.facts import MEASURED, is_share
from audit.diagnosis.wording import diagnosis_text
from audit.questionnaire.conditions import Condition, Outcome, Symbol
from audit.questionnaire.model import Pack, Question, QuestionType
from audit.session.answers import Answer, Status
from audit.session.values import check_value


def support(condition: Condition, env: Mapping[str, Symbol]) -> tuple[Outcome, list[str]]:
    """The outcome of `condition` and the symbols that decided it, in reading order."""
    if condition.expression is not None:
        outcome = condition.expression.evaluate(env)
        return outcome, sorted(outcome.read)
    parts = [support(child, env) for child in condition.children]
    outcome = condition.evaluate(env)
    if condition.operator == "not":
        return outcome, parts[0][1]
    deciding: Any = None
    if condition.operator == "all" and outcome.result is False:
        deciding = False
    elif condition.operator == "any" and outcome.result is True:
        deciding = True
    chosen = [p for p in parts if deciding is None or p[0].result is deciding]
    names: list[str] = []
    for _, symbols in chosen:
        names += [s for s in symbols if s not in names]
    return outcome, names


def readable_value(question: Question, value: Any, lang: str) -> str:
    """An answered value in words: choice labels, yes/no, a number with its unit, text."""
    try:
        value = check_value(question, value)
    except ValueError:
        return str(value)
    kind = question.type
    if kind in (QuestionType.SINGLE, QuestionType.SCALE):
        choice = question.choice(value)
        return choice.label.get(lang) if choice else str(value)
    if kind == QuestionType.MULTIPLE:
        labels = [c.label.get(lang) for c in question.choices if c.id in value]
        return ", ".join(labels) if labels else "—"
    if kind == QuestionType.YES_NO:
        return diagnosis_text(lang, "yes_no", "yes" if value else "no")
    if kind == QuestionType.NUMBER:
        number = f"{value:g}" if isinstance(value, float) else str(value)
        if lang == "fr":
            number = number.replace(".", ",")
        return f"{number} {question.unit.get(lang)}" if question.unit else number
    if kind == QuestionType.FILE:  # the file's name only: a report never shows a local path
        return PurePath(str(value).replace("\\", "/")).name or str(value)
    return str(value)


def readable_answer(question: Question, answer: Answer | None, lang: str) -> str:
    """What the client answered, in words, including "don't know" and "not applicable"."""
    if answer is None:
        return diagnosis_text(lang, "status", "skipped")
    if answer.status != Status.ANSWERED:
        return diagnosis_text(lang, "status", answer.status.value)
    return readable_value(question, answer.value, lang)


def readable_fact(name: str, symbol: Symbol, lang: str) -> str:
    """A measured fact in words: shares as percentages, counts as whole numbers."""
    value = symbol.value
    if not symbol.known:
        return diagnosis_text(lang, "status", "unknown")
    if value is None:
        return diagnosis_text(lang, "status", "not_measured")
    if isinstance(value, bool):
        return diagnosis_text(lang, "yes_no", "yes" if value else "no")
    number = float(value)
    if is_share(name):
        percent = f"{number * 100:.0f}"
        return f"{percent}\u00a0%" if lang == "fr" else f"{percent}%"
    text = f"{number:,.0f}" if number == int(number) else f"{number:,.2f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def fact_label(name: str, lang: str) -> str:
    """The label of a measured fact, or its name if the wording does not know it."""
    try:
        return diagnosis_text(lang, "facts", name)
    except KeyError:
        return name


@dataclass
class EvidenceBuilder:
    """Turns symbol names into evidence items for one client, in one language."""

    pack: Pack
    answers: Mapping[str, Answer]
    env: Mapping[str, Symbol]
    hidden: set[str]
    lang: str
    fact_names: frozenset[str] = field(default_factory=frozenset)

    def item(self, name: str, via: str | None = None) -> dict[str, Any] | None:
        """Evidence for one question or fact symbol (None for other symbols)."""
        question = self.pack.question(name)
        entry: dict[str, Any] | None = None
        if question is not None:
            if name in self.hidden:
                answer_text = diagnosis_text(self.lang, "status", "not_asked")
            else:
                answer_text = readable_answer(question, self.answers.get(name), self.lang)
            entry = {
                "kind": "answer",
                "question": name,
                "text": question.text.get(self.lang),
                "answer": answer_text,
            }
        elif name == MEASURED:
            return None  # whether a list was measured shows in the facts themselves
        elif name in self.fact_names:
            symbol = self.env.get(name)
            if symbol is None:
                return None
            entry = {
                "kind": "fact",
                "name": name,
                "label": fact_label(name, self.lang),
                "value": readable_fact(name, symbol, self.lang),
            }
        if entry is not None and via is not None:
            entry["via"] = via
        return entry

    def items(self, names: list[str], via: str | None = None) -> list[dict[str, Any]]:
        """Evidence for several symbols, skipping those that are not questions or facts."""
        found = [self.item(name, via) for name in names]
        return [entry for entry in found if entry is not None]
