"""One real `newsproof serve` process per test session, on a free loopback port, with its own state folder."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
ARTICLES = REPO / "tests" / "resources" / "articles"
API_KEY = "test-key-7d1c"
INGEST_LIMIT = 200_000  # small limits keep the oversized-input tests cheap
BODY_LIMIT = 2 * INGEST_LIMIT + 64_000
START_TIMEOUT_S = 900  # the first start builds the default evidence store


def free_port() -> int:
    """A TCP port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def newsproof_command() -> list[str]:
    """The installed console script, else the CLI through this interpreter."""
    script = Path(sys.executable).with_name("newsproof")
    return [str(script)] if script.is_file() else [sys.executable, "-c", "from newsproof.cli import main; main()"]


class LiveServer:
    """A `newsproof serve` subprocess that tests can restart on the same port and state folder."""

    def __init__(self, state_dir: Path, config: Path, log_path: Path, extra_args: tuple[str, ...] = ()) -> None:
        self.state_dir, self.config, self.log_path, self.extra_args = state_dir, config, log_path, extra_args
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        """Start the server and wait until /healthz answers."""
        command = newsproof_command() + [
            "serve", "--host", "127.0.0.1", "--port", str(self.port), "--state-dir", str(self.state_dir),
            "--config", str(self.config), *self.extra_args]
        env = dict(os.environ, NEWSPROOF_API_KEY=API_KEY)
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=REPO)
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"newsproof serve exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if httpx.get(self.base_url + "/healthz", timeout=2).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            time.sleep(0.5)
        self.stop()
        raise RuntimeError(f"newsproof serve did not become healthy:\n{self.log_tail()}")

    def stop(self) -> None:
        """Stop gracefully (SIGTERM: the batch worker finishes its current article)."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(90)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self) -> None:
        """Stop and start again on the same port and state folder."""
        self.stop()
        self.start()

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text("utf-8", "replace").splitlines()[-lines:])


def make_server(folder: Path, *extra_args: str) -> LiveServer:
    """A server with its own state folder under `folder`, the API key and the small size limits."""
    config = folder / "config.toml"
    config.write_text(f"[ingest]\nmax_bytes = {INGEST_LIMIT}\n", "utf-8")
    return LiveServer(folder / "state", config, folder / "server.log", extra_args)


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The session's server."""
    server = make_server(tmp_path_factory.mktemp("web"))
    server.start()
    yield server
    server.stop()


@pytest.fixture()
def api(live_server: LiveServer) -> Iterator[httpx.Client]:
    """An HTTP client for the live server that sends the API key."""
    with httpx.Client(base_url=live_server.base_url, headers={"X-API-Key": API_KEY}, timeout=300) as client:
        yield client


@pytest.fixture(scope="session")
def article() -> Callable[[str], str]:
    """Reader of the fixture articles in tests/resources/articles."""
    return lambda name: (ARTICLES / name).read_text("utf-8")
