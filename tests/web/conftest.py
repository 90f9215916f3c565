from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack
from audit.store import Store, assessments
from audit.web.app import create_app
from audit.web.pdf import PdfPool
from audit.web.site import WebConfig


@pytest.fixture
def web_config(store_url: str) -> WebConfig:
    return WebConfig(database=store_url, pdf_workers=1, pdf_warm_up=False)


@pytest.fixture(scope="session")
def pdf_pool() -> Iterator[PdfPool]:
    """One PDF worker for the whole run (spawning one per test costs seconds)."""
    pool = PdfPool(workers=1, queue=8, theme_path=None)
    yield pool
    pool.close()


@pytest.fixture
def app(web_config: WebConfig, pack: Pack, pdf_pool: PdfPool) -> Iterator[Starlette]:
    application = create_app(web_config, pack=pack, pdfs=pdf_pool)
    yield application
    application.state.site.store.close()


@pytest.fixture
def client(app: Starlette) -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def store(app: Starlette) -> Store:
    site_store: Store = app.state.site.store
    return site_store


@pytest.fixture(scope="session")
def pack() -> Pack:
    return load_pack("engagement")


@pytest.fixture
def finished(store: Store, pack: Pack) -> str:
    """The token of a complete quick assessment for "Café Dupont" (the industrial example's
    quick answers), stored directly rather than clicked through."""
    from audit.resources import questionnaires_dir
    from audit.session.answers import Mode
    from audit.session.navigation import first_unanswered
    from audit.session.store import load_answers

    example = load_answers(questionnaires_dir() / "engagement" / "examples" / "industrial.yaml")
    quick = {q.id for q in pack.quick_questions()}
    answers = example.model_copy(
        update={
            "mode": Mode.QUICK,
            "answers": {k: v for k, v in example.answers.items() if k in quick},
            "facts": {},
            "client": example.client.model_copy(update={"name": "Café Dupont"}),
            "language": "fr",
        }
    )
    assert first_unanswered(pack, answers) is None
    created = assessments.create(store, answers)
    assessments.save(store, created.id, answers, complete=True, summary={"crm": "not_yet"})
    return created.token
