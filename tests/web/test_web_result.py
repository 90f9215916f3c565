"""The result page, the PDF downloads, the contact-list upload and the contact request."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from starlette.testclient import TestClient
from web_flow import csrf, start

from audit.questionnaire.model import Pack
from audit.resources import questionnaires_dir
from audit.store import Store, assessments, requests

EXAMPLES = questionnaires_dir() / "engagement" / "examples"


def test_the_result_shows_radar_verdicts_findings_and_next_step(
    client: TestClient, finished: str, pack: Pack
) -> None:
    page = client.get(f"/a/{finished}/result").text
    assert "<svg" in page and 'class="chart radar"' in page
    for solution in ("marketing_automation", "emailing", "crm", "e_commerce", "chatbot"):
        assert f'id="verdict-{solution}"' in page
    assert "Ce qui compte le plus" in page and "La prochaine étape" in page
    assert f'href="/a/{finished}/summary.pdf"' in page
    assert f'href="/a/{finished}/report.pdf"' in page
    assert f"/a/{finished}" in page  # the private link, to keep


def test_an_unfinished_assessment_goes_back_to_its_questions(client: TestClient) -> None:
    token = start(client)
    response = client.get(f"/a/{token}/result", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/a/{token}"


def test_the_summary_pdf_is_one_page_with_the_company(client: TestClient, finished: str) -> None:
    response = client.get(f"/a/{finished}/summary.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert "cafe-dupont-summary.pdf" in response.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) == 1
    assert "Café Dupont" in reader.pages[0].extract_text()


def test_the_full_report_pdf_in_the_chosen_language(client: TestClient, finished: str) -> None:
    response = client.get(f"/a/{finished}/report.pdf?lang=en")
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(page.extract_text() for page in reader.pages[:3])
    assert len(reader.pages) > 3 and "Café Dupont" in text


def _upload(client: TestClient, token: str, path: Path, keep: bool) -> object:
    data = {"csrf_token": csrf(client)}
    if keep:
        data["keep"] = "yes"
    with path.open("rb") as handle:
        return client.post(
            f"/a/{token}/contacts",
            data=data,
            files={"file": (path.name, handle, "text/csv")},
            follow_redirects=False,
        )


@pytest.mark.parametrize("keep", [False, True])
def test_an_uploaded_list_is_analysed_and_kept_only_if_agreed(
    client: TestClient, finished: str, store: Store, keep: bool
) -> None:
    response = _upload(client, finished, EXAMPLES / "industrial-contacts.csv", keep)
    assert response.status_code == 303  # type: ignore[attr-defined]
    found = assessments.by_token(store, finished)
    assert found is not None
    facts = found.answers.facts["contacts"]
    assert facts["rows"] > 0 and facts["source"]["file"] == "industrial-contacts.csv"
    assert assessments.upload_count(store, found.id) == (1 if keep else 0)
    page = client.get(f"/a/{finished}/result?upload={'kept' if keep else 'done'}").text
    assert 'id="upload-done"' in page and "Fichier analysé" in page


def test_a_file_of_the_wrong_kind_gets_a_clear_message(
    client: TestClient, finished: str, tmp_path: Path
) -> None:
    bad = tmp_path / "photo.png"
    bad.write_bytes(b"\x89PNG\r\n")
    response = _upload(client, finished, bad, False)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "CSV ou un classeur Excel" in response.text  # type: ignore[attr-defined]


def test_an_unreadable_list_gets_the_analysis_error(
    client: TestClient, finished: str, tmp_path: Path
) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    response = _upload(client, finished, empty, False)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert "n'a pas pu être analysé" in html.unescape(response.text)  # type: ignore[attr-defined]


def test_an_oversized_upload_is_refused_with_its_limit(
    client: TestClient, finished: str, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    big.write_bytes(b"email\n" + b"someone@example.com\n" * 300_000)  # 6 MB
    response = _upload(client, finished, big, True)
    assert response.status_code == 413  # type: ignore[attr-defined]
    assert "5 MB" in response.text  # type: ignore[attr-defined]


def _contact(client: TestClient, token: str, **fields: str) -> object:
    data = {
        "csrf_token": csrf(client),
        "name": "Ann Martin",
        "company": "Café Dupont",
        "email": "ann.martin@cafe-dupont.example",
        "phone": "+33 4 72 00 00 00",
        "consent": "yes",
    } | fields
    return client.post(f"/a/{token}/contact", data=data, follow_redirects=False)


def test_a_contact_request_stores_the_consent_wording_version_and_time(
    client: TestClient, finished: str, store: Store
) -> None:
    response = _contact(client, finished)
    assert response.status_code == 303  # type: ignore[attr-defined]
    assert "Merci" in client.get(f"/a/{finished}/contact?sent=1").text
    [stored] = requests.listing(store)
    assert stored.request.email == "ann.martin@cafe-dupont.example"
    assert "J'accepte que Atelier Boussole" in stored.request.consent_text
    assert stored.request.consent_version == "2026-11-30"
    assert stored.consented.endswith("+00:00")
    assert 'id="contact-done"' in client.get(f"/a/{finished}/result").text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"email": "ann@@example"}, "ne semble pas valide"),
        ({"consent": ""}, "Cochez la case"),
        ({"name": ""}, "obligatoire"),
        ({"phone": "call me maybe"}, "numéro de téléphone"),
        ({"name": "x" * 201}, "200 caractères au plus"),
    ],
)
def test_a_contact_request_with_a_problem_is_refused_and_not_stored(
    client: TestClient, finished: str, store: Store, fields: dict[str, str], message: str
) -> None:
    response = _contact(client, finished, **fields)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert message in response.text  # type: ignore[attr-defined]
    assert requests.listing(store) == []


def test_when_too_many_pdfs_wait_the_prospect_is_asked_to_retry(
    client: TestClient, finished: str, app: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    pool = client.app.state.site.pdfs  # type: ignore[attr-defined]
    monkeypatch.setattr(pool, "_pending", pool.workers + pool.queue)
    response = client.get(f"/a/{finished}/summary.pdf")
    assert response.status_code == 503 and response.headers["retry-after"] == "5"
    assert "Réessayez dans quelques secondes" in response.text
    # The other pages do not wait for PDFs.
    assert client.get(f"/a/{finished}/result").status_code == 200


def test_the_consent_and_the_notice_name_the_address_to_write_to(
    client: TestClient, finished: str
) -> None:
    page = html.unescape(client.get(f"/a/{finished}/contact").text)
    assert "en écrivant à bonjour@atelier-boussole.example" in page
    landing = html.unescape(client.get("/privacy").text)
    assert "écrivez à\u00a0: bonjour@atelier-boussole.example" in landing
