"""The agency's pages: accounts, the list, reports, export/import, contact CSV, erasure."""

from __future__ import annotations

import csv
import html
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient
from typer.testing import CliRunner
from web_flow import csrf, login, start

from audit.cli import app as cli_app
from audit.errors import UsageError
from audit.resources import questionnaires_dir
from audit.session.store import load_answers
from audit.store import Store, StoreError, accounts, assessments, erasure, requests
from audit.web.auth import add_user

EXAMPLES = questionnaires_dir() / "engagement" / "examples"
PASSWORD = "correct horse battery"


@pytest.fixture
def agent(client: TestClient, store: Store) -> TestClient:
    add_user(store, "ann", PASSWORD)
    assert login(client).status_code == 303
    return client


def test_add_user_reads_the_password_from_stdin_and_stores_an_argon2_hash(
    store_url: str,
) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli_app, ["serve", "--database", store_url, "add-user", "ann"], input=PASSWORD + "\n"
    )
    assert result.exit_code == 0, result.output
    assert "created" in result.output
    store = Store.open(store_url)
    user = accounts.user_by_name(store, "ann")
    assert user is not None and user.password_hash.startswith("$argon2id$")
    assert PASSWORD not in user.password_hash
    again = runner.invoke(
        cli_app, ["serve", "--database", store_url, "add-user", "ann"], input=PASSWORD + "\n"
    )
    assert isinstance(again.exception, StoreError) and "already exists" in str(again.exception)
    weak = runner.invoke(
        cli_app, ["serve", "--database", store_url, "add-user", "bob"], input="short\n"
    )
    assert isinstance(weak.exception, UsageError) and "at least 10" in str(weak.exception)
    store.close()


def test_login_logout_and_a_wrong_password(client: TestClient, store: Store) -> None:
    add_user(store, "ann", PASSWORD)
    wrong = login(client, password="not the password")
    assert wrong.status_code == 401 and "incorrect" in wrong.text
    assert login(client).status_code == 303
    cookie = client.cookies["audit_agency"]
    assert client.get("/agency/").status_code == 200
    client.post("/agency/logout", data={"csrf_token": csrf(client)})
    assert client.get("/agency/", follow_redirects=False).status_code == 303
    assert accounts.session_user(store, cookie) is None


def test_the_list_shows_and_filters_submissions(
    agent: TestClient, store: Store, finished: str
) -> None:
    start(agent, "Boulangerie Martin")
    found = assessments.by_token(store, finished)
    assert found is not None
    requests.add(
        store,
        found.id,
        requests.ContactRequest("Ann", "Café Dupont", "a@b.example", "", "fr", "I agree", "v1"),
    )
    page = agent.get("/agency/").text
    assert "Café Dupont" in page and "Boulangerie Martin" in page
    assert 'title="crm">1 pas encore</span>' in page  # the verdict summary, in words
    assert "Café Dupont" not in agent.get("/agency/?status=in_progress").text
    complete = agent.get("/agency/?status=complete").text
    assert "Café Dupont" in complete and "Boulangerie Martin" not in complete
    assert "Boulangerie" not in agent.get("/agency/?contact=yes").text
    assert "Café Dupont" not in agent.get("/agency/?q=boulang").text


def test_one_assessment_with_its_reports(agent: TestClient, store: Store, finished: str) -> None:
    found = assessments.by_token(store, finished)
    assert found is not None
    page = html.unescape(agent.get(f"/agency/assessments/{found.id}").text)
    assert "Café Dupont" in page and "Réponses" in page
    report = agent.get(f"/agency/assessments/{found.id}/report.html")
    assert report.status_code == 200 and "Café Dupont" in report.text
    csp = report.headers["content-security-policy"]
    assert "script-src 'none'" in csp and "'sha256-" in csp and "unsafe-inline" not in csp
    pdf = agent.get(f"/agency/assessments/{found.id}/summary.pdf")
    assert PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text().count("Café Dupont") >= 1


