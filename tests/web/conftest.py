from __future__ import annotations

from collections.abc import Iterator

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from audit.questionnaire.loader import load_pack
from audit.questionnaire.model import Pack
from audit.store import Store
from audit.web.app import create_app
from audit.web.site import WebConfig


@pytest.fixture
def web_config(store_url: str) -> WebConfig:
    return WebConfig(database=store_url, pdf_workers=1, pdf_warm_up=False)


@pytest.fixture
def app(web_config: WebConfig, pack: Pack) -> Iterator[Starlette]:
    application = create_app(web_config, pack=pack)
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
