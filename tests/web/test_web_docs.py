"""`/docs`: the API explorer is served offline: the page and every asset it names come from this server."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from newsproof.web.app import create_app
from newsproof.web.docs import ASSETS, assets_dir
from newsproof.web.settings import WebSettings

KEY = "docs-test-key"


@pytest.fixture(scope="module")
def client(tmp_path_factory) -> TestClient:
    """The app without its lifespan: /docs needs neither the checker nor the batch worker."""
    settings = WebSettings(api_key=KEY, state_dir=tmp_path_factory.mktemp("web-state"))
    return TestClient(create_app(settings))


def _asset_urls(html: str) -> list[str]:
    return re.findall(r'(?:src|href)="([^"]+)"', html)


def test_docs_page_references_only_local_assets(client):
    response = client.get("/docs")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    urls = _asset_urls(html)
    assert len(urls) >= 2 and all(u.startswith("/") and not u.startswith("//") for u in urls), urls
    assert "cdn" not in html.lower() and "http://" not in html and "https://" not in html
    assert '"url": "/v1/openapi.json"' in html and "SwaggerUIBundle(" in html
    # The inline start-up script runs under the page's Content-Security-Policy only through its nonce.
    nonce = re.search(r"'nonce-([^']+)'", response.headers["content-security-policy"]).group(1)
    assert f'<script nonce="{nonce}">' in html


def test_every_asset_the_page_names_is_served(client):
    for url in _asset_urls(client.get("/docs").text):
        response = client.get(url)
        assert response.status_code == 200, url
        assert len(response.content) > 500, url
    script = client.get("/docs/assets/swagger-ui-bundle.js")
    assert script.headers["content-type"].startswith("text/javascript") and b"SwaggerUIBundle" in script.content


def test_only_the_listed_bundle_files_are_served(client):
    response = client.get("/docs/assets/index.html")
    assert response.status_code == 404 and response.json()["error"]["code"] == "NP140"
    assert client.get("/docs/assets/..%2F__init__.py").status_code == 404
    assert set(ASSETS) <= {p.name for p in assets_dir().iterdir()}


def test_bundled_swagger_ui_renders_openapi_3_1(client):
    """FastAPI writes OpenAPI 3.1, which Swagger UI renders from version 5 on."""
    spec = client.get("/v1/openapi.json")
    assert spec.status_code == 200 and spec.json()["openapi"].startswith("3.1")
    major = int(re.search(r"swagger-ui-(\d+)\.", assets_dir().name).group(1))
    assert major >= 5


def test_docs_is_public_but_the_api_still_needs_the_key(client):
    page = client.get("/docs")
    assert page.status_code == 200 and KEY not in page.text
    assert client.get("/v1/reports/anything").status_code == 401


@pytest.mark.browser
def test_explorer_renders_offline_in_chromium(tmp_path, browser, serve_app):
    """Chromium renders the explorer with every request to this server and no CSP violation."""
    origin = serve_app(create_app(WebSettings(api_key=KEY, state_dir=tmp_path)))
    page = browser.new_page()
    requests, problems = [], []
    page.on("request", lambda r: requests.append(r.url))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    try:
        page.goto(origin + "/docs")
        page.wait_for_selector(".swagger-ui .info .title", timeout=20_000)
        assert page.inner_text(".swagger-ui .info .title").startswith("newsproof")
        page.wait_for_selector(".opblock", timeout=10_000)
        assert page.locator(".opblock").count() >= 3
    finally:
        page.close()
    assert problems == []
    assert requests and all(url.startswith(origin + "/") for url in requests), requests
