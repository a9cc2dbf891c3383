"""Security layer: response headers with a per-request CSP nonce, a request body limit, the API key check."""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets

from fastapi import Request, Response, Security
from fastapi.security import APIKeyHeader
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from newsproof.errors import Errors
from newsproof.web.errors import UNAUTHORIZED, ApiError, error_body

SESSION_COOKIE = "newsproof_session"
API_KEY_HEADER = APIKeyHeader(name="X-API-Key", auto_error=False, description="Required when the server has a key.")


def content_security_policy(nonce: str) -> str:
    """Scripts and style sheets only from this origin or carrying the nonce; no framing, no plugins."""
    return "; ".join([
        "default-src 'none'",
        f"script-src 'self' 'nonce-{nonce}'",
        f"style-src 'self' 'nonce-{nonce}'",
        "style-src-attr 'unsafe-inline'",  # data-driven colours in the shared report template; no script
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ])


class SecurityHeadersMiddleware:
    """Give each request a CSP nonce (`request.state.csp_nonce`) and every response the security headers."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        nonce = secrets.token_urlsafe(18)
        scope.setdefault("state", {})["csp_nonce"] = nonce
        headers = [
            (b"content-security-policy", content_security_policy(nonce).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),  # report URLs never leak to other sites
            (b"x-frame-options", b"DENY"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimitMiddleware:
    """Answer 413 to request bodies over `limit` bytes, declared or streamed, before any route reads them."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._reject(send, declared.decode("latin-1"))
            return
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._reject(send, f"more than {self.limit}")
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)

    async def _reject(self, send: Send, size: str) -> None:
        payload = json.dumps(error_body("NP103", Errors.E103.format(size=size, limit=self.limit))).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"connection", b"close"),
                                (b"content-length", str(len(payload)).encode())]})
        await send({"type": "http.response.body", "body": payload})


def key_matches(expected: str | None, given: str | None) -> bool:
    """True when no key is configured or `given` equals it (constant-time comparison)."""
    if not expected:
        return True
    return given is not None and hmac.compare_digest(given.encode(), expected.encode())


def require_api_key(request: Request, key: str | None = Security(API_KEY_HEADER)) -> None:
    """FastAPI dependency guarding /v1 when the server was started with an API key."""
    if not key_matches(request.app.state.settings.api_key, key):
        raise ApiError(401, UNAUTHORIZED, "missing or wrong API key: send it in the X-API-Key header")


def session_token(key: str) -> str:
    """The browser session cookie's value for `key`: an HMAC of the key, so the key itself is never stored."""
    return hmac.new(key.encode(), b"newsproof web session v1", hashlib.sha256).hexdigest()


def page_access(request: Request, form_key: str | None = None) -> bool:
    """May this page request read or create data? With a server key: the X-API-Key header, the form's
    `api_key` field or the session cookie set by an earlier keyed form must match it."""
    expected = request.app.state.settings.api_key
    if not expected:
        return True
    if key_matches(expected, request.headers.get("x-api-key")) or key_matches(expected, form_key or None):
        return True
    cookie = request.cookies.get(SESSION_COOKIE)
    return cookie is not None and hmac.compare_digest(cookie.encode(), session_token(expected).encode())


def remember_key(request: Request, response: Response) -> Response:
    """Set the session cookie (when the server has a key) so the report pages that follow need no header."""
    key = request.app.state.settings.api_key
    if key:
        response.set_cookie(SESSION_COOKIE, session_token(key), httponly=True, samesite="strict", path="/",
                            secure=request.url.scheme == "https")
    return response
