"""`assess()`: the one object every output is built from (diagnosis + prescription).

The object is documented in docs/architecture.md ("The assessment object"). All texts in
it are already in the requested language; nothing downstream needs the pack again.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from audit.diagnosis.context import Diagnosis, answers_by_section, fired_findings, scores
from audit.diagnosis.evidence import readable_answer, readable_fact
from audit.diagnosis.findings import FINDINGS_FILE, Catalogue, load_findings
from audit.diagnosis.wording import diagnosis_text, wording
from audit.errors import AnswersError, Location
from audit.i18n import check_language
from audit.prescription.roadmap import build_roadmap, with_unmet_ancestors
from audit.prescription.rules import RULES_FILE, RuleBook, RuleKind, Solution, load_rules
from audit.prescription.verdict import Judgement, RuleResult, Verdict, judge
from audit.questionnaire.model import Pack
from audit.session.answers import AnswersFile, Status, now

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


def _prerequisite_item(
    ctx: Diagnosis, book: RuleBook, pid: str, reason: str | None
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


def _with_measure(ctx: Diagnosis, text: str, measured: tuple[str, ...]) -> str:
    """A reason resting on measured facts, with the figures named."""
    if not measured:
        return text
    figures = [
        diagnosis_text(ctx.lang, "measured_phrases", name).format(
            value=readable_fact(name, ctx.env[name], ctx.lang)
        )
        for name in measured
    ]
    return _say(ctx.lang, "headlines", "measured").format(
        reason=text.rstrip(" .").rstrip(), facts=", ".join(figures)
    )


def _rule_text(book: RuleBook, result: RuleResult, has: bool, lang: str) -> str:
    """What a blocking rule says about this client: a finding, never a step's title."""
    rule = result.rule
    said = rule.text(has, misfit=rule.kind == RuleKind.FIT)
    if said is None:  # a prerequisite cited without its own reason
        said = book.prerequisites[rule.id].unmet
    return said.get(lang)


def _step_reasons(
    ctx: Diagnosis, book: RuleBook, judgement: Judgement, has: bool
) -> dict[str, str]:
    """Why each step of a not_yet verdict matters: the rule that calls for it."""
    why: dict[str, str] = {}
    for result in judgement.deciding:
        text = _rule_text(book, result, has, ctx.lang)
        for pid in result.rule.ends_with or (result.rule.id,):
            why.setdefault(pid, text)
    return why


def _verdict(ctx: Diagnosis, book: RuleBook, judgement: Judgement) -> dict[str, Any]:
    lang = ctx.lang
    solution = judgement.solution.solution.value
    offer_question = ctx.pack.question(f"offer_{solution}")
    offer_answer = ctx.answers.answers.get(f"offer_{solution}")
    offer = None
    offer_label = None
    if offer_question is not None:
        if offer_answer is not None and offer_answer.status == Status.ANSWERED:
            offer = str(offer_answer.value)
        offer_label = readable_answer(offer_question, offer_answer, lang)
    has = offer == "has"
    to_verify = [
        {"question": i["question"], "text": i["text"]} for i in ctx.verify_items(judgement.unknown)
    ]
    reasons: list[str] = []
    blocking: list[dict[str, Any]] = []
    prerequisites: list[dict[str, Any]] = []
    if judgement.verdict in (Verdict.NOT_YET, Verdict.NOT_RECOMMENDED):
        for result in judgement.deciding:
            text = _with_measure(ctx, _rule_text(book, result, has, lang), result.measured)
            reasons.append(text)
            rule = result.rule
            blocking.append(
                {
                    "kind": rule.kind.value,
                    "id": rule.id,
                    "text": text,
                    "lasting": (not rule.passing)
                    if rule.kind == RuleKind.CONTRAINDICATION
                    else (True if rule.kind == RuleKind.FIT else None),
                    "measured": list(result.measured),
                    "from": rule.inherited.value if rule.inherited else None,
                }
            )
        why = _step_reasons(ctx, book, judgement, has)
        for pid in judgement.unmet:
            reason = why.get(pid) or book.prerequisites[pid].unmet.get(lang)
            prerequisites.append(_prerequisite_item(ctx, book, pid, reason))
    elif judgement.verdict == Verdict.ADOPT and judgement.main is not None:
        said = judgement.main.text(has)
        if said is not None:
            reasons.append(said.get(lang))
    if judgement.verdict == Verdict.TO_VERIFY:
        key = "to_verify_one" if len(to_verify) == 1 else "to_verify_many"
        first = to_verify[0]["text"] if to_verify else ""
        headline = _say(lang, "headlines", key).format(question=first, count=len(to_verify))
        reasons = [_say(lang, "headlines", "settle").format(question=i["text"]) for i in to_verify]
    else:
        headline = reasons[0] if reasons else ""
    seen: set[tuple[str, str]] = set()
    evidence: list[dict[str, Any]] = []
    for result in judgement.deciding:
        evidence += ctx.evidence_for(result.deciding, seen)
    main = judgement.main
    labels = "verdicts_has" if has else "verdicts"
    return {
        "name": judgement.solution.name.get(lang),
        "verdict": judgement.verdict.value,
        "verdict_label": _say(lang, labels, judgement.verdict.value),
        "offer": offer,
        "offer_label": offer_label,
        "headline": headline,
        "reasons": reasons,
        "blocking": blocking,
        "prerequisites": prerequisites,
        "evidence": evidence,
        "to_verify": to_verify,
        "rule": {"kind": main.kind.value, "id": main.id} if main is not None else None,
    }


