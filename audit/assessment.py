"""`assess()`: the one object every output is built from (diagnosis + prescription).

The object is documented in docs/architecture.md ("The assessment object"). All texts in
it are already in the requested language; nothing downstream needs the pack again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from audit.diagnosis.evidence import EvidenceBuilder, fact_label, readable_answer
from audit.diagnosis.facts import fact_env, fact_types
from audit.diagnosis.findings import (
    FINDINGS_FILE,
    Catalogue,
    FindingResult,
    evaluate_findings,
    fired_in_order,
    load_findings,
)
from audit.diagnosis.scoring import score_dimensions
from audit.diagnosis.wording import wording
from audit.errors import AnswersError, Location
from audit.i18n import check_language
from audit.prescription.roadmap import build_roadmap, with_unmet_ancestors
from audit.prescription.rules import RULES_FILE, RuleBook, RuleKind, Solution, load_rules
from audit.prescription.verdict import Judgement, Verdict, judge
from audit.questionnaire.model import Pack, QuestionType
from audit.session.answers import AnswersFile, Mode, Status, now
from audit.session.values import environment

SCHEMA_VERSION = 1
PRESCRIPTION_WORDING = Path(__file__).parent / "prescription" / "wording.yaml"
OFFER_RANK = {"has": 0, "offered": 1, "considering": 2}


def _say(lang: str, *keys: str) -> str:
    return wording(PRESCRIPTION_WORDING, lang, *keys)


# Compiled findings and rules per loaded pack: parsing YAML dominates an assessment, and a
# batch (or a property test) assesses many answers files against one pack. The pack object
# is kept in the value so its id is not reused while cached; file times catch edits.
_COMPILED: dict[tuple[int, str, int, int], tuple[Pack, Catalogue, RuleBook | None]] = {}


def _mtime(path: Path) -> int:
    return path.stat().st_mtime_ns if path.is_file() else 0


def compiled_content(pack: Pack) -> tuple[Catalogue, RuleBook | None]:
    """The pack's findings catalogue and rule book, compiled once per pack object.

    Raises RulesError if either file has a problem.
    """
    folder = Path(pack.path)
    key = (id(pack), pack.path, _mtime(folder / FINDINGS_FILE), _mtime(folder / RULES_FILE))
    if key not in _COMPILED:
        catalogue = load_findings(pack)
        _COMPILED[key] = (pack, catalogue, load_rules(pack, catalogue))
    _, catalogue, book = _COMPILED[key]
    return catalogue, book


class _Context:
    """What every part of the assessment needs: pack, answers, symbols, language."""

    def __init__(self, pack: Pack, answers: AnswersFile, lang: str) -> None:
        self.pack, self.answers, self.lang = pack, answers, lang
        env, self.hidden = environment(pack, answers)
        self.env = {**env, **fact_env(answers.facts)}
        self.catalogue, self.book = compiled_content(pack)
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


def _prerequisite_item(
    ctx: _Context, book: RuleBook, pid: str, reason: str | None
) -> dict[str, Any]:
    prerequisite = book.prerequisites[pid]
    return {
        "id": pid,
        "title": prerequisite.title.get(ctx.lang),
        "owner": prerequisite.owner.get(ctx.lang),
        "horizon": prerequisite.horizon.value,
        "horizon_label": _say(ctx.lang, "horizons", prerequisite.horizon.value),
        "reason": reason,
    }


def _verdict(ctx: _Context, book: RuleBook, judgement: Judgement) -> dict[str, Any]:
    lang = ctx.lang
    solution = judgement.solution.solution.value
    to_verify = [
        {"question": i["question"], "text": i["text"]} for i in ctx.verify_items(judgement.unknown)
    ]
    reasons: list[str] = []
    prerequisites: list[dict[str, Any]] = []
    if judgement.verdict == Verdict.NOT_YET:
        cited = {rule.id: rule for rule in judgement.solution.prerequisites}
        for pid in judgement.unmet:
            rule = cited.get(pid)
            text = (rule.reason if rule and rule.reason else book.prerequisites[pid].title).get(
                lang
            )
            reasons.append(text)
            prerequisites.append(_prerequisite_item(ctx, book, pid, text))
    elif judgement.verdict == Verdict.NOT_RECOMMENDED:
        for result in judgement.deciding:
            said = result.rule.misfit if result.rule.kind == RuleKind.FIT else result.rule.reason
            if said is not None:
                reasons.append(said.get(lang))
    elif judgement.verdict == Verdict.ADOPT and judgement.main and judgement.main.reason:
        reasons.append(judgement.main.reason.get(lang))
    if judgement.verdict == Verdict.TO_VERIFY:
        key = "to_verify_one" if len(to_verify) == 1 else "to_verify_many"
        first = to_verify[0]["text"] if to_verify else ""
        headline = _say(lang, "headlines", key).format(question=first, count=len(to_verify))
        reasons = [_say(lang, "headlines", "settle").format(question=i["text"]) for i in to_verify]
    elif judgement.verdict == Verdict.NOT_YET and judgement.main is not None:
        # The prerequisite the solution's rules cite first, not an ancestor brought in.
        first = judgement.main
        headline = (first.reason or book.prerequisites[first.id].title).get(lang)
    else:
        headline = reasons[0] if reasons else ""
    seen: set[tuple[str, str]] = set()
    evidence: list[dict[str, Any]] = []
    for result in judgement.deciding:
        evidence += ctx.evidence_for(result.deciding, seen)
    offer_question = ctx.pack.question(f"offer_{solution}")
    offer_answer = ctx.answers.answers.get(f"offer_{solution}")
    offer = None
    offer_label = None
    if offer_question is not None:
        if offer_answer is not None and offer_answer.status == Status.ANSWERED:
            offer = str(offer_answer.value)
        offer_label = readable_answer(offer_question, offer_answer, lang)
    main = judgement.main
    return {
        "name": judgement.solution.name.get(lang),
        "verdict": judgement.verdict.value,
        "verdict_label": _say(lang, "verdicts", judgement.verdict.value),
        "offer": offer,
        "offer_label": offer_label,
        "headline": headline,
        "reasons": reasons,
        "prerequisites": prerequisites,
        "evidence": evidence,
        "to_verify": to_verify,
        "rule": {"kind": main.kind.value, "id": main.id} if main is not None else None,
    }


def _prescribe(ctx: _Context) -> tuple[dict[str, Any], list[dict[str, Any]], set[str]]:
    """Verdicts (offered solutions first), the roadmap, and the unknowns the rules met."""
    book = ctx.book
    if book is None:
        return {}, [], set()
    judgements = [
        judge(book.solutions[s], ctx.env, ctx.findings, book.prerequisites)
        for s in Solution
        if s in book.solutions
    ]
    known_unmet = {
        r.rule.id for j in judgements for r in j.prerequisite_results if r.outcome.result is False
    }
    for judgement in judgements:
        if judgement.verdict == Verdict.NOT_YET:
            judgement.unmet = with_unmet_ancestors(judgement.unmet, known_unmet, book.prerequisites)
    verdicts = {j.solution.solution.value: _verdict(ctx, book, j) for j in judgements}
    ordered = dict(sorted(verdicts.items(), key=lambda kv: OFFER_RANK.get(kv[1]["offer"], 3)))
    steps = build_roadmap(
        {j.solution.solution.value: j.unmet for j in judgements}, book.prerequisites
    )
    roadmap = [
        {
            "horizon": step.horizon.value,
            "label": _say(ctx.lang, "horizons", step.horizon.value),
            "items": [
                {
                    "id": item.prerequisite.id,
                    "title": item.prerequisite.title.get(ctx.lang),
                    "owner": item.prerequisite.owner.get(ctx.lang),
                    "solutions": item.solutions,
                }
                for item in step.items
            ],
        }
        for step in steps
    ]
    unknown: set[str] = set()
    for judgement in judgements:
        unknown |= judgement.unknown
    return ordered, roadmap, unknown


def _scores(ctx: _Context) -> dict[str, Any]:
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


def _answers(ctx: _Context) -> list[dict[str, Any]]:
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


def assess(pack: Pack, answers: AnswersFile, lang: str) -> dict[str, Any]:
    """The assessment object (schema_version 1) for `answers` to `pack`, in `lang`.

    Raises AnswersError if the answers are for another pack, RulesError if the pack's
    findings or rules are invalid.
    """
    lang = check_language(lang)
    if answers.pack != pack.id:
        raise AnswersError(
            f"these answers are for the pack '{answers.pack}', not '{pack.id}'",
            Location(field="pack"),
            expected=f"pack: {pack.id}",
        )
    ctx = _Context(pack, answers, lang)
    verdicts, roadmap, rule_unknown = _prescribe(ctx)
    unknown = set(rule_unknown)
    for result in ctx.results:
        if result.outcome.result is None:
            unknown |= result.outcome.unknown
    for qid, answer in answers.answers.items():
        if answer.status == Status.UNKNOWN and qid not in ctx.hidden:
            unknown.add(qid)
    findings = [
        {
            "id": r.finding.id,
            "title": r.finding.title.get(lang),
            "explanation": r.finding.explanation.get(lang),
            "severity": r.finding.severity.value,
            "evidence": ctx.evidence.items(r.deciding),
        }
        for r in fired_in_order(ctx.results)
    ]
    contacts: Mapping[str, Any] | None = answers.facts.get("contacts") or None
    return {
        "schema_version": SCHEMA_VERSION,
        "language": lang,
        "generated": now(),
        "pack": {"id": pack.id, "version": pack.version, "title": pack.title.get(lang)},
        "mode": answers.mode.value,
        "client": {"name": answers.client.name, "sector": answers.client.sector},
        "consultant": answers.consultant,
        "respondents": [{"name": r.name, "role": r.role} for r in answers.respondents],
        "started": answers.started,
        "updated": answers.updated,
        "scores": _scores(ctx),
        "findings": findings,
        "verdicts": verdicts,
        "roadmap": roadmap,
        "to_verify": ctx.verify_items(unknown),
        "contacts": dict(contacts) if contacts is not None else None,
        "answers": _answers(ctx),
    }


def attach_contacts(answers: AnswersFile, path: Path) -> AnswersFile:
    """A copy of `answers` whose contact facts come from analysing the list at `path`."""
    from audit.contacts.analysis import analyse_file

    analysis = analyse_file(path)
    facts = {**answers.facts, "contacts": analysis.to_dict()}
    return answers.model_copy(update={"facts": facts})


def assess_file(
    answers_path: Path,
    lang: str | None = None,
    contacts: Path | None = None,
    pack: str | Path | None = None,
) -> dict[str, Any]:
    """Load an answers file and its pack, optionally analyse a contact list, and assess.

    `lang` defaults to the answers file's language; `pack` to the pack the answers name.
    Raises AnswersError, QuestionnaireError, RulesError or ContactsError.
    """
    from audit.questionnaire.loader import load_pack
    from audit.session.store import load_answers

    answers = load_answers(answers_path)
    loaded = load_pack(pack if pack is not None else answers.pack)
    if contacts is not None:
        answers = attach_contacts(answers, contacts)
    return assess(loaded, answers, lang or answers.language)
