"""A prospect and the agency use the site in a real browser (headless Chromium, Selenium).

- On a phone (390x844), in French: the quick questionnaire from the landing page to the
  result, going back to change an answer, closing the browser half-way and resuming from
  the private link, downloading the summary PDF (read with pypdf), asking to be contacted.
- On a laptop (1280x800), in English: the questionnaire, then the agency logs in (account
  made with `audit serve add-user`), finds the submission, exports its answers file, and
  `audit report` renders it.

Every page is checked with axe-core (no serious or critical violation) and saved as a
screenshot (`AUDIT_SCREENSHOTS=folder` keeps them for a person to look at).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from browsing import Visit, wait_for_download
from live_servers import LiveServer
from pypdf import PdfReader

from audit.store import Store, assessments

pytestmark = pytest.mark.slow

PHONE = (390, 844)
LAPTOP = (1280, 800)
COMPANY_FR = "Boulangerie Éclair & Fils <b>Lyon</b>"
COMPANY_EN = "Northwind Ceramics"
AGENCY_USER = "claire.martin"
AGENCY_PASSWORD = "a long passphrase for the agency 2026"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("AUDIT_SCREENSHOTS", tmp_path / "screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def visit(
    chromium: Callable[..., Any], live_server: LiveServer, axe_source: str, shots: Path
) -> Callable[..., Visit]:
    def make(size: tuple[int, int], language: str, label: str) -> Visit:
        return Visit(chromium(*size, language), live_server.url, axe_source, shots, label)

    return make


def _stored(server: LiveServer, token: str) -> assessments.StoredAssessment:
    store = Store.open(server.database)
    try:
        found = assessments.by_token(store, token)
    finally:
        store.close()
    assert found is not None
    return found


def _as_sent(value: Any) -> Any:
    """A stored or exported value in the form's terms (a yes/no question stores a boolean)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return value


def _pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(path)
    return len(reader.pages), " ".join((page.extract_text() or "") for page in reader.pages)


def test_a_prospect_on_a_phone_in_french_goes_back_resumes_and_downloads_the_summary(
    visit: Callable[..., Visit], live_server: LiveServer
) -> None:
    page = visit(PHONE, "fr-FR,fr", "phone-fr")
    page.open("/")
    assert page.find("html").get_attribute("lang") == "fr"
    page.check("landing")
    page.find("#company").send_keys(COMPANY_FR)
    page.submit(page.find("#start"))

    # The first question shows the private link to keep.
    link = page.find("#private-link").get_attribute("href")
    assert link is not None and link.startswith(live_server.url + "/a/")
    token = link.rstrip("/").rsplit("/", 1)[1]
    page.check("question-first")
    answered: dict[str, Any] = {}
    question = page.question
    answered[question] = page.answer()

    # Two more answers, then back: the last answer is shown, changed, and the next page
    # is the one after it again.
    for _ in range(2):
        page.check(f"question-{page.question}")
        question = page.question
        answered[question] = page.answer()
    after_third = page.question
    page.submit(page.find("#back"))
    third = page.question
    assert page.checked() == [answered[third]]
    page.check("question-back")
    answered[third] = page.answer(lambda n: n - 1)
    assert page.question == after_third
    assert _as_sent(_stored(live_server, token).answers.answers[third].value) == answered[third]

    # Half-way: the browser is closed; a new one opens the private link.
    for _ in range(6):
        page.check(f"question-{page.question}")
        question = page.question
        answered[question] = page.answer(text="Des promesses de gain de temps.")
    waiting = page.question
    page.close()
    page = visit(PHONE, "fr-FR,fr", "phone-fr-resumed")
    page.open(link)
    assert page.question == waiting

    for _ in range(40):
        if "/q/" not in page.path:
            break
        question = page.question
        page.check(f"question-{question}")
        answered[question] = page.answer(text="Des promesses de gain de temps.")
    assert page.path.endswith("/result"), page.path
    page.check("result")
    main = page.text()
    assert COMPANY_FR in main  # a hostile-looking name is shown as text, not markup
    assert len(page.all(".verdicts li")) == 6

    stored = _stored(live_server, token)
    assert stored.status == assessments.COMPLETE
    for question, value in answered.items():
        assert _as_sent(stored.answers.answers[question].value) == value, question

    # The one-page summary, downloaded as a person would.
    page.find("#download-summary").click()
    pdf = wait_for_download(page.driver.download_dir, ".pdf")  # type: ignore[attr-defined]
    pages, text = _pdf_text(pdf)
    assert pages == 1
    assert "Boulangerie" in text and "Lyon" in text

    # Ask to be contacted.
    page.submit(page.find("#ask-contact"))
    page.check("contact")
    page.find("#name").send_keys("Élodie Marchand")
    page.find("#company").send_keys("Boulangerie Éclair")
    page.find("#email").send_keys("elodie.marchand@example.org")
    page.find("label[for='consent']").click()
    page.submit(page.find("#send-contact"))
    assert page.all("#contact-sent"), page.text()
    page.check("contact-sent")
    page.submit(page.find("#back-to-result"))
    assert page.all("#contact-done")

    page.open("/privacy")
    page.check("privacy")
    page.open("/a/" + "x" * 43)
    assert "404" in page.driver.title or page.all("main h1")
    page.check("not-found")


