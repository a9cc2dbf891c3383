"""URL fetching against a real HTTP server on 127.0.0.1: address checks, redirects, size, time, types."""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from collections.abc import Iterator

import pytest

from newsproof.config import load_config
from newsproof.errors import FetchError
from newsproof.ingest import ingest
from newsproof.ingest.fetch import Fetcher, is_public, literal_addresses


def _config(**fetch: object) -> dict:
    config = load_config()
    return {**config, "fetch": {**config["fetch"], **fetch}}


def test_loopback_url_is_refused_by_default(local_server: str) -> None:
    with pytest.raises(FetchError) as exc:
        ingest(f"{local_server}/article")
    assert exc.value.code == "NP121"
    assert "127.0.0.1" in str(exc.value) and "non-public" in str(exc.value)


def test_host_name_resolving_to_loopback_is_refused(local_server: str) -> None:
    port = local_server.rsplit(":", 1)[1]
    with pytest.raises(FetchError) as exc:
        ingest(f"http://localhost:{port}/article")
    assert exc.value.code == "NP121"


def test_opt_out_fetches_and_ingests_the_page(local_server: str) -> None:
    article = ingest(f"{local_server}/article", allow_private_urls=True)
    assert article.source_kind == "url"
    assert article.url == f"{local_server}/article"
    assert article.title == "Soleimani killed in US strike at Baghdad airport"
    assert article.byline == "Jane Doe"
    assert article.text.startswith("Iran's most powerful military commander")


def test_plain_text_url(local_server: str) -> None:
    article = ingest(f"{local_server}/text", allow_private_urls=True)
    assert article.title == "Iran's Soleimani killed in US air strike at Baghdad airport"


def test_config_allow_private_also_opts_out(local_server: str) -> None:
    article = ingest(f"{local_server}/article", config=_config(allow_private=True))
    assert article.byline == "Jane Doe"


def test_redirect_chain_is_followed(local_server: str) -> None:
    page = Fetcher(allow_private=True, max_redirects=5).fetch(f"{local_server}/redirect/3")
    assert page.url == f"{local_server}/article"
    assert page.content_type == "text/html" and page.charset == "utf-8"


def test_too_many_redirects_are_refused(local_server: str) -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True, max_redirects=2).fetch(f"{local_server}/redirect/5")
    assert exc.value.code == "NP121" and "more than 2 redirects" in str(exc.value)


def test_redirect_target_is_checked_again(local_server: str) -> None:
    # The first hop's address is explicitly allowed; the redirect to the cloud metadata address is not.
    fetcher = Fetcher(allowed_networks=["127.0.0.1/32"])
    assert fetcher.fetch(f"{local_server}/article").content.startswith(b"<!DOCTYPE html>")
    with pytest.raises(FetchError) as exc:
        fetcher.fetch(f"{local_server}/to-private")
    assert exc.value.code == "NP121"
    assert "169.254.169.254" in str(exc.value) and "redirected from" in str(exc.value)


def test_connection_goes_to_the_checked_address(local_server: str) -> None:
    """A name the system cannot resolve works only because the checked IP itself is dialled."""
    port = int(local_server.rsplit(":", 1)[1])
    answers = iter([["127.0.0.1"], ["10.0.0.1"]])  # a rebinding DNS server would switch answers
    calls: list[str] = []

    def rebinding_resolver(host: str, _port: int) -> list[str]:
        calls.append(host)
        return next(answers)

    fetcher = Fetcher(allowed_networks=["127.0.0.1/32"], resolver=rebinding_resolver)
    page = fetcher.fetch(f"http://rebind.invalid:{port}/echo-host")
    assert page.content == f"Host header was rebind.invalid:{port}".encode()
    assert calls == ["rebind.invalid"]


@pytest.mark.parametrize("path", ["/big", "/big-declared"])
def test_oversize_body_is_refused(local_server: str, path: str) -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True, max_bytes=100_000).fetch(f"{local_server}{path}")
    assert exc.value.code == "NP121" and "exceeds the limit of 100000 bytes" in str(exc.value)


