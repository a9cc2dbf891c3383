"""Access rules, report deletion and retention, in-process (no check process: a stand-in service stores
small reports), so every route can be tried quickly with and without the API key."""

from __future__ import annotations

import base64
import datetime as dt
import re
import time
from collections.abc import Iterator
from pathlib import Path

import anyio
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from starlette.routing import Mount

from newsproof.errors import ConfigError
from newsproof.models import Article, DetectionResult, Report, Summary
from newsproof.web.app import create_app
from newsproof.web.retention import RetentionSweeper
from newsproof.web.security import SESSION_COOKIE
from newsproof.web.settings import WebSettings
from newsproof.web.storage import ID_BITS, StateStore, new_id

KEY = "access-key-5c2e"
SECRET_TEXT = "The harbour authority confirmed the secret pier closure on Monday."


def small_report(text: str = SECRET_TEXT) -> str:
    """A minimal valid JSON report holding `text` as its article."""
    return Report(newsproof_version="test", article=Article(id="a1", title="Pier", text=text), claims=[],
                  machine_generated=DetectionResult(label="uncertain"),
                  summary=Summary(claims=0, supported=0, contradicted=0, not_enough_evidence=0,
                                  credibility="unverified")).model_dump_json()


class StandInService:
    """What the routes use of CheckService: the state file, and checks that store a small report."""

    def __init__(self, state: StateStore) -> None:
        self.state, self.store_uri, self.checked = state, "stand-in", 0

    def check(self, item) -> tuple[str, str]:
        self.checked += 1
        body = small_report(item.source()[1])
        return self.state.save_report(body, "Pier"), body

    def check_upload(self, data: bytes, kind: str | None, date: dt.date | None) -> tuple[str, str]:
        self.checked += 1
        body = small_report(data.decode())
        return self.state.save_report(body, "Pier"), body


def make_client(tmp_path: Path, api_key: str | None) -> TestClient:
    app = create_app(WebSettings(api_key=api_key, state_dir=tmp_path, max_body_bytes=100_000))
    app.state.service = StandInService(StateStore(tmp_path / "state.sqlite"))
    app.state.check_limiter = anyio.CapacityLimiter(1)
    return TestClient(app)  # not entered: no lifespan, so no check process is started


@pytest.fixture()
def keyed(tmp_path: Path) -> Iterator[TestClient]:
    client = make_client(tmp_path, KEY)
    yield client
    client.app.state.service.state.close()


def stored(client: TestClient) -> str:
    return client.app.state.service.state.save_report(small_report(), "Pier")


def report_routes(report_id: str) -> list[tuple[str, str]]:
    """Every (method, path) that reads, creates or deletes data, for one report id."""
    return [("GET", f"/reports/{report_id}"), ("GET", f"/reports/{report_id}/report.json"),
            ("GET", f"/reports/{report_id}/report.html"), ("POST", f"/reports/{report_id}/delete"),
            ("POST", "/check"), ("GET", f"/v1/reports/{report_id}"), ("DELETE", f"/v1/reports/{report_id}"),
            ("POST", "/v1/check"), ("POST", "/v1/batch"), ("GET", "/v1/jobs/some-job-id")]


PUBLIC = {"/", "/healthz", "/v1/openapi.json", "/session"}  # no data read or created; /static and /docs too


def all_routes(routes: list) -> Iterator:
    """Every route with a path, looking inside included routers (FastAPI may wrap them)."""
    for route in routes:
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from all_routes(inner.routes)
        elif hasattr(route, "path") and not isinstance(route, Mount):
            yield route


def test_every_route_is_either_public_or_tried_below(keyed: TestClient) -> None:
    """A new route must be added to the checks here (or to PUBLIC), so none can slip through unguarded."""
    tried = {re.sub(r"/[A-Za-z0-9_-]{20,}|/some-job-id", "/{id}", path) for _, path in report_routes("x" * 22)}
    routes = list(all_routes(keyed.app.routes))
    assert len(routes) >= 12
    for route in routes:
        if route.path.startswith("/docs"):
            continue
        path = re.sub(r"\{[a-z_]+\}", "{id}", route.path)
        assert path in PUBLIC or path in tried, f"route {route.path} is neither public nor access-tested"
        if isinstance(route, APIRoute) and route.path.startswith("/v1/") and path not in PUBLIC:
            assert any(d.call.__name__ == "require_api_key" for d in route.dependant.dependencies), route.path


