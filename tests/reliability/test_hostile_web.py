"""The bad-input corpus and malformed requests against a real `newsproof serve` on loopback: every
answer is a report or a 4xx JSON error, never a 500; schemathesis fuzzes the OpenAPI schema."""

from __future__ import annotations

import importlib.util
import json
import re
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from support.hostile import HostileInput, Tally, hostile_inputs

import newsproof.web.app  # noqa: F401  (an import error in the web app must fail these tests, not skip them)

WEB_CONFTEST = Path(__file__).resolve().parents[1] / "web" / "conftest.py"
pytestmark = pytest.mark.slow
ITEMS = hostile_inputs(huge=False)


def _web_fixtures() -> ModuleType:
    """The web tests' LiveServer helper (a real `newsproof serve` subprocess)."""
    spec = importlib.util.spec_from_file_location("newsproof_web_live_server", WEB_CONFTEST)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """(base URL, API key) of a server with the packaged default limits."""
    web = _web_fixtures()
    folder = tmp_path_factory.mktemp("web-reliability")
    config = folder / "config.toml"
    config.write_text("[ingest]\nmax_bytes = 5_000_000\n", "utf-8")
    live = web.LiveServer(folder / "state", config, folder / "server.log")
    live.start()
    yield live.base_url, web.API_KEY
    live.stop()


@pytest.fixture(scope="module")
def api(server: tuple[str, str]) -> Iterator[httpx.Client]:
    """A client sending the API key."""
    with httpx.Client(base_url=server[0], headers={"X-API-Key": server[1]}, timeout=300) as client:
        yield client


# Codes that name a problem of the input itself (empty, binary, too large, undecodable, not English, ...).
INPUT_PROBLEMS = {f"NP10{n}" for n in range(1, 9)}
ERROR_CODE = re.compile(r'(?:<strong>|"code":\s*")(NP\d{3})')


def reached_the_server(response: httpx.Response, label: str) -> None:
    """401/403 mean the request never got past the access check: not an attempt, and a test failure."""
    assert response.status_code not in (401, 403), f"{label}: {response.status_code} {response.text[:300]}"


def assert_answer(response: httpx.Response, label: str, tally: Tally, expect: str = "either") -> None:
    """A 200 report or a 4xx JSON error with an NP code; count it."""
    reached_the_server(response, label)
    tally.record_status(label, response.status_code)
    assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:500]}"
    if response.status_code >= 400:
        error = response.json()["error"]
        assert error["code"].startswith("NP") and error["message"] and "Traceback" not in error["message"]
    if expect == "refuse":
        assert 400 <= response.status_code < 500, label
    elif expect == "accept":
        assert response.status_code == 200, f"{label}: {response.text[:300]}"


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.name)
def test_rest_check_with_corpus_text(api: httpx.Client, item: HostileInput, tally: Tally) -> None:
    text = item.data.decode("utf-8", "replace")
    body = {"html": text} if item.suffix == ".html" else {"text": text, "markdown": item.suffix == ".md"}
    expect = item.expect if item.data.decode("utf-8", "ignore") == item.data.decode("utf-8", "replace") else "either"
    assert_answer(api.post("/v1/check", json=body), f"api:{item.name}", tally, expect)


@pytest.mark.parametrize("item", ITEMS, ids=lambda item: item.name)
def test_form_upload_with_corpus_bytes(api: httpx.Client, item: HostileInput, tally: Tally) -> None:
    """Each file reaches the checker: a report (303 to its page, article text as expected) or a 4xx page
    naming that input's own problem (NP101-NP108); the API key travels in the header, as for the API."""
    response = api.post("/check", files={"file": (f"{item.name}{item.suffix}", item.data)}, follow_redirects=False)
    label = f"upload:{item.name}"
    reached_the_server(response, label)
    tally.record_status(label, response.status_code)
    if response.status_code == 303:
        assert item.expect != "refuse", f"{label}: accepted a file that must be refused"
        report = api.get(response.headers["location"] + "/report.json")
        assert report.status_code == 200, report.text[:300]
        if item.must_contain:
            assert item.must_contain in report.json()["article"]["text"], label
        return
    assert item.expect != "accept", f"{label}: {response.status_code} {response.text[:300]}"
    assert response.status_code in (400, 413, 415, 422), f"{label}: {response.status_code} {response.text[:300]}"
    found = ERROR_CODE.search(response.text)
    assert found and found.group(1) in INPUT_PROBLEMS, f"{label}: {response.text[:300]}"


