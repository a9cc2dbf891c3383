"""Server-rendered pages: the check form, the report view (shareable URL) and the report downloads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import lru_cache, partial
from pathlib import PurePath
from typing import Any
from urllib.parse import urlsplit

import anyio
import jinja2
from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from newsproof.errors import ConfigError, Errors, InputError, NewsproofError
from newsproof.ingest.article import SUFFIX_KINDS
from newsproof.models import Report
from newsproof.report import render_html, to_json
from newsproof.report.html import report_context
from newsproof.web.errors import NOT_FOUND, UNAUTHORIZED, describe
from newsproof.web.security import key_matches
from newsproof.web.service import ArticleInput

router = APIRouter(include_in_schema=False)


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Web templates first, then the report templates they extend; everything autoescaped."""
    loader = jinja2.ChoiceLoader([jinja2.PackageLoader("newsproof.web", "templates"),
                                  jinja2.PackageLoader("newsproof.report", "templates")])
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the request's CSP nonce."""
    settings = request.app.state.settings
    html = environment().get_template(name).render(
        csp_nonce=request.state.csp_nonce, needs_key=bool(settings.api_key), **context)
    return HTMLResponse(html, status_code=status)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request) -> HTMLResponse:
    """The check form."""
    return render(request, "index.html.j2", form={})


@router.post("/check")
async def check_form(
    request: Request,
    text: str = Form(""),
    url: str = Form(""),
    date: str = Form(""),
    api_key: str = Form(""),
    file: UploadFile | None = File(None),
) -> Response:
    """Check what the form gives (text, URL or file) and redirect to the report page."""
    form = {"text": text, "url": url, "date": date}
    if not _same_origin(request):
        return render(request, "index.html.j2", 403, form=form,
                      error={"code": UNAUTHORIZED, "message": "cross-site form submissions are refused"})
    if not key_matches(request.app.state.settings.api_key, api_key or None):
        return render(request, "index.html.j2", 401, form=form,
                      error={"code": UNAUTHORIZED, "message": "missing or wrong API key"})
    try:
        run = await _form_check(request, text, url, date, file)
        report_id, _ = await anyio.to_thread.run_sync(run, limiter=request.app.state.check_limiter)
    except NewsproofError as exc:
        status, code, message = describe(exc)
        return render(request, "index.html.j2", status, form=form, error={"code": code, "message": message})
    return RedirectResponse(f"/reports/{report_id}", status_code=303)


@router.get("/reports/{report_id}", response_class=HTMLResponse)
async def report_page(request: Request, report_id: str) -> HTMLResponse:
    """The report view: highlighted claims, evidence on click, gauge, downloads."""
    report = _load(request, report_id)
    if report is None:
        return render(request, "not_found.html.j2", 404, report_id=report_id, code=NOT_FOUND)
    return render(request, "report_page.html.j2", report_id=report_id, **report_context(report))


@router.get("/reports/{report_id}/report.json")
async def download_json(request: Request, report_id: str) -> Response:
    """The JSON report as a file (as `newsproof check --format json` writes it)."""
    report = _load(request, report_id)
    if report is None:
        return render(request, "not_found.html.j2", 404, report_id=report_id, code=NOT_FOUND)
    return _attachment(to_json(report), "application/json", f"newsproof-{report_id}.json")


@router.get("/reports/{report_id}/report.html")
async def download_html(request: Request, report_id: str) -> Response:
    """The self-contained HTML report as a file (as `newsproof check --format html` writes it)."""
    report = _load(request, report_id)
    if report is None:
        return render(request, "not_found.html.j2", 404, report_id=report_id, code=NOT_FOUND)
    return _attachment(render_html(report), "text/html; charset=utf-8", f"newsproof-{report_id}.html")


def _load(request: Request, report_id: str) -> Report | None:
    return request.app.state.service.state.report(report_id)


def _attachment(body: str, media_type: str, filename: str) -> Response:
    return Response(body, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def _same_origin(request: Request) -> bool:
    """Refuse cross-site form posts (CSRF): browsers say where a request comes from in Sec-Fetch-Site/Origin."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return site in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin is None:  # not a browser
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


async def _form_check(request: Request, text: str, url: str, date: str,
                      file: UploadFile | None) -> Callable[[], tuple[str, Report]]:
    """The check the form asks for; exactly one of text, URL or file must be filled in."""
    published = _parse_date(date)
    upload = await file.read() if file is not None and file.filename else b""
    sources = [name for name, value in (("text", text.strip()), ("url", url.strip()), ("file", upload)) if value]
    if not sources:
        raise InputError(f"{Errors.E101}: fill in the article text, a URL or a file", code="NP101")
    if len(sources) > 1:
        raise InputError(f"fill in only one of article text, URL or file (got {', '.join(sources)})", code="NP100")
    service = request.app.state.service
    if file is not None and file.filename and upload:
        suffix = PurePath(file.filename).suffix
        if suffix and suffix.lower() not in SUFFIX_KINDS:
            raise InputError(Errors.E107.format(suffix=suffix), code="NP107")
        return partial(service.check_upload, upload, SUFFIX_KINDS.get(suffix.lower()), published)
    item = ArticleInput(url=url.strip(), date=published) if url.strip() else ArticleInput(text=text, date=published)
    return partial(service.check, item)


def _parse_date(value: str) -> dt.date | None:
    if not value.strip():
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError as exc:
        raise ConfigError(Errors.E301.format(value=value, name="date", choices="a date YYYY-MM-DD")) from exc
