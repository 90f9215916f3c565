"""The prospect's pages: landing, privacy notice, start, one question per page, resume.

Handlers stay thin: parse the form, call the session's navigation and the store, render a
template, redirect after every POST. Conditions (`when`) are applied here, server-side, by
the same navigation the terminal uses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from audit.questionnaire.model import Question, QuestionType
from audit.session.answers import Answer, AnswersFile, Client, Mode
from audit.session.navigation import Walk
from audit.store import assessments
from audit.store.assessments import Saved, StoredAssessment
from audit.web.forms import FIELD_LIMIT, PageError, Problem, answer_from_form, read_form, text_field
from audit.web.pages import page_language, redirect, render
from audit.web.site import Site, site_of
from audit.web.texts import texts


def quick_size(site: Site) -> tuple[int, int]:
    """Questions in the quick self-assessment and the minutes they take."""
    questions = site.pack.quick_questions()
    return len(questions), math.ceil(sum(q.seconds for q in questions) / 60)


async def landing(request: Request) -> Response:
    count, minutes = quick_size(site_of(request))
    return render(request, "landing.html", count=count, minutes=minutes, error=None, company="")


async def privacy(request: Request) -> Response:
    return render(request, "privacy.html")


async def start(request: Request) -> Response:
    site = site_of(request)
    form = await read_form(request)
    company = text_field(form, "company")
    lang = page_language(request, text_field(form, "lang") or None)
    error = None
    if not company:
        error = texts(lang)["contact"]["error_required"]
    elif len(company) > FIELD_LIMIT:
        error = texts(lang)["contact"]["error_too_long"].replace("{limit}", str(FIELD_LIMIT))
    if error:
        count, minutes = quick_size(site)
        return render(
            request,
            "landing.html",
            status=422,
            lang=lang,
            count=count,
            minutes=minutes,
            error=error,
            company=company[:FIELD_LIMIT],
        )
    answers = AnswersFile(
        pack=site.pack.id,
        pack_version=site.pack.version,
        mode=Mode.QUICK,
        client=Client(name=company),
        language=lang,
    )
    created = await run_in_threadpool(assessments.create, site.store, answers)
    return redirect(f"/a/{created.token}")


async def load(request: Request) -> StoredAssessment:
    """The assessment the URL's private token opens; PageError 404 for any other token."""
    token = str(request.path_params["token"])
    found = await run_in_threadpool(assessments.by_token, site_of(request).store, token)
    if found is None or found.answers.pack != site_of(request).pack.id:
        raise PageError(404)
    return found


def base_url(request: Request) -> str:
    return f"/a/{request.path_params['token']}"


async def resume(request: Request) -> Response:
    """The private link: continue at the first question not answered, or the results."""
    found = await load(request)
    return _go_to(request, Walk(site_of(request).pack, found.answers).first_unanswered())


def _go_to(request: Request, question: Question | None) -> Response:
    """303 to `question`'s page, or to the results once there is nothing left to ask."""
    if question is None:
        return redirect(f"{base_url(request)}/result")
    return redirect(f"{base_url(request)}/q/{question.id}")


def question_view(
    request: Request,
    found: StoredAssessment,
    question: Question,
    *,
    error: str | None = None,
    status: int = 200,
    submitted: Any = None,
    walk: Walk | None = None,
) -> Response:
    """The page of `question` (`walk`: the shown questions of `found`, if known already)."""
    site = site_of(request)
    lang = page_language(request, found.answers.language)
    answers = found.answers
    walk = walk or Walk(site.pack, answers)
    progress = walk.progress(question)
    previous = walk.previous_question(question.id)
    answer = answers.answers.get(question.id)
    current = submitted
    if current is None and answer is not None and answer.status == "answered":
        current = answer.value
    if question.type == QuestionType.YES_NO and isinstance(current, bool):
        current = "yes" if current else "no"
    selected = [str(v) for v in current] if isinstance(current, list) else [str(current or "")]
    return render(
        request,
        "question.html",
        status=status,
        lang=lang,
        q=question,
        text=question.text.get(lang),
        help=question.help.get(lang),
        unit=question.unit.get(lang) if question.unit else None,
        choices=[(c.id, c.label.get(lang)) for c in question.choices],
        selected=selected,
        status_now=answer.status.value if answer else None,
        progress=progress,
        section_title=progress.section.title.get(lang),
        previous=previous,
        base=base_url(request),
        link=str(request.url_for("resume", token=request.path_params["token"])),
        first_visit=progress.answered == 0,
        complete=found.status == assessments.COMPLETE,
        error=error,
        text_limit=2000,
    )


