"""URL checks fetch pages; loopback/private addresses only with `newsproof serve --allow-private-urls`."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest

from .conftest import API_KEY, ARTICLES, LiveServer, free_port, make_server


@pytest.fixture(scope="module")
def article_site() -> Iterator[str]:
    """The fixture articles served over HTTP on a loopback port."""
    handler = functools.partial(SimpleHTTPRequestHandler, directory=str(ARTICLES))
    site = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    threading.Thread(target=site.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{site.server_address[1]}"
    site.shutdown()


@pytest.fixture(scope="module")
def permissive_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """A second server started with --allow-private-urls."""
    server = make_server(tmp_path_factory.mktemp("web-private"), "--allow-private-urls")
    server.start()
    yield server
    server.stop()


def check_url(server: LiveServer, url: str) -> httpx.Response:
    return httpx.post(server.base_url + "/v1/check", json={"url": url}, headers={"X-API-Key": API_KEY}, timeout=300)


def test_loopback_url_is_refused_by_default(live_server: LiveServer, article_site: str) -> None:
    response = check_url(live_server, article_site + "/news_page.html")
    assert response.status_code == 400 and response.json()["error"]["code"] == "NP121"


def test_allow_private_urls_fetches_the_page(permissive_server: LiveServer, article_site: str) -> None:
    response = check_url(permissive_server, article_site + "/news_page.html")
    assert response.status_code == 200, response.text
    article = response.json()["article"]
    assert article["source_kind"] == "url" and article["url"].endswith("/news_page.html")
    assert "Soleimani" in article["title"] and "cookies" not in article["text"].lower()
    missing = check_url(permissive_server, article_site + "/no_such_page.html")
    assert missing.status_code == 422 and missing.json()["error"]["code"] == "NP122"
