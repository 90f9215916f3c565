"""A prospect completes the quick questionnaire without JavaScript, and resumes by link."""

from __future__ import annotations

from starlette.testclient import TestClient
from web_flow import answer, complete, csrf, current_question, start

from audit.questionnaire.model import Pack
from audit.store import Store, assessments


def test_landing_page_says_what_how_long_and_what_happens_to_the_answers(
    client: TestClient, pack: Pack
) -> None:
    page = client.get("/", headers={"accept-language": "fr-FR,fr;q=0.9"}).text
    assert f"{len(pack.quick_questions())} questions" in page and "minutes" in page
    assert "conservées 24 mois" in page and "effacer vos données" in page
    english = client.get("/?lang=en").text
    assert "Keep" not in english and "kept for 24 months" in english


def test_a_prospect_completes_the_quick_questionnaire(
    client: TestClient, pack: Pack, store: Store
) -> None:
    token = start(client, "Café Dupont")
    first = current_question(client, token)
    assert first == pack.quick_questions()[0].id
    page = client.get(f"/a/{token}/q/{first}").text
    assert "Gardez ce lien pour revenir" in page and f"/a/{token}" in page
    sent = complete(client, pack, token)
    assert len(sent) >= 19
    result = client.get(f"/a/{token}/result")
    assert result.status_code == 200
    assert "Votre diagnostic" in result.text and "<svg" in result.text
    found = assessments.by_token(store, token)
    assert found is not None and found.status == "complete" and found.summary
    for qid, value in sent.items():
        stored = found.answers.answers[qid].value
        assert stored == value or (value == "yes" and stored is True), qid


def test_an_invalid_answer_is_refused_with_a_message_and_nothing_stored(
    client: TestClient, pack: Pack, store: Store
) -> None:
    token = start(client)
    qid = current_question(client, token)
    assert qid is not None
    response = answer(client, token, qid, "not-a-choice")
    assert response.status_code == 422
    assert "ne convient pas" in response.text
    empty = answer(client, token, qid)
    assert empty.status_code == 422 and "Je ne sais pas" in empty.text
    found = assessments.by_token(store, token)
    assert found is not None and found.answers.answers == {}


def test_dont_know_back_and_resume(client: TestClient, pack: Pack, store: Store) -> None:
    token = start(client)
    first = current_question(client, token)
    assert first is not None
    assert answer(client, token, first, action="unknown").status_code == 303
    second = current_question(client, token)
    assert second is not None and second != first
    page = client.get(f"/a/{token}/q/{second}").text
    assert f'href="/a/{token}/q/{first}"' in page  # back
    total = len(pack.quick_questions())
    assert f"Répondu\u00a0: 1 sur {total}" in page  # not "1 réponses"
    question = pack.question(first)
    assert question is not None
    response = answer(client, token, first, question.choices[1].id)
    assert response.headers["location"].endswith(f"/q/{second}")
    # A new browser with only the link continues where the answers stop.
    other = TestClient(client.app)
    assert current_question(other, token) == second
    found = assessments.by_token(store, token)
    assert found is not None
    assert found.answers.answers[first].value == question.choices[1].id


def test_conditions_are_applied_on_the_server(client: TestClient, pack: Pack) -> None:
    token = start(client)
    offers = [q for q in pack.quick_questions() if q.id.startswith("offer_")]
    for question in offers:
        answer(client, token, question.id, "none")
    # vendor_promises is asked only when a solution is had or offered.
    assert current_question(client, token) != "vendor_promises"
    assert client.get(f"/a/{token}/q/vendor_promises", follow_redirects=False).status_code == 303
    answer(client, token, offers[0].id, "offered")
    assert current_question(client, token) == "vendor_promises"


def test_an_answer_to_a_hidden_question_is_not_stored(
    client: TestClient, pack: Pack, store: Store
) -> None:
    token = start(client)
    for question in pack.quick_questions():
        if question.id.startswith("offer_"):
            answer(client, token, question.id, "none")
    # vendor_promises is hidden now: a form sent to it anyway (an old tab) changes nothing,
    # valid or not, and leads back to where the questionnaire stands.
    for value in ("yes", "not-a-choice"):
        response = answer(client, token, "vendor_promises", value)
        assert response.status_code == 303 and response.headers["location"] == f"/a/{token}"
    response = answer(client, token, "no_such_question", "yes")
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}"
    found = assessments.by_token(store, token)
    assert found is not None and "vendor_promises" not in found.answers.answers


def test_csrf_cookie_is_needed(client: TestClient) -> None:
    assert csrf(client)


def test_the_site_erases_what_the_privacy_notice_says_it_erases(
    app: object, store: Store, pack: Pack
) -> None:
    from datetime import UTC, datetime

    from sqlalchemy import text

    from audit.web.app import create_app, retention_cutoff
    from audit.web.site import WebConfig

    assert retention_cutoff(24, datetime(2026, 11, 30, tzinfo=UTC)).startswith("2024-12-10")
    client = TestClient(create_app(WebConfig(pdf_warm_up=False), store=store, pack=pack))
    token = start(client)
    found = assessments.by_token(store, token)
    assert found is not None
    with store.write() as connection:
        connection.execute(
            text("UPDATE assessments SET updated = '2020-01-01T00:00:00+00:00' WHERE id = :id"),
            {"id": found.id},
        )
    with client:  # starting the site applies the retention period
        pass
    assert assessments.by_token(store, token) is None


def test_french_pages_use_french_spacing(client: TestClient, pack: Pack) -> None:
    landing = client.get("/?lang=fr").text
    assert "marketing\u202f?" in landing and "marketing ?" not in landing
    token = start(client)
    qid = current_question(client, token)
    page = client.get(f"/a/{token}/q/{qid}").text
    assert "\u202f?" in page and " ?</span>" not in page
    assert "marketing tools?" in client.get("/?lang=en").text
