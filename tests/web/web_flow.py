"""Driving the site in-process like a browser without JavaScript: GET a page, POST its
form with the CSRF token, follow the redirect."""

from __future__ import annotations

import re
from typing import Any

from starlette.testclient import TestClient

from audit.questionnaire.model import Pack, Question, QuestionType

TOKEN_URL = re.compile(r"/a/([A-Za-z0-9_-]{40,})")


def csrf(client: TestClient) -> str:
    if "audit_csrf" not in client.cookies:
        client.get("/")
    return str(client.cookies["audit_csrf"])


def start(client: TestClient, company: str = "Café Dupont", lang: str = "fr") -> str:
    """Start an assessment from the landing page; return its private token."""
    client.get(f"/?lang={lang}")
    response = client.post(
        "/start",
        data={"csrf_token": csrf(client), "company": company, "lang": lang},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    match = TOKEN_URL.search(response.headers["location"])
    assert match, response.headers["location"]
    return match.group(1)


def current_question(client: TestClient, token: str) -> str | None:
    """The id of the question the private link leads to (None: the result)."""
    response = client.get(f"/a/{token}", follow_redirects=False)
    assert response.status_code == 303
    location = response.headers["location"]
    if location.endswith("/result"):
        return None
    return location.rsplit("/", 1)[1]


def first_choice_value(question: Question) -> Any:
    if question.type in (QuestionType.SINGLE, QuestionType.SCALE):
        return question.choices[0].id
    if question.type == QuestionType.MULTIPLE:
        return [question.choices[0].id]
    if question.type == QuestionType.YES_NO:
        return "yes"
    if question.type == QuestionType.NUMBER:
        return str(int(question.min or 1))
    return "Une réponse libre"


def answer(
    client: TestClient, token: str, question_id: str, value: Any = None, action: str = "answer"
) -> Any:
    data: dict[str, Any] = {"csrf_token": csrf(client), "action": action}
    if value is not None:
        data["value"] = value
    return client.post(f"/a/{token}/q/{question_id}", data=data, follow_redirects=False)


def complete(
    client: TestClient, pack: Pack, token: str, values: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Answer every question the site asks until the result; return what was sent."""
    sent: dict[str, Any] = {}
    for _ in range(200):
        qid = current_question(client, token)
        if qid is None:
            return sent
        question = pack.question(qid)
        assert question is not None
        value = (values or {}).get(qid, first_choice_value(question))
        response = answer(client, token, qid, value)
        assert response.status_code == 303, response.text
        sent[qid] = value
    raise AssertionError("the questionnaire never ended")


def login(client: TestClient, name: str = "ann", password: str = "correct horse battery") -> Any:
    client.get("/agency/login")
    return client.post(
        "/agency/login",
        data={"csrf_token": csrf(client), "name": name, "password": password, "next": "/agency/"},
        follow_redirects=False,
    )