def test_a_prospect_on_a_laptop_in_english_then_the_agency_exports_and_reports(
    visit: Callable[..., Visit], live_server: LiveServer, tmp_path: Path
) -> None:
    live_server.add_user(AGENCY_USER, AGENCY_PASSWORD)
    page = visit(LAPTOP, "en-GB,en", "laptop-en")
    page.open("/")
    assert page.find("html").get_attribute("lang") == "en"
    page.check("landing")
    page.find("#company").send_keys(COMPANY_EN)
    page.submit(page.find("#start"))
    answered: dict[str, Any] = {}
    # The first question with the keyboard alone (a visible focus on every stop).
    question = page.question
    page.check(f"question-{question}")
    answered[question] = page.answer_with_keyboard()
    assert page.question != question
    number = 0
    while "/q/" in page.path and number < 40:
        page.check(f"question-{page.question}")
        number += 1
        question = page.question
        answered[question] = page.answer(
            lambda n, k=number: k % n, text="Vendors promised more leads."
        )
    assert page.path.endswith("/result"), page.path
    page.check("result")
    assert COMPANY_EN in page.text()

    # The visible language switch.
    page.submit(page.find("#lang-switch"))
    assert page.find("html").get_attribute("lang") == "fr"
    page.check("result-switched-to-french")

    # The agency: the list asks for a login first.
    agency = visit(LAPTOP, "fr-FR,fr", "laptop-agency")
    agency.open("/agency/")
    assert agency.path.startswith("/agency/login")
    agency.check("agency-login")
    agency.find("#name").send_keys(AGENCY_USER)
    agency.find("#password").send_keys(AGENCY_PASSWORD)
    agency.submit(agency.find("#login"))
    assert agency.path.startswith("/agency/"), agency.path
    agency.check("agency-list")
    agency.find("#q").send_keys("Northwind")
    agency.submit(agency.find("#filter"))
    rows = agency.all("#assessments tbody tr a")
    assert [r.text for r in rows] == [COMPANY_EN]
    agency.check("agency-list-filtered")
    agency.submit(rows[0])
    agency.check("agency-detail")

    agency.find("#export").click()
    exported = wait_for_download(agency.driver.download_dir, ".yaml")  # type: ignore[attr-defined]
    data = yaml.safe_load(exported.read_text(encoding="utf-8"))
    assert data["client"]["name"] == COMPANY_EN
    for question, value in answered.items():
        assert _as_sent(data["answers"][question]["value"]) == value, question

    # The workshop side: the CLI renders the exported file.
    report = tmp_path / "report.pdf"
    done = live_server.audit("report", str(exported), "-o", str(report), "--lang", "en")
    assert done.returncode == 0, done.stdout + done.stderr
    pages, text = _pdf_text(report)
    assert pages >= 2 and COMPANY_EN in text

    agency.submit(agency.find("#report-html"))
    agency.check("agency-report-html")