def test_without_the_key_no_route_reads_or_changes_data(keyed: TestClient) -> None:
    report_id = stored(keyed)
    for headers in ({}, {"X-API-Key": "wrong"}):
        keyed.cookies.clear()
        for method, path in report_routes(report_id):
            response = keyed.request(method, path, headers=headers, follow_redirects=False,
                                     json={"text": "x"} if path.startswith("/v1/") and method == "POST" else None,
                                     data={"text": "The council met on Monday."} if path == "/check" else None)
            assert response.status_code == 401, (method, path, response.status_code)
            assert "NP150" in response.text and "secret pier" not in response.text
    assert keyed.app.state.service.checked == 0
    assert keyed.app.state.service.state.report_json(report_id) is not None  # nothing was deleted
    for path in ("/", "/healthz", "/static/app.js", "/v1/openapi.json"):
        assert keyed.get(path).status_code == 200, path


def test_key_in_the_header_opens_every_report_route(keyed: TestClient) -> None:
    report_id = stored(keyed)
    headers = {"X-API-Key": KEY}
    page = keyed.get(f"/reports/{report_id}", headers=headers)
    assert page.status_code == 200 and "secret pier" in page.text
    assert 'id="delete-report"' in page.text and f'action="/reports/{report_id}/delete"' in page.text
    for suffix in ("report.json", "report.html"):
        download = keyed.get(f"/reports/{report_id}/{suffix}", headers=headers)
        assert download.status_code == 200 and "attachment" in download.headers["content-disposition"]
        assert "secret pier" in download.text
    assert keyed.get(f"/v1/reports/{report_id}", headers=headers).json()["article"]["text"] == SECRET_TEXT


def test_web_form_accepts_the_key_header_and_remembers_it(keyed: TestClient) -> None:
    response = keyed.post("/check", data={"text": SECRET_TEXT}, headers={"X-API-Key": KEY}, follow_redirects=False)
    assert response.status_code == 303 and keyed.app.state.service.checked == 1
    location = response.headers["location"]
    assert re.fullmatch(r"/reports/[A-Za-z0-9_-]{22}", location)
    cookie = response.cookies[SESSION_COOKIE]
    assert KEY not in cookie and "httponly" in response.headers["set-cookie"].lower()
    assert "samesite=strict" in response.headers["set-cookie"].lower()
    assert keyed.get(location).status_code == 200  # the cookie alone now opens the report page
    keyed.cookies.clear()
    keyed.cookies.set(SESSION_COOKIE, "0" * 64)
    assert keyed.get(location).status_code == 401  # a forged cookie does not


def test_key_form_of_the_401_page_leads_back(keyed: TestClient) -> None:
    report_id = stored(keyed)
    page = keyed.get(f"/reports/{report_id}/report.json")
    assert page.status_code == 401 and f'value="/reports/{report_id}/report.json"' in page.text
    wrong = keyed.post("/session", data={"api_key": "wrong", "next": f"/reports/{report_id}"})
    assert wrong.status_code == 401 and SESSION_COOKIE not in wrong.cookies
    right = keyed.post("/session", data={"api_key": KEY, "next": f"/reports/{report_id}"}, follow_redirects=False)
    assert right.status_code == 303 and right.headers["location"] == f"/reports/{report_id}"
    assert keyed.get(f"/reports/{report_id}").status_code == 200
    offsite = keyed.post("/session", data={"api_key": KEY, "next": "//evil.example/x"}, follow_redirects=False)
    assert offsite.headers["location"] == "/"


def test_delete_through_the_api(keyed: TestClient) -> None:
    state = keyed.app.state.service.state
    report_id = stored(keyed)
    job_id = state.create_job([{"text": "a"}])
    state.finish_item(job_id, 0, report_id, None)
    headers = {"X-API-Key": KEY}
    response = keyed.delete(f"/v1/reports/{report_id}", headers=headers)
    assert response.status_code == 204 and response.content == b""
    assert keyed.get(f"/v1/reports/{report_id}", headers=headers).status_code == 404
    assert keyed.get(f"/reports/{report_id}", headers=headers).status_code == 404
    assert keyed.delete(f"/v1/reports/{report_id}", headers=headers).json()["error"]["code"] == "NP140"
    assert state.job(job_id)["results"][0] == {"index": 0, "status": "done"}  # the job no longer points at it
    assert "delete" in keyed.get("/v1/openapi.json").json()["paths"]["/v1/reports/{report_id}"]


