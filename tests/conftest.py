"""Session-wide fixtures: the bundled default evidence base and a warmed-up Checker."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def checker():
    """One Checker on the bundled default store, warmed up once for the session."""
    from newsproof.pipeline import Checker

    instance = Checker()
    instance.warm_up()
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def default_store(checker):
    """The bundled default evidence base (read-only), shared with the session Checker."""
    return checker.evidence_store()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by playwright, or a clean skip when chromium is not installed."""
    import shutil
    from pathlib import Path

    from playwright.sync_api import sync_playwright

    executable = "/usr/bin/chromium" if Path("/usr/bin/chromium").is_file() else shutil.which("chromium")
    if executable is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def serve_app():
    """Start an ASGI app in-process (uvicorn in a thread) with `serve_app(app)`; returns its origin.
    Every server started is stopped at teardown."""
    import socket
    import threading
    import time

    import uvicorn

    running: list[tuple] = []

    def start(app) -> str:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off",
                                               log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        running.append((server, thread))
        return f"http://127.0.0.1:{port}"

    yield start
    for server, thread in running:
        server.should_exit = True
        thread.join(10)