@pytest.mark.parametrize("path", ["/slow", "/drip"])
def test_slow_response_times_out(local_server: str, path: str) -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True, timeout_s=0.5).fetch(f"{local_server}{path}")
    assert exc.value.code == "NP122" and "timed out after 0.5 s" in str(exc.value)


def test_wrong_content_type_is_refused(local_server: str) -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True).fetch(f"{local_server}/image")
    assert exc.value.code == "NP121" and "image/png" in str(exc.value)


def test_http_error_status(local_server: str) -> None:
    with pytest.raises(FetchError) as exc:
        Fetcher(allow_private=True).fetch(f"{local_server}/missing")
    assert exc.value.code == "NP122" and "404" in str(exc.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/a.txt", "gopher://example.org/"])
def test_non_http_schemes_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as exc:
        ingest(url)
    assert exc.value.code == "NP121" and "only http and https" in str(exc.value)


def test_unresolvable_host() -> None:
    def no_dns(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(FetchError) as exc:
        Fetcher(resolver=no_dns).fetch("https://news.invalid/article")
    assert exc.value.code == "NP122" and "cannot resolve" in str(exc.value)


@pytest.fixture()
def hung() -> Iterator[threading.Event]:
    """An event a hanging resolver waits on; set at teardown so its thread ends."""
    release = threading.Event()
    yield release
    release.set()


def test_hanging_resolver_is_cut_off_by_the_deadline(hung: threading.Event) -> None:
    def hanging(host: str, port: int) -> list[str]:
        hung.wait(60)
        return ["93.184.215.14"]

    started = time.monotonic()
    with pytest.raises(FetchError) as exc:
        Fetcher(timeout_s=0.5, resolver=hanging).fetch("https://news.example/article")
    assert exc.value.code == "NP122" and "timed out after 0.5 s" in str(exc.value)
    assert time.monotonic() - started < 2


def test_hanging_system_dns_is_cut_off(hung: threading.Event, monkeypatch: pytest.MonkeyPatch) -> None:
    """The default resolver calls socket.getaddrinfo, which has no timeout of its own."""
    def getaddrinfo(*args: object, **kwargs: object) -> list:
        hung.wait(60)
        raise OSError("too late")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    started = time.monotonic()
    with pytest.raises(FetchError) as exc:
        Fetcher(timeout_s=0.5).fetch("http://news.example/")
    assert "timed out after 0.5 s" in str(exc.value) and time.monotonic() - started < 2


def test_one_deadline_covers_every_hop(local_server: str) -> None:
    """Each of 5 hops resolves in 0.3 s, each quick on its own; together they overrun a 1 s deadline."""
    port = local_server.rsplit(":", 1)[1]

    def slow_dns(host: str, _port: int) -> list[str]:
        time.sleep(0.3)
        return ["127.0.0.1"]

    fetcher = Fetcher(timeout_s=1.0, allowed_networks=["127.0.0.1/32"], resolver=slow_dns)
    assert fetcher.fetch(f"http://news.test:{port}/article").content  # one hop fits
    started = time.monotonic()
    with pytest.raises(FetchError) as exc:
        fetcher.fetch(f"http://news.test:{port}/redirect/3")  # 4 redirects, all to news.test again
    assert "timed out after 1 s" in str(exc.value), str(exc.value)
    assert time.monotonic() - started < 1.5


@pytest.mark.parametrize(("host", "addresses"), [
    ("2130706433", ["127.0.0.1"]), ("0x7f.0.0.1", ["127.0.0.1"]), ("127.1", ["127.0.0.1"]),
    ("017700000001", ["127.0.0.1"]), ("LOCALHOST.", ["127.0.0.1", "::1"]), ("api.localhost", ["127.0.0.1", "::1"]),
    ("::1", ["::1"]), ("news.example", None), ("1.example", None),
])
def test_hosts_judged_without_dns(host: str, addresses: list[str] | None) -> None:
    assert literal_addresses(host) == addresses


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2001:4860:4860::8888", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("224.0.0.1", False),
        ("0.0.0.0", False),
        ("100.64.0.1", False),
        ("240.0.0.1", False),
        ("::1", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("::ffff:127.0.0.1", False),
        ("ff02::1", False),
    ],
)
def test_is_public(address: str, public: bool) -> None:
    assert is_public(ipaddress.ip_address(address)) is public
