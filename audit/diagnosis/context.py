"""A client's diagnosis in one language: symbols, findings with evidence, scores, answers.

The parts of the assessment object that need no prescription: `audit.assessment`
combines them with the verdicts.
"""

from __future__ import annotations

from typing import Any

from audit.diagnosis.evidence import EvidenceBuilder, fact_label, readable_answer
from audit.diagnosis.facts import fact_env, fact_types
from audit.diagnosis.findings import Catalogue, FindingResult, evaluate_findings, fired_in_order
from audit.diagnosis.scoring import score_dimensions
from audit.questionnaire.model import Pack, QuestionType
from audit.session.answers import AnswersFile, Mode, Status
from audit.session.values import environment


class Diagnosis:
    """One client's diagnosis: condition symbols, findings, evidence, in one language.

    `env` holds every symbol rules read: answers, facts and the findings (true, false or
    unknown).
    """

    def __init__(self, pack: Pack, answers: AnswersFile, lang: str, catalogue: Catalogue) -> None:
        self.pack, self.answers, self.lang, self.catalogue = pack, answers, lang, catalogue
        env, self.hidden = environment(pack, answers)
        self.env = {**env, **fact_env(answers.facts)}
        self.results = evaluate_findings(self.catalogue, self.env)
        self.findings: dict[str, FindingResult] = {r.finding.id: r for r in self.results}
        self.env.update({r.finding.id: r.symbol for r in self.results})
        self.evidence = EvidenceBuilder(
            pack, answers.answers, self.env, self.hidden, lang, frozenset(fact_types())
        )

    def evidence_for(self, names: list[str], seen: set[tuple[str, str]]) -> list[dict[str, Any]]:
        """Evidence items for deciding symbols; findings bring the answers behind them."""
        items: list[dict[str, Any]] = []

        def add(item: dict[str, Any]) -> None:
            key = (
                str(item["kind"]),
                str(item.get("question") or item.get("name") or item.get("id")),
            )
            if key not in seen:
                seen.add(key)
                items.append(item)

        for name in names:
            result = self.findings.get(name)
            if result is None:
                for item in self.evidence.items([name]):
                    add(item)
                continue
            if result.fired:
                title = result.finding.title.get(self.lang)
                add({"kind": "finding", "id": name, "title": title})
            for item in self.evidence.items(result.deciding, via=name):
                add(item)
        return items

    def verify_items(self, names: set[str]) -> list[dict[str, Any]]:
        """Questions to settle for unknown symbols, in pack order; facts point at the
        pack's contact-list question when it has one."""
        files = [q.id for q in self.pack.questions if q.type == QuestionType.FILE]
        wanted: set[str] = set()
        facts: list[str] = []
        for name in names:
            if self.pack.question(name) is not None:
                wanted.add(name)
            elif files:
                wanted.add(files[0])
            else:
                facts.append(name)
        items: list[dict[str, Any]] = []
        for section in self.pack.sections:
            for question in section.questions:
                if question.id in wanted:
                    items.append(
                        {
                            "question": question.id,
                            "text": question.text.get(self.lang),
                            "section": section.title.get(self.lang),
                            "section_id": section.id,
                        }
                    )
        for name in sorted(facts):
            items.append(
                {
                    "question": name,
                    "text": fact_label(name, self.lang),
                    "section": None,
                    "section_id": None,
                }
            )
        return items


def scores(ctx: Diagnosis) -> dict[str, Any]:
    """The `scores` part of the assessment object."""
    scores = score_dimensions(
        ctx.pack, ctx.answers.answers, ctx.hidden, quick=ctx.answers.mode == Mode.QUICK
    )
    names = {d.id: d.name.get(ctx.lang) for d in ctx.pack.dimensions}
    out: dict[str, Any] = {}
    for dim, score in scores.items():
        level = score.level
        out[dim] = {
            "name": names[dim],
            "score": score.score,
            "level": level.level if level else None,
            "level_name": level.name.get(ctx.lang) if level else None,
            "level_description": level.description.get(ctx.lang)
            if level and level.description
            else None,
            "coverage": round(score.coverage, 3),
            "answered": score.answered,
            "total": score.total,
        }
    return out


def answers_by_section(ctx: Diagnosis) -> list[dict[str, Any]]:
    """The `answers` part of the assessment object: every shown question, in words."""
    quick = ctx.answers.mode == Mode.QUICK
    sections = []
    for section in ctx.pack.sections:
        questions = []
        for question in section.questions:
            answer = ctx.answers.answers.get(question.id)
            if question.id in ctx.hidden or (answer is None and quick and not question.quick):
                continue
            questions.append(
                {
                    "id": question.id,
                    "text": question.text.get(ctx.lang),
                    "answer": readable_answer(question, answer, ctx.lang),
                    "status": answer.status.value if answer else Status.SKIPPED.value,
                    "note": answer.note if answer else None,
                    "confidence": answer.confidence.value if answer and answer.confidence else None,
                }
            )
        if questions:
            sections.append(
                {
                    "section": section.id,
                    "title": section.title.get(ctx.lang),
                    "questions": questions,
                }
            )
    return sections


def fired_findings(ctx: Diagnosis) -> list[dict[str, Any]]:
    """The `findings` part of the assessment object: fired ones, most severe first."""
    return [
        {
            "id": r.finding.id,
            "title": r.finding.title.get(ctx.lang),
            "explanation": r.finding.explanation.get(ctx.lang),
            "severity": r.finding.severity.value,
            "evidence": ctx.evidence.items(r.deciding),
        }
        for r in fired_in_order(ctx.results)
    ]
