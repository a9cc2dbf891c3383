"""REST API under /v1 (reports, batch jobs) and /healthz; documented by the app's OpenAPI schema."""

from __future__ import annotations

from typing import Any, Literal

import anyio
from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from newsproof import __version__
from newsproof.models import Report
from newsproof.web.errors import BAD_REQUEST, NOT_FOUND, ApiError
from newsproof.web.security import require_api_key
from newsproof.web.service import ArticleInput, CheckService


class ErrorDetail(BaseModel):
    """Stable error payload."""

    code: str = Field(description="Stable code, e.g. NP101 (empty input) or NP121 (URL refused).")
    message: str


class ErrorResponse(BaseModel):
    """Every 4xx/5xx response body."""

    error: ErrorDetail


class BatchRequest(BaseModel):
    """Many articles to check in the background."""

    articles: list[ArticleInput] = Field(min_length=1)


class JobAccepted(BaseModel):
    """Answer to POST /v1/batch."""

    job_id: str
    status: Literal["queued"] = "queued"
    total: int
    url: str


class JobResult(BaseModel):
    """Outcome of one article of a batch."""

    index: int
    status: Literal["queued", "done", "error"]
    report_id: str | None = None
    summary: dict[str, Any] | None = None
    error: ErrorDetail | None = None


class JobStatus(BaseModel):
    """Progress and results of a batch job."""

    id: str
    status: Literal["queued", "running", "done"]
    created_at: str
    finished_at: str | None
    total: int
    processed: int
    failed: int
    progress: float
    results: list[JobResult]


class Health(BaseModel):
    """Answer to GET /healthz."""

    status: Literal["ok"] = "ok"
    version: str
    store: str
    evidence_as_of: str | None = Field(default=None, description="Date of the newest news item in the evidence store.")


ERRORS: dict[int | str, dict[str, Any]] = {status: {"model": ErrorResponse} for status in (400, 401, 413, 415, 422)}


def require_json(request: Request) -> None:
    """Bodies must be JSON; anything else is 415 (checked before the body is validated)."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type != "application/json":
        raise ApiError(415, "NP107", f"unsupported content type {content_type or 'none'!r}; send application/json")


def service(request: Request) -> CheckService:
    """The app's CheckService."""
    return request.app.state.service


router = APIRouter(prefix="/v1", dependencies=[Depends(require_api_key)], responses=ERRORS)
health_router = APIRouter()


def _report_response(report_id: str, body: str) -> Response:
    return Response(body, media_type="application/json",
                    headers={"X-Report-Id": report_id, "Location": f"/v1/reports/{report_id}",
                             "Link": f'</reports/{report_id}>; rel="alternate"; type="text/html"'})


@health_router.get("/healthz", response_model=Health, tags=["meta"])
async def healthz(request: Request) -> Health:
    """Liveness: the Checker is warm and the server answers; says how current the evidence is."""
    from newsproof.update.freshness import evidence_as_of_uri

    uri = service(request).store_uri
    return Health(version=__version__, store=uri, evidence_as_of=await anyio.to_thread.run_sync(evidence_as_of_uri, uri))


@router.post("/check", response_model=Report, dependencies=[Depends(require_json)], tags=["check"],
             summary="Check one article", responses={200: {"headers": {"X-Report-Id": {"schema": {"type": "string"}}}}})
async def check(item: ArticleInput, request: Request) -> Response:
    """Check an article now. The body is the JSON report (same as `newsproof check --format json`);
    its id is in the `X-Report-Id` header and `Location` points at `GET /v1/reports/{id}`."""
    svc = service(request)
    report_id, body = await anyio.to_thread.run_sync(svc.check, item, limiter=request.app.state.check_limiter)
    return _report_response(report_id, body)


@router.get("/reports/{report_id}", response_model=Report, tags=["check"], summary="Fetch a stored report")
async def get_report(report_id: str, request: Request) -> Response:
    """A report stored by an earlier check or batch job."""
    body = service(request).state.report_json(report_id)
    if body is None:
        raise ApiError(404, NOT_FOUND, f"no report with id {report_id!r}")
    return _report_response(report_id, body)


@router.delete("/reports/{report_id}", status_code=204, response_class=Response, tags=["check"],
               summary="Delete a stored report", responses={404: {"model": ErrorResponse}})
async def delete_report(report_id: str, request: Request) -> Response:
    """Delete a report and the article text it holds, for good; batch jobs that made it lose its id.
    Reports are also deleted automatically after `[web] keep_days` days (default 30)."""
    if not await anyio.to_thread.run_sync(service(request).state.delete_report, report_id):
        raise ApiError(404, NOT_FOUND, f"no report with id {report_id!r}")
    return Response(status_code=204)


@router.post("/batch", response_model=JobAccepted, status_code=202, dependencies=[Depends(require_json)],
             tags=["batch"], summary="Check many articles in the background")
async def batch(body: BatchRequest, request: Request) -> JobAccepted:
    """Queue the articles as one job; poll `GET /v1/jobs/{id}` for progress and report ids."""
    limit = request.app.state.settings.max_batch_articles
    if len(body.articles) > limit:
        raise ApiError(413, BAD_REQUEST, f"a batch holds at most {limit} articles (got {len(body.articles)})")
    job_id = await anyio.to_thread.run_sync(request.app.state.jobs.submit, body.articles)
    return JobAccepted(job_id=job_id, total=len(body.articles), url=f"/v1/jobs/{job_id}")


@router.get("/jobs/{job_id}", response_model=JobStatus, tags=["batch"], summary="Progress of a batch job")
async def get_job(job_id: str, request: Request) -> dict[str, Any]:
    """Status, progress (0..1) and, per article, its report id and summary or its error."""
    job = service(request).state.job(job_id)
    if job is None:
        raise ApiError(404, NOT_FOUND, f"no job with id {job_id!r}")
    return job
