"""Bad requests get 4xx with the stable error shape `{"error": {"code", "message"}}`, never a 500."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from .conftest import BODY_LIMIT, INGEST_LIMIT, LiveServer

ENGLISH = "The minister said on Tuesday that the new bridge over the river will open next spring. " * 3


def assert_error(response: httpx.Response, status: int, code: str) -> str:
    """Check status and error shape; return the message."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message"}
    assert body["error"]["code"] == code, body
    return body["error"]["message"]


@pytest.mark.parametrize(("payload", "status", "code"), [
    ({"text": ""}, 422, "NP101"),
    ({"text": "Short."}, 422, "NP108"),
    ({"text": "Der Bundestag hat am Dienstag ein neues Gesetz beschlossen, das die Renten erhöht. " * 4},
     422, "NP105"),
    ({"text": "x" * (INGEST_LIMIT + 10)}, 413, "NP103"),
    ({"url": "file:///etc/passwd"}, 400, "NP121"),
    ({"url": "/etc/passwd"}, 400, "NP121"),
    ({"url": "-"}, 400, "NP121"),
    ({"url": "http://127.0.0.1:9/news"}, 400, "NP121"),
    ({"url": "http://localhost/news"}, 400, "NP121"),
    ({"url": "http://[::1]/news"}, 400, "NP121"),
    ({"url": "http://169.254.169.254/latest/meta-data"}, 400, "NP121"),
    ({}, 422, "NP100"),
    ({"text": ENGLISH, "url": "https://example.com"}, 422, "NP100"),
    ({"text": ENGLISH, "date": "28/05/2021"}, 422, "NP100"),
    ({"text": ENGLISH, "colour": "red"}, 422, "NP100"),
    ({"text": 42}, 422, "NP100"),
])
def test_bad_check_input(api: httpx.Client, payload: dict, status: int, code: str) -> None:
    assert_error(api.post("/v1/check", json=payload), status, code)


def test_private_url_is_refused_before_any_fetch(api: httpx.Client, live_server: LiveServer) -> None:
    message = assert_error(api.post("/v1/check", json={"url": f"{live_server.base_url}/healthz"}), 400, "NP121")
    assert "refusing to fetch" in message


def test_unsupported_content_types(api: httpx.Client) -> None:
    assert_error(api.post("/v1/check", content=ENGLISH, headers={"Content-Type": "text/plain"}), 415, "NP107")
    assert_error(api.post("/v1/check", content=b"{not json", headers={"Content-Type": "application/json"}),
                 422, "NP100")


def test_bodies_over_the_limit_get_413(api: httpx.Client) -> None:
    big = b'{"text": "' + b"a" * BODY_LIMIT + b'"}'
    assert_error(api.post("/v1/check", content=big, headers={"Content-Type": "application/json"}), 413, "NP103")

    def chunked() -> Iterator[bytes]:  # no Content-Length: the limit applies while streaming
        yield b'{"text": "'
        for _ in range(BODY_LIMIT // 65536 + 2):
            yield b"a" * 65536
        yield b'"}'

    assert_error(api.post("/v1/check", content=chunked(), headers={"Content-Type": "application/json"}),
                 413, "NP103")


def test_api_key_is_required(live_server: LiveServer, api: httpx.Client) -> None:
    report_id = api.post("/check", data={"text": ENGLISH * 2}, follow_redirects=False).headers["location"]
    report_id = report_id.rsplit("/", 1)[1]
    for headers in ({}, {"X-API-Key": "wrong"}):
        response = httpx.post(live_server.base_url + "/v1/check", json={"text": ENGLISH}, headers=headers)
        assert_error(response, 401, "NP150")
        assert_error(httpx.get(live_server.base_url + "/v1/jobs/anything", headers=headers), 401, "NP150")
        for method, path in [("GET", f"/v1/reports/{report_id}"), ("DELETE", f"/v1/reports/{report_id}")]:
            assert_error(httpx.request(method, live_server.base_url + path, headers=headers), 401, "NP150")
        for path in (f"/reports/{report_id}", f"/reports/{report_id}/report.json", f"/reports/{report_id}/report.html"):
            page = httpx.get(live_server.base_url + path, headers=headers)
            assert page.status_code == 401 and "NP150" in page.text and "bridge over the river" not in page.text
    assert api.get(f"/reports/{report_id}/report.json").json()["article"]["text"].startswith("The minister")
    assert api.delete(f"/v1/reports/{report_id}").status_code == 204
    assert api.get(f"/reports/{report_id}").status_code == 404


def test_unknown_ids_and_routes_get_404(api: httpx.Client) -> None:
    assert_error(api.get("/v1/reports/doesnotexist123"), 404, "NP140")
    assert_error(api.get("/v1/jobs/doesnotexist123"), 404, "NP140")
    assert_error(api.get("/v1/nothing-here"), 404, "NP140")
    assert api.get("/reports/doesnotexist123").status_code == 404


def test_bad_batches(api: httpx.Client) -> None:
    assert_error(api.post("/v1/batch", json={"articles": []}), 422, "NP100")
    assert_error(api.post("/v1/batch", json={"articles": [{"text": ENGLISH}] * 501}), 413, "NP100")
    assert_error(api.post("/v1/batch", json={"articles": [{"html": "<p>x</p>", "text": "y"}]}), 422, "NP100")


def test_form_errors_are_pages_with_4xx(api: httpx.Client, article: Callable[[str], str]) -> None:
    from .conftest import API_KEY

    cases = [
        ({"api_key": API_KEY}, {"file": ("scan.pdf", b"%PDF-1.4 ...", "application/pdf")}, 415, "NP107"),
        ({"api_key": API_KEY}, {"file": ("story.txt", b"\x89PNG\r\n\x1a\n" + b"\0" * 50, "text/plain")}, 415, "NP102"),
        ({"api_key": API_KEY, "text": ENGLISH, "url": "https://example.com"}, None, 400, "NP100"),
        ({"api_key": API_KEY}, None, 422, "NP101"),
        ({"api_key": API_KEY, "url": "http://10.0.0.1/x"}, None, 400, "NP121"),
        ({"api_key": API_KEY, "text": ENGLISH, "date": "tomorrow"}, None, 400, "NP301"),
        ({"api_key": "wrong", "text": ENGLISH}, None, 401, "NP150"),
    ]
    for data, files, status, code in cases:
        headers = {"X-API-Key": "wrong"} if data["api_key"] == "wrong" else None  # else the client's key header
        response = api.post("/check", data=data, files=files, headers=headers, follow_redirects=False)
        assert response.status_code == status, (data, response.text[:500])
        assert response.headers["content-type"].startswith("text/html") and code in response.text
    for headers in ({"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site", "Origin": "null"}):
        cross_site = api.post("/check", data={"api_key": API_KEY, "text": ENGLISH}, headers=headers)
        assert cross_site.status_code == 403 and "cross-site" in cross_site.text
