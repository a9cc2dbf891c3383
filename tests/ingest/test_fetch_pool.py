"""Connection reuse in the SSRF-safe fetcher (`reuse_connections=True`, as `newsproof update` uses it), against
a local HTTP/1.1 server that counts TCP connections: one connection serves many fetches of one host name; two
names on one IP never share one (over TLS: each connection's SNI is the Host of every request it carries);
every fetch still resolves and checks; limits, deadlines and cookies behave as for a fresh client."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

import newsproof.ingest.fetch as fetch_module
from newsproof.errors import FetchError
from newsproof.ingest.fetch import ClientPool, Fetcher

NAMES = ("a.test", "b.test", "c.test")


class _Handler(BaseHTTPRequestHandler):
    """Routes: /echo (Host and Cookie back), /cookie-redirect, /redirect?to=URL, /slow, /big."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # TCP_NODELAY, as production servers set it
    server: CountingServer

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        self.server.seen(self.client_address[1], self.headers["Host"])
        if self.path.startswith("/redirect?to="):
            self._answer(302, b"", Location=self.path.split("=", 1)[1])
        elif self.path == "/cookie-redirect":
            self._answer(302, b"", Location="/echo", **{"Set-Cookie": "seen=1; Path=/"})
        elif self.path == "/big":
            self._answer(200, b"<p>" + b"a" * 200_000 + b"</p>")
        else:
            if self.path == "/slow":
                time.sleep(2.0)
            self._answer(200, f"host={self.headers['Host']}; cookie={self.headers.get('Cookie', '')}".encode())

    def _answer(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": "text/html", "Content-Length": str(len(body)), **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


class CountingServer(ThreadingHTTPServer):
    """A server on 127.0.0.1 that counts the connections it accepted and closed, and (with TLS) their SNI."""

    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.opened = self.finished = 0
        self.hosts: dict[int, set[str]] = {}  # client port -> Host headers of the requests on that connection
        self.sni: dict[int, str | None] = {}  # client port -> the TLS server name it asked for
        self._lock = threading.Lock()
        self.scheme = "https" if tls else "http"
        if tls is not None:
            tls.sni_callback = self._sni
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        threading.Thread(target=self.serve_forever, args=(0.05,), daemon=True).start()

    def _sni(self, sock: ssl.SSLSocket, name: str | None, _context: ssl.SSLContext) -> None:
        self.sni[sock.getpeername()[1]] = name

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._lock:
            self.opened += 1
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        super().shutdown_request(request)
        with self._lock:
            self.finished += 1

    def seen(self, port: int, host: str) -> None:
        with self._lock:
            self.hosts.setdefault(port, set()).add(host)

    def url(self, name: str, path: str = "/echo") -> str:
        return f"{self.scheme}://{name}:{self.server_address[1]}{path}"

    def all_closed(self, within_s: float = 3.0) -> bool:
        """Whether every accepted connection was closed by the client (waiting up to `within_s`)."""
        stop = time.monotonic() + within_s
        while self.finished < self.opened and time.monotonic() < stop:
            time.sleep(0.02)
        return self.finished == self.opened


def names_resolver(host: str, port: int) -> list[str]:
    """a.test, b.test and c.test are all 127.0.0.1."""
    if host not in NAMES:
        raise OSError(f"{host} does not resolve in tests")
    return ["127.0.0.1"]


@pytest.fixture()
def server() -> Iterator[CountingServer]:
    running = CountingServer()
    yield running
    running.shutdown()
    running.server_close()


def pooled(**kwargs: Any) -> Fetcher:
    return Fetcher(**{"allow_private": True, "resolver": names_resolver, "reuse_connections": True, **kwargs})


def test_many_fetches_of_one_host_share_one_connection(server: CountingServer) -> None:
    with pooled() as fetcher:
        pages = [fetcher.fetch(server.url("a.test")) for _ in range(5)]
    port = server.server_address[1]
    assert {page.content for page in pages} == {f"host=a.test:{port}; cookie=".encode()}
    assert server.opened == 1 and server.all_closed()


def test_without_reuse_each_fetch_has_its_own_connection(server: CountingServer) -> None:
    fetcher = Fetcher(allow_private=True, resolver=names_resolver)
    for _ in range(3):
        fetcher.fetch(server.url("a.test"))
    assert fetcher.pool is None and server.opened == 3 and server.all_closed()


def test_two_names_on_one_ip_never_share_a_connection(server: CountingServer) -> None:
    with pooled() as fetcher:
        for name in ("a.test", "b.test") * 3:
            assert fetcher.fetch(server.url(name)).content.startswith(f"host={name}:".encode())
    assert server.opened == 2
    assert sorted(len(hosts) for hosts in server.hosts.values()) == [1, 1]  # each connection served one name


def test_every_fetch_still_resolves_and_checks(server: CountingServer) -> None:
    """A kept connection to the first answer's IP is no reason to skip checking the next answer."""
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])
    calls: list[str] = []

    def rebinding(host: str, _port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    with pooled(allow_private=False, allowed_networks=["127.0.0.1/32"], resolver=rebinding) as fetcher:
        fetcher.fetch(server.url("a.test"))
        with pytest.raises(FetchError) as exc:
            fetcher.fetch(server.url("a.test"))
    assert exc.value.code == "NP121" and "10.0.0.1" in str(exc.value)
    assert calls == ["a.test", "a.test"] and server.opened == 1


def test_redirect_hops_are_checked_again(server: CountingServer) -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["169.254.169.254"] if host == "b.test" else names_resolver(host, port)

    with pooled(allow_private=False, allowed_networks=["127.0.0.1/32"], resolver=resolver) as fetcher:
        fetcher.fetch(server.url("a.test"))
        with pytest.raises(FetchError) as exc:
            fetcher.fetch(server.url("a.test", f"/redirect?to={server.url('b.test')}"))
    assert exc.value.code == "NP121" and "169.254.169.254" in str(exc.value) and "redirected from" in str(exc.value)


def test_limits_and_deadline_hold_on_a_kept_connection(server: CountingServer) -> None:
    with pooled(timeout_s=0.5, max_bytes=100_000) as fetcher:
        fetcher.fetch(server.url("a.test"))
        started = time.monotonic()
        with pytest.raises(FetchError) as slow:
            fetcher.fetch(server.url("a.test", "/slow"))
        assert "timed out after 0.5 s" in str(slow.value) and time.monotonic() - started < 1.5
        with pytest.raises(FetchError) as big:
            fetcher.fetch(server.url("a.test", "/big"))
        assert "exceeds the limit of 100000 bytes" in str(big.value)
        assert fetcher.fetch(server.url("a.test")).content.startswith(b"host=a.test:")
    assert server.opened == 3  # the timed-out connection was dropped; the refused body's was too


def test_cookies_follow_redirect_hops_but_not_later_fetches(server: CountingServer) -> None:
    with pooled() as fetcher:
        assert fetcher.fetch(server.url("a.test", "/cookie-redirect")).content.endswith(b"cookie=seen=1")
        assert fetcher.fetch(server.url("a.test")).content.endswith(b"cookie=")


def test_threads_share_the_pool(server: CountingServer) -> None:
    with pooled() as fetcher, ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(lambda i: fetcher.fetch(server.url(NAMES[i % 2])), range(40)))
    assert len(pages) == 40 and all(page.content.startswith(b"host=") for page in pages)
    assert 2 <= server.opened <= 8  # at most 4 requests at a time, per name
    assert all(len(hosts) == 1 for hosts in server.hosts.values()) and server.all_closed()


