"""URL fetching cannot be turned against the machine: every non-public address class is refused (after
DNS, after every redirect, DNS-rebinding safe), with a clear error; caps hold; the opt-out works.
A real HTTP server on 127.0.0.1 plays the victim."""

from __future__ import annotations

import contextlib
import ipaddress
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote

import pytest
from support.hostile import NEWS_EN, NEWSPROOF, Tally, one_line_error, run_child

from newsproof.errors import FetchError
from newsproof.ingest import ingest
from newsproof.ingest.fetch import Fetcher

PAGE = f"<!DOCTYPE html><html><head><title>Flood defences fail</title></head><body><article><p>{NEWS_EN}</p>" \
       f"<p>{NEWS_EN}</p></article></body></html>".encode()
LOCAL = ["127.0.0.1/32"]  # the test server's network, allowed explicitly where a test needs a first hop


class Victim(BaseHTTPRequestHandler):
    """/article, /redirect?to=URL, /chain/N, /big, /drip, /hits (how many requests arrived)."""

    hits = 0

    def log_message(self, *args: object) -> None:
        return

    def do_GET(self) -> None:
        Victim.hits += 1
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            path, _, query = self.path.partition("?")
            if path == "/article":
                self._send(200, PAGE)
            elif path == "/redirect":
                self._send(302, b"", location=unquote(query.removeprefix("to=")))
            elif path.startswith("/chain/"):
                left = int(path.rsplit("/", 1)[1])
                self._send(302, b"", location="/article" if left == 0 else f"/chain/{left - 1}")
            elif path == "/big":
                self._send(200, b"<p>" + b"a" * 3_000_000 + b"</p>", length=False)
            elif path == "/drip":
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.end_headers()
                for _ in range(100):
                    self.wfile.write(b"<p>drip</p>")
                    self.wfile.flush()
                    time.sleep(0.05)
            else:
                self._send(404, b"")

    def _send(self, status: int, body: bytes, *, location: str | None = None, length: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if location:
            self.send_header("Location", location)
        if length:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def victim() -> Iterator[str]:
    """Base URL of the victim server on loopback."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Victim)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


REFUSED = [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("10.1.2.3", "private"), ("172.16.5.4", "private"),
    ("192.168.0.1", "private"), ("169.254.169.254", "link-local"), ("224.0.0.251", "multicast"),
    ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"), ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "not globally routable"), ("198.18.0.1", "private"), ("::1", "loopback"),
    ("::", "unspecified"), ("fe80::1", "link-local"), ("fc00::1", "private"), ("fd12:3456::1", "private"),
    ("ff02::1", "multicast"), ("::ffff:127.0.0.1", "IPv4-mapped loopback"),
    ("::ffff:169.254.169.254", "IPv4-mapped link-local"), ("::ffff:10.0.0.1", "IPv4-mapped private"),
    ("2002:7f00:1::", "6to4 loopback"), ("2002:a00:1::", "6to4 private"), ("64:ff9b::a00:1", "reserved"),
]


@pytest.mark.parametrize(("address", "why"), REFUSED)
def test_every_non_public_class_is_refused_after_dns(address: str, why: str) -> None:
    """A public-looking name resolving to the address is refused before any connection, naming the class."""
    with pytest.raises(FetchError) as exc:
        Fetcher(resolver=lambda host, port: [address]).fetch("https://news.example/article")
    message = str(exc.value)
    assert exc.value.code == "NP121" and f"non-public address {ipaddress.ip_address(address)} ({why})" in message
    assert "--allow-private-urls" in message


@pytest.mark.parametrize("address", [a for a, _ in REFUSED])
def test_ip_literal_urls_are_refused(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    with pytest.raises(FetchError) as exc:
        Fetcher().fetch(f"http://{host}:9/")
    assert exc.value.code == "NP121"


@pytest.mark.parametrize("url", ["http://2130706433/", "http://0x7f.0.0.1/", "http://127.1/",
                                 "http://localhost/", "http://user:pw@127.0.0.1/", "http://LOCALHOST./"])
def test_obfuscated_loopback_spellings_are_refused(url: str) -> None:
    """Refused as loopback without asking DNS (the resolver must not be called): a failed lookup is no pass."""
    def no_dns(host: str, port: int) -> list[str]:
        raise AssertionError(f"DNS asked for {host!r}")

    with pytest.raises(FetchError) as exc:
        Fetcher(timeout_s=2, resolver=no_dns).fetch(url)
    assert exc.value.code == "NP121" and "(loopback)" in str(exc.value), str(exc.value)


def test_one_private_answer_among_public_ones_is_refused() -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher(resolver=lambda host, port: ["93.184.215.14", "10.0.0.7"]).fetch("http://news.example/")
    assert "10.0.0.7" in str(exc.value)


@pytest.mark.parametrize("scheme_url", ["file:///etc/passwd", "ftp://news.example/a", "gopher://news.example/",
                                        "data:text/html,<p>x</p>", "javascript:alert(1)", "dict://127.0.0.1:11211/"])
def test_only_http_and_https(scheme_url: str) -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher().fetch(scheme_url)
    assert exc.value.code == "NP121"


@pytest.mark.parametrize("target", ["http://10.0.0.1/", "http://[::1]/", "http://169.254.169.254/latest/meta-data/",
                                    "http://[::ffff:127.0.0.1]/", "http://127.0.0.2/", "file:///etc/passwd"])
def test_redirects_to_private_targets_are_refused(victim: str, target: str) -> None:
    before = Victim.hits
    with pytest.raises(FetchError) as exc:
        Fetcher(allowed_networks=LOCAL).fetch(f"{victim}/redirect?to={target}")
    assert exc.value.code == "NP121" and "redirected from" in str(exc.value)
    assert Victim.hits == before + 1  # only the first hop reached a server


def test_dns_rebinding_between_hops_is_refused(victim: str) -> None:
    """The same name answers the loopback test server first, then a private address: the second hop is refused."""
    port = victim.rsplit(":", 1)[1]
    answers = iter([["127.0.0.1"], ["10.9.8.7"]])
    fetcher = Fetcher(allowed_networks=LOCAL, resolver=lambda host, p: next(answers))
    with pytest.raises(FetchError) as exc:
        fetcher.fetch(f"http://rebind.example:{port}/redirect?to=http://rebind.example:{port}/article")
    assert "10.9.8.7" in str(exc.value) and "redirected from" in str(exc.value)


def test_redirect_cap(victim: str) -> None:
    assert Fetcher(allow_private=True, max_redirects=3).fetch(f"{victim}/chain/2").content == PAGE  # 3 hops
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True, max_redirects=3).fetch(f"{victim}/chain/3")
    assert "more than 3 redirects" in str(exc.value)


def test_size_and_time_caps(victim: str) -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True, max_bytes=1_000_000).fetch(f"{victim}/big")
    assert "exceeds the limit of 1000000 bytes" in str(exc.value)
    started = time.monotonic()
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True, timeout_s=1.0).fetch(f"{victim}/drip")  # each read is quick; the total is not
    assert "timed out after 1 s" in str(exc.value) and time.monotonic() - started < 3


def test_opt_out_reaches_the_local_server(victim: str) -> None:
    article = ingest(f"{victim}/article", allow_private_urls=True)
    assert article.title == "Flood defences fail" and "Riverton" in article.text
    with pytest.raises(FetchError):
        ingest(f"{victim}/article")


@pytest.mark.slow
def test_cli_refuses_then_opts_out(victim: str, np_home: Path, tally: Tally, tmp_path: Path) -> None:
    refused = run_child([*NEWSPROOF, "check", f"{victim}/article"], timeout=240,
                        env={"NEWSPROOF_HOME": str(np_home)}, workdir=tmp_path / "refused")
    tally.record("check-url:loopback", refused, crashed=refused.returncode not in (0, 1, 2, None))
    assert one_line_error(refused) and b"127.0.0.1 (loopback)" in refused.stderr
    allowed = run_child([*NEWSPROOF, "check", f"{victim}/article", "--allow-private-urls", "--format", "json"],
                        timeout=240, env={"NEWSPROOF_HOME": str(np_home)}, workdir=tmp_path / "allowed")
    tally.record("check-url:allowed", allowed, crashed=allowed.returncode not in (0, 1, 2, None))
    assert allowed.returncode in (0, 1), allowed.stderr[-500:]
    assert b"Riverton" in allowed.stdout
