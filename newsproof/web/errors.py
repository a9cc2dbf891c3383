"""One JSON error shape for the API, `{"error": {"code": "NPxyz", "message": ...}}`; statuses from the catalogue.

Codes, messages and HTTP statuses come from `newsproof.errors.CATALOGUE`, the same catalogue the CLI uses for
its exit codes. Two statuses are set here instead: 422 for a request body that fails validation (NP100) and 413
for a batch over the size limit (NP100).
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsproof.errors import CATALOGUE, NewsproofError, canonical_code

log = logging.getLogger("newsproof.web")

NOT_FOUND = "NP140"
UNAUTHORIZED = "NP150"
BAD_REQUEST = "NP100"
INTERNAL = "NP000"


class ApiError(Exception):
    """An error the web layer raises itself, with its HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message

    @classmethod
    def of(cls, code: str, message: str) -> ApiError:
        """An ApiError with the catalogue's HTTP status for `code`."""
        return cls(CATALOGUE[code].http_status, code, message)


def normalise_code(code: str) -> str:
    """The catalogue form of a code (`E103` -> `NP103`); kept for callers of the earlier API."""
    return canonical_code(code)


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    """The stable error shape."""
    return {"error": {"code": code, "message": message}}


def describe(exc: NewsproofError) -> tuple[int, str, str]:
    """(HTTP status, code, message) for a newsproof error; server-side failures are logged."""
    status, code, message = exc.http_status, canonical_code(exc.code), str(exc.args[0])
    if status >= 500:  # StoreError, ModelError: the server's fault, not the request's
        log.error("server-side newsproof error: %s", exc)
    return status, code, message


def json_error(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    """A JSON error response."""
    return JSONResponse(error_body(code, message), status_code=status, headers=headers)


def install_handlers(app: FastAPI) -> None:
    """Turn every error into the stable JSON shape; nothing unhandled reaches a client as a traceback."""

    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        headers = {"WWW-Authenticate": "X-API-Key"} if exc.status == 401 else None
        return json_error(exc.status, exc.code, exc.message, headers)

    @app.exception_handler(NewsproofError)
    async def _newsproof_error(_: Request, exc: NewsproofError) -> JSONResponse:
        return json_error(*describe(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        return json_error(422, BAD_REQUEST, "invalid request: " + "; ".join(_validation_messages(exc)))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = NOT_FOUND if exc.status_code == 404 else BAD_REQUEST
        return json_error(exc.status_code, code, str(exc.detail), getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unexpected error")
        return json_error(500, INTERNAL, "internal error; see the server log")


def _validation_messages(exc: RequestValidationError) -> list[str]:
    messages = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        messages.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    return messages