def test_delete_button(keyed: TestClient) -> None:
    state = keyed.app.state.service.state
    report_id = stored(keyed)
    cross = keyed.post(f"/reports/{report_id}/delete", data={"api_key": KEY}, headers={"Origin": "https://evil.example"})
    assert cross.status_code == 403 and state.report_json(report_id) is not None
    keyed.post("/session", data={"api_key": KEY, "next": f"/reports/{report_id}"})
    response = keyed.post(f"/reports/{report_id}/delete", follow_redirects=False)  # the cookie is the key
    assert response.status_code == 303 and response.headers["location"] == "/?deleted=1"
    assert state.report_json(report_id) is None
    assert "The report was deleted." in keyed.get("/?deleted=1").text
    assert keyed.post(f"/reports/{report_id}/delete").status_code == 404


def test_without_a_server_key_everything_is_open(tmp_path: Path) -> None:
    client = make_client(tmp_path, None)
    report_id = stored(client)
    assert client.get(f"/reports/{report_id}").status_code == 200
    assert client.post("/check", data={"text": SECRET_TEXT}, follow_redirects=False).status_code == 303
    assert SESSION_COOKIE not in client.cookies
    assert client.delete(f"/v1/reports/{report_id}").status_code == 204
    client.app.state.service.state.close()


def test_report_ids_carry_128_random_bits() -> None:
    """Ids are 22 URL-safe characters decoding to 16 random bytes; across many ids every bit is set about
    half the time (a counter, a timestamp or a short id would fail), and none repeats."""
    ids = [new_id() for _ in range(4000)]
    assert ID_BITS == 128 and len(set(ids)) == len(ids)
    raw = [base64.urlsafe_b64decode(i + "==") for i in ids]
    assert all(len(i) == 22 and len(r) * 8 == ID_BITS for i, r in zip(ids, raw, strict=True))
    ones = [sum((r[bit // 8] >> (bit % 8)) & 1 for r in raw) / len(raw) for bit in range(ID_BITS)]
    assert all(0.43 < share < 0.57 for share in ones), min(ones, key=lambda s: abs(s - 0.5))


def test_purge_deletes_only_old_reports_and_finished_jobs(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    old, new = state.save_report(small_report()), state.save_report(small_report())
    state.set_job_status(done := state.create_job([{"text": "a"}]), "done")
    pending = state.create_job([{"text": "b"}])
    state._connection().execute("UPDATE reports SET created_at = '2000-01-01T00:00:00+00:00' WHERE id = ?", (old,))
    state._connection().execute("UPDATE jobs SET finished_at = '2000-01-01T00:00:00+00:00', "
                                "created_at = '2000-01-01T00:00:00+00:00'")
    state._connection().commit()
    assert state.purge(30) == (1, 1)
    assert state.report_json(old) is None and state.report_json(new) is not None
    assert state.job(done) is None and state.job(pending) is not None  # unfinished work is never purged
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=31)
    assert state.purge(30, now=later) == (1, 0) and state.report_json(new) is None
    state.close()


def test_sweeper_purges_at_start_and_then_on_schedule(tmp_path: Path) -> None:
    state = StateStore(tmp_path / "state.sqlite")
    old = state.save_report(small_report())
    stamp = "UPDATE reports SET created_at = '2000-01-01T00:00:00+00:00' WHERE id = ?"
    state._connection().execute(stamp, (old,))
    state._connection().commit()
    sweeper = RetentionSweeper(state, keep_days=1, interval_s=0.05)
    sweeper.start()
    assert state.report_json(old) is None  # at start-up, before any request
    later = state.save_report(small_report())
    state._connection().execute(stamp, (later,))
    state._connection().commit()
    deadline = time.monotonic() + 10
    while state.report_json(later) is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    sweeper.stop()
    assert state.report_json(later) is None and sweeper.sweeps >= 2
    kept = state.save_report(small_report())
    state._connection().execute(stamp, (kept,))
    state._connection().commit()
    assert RetentionSweeper(state, keep_days=0).sweep() == (0, 0) and state.report_json(kept) is not None
    state.close()


def test_keep_days_setting(tmp_path: Path) -> None:
    assert WebSettings().retention_days() == 30  # the packaged [web] keep_days
    config = tmp_path / "config.toml"
    config.write_text("[web]\nkeep_days = 7\n", "utf-8")
    assert WebSettings(config_path=str(config)).retention_days() == 7
    assert WebSettings(config_path=str(config), keep_days=0).retention_days() == 0
    for n, bad in enumerate(("-1", '"week"', "1.5", "true")):
        config = tmp_path / f"bad{n}.toml"  # load_config caches by path
        config.write_text(f"[web]\nkeep_days = {bad}\n", "utf-8")
        with pytest.raises(ConfigError, match="web.keep_days"):
            create_app(WebSettings(config_path=str(config)))