def test_the_exported_answers_file_is_what_the_cli_reads(
    agent: TestClient, store: Store, finished: str, tmp_path: Path
) -> None:
    found = assessments.by_token(store, finished)
    assert found is not None
    response = agent.get(f"/agency/assessments/{found.id}/answers.yaml")
    assert "cafe-dupont-answers.yaml" in response.headers["content-disposition"]
    path = tmp_path / "cafe-dupont-answers.yaml"
    path.write_bytes(response.content)
    assert load_answers(path).to_data() == found.answers.to_data()
    runner = CliRunner()
    rendered = runner.invoke(
        cli_app, ["report", str(path), "--format", "md", "-o", str(tmp_path / "r.md")]
    )
    assert rendered.exit_code == 0, rendered.output
    assert "Café Dupont" in (tmp_path / "r.md").read_text(encoding="utf-8")
    checked = runner.invoke(cli_app, ["run", "--answers", str(path), "--full", "--non-interactive"])
    assert checked.exit_code == 0, checked.output  # the full workshop continues it


def test_a_workshop_file_is_imported(agent: TestClient, store: Store) -> None:
    path = EXAMPLES / "digital.yaml"
    with path.open("rb") as handle:
        response = agent.post(
            "/agency/import",
            data={"csrf_token": csrf(agent)},
            files={"file": ("digital.yaml", handle, "application/yaml")},
            follow_redirects=False,
        )
    assert response.status_code == 303
    assessment_id = int(response.headers["location"].rsplit("/", 1)[1])
    stored = assessments.get(store, assessment_id)
    assert stored is not None and stored.source == "import"
    assert stored.answers.to_data() == load_answers(path).to_data()
    assert stored.status == "complete" and stored.summary


def test_a_broken_answers_file_is_refused_with_its_line(agent: TestClient, store: Store) -> None:
    broken = (
        b"pack: engagement\npack_version: '1.0'\nclient: {name: X}\n"
        b"answers:\n  a: {status: maybe}\n"
    )
    response = agent.post(
        "/agency/import",
        data={"csrf_token": csrf(agent)},
        files={"file": ("broken.yaml", broken, "application/yaml")},
    )
    text = html.unescape(response.text)
    assert "broken.yaml:5" in text and "pas pu être importé" in text
    assert assessments.listing(store) == []


def test_contact_requests_as_csv_without_formula_injection(
    agent: TestClient, store: Store, finished: str
) -> None:
    found = assessments.by_token(store, finished)
    assert found is not None
    requests.add(
        store,
        found.id,
        requests.ContactRequest(
            '=HYPERLINK("http://evil")',
            "Café Dupont",
            "a@b.example",
            "+33 1",
            "fr",
            "I agree",
            "v1",
        ),
    )
    response = agent.get("/agency/contact-requests.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["assessment", "name", "company", "email"]
    assert rows[1][1].startswith("'=") and rows[1][3] == "a@b.example"
    assert rows[1][7] == "v1" and rows[1][8] == "I agree"


def test_erasure_needs_the_number_and_logs_only_what_was_erased(
    agent: TestClient, store: Store, finished: str
) -> None:
    found = assessments.by_token(store, finished)
    assert found is not None
    url = f"/agency/assessments/{found.id}/erase"
    wrong = agent.post(
        url, data={"csrf_token": csrf(agent), "confirm": "999"}, follow_redirects=False
    )
    assert "erase_mismatch" in wrong.headers["location"]
    assert assessments.get(store, found.id) is not None
    done = agent.post(url, data={"csrf_token": csrf(agent), "confirm": str(found.id)})
    assert done.status_code == 200
    assert assessments.get(store, found.id) is None
    assert agent.get(f"/a/{finished}", follow_redirects=False).status_code == 404
    [entry] = erasure.log(store)
    assert entry.by_user == "ann" and entry.erased["assessments"] == 1
    assert "Café Dupont" not in agent.get("/agency/").text
