"""REST API against a real `newsproof serve` process: check, reports, batch jobs, persistence, OpenAPI."""

from __future__ import annotations

import json
import subprocess
import time
from collections.abc import Callable
from typing import Any

import httpx

from newsproof.report import validate_report_json

from .conftest import API_KEY, ARTICLES, REPO, LiveServer, newsproof_command

SOLEIMANI = "soleimani_fake.txt"


def wait_for_job(api: httpx.Client, job_id: str, timeout: float = 600) -> dict[str, Any]:
    """Poll a job until it is done."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = api.get(f"/v1/jobs/{job_id}").json()
        if job["status"] == "done":
            return job
        time.sleep(0.5)
    raise AssertionError(f"job {job_id} not done after {timeout}s: {job}")


def contradicted_soleimani_claims(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Claims about Soleimani's killing judged CONTRADICTED."""
    return [r for r in report["claims"]
            if r["verdict"] == "CONTRADICTED" and "Soleimani" in r["claim"]["text"]]


def test_healthz_and_security_headers(live_server: LiveServer) -> None:
    response = httpx.get(live_server.base_url + "/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self' 'nonce-" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "same-origin"


def test_openapi_documents_the_v1_api(live_server: LiveServer) -> None:
    schema = httpx.get(live_server.base_url + "/v1/openapi.json").json()
    assert {"/v1/check", "/v1/reports/{report_id}", "/v1/batch", "/v1/jobs/{job_id}", "/healthz"} <= set(schema["paths"])
    assert "/check" not in schema["paths"]  # form routes are not part of the API
    body = schema["paths"]["/v1/check"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert body["$ref"].endswith("/ArticleInput")
    assert "X-API-Key" in json.dumps(schema["components"]["securitySchemes"])


def test_check_returns_the_cli_json_and_a_stored_report(api: httpx.Client, article: Callable[[str], str]) -> None:
    response = api.post("/v1/check", json={"text": article(SOLEIMANI)})
    assert response.status_code == 200, response.text
    report = response.json()
    validate_report_json(report)
    report_id = response.headers["x-report-id"]
    assert response.headers["location"] == f"/v1/reports/{report_id}"
    assert contradicted_soleimani_claims(report), [(r["verdict"], r["claim"]["text"]) for r in report["claims"]]

    stored = api.get(f"/v1/reports/{report_id}")
    assert stored.status_code == 200 and stored.json() == report

    cli = subprocess.run(newsproof_command() + ["check", str(ARTICLES / SOLEIMANI), "--format", "json"],
                         capture_output=True, text=True, cwd=REPO, timeout=600)
    assert cli.returncode == 1, cli.stderr  # exit 1: a claim is CONTRADICTED
    from_cli = json.loads(cli.stdout)
    for ours in (report, from_cli):
        ours.pop("timings_ms")
    assert report == from_cli


def test_date_option_and_html_input(api: httpx.Client, article: Callable[[str], str]) -> None:
    text = article(SOLEIMANI).replace("Published 28 May 2021\n", "")
    report = api.post("/v1/check", json={"text": text, "date": "2021-05-28"}).json()
    assert report["article"]["date"] == "2021-05-28" and report["article"]["date_source"] == "option"
    page = api.post("/v1/check", json={"html": article("news_page.html")})
    assert page.status_code == 200, page.text
    assert page.json()["article"]["source_kind"] == "html"
    assert "cookies" not in page.json()["article"]["text"].lower()


def test_batch_job_runs_in_the_background(api: httpx.Client, article: Callable[[str], str]) -> None:
    articles = [{"text": article(SOLEIMANI)}, {"text": "   "}, {"text": article("german.txt")},
                {"html": article("news_page.html")}]
    response = api.post("/v1/batch", json={"articles": articles})
    assert response.status_code == 202, response.text
    accepted = response.json()
    assert accepted["total"] == 4 and accepted["url"] == f"/v1/jobs/{accepted['job_id']}"
    job = wait_for_job(api, accepted["job_id"])
    assert (job["processed"], job["failed"], job["progress"]) == (4, 2, 1.0)
    ok, empty, german, page = job["results"]
    assert empty["error"]["code"] == "NP101" and german["error"]["code"] == "NP105"
    assert ok["summary"]["contradicted"] >= 1
    assert api.get(f"/v1/reports/{page['report_id']}").json()["article"]["source_kind"] == "html"


def test_reports_and_jobs_survive_a_restart(live_server: LiveServer, article: Callable[[str], str]) -> None:
    headers = {"X-API-Key": API_KEY}
    with httpx.Client(base_url=live_server.base_url, headers=headers, timeout=300) as api:
        checked = api.post("/v1/check", json={"text": article("accurate_strike.txt")})
        report_id = checked.headers["x-report-id"]
        texts = [article(name) for name in ("accurate_strike.txt", SOLEIMANI, "scraped_page.txt")]
        job_id = api.post("/v1/batch", json={"articles": [{"text": t} for t in texts]}).json()["job_id"]
    live_server.restart()  # SIGTERM right away: the worker stops after its current article
    with httpx.Client(base_url=live_server.base_url, headers=headers, timeout=300) as api:
        assert api.get(f"/v1/reports/{report_id}").json() == checked.json()
        job = wait_for_job(api, job_id)  # unfinished items resume after the restart
        assert job["processed"] == 3 and job["failed"] == 0
        assert all(api.get(f"/v1/reports/{r['report_id']}").status_code == 200 for r in job["results"])

