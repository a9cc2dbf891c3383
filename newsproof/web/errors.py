"""One JSON error shape for the API, `{"error": {"code": "NP1xx", "message": ...}}`, and the status map."""

from __future__ import annotations

import logging
import re

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsproof.errors import ConfigError, InputError, NewsproofError

log = logging.getLogger("newsproof.web")

# Codes the web layer adds to the catalogue in newsproof.errors (all in the input range NP1xx).
NOT_FOUND = "NP140"
UNAUTHORIZED = "NP150"
BAD_REQUEST = "NP100"

# Input error code -> HTTP status; other InputErrors (and FetchErrors) are 422, ConfigErrors 400.
_STATUS_BY_CODE = {
    "NP103": 413,  # too large
    "NP102": 415, "NP104": 415, "NP107": 415,  # binary, undecodable, unsupported type
    "NP121": 400,  # URL refused (scheme, private address, redirects)
    "NP100": 400,
}


class ApiError(Exception):
    """An error the web layer raises itself, with its HTTP status."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def normalise_code(code: str) -> str:
    """Stage modules may use 'E103' for 'NP103'; the API always shows the NP form."""
    return "NP" + code[1:] if re.fullmatch(r"E\d{3}", code) else code


def error_body(code: str, message: str) -> dict[str, dict[str, str]]:
    """The stable error shape."""
    return {"error": {"code": code, "message": message}}


def describe(exc: NewsproofError) -> tuple[int, str, str]:
    """(HTTP status, code, message) for a newsproof error."""
    code, message = normalise_code(exc.code), str(exc.args[0])
    if isinstance(exc, InputError):
        default = 422
    elif isinstance(exc, ConfigError):
        default = 400
    else:  # StoreError, ModelError: the server's fault, not the request's
        log.error("server-side newsproof error: %s", exc)
        return 500, code, message
    return _STATUS_BY_CODE.get(code, default), code, message


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
        return json_error(500, "NP000", "internal error; see the server log")


def _validation_messages(exc: RequestValidationError) -> list[str]:
    messages = []
    for error in exc.errors()[:5]:
        where = ".".join(str(part) for part in error.get("loc", ()) if part != "body")
        messages.append(f"{where or 'body'}: {error.get('msg', 'invalid')}")
    return messages
