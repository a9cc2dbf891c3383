"""Shared fixtures for ingest tests: fixture article paths and a local HTTP server."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent.parent / "resources" / "articles"
PAGE = (ARTICLES / "news_page.html").read_bytes()


class _Handler(BaseHTTPRequestHandler):
    """Routes: /article, /text, /redirect/N, /to-private, /big, /big-declared, /slow, /drip, /image, /echo-host."""

    def log_message(self, *args: object) -> None:  # keep test output quiet
        return

    def _send(self, body: bytes, content_type: str = "text/html; charset=utf-8", length: bool = True) -> None:
        self.send_response(200)
        self.send_header("Content-Type", content_type)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:
        with contextlib.suppress(
            BrokenPipeError, ConnectionResetError
        ):  # the client gave up (time/size limits)
            self._route(self.path)

    def _route(self, path: str) -> None:
        if path == "/article":
            self._send(PAGE)
        elif path == "/text":
            self._send((ARTICLES / "accurate_strike.txt").read_bytes(), "text/plain; charset=utf-8")
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect("/article" if left == 0 else f"/redirect/{left - 1}")
        elif path == "/to-private":
            self._redirect("http://169.254.169.254/latest/meta-data/")
        elif path == "/big":
            self._send(b"<p>" + b"a" * 2_000_000 + b"</p>", length=False)
        elif path == "/big-declared":
            self._send(b"<p>" + b"a" * 300_000 + b"</p>")
        elif path == "/slow":
            time.sleep(2.0)
            self._send(PAGE)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            for _ in range(20):
                self.wfile.write(b"<p>drip</p>" * 10)
                self.wfile.flush()
                time.sleep(0.1)
        elif path == "/image":
            self._send(b"\x89PNG\r\n\x1a\n" + b"0" * 100, "image/png")
        elif path == "/echo-host":
            self._send(f"Host header was {self.headers['Host']}".encode(), "text/plain")
        else:
            self.send_error(404)


@pytest.fixture(scope="session")
def local_server() -> Iterator[str]:
    """Base URL of a real HTTP server on 127.0.0.1 running in a thread."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def articles() -> Path:
    """Folder of fixture articles."""
    return ARTICLES
