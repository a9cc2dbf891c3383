"""Server-rendered pages: the check form, the report view (shareable URL) and the report downloads."""

from __future__ import annotations

import datetime as dt
import re
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
from newsproof.report import render_html, report_context, to_json
from newsproof.web.errors import NOT_FOUND, UNAUTHORIZED, describe
from newsproof.web.security import page_access, remember_key
from newsproof.web.service import ArticleInput

router = APIRouter(include_in_schema=False)
# Where the key form may send the browser back to: a report page or one of its downloads.
_NEXT_PATH = re.compile(r"^/reports/[A-Za-z0-9_-]{8,64}(/report\.(json|html))?$")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Web templates first, then the report templates they extend; everything autoescaped."""
    loader = jinja2.ChoiceLoader([jinja2.PackageLoader("newsproof.web", "templates"),
                                  jinja2.PackageLoader("newsproof.report", "templates")])
    return jinja2.Environment(loader=loader, autoescape=True, trim_blocks=True, lstrip_blocks=True)


def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
    """Render a page with the request's CSP nonce."""
    settings = request.app.state.settings
    needs_key = bool(settings.api_key)
    html = environment().get_template(name).render(
        csp_nonce=request.state.csp_nonce, needs_key=needs_key, has_key=needs_key and page_access(request),
        **context)
    return HTMLResponse(html, status_code=status)


def unauthorized(request: Request, next_path: str = "/") -> HTMLResponse:
    """401 page with a form asking for the API key (it sets the session cookie and returns to `next_path`)."""
    return render(request, "unauthorized.html.j2", 401, code=UNAUTHORIZED, next_path=next_path)


@router.get("/", response_class=HTMLResponse)
async def index(request: Request, deleted: str = "") -> HTMLResponse:
    """The check form (after a deletion, with a notice saying so)."""
    return render(request, "index.html.j2", form={}, notice="The report was deleted." if deleted else None)


@router.post("/session")
async def session(request: Request, api_key: str = Form(""), next_path: str = Form("/", alias="next")) -> Response:
    """The key form of the 401 page: remember the key in a session cookie and go back to the page asked for."""
    target = next_path if _NEXT_PATH.match(next_path) else "/"
    if not _same_origin(request):
        return render(request, "unauthorized.html.j2", 403, code=UNAUTHORIZED, next_path=target,
                      message="cross-site form submissions are refused")
    if not page_access(request, api_key):
        return render(request, "unauthorized.html.j2", 401, code=UNAUTHORIZED, next_path=target,
                      message="wrong API key")
    return remember_key(request, RedirectResponse(target, status_code=303))


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
    if not page_access(request, api_key):
        return render(request, "index.html.j2", 401, form=form,
                      error={"code": UNAUTHORIZED, "message": "missing or wrong API key"})
    try:
        run = await _form_check(request, text, url, date, file)
        report_id, _ = await anyio.to_thread.run_sync(run, limiter=request.app.state.check_limiter)
    except NewsproofError as exc:
        status, code, message = describe(exc)
        return render(request, "index.html.j2", status, form=form, error={"code": code, "message": message})
    return remember_key(request, RedirectResponse(f"/reports/{report_id}", status_code=303))


@router.get("/reports/{report_id}", response_class=HTMLResponse)
async def report_page(request: Request, report_id: str) -> HTMLResponse:
    """The report view: highlighted claims, evidence on click, gauge, downloads, delete button."""
    if not page_access(request):
        return unauthorized(request, request.url.path)
    report = _load(request, report_id)
    if report is None:
        return render(request, "not_found.html.j2", 404, report_id=report_id, code=NOT_FOUND)
    return render(request, "report_page.html.j2", report_id=report_id, **report_context(report))


@router.get("/reports/{report_id}/report.json")
async def download_json(request: Request, report_id: str) -> Response:
    """The JSON report as a file (as `newsproof check --format json` writes it)."""
    if not page_access(request):
        return unauthorized(request, request.url.path)
    report = _load(request, report_id)
    if report is None:
        return render(request, "not_found.html.j2", 404, report_id=report_id, code=NOT_FOUND)
    return _attachment(to_json(report), "application/json", f"newsproof-{report_id}.json")


@router.get("/reports/{report_id}/report.html")
async def download_html(request: Request, report_id: str) -> Response:
    """The self-contained HTML report as a file (as `newsproof check --format html` writes it)."""
    if not page_access(request):
        return unauthorized(request, request.url.path)
    report = _load(request, report_id)
    if report is None:
        return render(request, "not_found.html.j2", 404, report_id=report_id, code=NOT_FOUND)
    return _attachment(render_html(report), "text/html; charset=utf-8", f"newsproof-{report_id}.html")


@router.post("/reports/{report_id}/delete")
async def delete_report(request: Request, report_id: str, api_key: str = Form("")) -> Response:
    """The report page's "Delete report" button: delete the report and its article text for good."""
    if not _same_origin(request):
        return render(request, "unauthorized.html.j2", 403, code=UNAUTHORIZED, next_path=f"/reports/{report_id}",
                      message="cross-site form submissions are refused")
    if not page_access(request, api_key):
        return unauthorized(request, f"/reports/{report_id}")
    if not await anyio.to_thread.run_sync(request.app.state.service.state.delete_report, report_id):
        return render(request, "not_found.html.j2", 404, report_id=report_id, code=NOT_FOUND)
    return RedirectResponse("/?deleted=1", status_code=303)


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
