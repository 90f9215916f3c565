"""Assessments, contact requests, accounts and erasure, on any database URL."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import text

from audit.session.answers import Answer, AnswersFile, Client, Mode, Status
from audit.store import Store, StoreError, accounts, assessments, erasure, requests
from audit.store.tokens import digest


def _answers(company: str = "Café Dupont", **answers: object) -> AnswersFile:
    return AnswersFile(
        pack="engagement",
        pack_version="1.0",
        mode=Mode.QUICK,
        client=Client(name=company),
        answers={k: Answer(status=Status.ANSWERED, value=v) for k, v in answers.items()},
    )


def _request(email: str = "ann@example.com") -> requests.ContactRequest:
    return requests.ContactRequest(
        name="Ann Martin",
        company="Café Dupont",
        email=email,
        phone="+33 1 23 45 67 89",
        language="fr",
        consent_text="I agree to be contacted about this assessment.",
        consent_version="2026-11",
    )


def test_an_assessment_reads_back_exactly_by_its_token(store: Store) -> None:
    answers = _answers(company_size="from_10_to_49", crm_usage=["quotes", "follow_up"])
    answers.answers["sector"] = Answer(status=Status.UNKNOWN, note="ask the owner")
    created = assessments.create(store, answers)
    found = assessments.by_token(store, created.token)
    assert found is not None and found.id == created.id
    assert found.answers.to_data() == answers.to_data()
    assert found.status == assessments.IN_PROGRESS and found.source == "web"


def test_the_token_is_long_random_and_never_stored(store: Store) -> None:
    first = assessments.create(store, _answers())
    second = assessments.create(store, _answers())
    assert first.token != second.token
    assert len(first.token) >= 22  # >= 128 bits in URL-safe base64
    with store.read() as connection:
        dump = " ".join(
            str(v) for row in connection.execute(text("SELECT * FROM assessments")) for v in row
        )
    assert first.token not in dump and digest(first.token) in dump


@pytest.mark.parametrize("token", ["", "x" * 43, "../../etc/passwd", "a" * 500, "é" * 30])
def test_a_made_up_or_malformed_token_finds_nothing(store: Store, token: str) -> None:
    assessments.create(store, _answers())
    assert assessments.by_token(store, token) is None


def test_saving_updates_answers_status_and_summary(store: Store) -> None:
    created = assessments.create(store, _answers())
    later = _answers(company_size="from_50_to_249")
    assessments.save(store, created.id, later, complete=True, summary={"crm": "adopt"})
    found = assessments.get(store, created.id)
    assert found is not None
    assert found.answers.answers["company_size"].value == "from_50_to_249"
    assert found.status == assessments.COMPLETE and found.summary == {"crm": "adopt"}
    with pytest.raises(KeyError):
        assessments.save(store, created.id + 100, later, complete=False)


def test_the_listing_filters_by_company_status_and_contact(store: Store) -> None:
    dupont = assessments.create(store, _answers("Café Dupont"))
    acme = assessments.create(store, _answers("ACME Industries"))
    assessments.save(store, acme.id, _answers("ACME Industries"), complete=True)
    requests.add(store, dupont.id, _request())
    everything = assessments.listing(store)
    assert {row.id for row in everything} == {dupont.id, acme.id}
    assert [r.company for r in assessments.listing(store, search="acme")] == ["ACME Industries"]
    assert [r.id for r in assessments.listing(store, status="complete")] == [acme.id]
    assert [r.id for r in assessments.listing(store, contact_requested=True)] == [dupont.id]
    assert assessments.listing(store, search="100%_") == []


def test_a_contact_request_keeps_the_consent_wording_version_and_time(store: Store) -> None:
    created = assessments.create(store, _answers())
    stored = requests.add(store, created.id, _request())
    [listed] = requests.listing(store)
    assert listed.request == _request()
    assert listed.consented == stored.consented and listed.consented.endswith("+00:00")
    found = assessments.get(store, created.id)
    assert found is not None and found.contact_requested


def test_erasure_removes_everything_and_logs_only_counts(store: Store) -> None:
    kept = assessments.create(store, _answers("Other"))
    created = assessments.create(store, _answers("Secret Company"))
    requests.add(store, created.id, _request("secret@example.com"))
    assessments.keep_upload(store, created.id, "contacts.csv", b"email\nx@example.com\n")
    entry = erasure.erase(store, created.id, by_user="ann")
    assert entry is not None
    assert entry.erased == {"assessments": 1, "contact_requests": 1, "uploads": 1}
    assert assessments.get(store, created.id) is None
    assert assessments.by_token(store, created.token) is None
    assert requests.listing(store) == []
    assert assessments.upload_count(store, created.id) == 0
    assert assessments.get(store, kept.id) is not None
    [logged] = erasure.log(store)
    assert logged == entry
    with store.read() as connection:
        rows = connection.execute(text("SELECT * FROM erasures")).all()
    assert "Secret" not in repr(rows) and "secret@" not in repr(rows)
    assert erasure.erase(store, created.id, by_user="ann") is None


def test_users_sessions_and_login_failures(store: Store) -> None:
    user = accounts.add_user(store, "ann", "$argon2id$fake")
    with pytest.raises(StoreError, match="already exists"):
        accounts.add_user(store, "ann", "other")
    assert accounts.user_by_name(store, "ann") == user
    assert accounts.user_by_name(store, "bob") is None
    token = accounts.open_session(store, user, timedelta(hours=8))
    assert accounts.session_user(store, token) == user
    assert accounts.session_user(store, token[:-1] + ("A" if token[-1] != "A" else "B")) is None
    expired = accounts.open_session(store, user, timedelta(seconds=-1))
    assert accounts.session_user(store, expired) is None
    accounts.close_session(store, token)
    assert accounts.session_user(store, token) is None

    for _ in range(3):
        accounts.record_failure(store, "ann", "10.0.0.1")
    assert accounts.recent_failures(store, "ann", "127.0.0.1", timedelta(minutes=15)) == 3
    assert accounts.recent_failures(store, "bob", "10.0.0.1", timedelta(minutes=15)) == 3
    assert accounts.recent_failures(store, "bob", "127.0.0.1", timedelta(minutes=15)) == 0
    accounts.clear_failures(store, "ann")
    assert accounts.recent_failures(store, "ann", "10.0.0.1", timedelta(minutes=15)) == 0

    again = accounts.open_session(store, user, timedelta(hours=1))
    accounts.set_password(store, "ann", "$argon2id$new")
    assert accounts.session_user(store, again) is None


def test_concurrent_writers_lose_nothing(store: Store) -> None:
    created = [assessments.create(store, _answers(f"Company {i}")) for i in range(8)]
    errors: list[BaseException] = []

    def answer_all(item: assessments.Created) -> None:
        try:
            for step in range(15):
                answers = _answers(f"Company {item.id}", employees=step)
                assessments.save(store, item.id, answers, complete=False)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=answer_all, args=(c,)) for c in created]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for item in created:
        found = assessments.get(store, item.id)
        assert found is not None and found.answers.answers["employees"].value == 14


def test_two_tabs_answering_one_assessment_lose_nothing(store: Store) -> None:
    # Each change reads, changes and writes in one transaction: with eight tabs answering
    # different questions at once, every answer is there at the end.
    created = assessments.create(store, _answers())
    errors: list[BaseException] = []

    def tab(number: int) -> None:
        def answering(step: int) -> Callable[[assessments.StoredAssessment], assessments.Saved]:
            def record(found: assessments.StoredAssessment) -> assessments.Saved:
                answer = Answer(status=Status.ANSWERED, value=step)
                found.answers.answers[f"q{number}_{step}"] = answer
                return assessments.Saved(complete=False)

            return record

        try:
            for step in range(10):
                changed = assessments.change_by_token(store, created.token, answering(step))
                assert changed is not None
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=tab, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    found = assessments.by_token(store, created.token)
    assert found is not None
    assert set(found.answers.answers) == {f"q{n}_{s}" for n in range(8) for s in range(10)}


def test_a_change_by_token_finds_only_its_assessment_and_may_write_nothing(store: Store) -> None:
    created = assessments.create(store, _answers(employees=3))
    seen: list[str] = []

    def refuse(found: assessments.StoredAssessment) -> None:
        seen.append(found.company)
        found.answers.answers["employees"] = Answer(status=Status.ANSWERED, value=4)
        return None  # e.g. a form the page refuses: nothing is written

    for made_up in ("x" * 43, "short", "../../etc"):
        assert assessments.change_by_token(store, made_up, refuse) is None
    assert seen == []
    kept = assessments.change_by_token(store, created.token, refuse)
    assert kept is not None and seen == ["Café Dupont"]
    found = assessments.by_token(store, created.token)
    assert found is not None and found.answers.answers["employees"].value == 3
    assert found.updated == kept.updated


def test_assessments_past_the_retention_time_are_erased_and_logged(store: Store) -> None:
    old = assessments.create(store, _answers("Old Company"))
    recent = assessments.create(store, _answers("Recent Company"))
    with store.write() as connection:
        connection.execute(
            text("UPDATE assessments SET updated = '2020-01-01T00:00:00+00:00' WHERE id = :id"),
            {"id": old.id},
        )
    [entry] = erasure.expire(store, "2024-01-01T00:00:00+00:00")
    assert entry.assessment_id == old.id and entry.by_user == "retention"
    assert assessments.get(store, old.id) is None
    assert assessments.get(store, recent.id) is not None