async def question_page(request: Request) -> Response:
    found = await load(request)
    walk = Walk(site_of(request).pack, found.answers)
    question = walk.shown(str(request.path_params["question"]))
    if question is None:  # hidden by an earlier answer, or not in this questionnaire
        return redirect(base_url(request))
    return question_view(request, found, question, walk=walk)


def verdict_summary(site: Site, answers: AnswersFile) -> dict[str, str]:
    from audit.assessment import assess

    result = assess(site.pack, answers, answers.language)
    return {key: str(value["verdict"]) for key, value in result["verdicts"].items()}


@dataclass
class _Answering:
    """What `answer` learnt inside its transaction."""

    question: Question | None = None  # the question, when it is shown
    before: Walk | None = None  # the shown questions before the answer
    after: Walk | None = None  # ... and once it is recorded
    problem: Problem | None = None  # why the form cannot be recorded


async def answer(request: Request) -> Response:
    """Record one answer: the assessment is read, checked, changed and written in one
    transaction (two tabs never lose each other's answers), then 303 to the next page."""
    site = site_of(request)
    form = await read_form(request)
    question_id = str(request.path_params["question"])
    state = _Answering()

    def record(found: StoredAssessment) -> Saved | None:
        answers = found.answers
        if answers.pack != site.pack.id:
            return None
        state.before = Walk(site.pack, answers)
        question = state.question = state.before.shown(question_id)
        if question is None:
            return None
        try:
            status, value = answer_from_form(question, form)
        except Problem as problem:
            state.problem = problem
            return None
        previous = answers.answers.get(question.id)
        answers.answers[question.id] = Answer(
            status=status,
            value=value,
            note=previous.note if previous else None,
            confidence=previous.confidence if previous else None,
        )
        answers.language = page_language(request, answers.language)
        state.after = Walk(site.pack, answers)
        complete = state.after.first_unanswered() is None
        return Saved(complete, verdict_summary(site, answers) if complete else None)

    token = str(request.path_params["token"])
    found = await run_in_threadpool(assessments.change_by_token, site.store, token, record)
    if found is None or found.answers.pack != site.pack.id:
        raise PageError(404)
    question = state.question
    if question is None:  # hidden by an earlier answer, or not in this questionnaire
        return redirect(base_url(request))
    if state.problem is not None:
        return _refused(request, found, question, state.problem, form, state.before)
    assert state.after is not None
    return _go_to(request, state.after.next_question(question.id))


def _refused(
    request: Request,
    found: StoredAssessment,
    question: Question,
    problem: Problem,
    form: FormData,
    walk: Walk | None,
) -> Response:
    """The question again with the reason its form was refused (422), as it was sent."""
    lang = page_language(request, found.answers.language)
    message = texts(lang)["question"][problem.key]
    for key, item in problem.values.items():
        message = message.replace("{" + key + "}", str(item))
    submitted: Any = None
    if question.type == QuestionType.MULTIPLE:
        submitted = [v for v in form.getlist("value") if isinstance(v, str)]
    elif question.type in (QuestionType.TEXT, QuestionType.NUMBER):
        submitted = text_field(form, "value")[:2000]
    return question_view(
        request, found, question, error=message, status=422, submitted=submitted, walk=walk
    )