MALFORMED_BODIES: list[tuple[str, bytes]] = [
    ("not_json", b"this is not json"),
    ("truncated_json", b'{"text": "Flood defences'),
    ("json_array", b"[1, 2, 3]"),
    ("json_null", b"null"),
    ("deep_nesting", b"[" * 100_000 + b"]" * 100_000),
    ("deep_object", b'{"text": ' + b'{"a": ' * 50_000 + b"1" + b"}" * 50_000 + b"}"),
    ("nul_escape", b'{"text": "\\u0000\\u0000 Flood defences failed in Riverton on Tuesday, the council said."}'),
    ("wrong_types", b'{"text": 12345}'),
    ("both_sources", b'{"text": "a", "url": "http://example.org/"}'),
    ("extra_field", b'{"text": "Flood defences failed", "admin": true}'),
    ("bad_date", b'{"text": "Flood defences failed in Riverton.", "date": "32/13/2021"}'),
    ("huge_number", b'{"text": "x", "date": 1' + b"0" * 5000 + b"}"),
    ("invalid_utf8_body", b'{"text": "caf\xe9 \xff\xfe news"}'),
    ("file_url", b'{"url": "file:///etc/passwd"}'),
    ("private_url", b'{"url": "http://169.254.169.254/latest/meta-data/"}'),
    ("empty_body", b""),
]


@pytest.mark.parametrize(("name", "body"), [
    pytest.param(name, body, id=name)
    for name, body in MALFORMED_BODIES])
def test_malformed_json_requests_get_4xx(api: httpx.Client, name: str, body: bytes, tally: Tally) -> None:
    response = api.post("/v1/check", content=body, headers={"Content-Type": "application/json"})
    assert_answer(response, f"api-raw:{name}", tally, "refuse")


def test_lone_surrogate_is_replaced_not_a_500(api: httpx.Client, tally: Tally) -> None:
    body = b'{"text": "Flood \\ud800 defences failed in Riverton on Tuesday, the council said."}'
    response = api.post("/v1/check", content=body, headers={"Content-Type": "application/json"})
    assert_answer(response, "api-raw:lone_surrogate", tally, "either")
    if response.status_code == 200:
        assert "\ud800" not in response.text


def test_oversized_body_is_413(api: httpx.Client, tally: Tally) -> None:
    body = json.dumps({"text": "a" * 12_000_000}).encode()
    assert_answer(api.post("/v1/check", content=body, headers={"Content-Type": "application/json"}),
                  "api-raw:12MB", tally, "refuse")


def test_schemathesis_fuzzes_the_openapi_schema(server: tuple[str, str], tally: Tally) -> None:
    """Generated requests for every documented operation (batch excluded: it queues background work)."""
    schemathesis = pytest.importorskip("schemathesis")
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    base, key = server
    schema = schemathesis.openapi.from_url(f"{base}/v1/openapi.json")
    schema.config.update(base_url=base)
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.path.endswith("/batch"):
            continue

        @settings(max_examples=12, deadline=None, database=None,
                  suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(), header=st.just(key))
        def run(case: schemathesis.Case, header: str) -> None:
            response = case.call(headers={"X-API-Key": header}, timeout=300)
            tally.record_status(f"schemathesis:{case.method} {case.path}", response.status_code)
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}")

        run()
    assert failures == []