def _prescribe(
    ctx: Diagnosis, book: RuleBook | None
) -> tuple[dict[str, Any], list[dict[str, Any]], set[str]]:
    """Verdicts (offered solutions first), the roadmap, and the unknowns the rules met."""
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


def assess(
    pack: Pack, answers: AnswersFile, lang: str, *, contacts_just_made: bool = False
) -> dict[str, Any]:
    """The assessment object (schema_version 1) for `answers` to `pack`, in `lang`.

    `contacts_just_made`: the contact facts come from this run's analysis (`attach_contacts`),
    already in the stored shape; otherwise they were read from the answers file and are
    checked before they are shown.

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
    catalogue, book = compiled_content(pack)
    ctx = Diagnosis(pack, answers, lang, catalogue)
    verdicts, roadmap, rule_unknown = _prescribe(ctx, book)
    unknown = set(rule_unknown)
    for result in ctx.results:
        if result.outcome.result is None:
            unknown |= result.outcome.unknown
    for qid, answer in answers.answers.items():
        if answer.status == Status.UNKNOWN and qid not in ctx.hidden:
            unknown.add(qid)
    stored: Mapping[str, Any] | None = answers.facts.get("contacts") or None
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
        "scores": scores(ctx),
        "levels": [
            {
                "level": level.level,
                "name": level.name.get(lang),
                "description": level.description.get(lang) if level.description else None,
            }
            for level in sorted(pack.levels, key=lambda item: item.level)
        ],
        "findings": fired_findings(ctx),
        "verdicts": verdicts,
        "roadmap": roadmap,
        "to_verify": ctx.verify_items(unknown),
        "contacts": _contacts_view(stored, contacts_just_made) if stored is not None else None,
        "answers": answers_by_section(ctx),
    }


def _contacts_view(stored: Mapping[str, Any], just_made: bool) -> dict[str, Any]:
    if just_made:
        from audit.contacts.view import view_of

        return view_of(stored)
    from audit.contacts.stored import client_view

    return client_view(stored)


def attach_contacts(answers: AnswersFile, path: Path) -> AnswersFile:
    """A copy of `answers` whose contact facts come from analysing the list at `path`."""
    from audit.contacts.analysis import analyse_file

    analysis = analyse_file(path)
    facts = {**answers.facts, "contacts": analysis.to_dict()}
    return answers.model_copy(update={"facts": facts})


def named_contact_list(pack: Pack, answers: AnswersFile, answers_path: Path) -> Path | None:
    """The contact list a file question of the answers names, or None if none is named.

    The path is read from the answers file's folder and must lie in it (or below): an
    answers file never makes a report read another local file. A named list that is
    outside, missing or unreadable raises AnswersError with the answer's line.
    """
    from audit.questionnaire.model import QuestionType
    from audit.session.files import FileProblem, named_file

    for question in pack.questions:
        answer = answers.answers.get(question.id)
        if question.type != QuestionType.FILE or answer is None:
            continue
        if answer.status != Status.ANSWERED or not isinstance(answer.value, str):
            continue
        try:
            return named_file(answers_path, answer.value)
        except FileProblem as problem:
            raise AnswersError(
                str(problem),
                Location(
                    file=answers_path,
                    line=_line_of(answers_path, ["answers", question.id, "value"]),
                    field=question.id,
                ),
                expected="a contact list in the answers file's folder, named relative to it",
            ) from None
    return None


def _line_of(path: Path, keys: list[str | int]) -> int | None:
    from audit import yamlio
    from audit.errors import AuditError

    try:
        return yamlio.load(path).line_of(keys)
    except AuditError:
        return None


def _version(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return ()


def _refuse_unknown_version(pack: Pack, answers: AnswersFile, path: Path) -> None:
    """Answers written for a later version of the pack than the one installed are refused:
    its questions and rules are not known here (an earlier version is fine)."""
    if not _version(answers.pack_version):
        raise AnswersError(
            f"'{answers.pack_version}' is not a version number of the pack '{pack.id}'",
            Location(file=path, line=_line_of(path, ["pack_version"]), field="pack_version"),
            expected=f"a version like {pack.version}",
        )
    if _version(answers.pack_version) > _version(pack.version):
        raise AnswersError(
            f"this file was written for version {answers.pack_version} of the pack "
            f"'{pack.id}', which this installation does not know (it has {pack.version})",
            Location(file=path, line=_line_of(path, ["pack_version"]), field="pack_version"),
            expected=f"pack_version {pack.version} or earlier, or an updated audit",
        )


def _refuse_invalid_answers(pack: Pack, answers: AnswersFile, path: Path) -> None:
    """A report never quietly ignores an answer: one that does not fit is an error."""
    from audit.session.values import invalid_answers

    invalid = invalid_answers(pack, answers, path)
    if not invalid:
        return
    first = invalid[0]
    more = ""
    if len(invalid) > 1:
        more = f" (and {len(invalid) - 1} more: `audit run --answers {path} --non-interactive`)"
    raise AnswersError(
        f"{first.message}{more}",
        Location(file=path, line=first.line, field=first.question),
    )


def assess_file(
    answers_path: Path,
    lang: str | None = None,
    contacts: Path | None = None,
    pack: str | Path | None = None,
    *,
    quick: bool = False,
) -> dict[str, Any]:
    """Load an answers file and its pack, attach contact facts, and assess.

    Contact facts come from `contacts` when given; otherwise the stored analysis; otherwise
    the list a file question names is analysed now. With `quick`, only the answers to the
    quick self-assessment's questions are kept, as if the client had taken it.
    `lang` defaults to the answers file's language; `pack` to the pack the answers name.
    Raises AnswersError, QuestionnaireError, RulesError or ContactsError.
    """
    from audit.questionnaire.loader import load_pack
    from audit.session.store import load_answers

    answers = load_answers(answers_path)
    loaded = load_pack(pack if pack is not None else answers.pack)
    return assess_loaded(loaded, answers, answers_path, lang, contacts, quick=quick)


def assess_loaded(
    loaded: Pack,
    answers: AnswersFile,
    answers_path: Path,
    lang: str | None = None,
    contacts: Path | None = None,
    *,
    quick: bool = False,
) -> dict[str, Any]:
    """`assess_file` for answers already read and their pack already loaded (a batch
    loads each pack once). Raises AnswersError, RulesError or ContactsError."""
    from audit.session.answers import Mode

    if quick:
        keep = {q.id for q in loaded.quick_questions()}
        kept = {k: v for k, v in answers.answers.items() if k in keep}
        answers = answers.model_copy(update={"answers": kept, "mode": Mode.QUICK})
    _refuse_unknown_version(loaded, answers, answers_path)
    _refuse_invalid_answers(loaded, answers, answers_path)
    if contacts is None and "contacts" not in answers.facts:
        contacts = named_contact_list(loaded, answers, answers_path)
    if contacts is not None:
        answers = attach_contacts(answers, contacts)
    return assess(
        loaded, answers, lang or answers.language, contacts_just_made=contacts is not None
    )