def test_pool_is_bounded_and_closes_what_it_drops(server: CountingServer) -> None:
    fetcher = pooled()
    assert fetcher.pool is not None
    fetcher.pool.max_clients = 2
    for name in NAMES:
        fetcher.fetch(server.url(name))
    assert len(fetcher.pool) == 2
    assert _eventually(lambda: server.finished == 1)  # a.test's client was dropped and closed
    fetcher.close()
    assert len(fetcher.pool) == 0 and server.all_closed()
    fetcher.fetch(server.url("a.test"))  # a closed fetcher still fetches, with a connection of its own
    assert server.opened == 4 and server.all_closed()


def _eventually(condition: Any, within_s: float = 3.0) -> bool:
    stop = time.monotonic() + within_s
    while not condition() and time.monotonic() < stop:
        time.sleep(0.02)
    return bool(condition())


class _FakeClient:
    def __init__(self) -> None:
        self.closed = False

    def close(self) -> None:
        self.closed = True


def test_a_client_in_use_is_closed_only_when_its_lease_ends() -> None:
    pool = ClientPool(_FakeClient, max_clients=1)  # type: ignore[arg-type]
    with pool.lease(("http", "a.test", "127.0.0.1", 80)) as first:
        with pool.lease(("http", "b.test", "127.0.0.1", 80)) as second:
            assert len(pool) == 1 and not first.closed  # evicted, still in use
        assert not second.closed
        pool.close()
        assert second.closed and not first.closed
    assert first.closed
    with pool.lease(("http", "a.test", "127.0.0.1", 80)) as late:
        assert not late.closed and len(pool) == 0
    assert late.closed


@pytest.fixture()
def tls_names(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> ssl.SSLContext:
    """A server context for a.test and b.test whose self-signed certificate the fetcher trusts."""
    if shutil.which("openssl") is None:
        pytest.skip("needs the openssl command")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    made = subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                           "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=a.test",
                           "-addext", "subjectAltName=DNS:a.test,DNS:b.test"], capture_output=True, check=False)
    if made.returncode != 0:
        pytest.skip(f"openssl could not make a certificate: {made.stderr.decode()[-200:]}")
    monkeypatch.setattr(fetch_module, "tls_context", lambda: ssl.create_default_context(cafile=str(cert)))
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    return context


def test_tls_connections_are_kept_per_sni_name(tls_names: ssl.SSLContext) -> None:
    server = CountingServer(tls_names)
    try:
        with pooled() as fetcher:
            for name in ("a.test", "b.test") * 3:
                assert fetcher.fetch(server.url(name)).content.startswith(f"host={name}:".encode())
        assert server.opened == 2 and sorted(n or "" for n in server.sni.values()) == ["a.test", "b.test"]
        for port, hosts in server.hosts.items():
            assert {host.split(":")[0] for host in hosts} == {server.sni[port]}  # Host is always the SNI name
        assert server.all_closed()
    finally:
        server.shutdown()
        server.server_close()
