"""Safe URL fetching: http(s) only, public addresses only, pinned connections, bounded bodies.

DNS-rebinding safety: each hop resolves the host name once, checks every address it resolves to,
and then connects to the checked IP itself (the URL's host is replaced by the IP literal). The
original name is sent in the `Host` header and, for https, as the TLS SNI name through httpx's
`sni_hostname` request extension, which httpcore also uses for certificate hostname verification.
A second, different DNS answer therefore can never be used. Redirects are followed by hand so the
same check runs on every hop, and proxies from the environment are ignored (`trust_env=False`).

One deadline (`timeout_s`) covers the whole fetch: every DNS resolution (run in a daemon thread, since
`getaddrinfo` has no timeout of its own), connect, redirect hop and body read gets only the time left.
Legacy IPv4 spellings (`2130706433`, `0x7f.1`) and `localhost` names are judged without asking DNS.

Connections: a fetcher built with `reuse_connections=True` (the updater's) keeps its httpx clients in a
`ClientPool`, one client per (scheme, host name, checked IP, port). httpcore pools connections by origin
(scheme, IP literal, port) only, so this key keeps a connection opened with one SNI/Host name from ever
serving another name on the same IP. Resolution and the address check still run on every hop of every
fetch; a pooled connection is only used when the checked IP is the one it is connected to. Cookies live
for one fetch (its redirect hops), never across fetches. Otherwise each fetch has clients of its own.
"""

from __future__ import annotations

import functools
import ipaddress
import re
import socket
import ssl
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx

from newsproof.errors import Errors, FetchError

ALLOWED_CONTENT_TYPES = ("text/html", "text/plain", "application/xhtml+xml")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
USER_AGENT = "newsproof/0.1 (+offline news verification)"
IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]
PoolKey = tuple[str, str, str, int]  # scheme, host name, checked IP, port
POOL_CLIENTS = 16  # host names (with their IPs) a pool keeps clients for; the least recently used go first
POOL_KEEPALIVE = 8  # idle connections kept per client
POOL_KEEPALIVE_S = 5.0  # how long an idle connection is kept
# Numeric host spellings that inet_aton (and so getaddrinfo) reads as IPv4: 2130706433, 0x7f.1, 127.1, 0177.0.0.1.
_LEGACY_IPV4 = re.compile(r"^(0x[0-9a-f]*|\d+)(\.(0x[0-9a-f]*|\d+)){0,3}\.?$", re.IGNORECASE)


@dataclass
class FetchedPage:
    """A fetched body with its final URL and media type."""

    url: str
    content: bytes
    content_type: str
    charset: str | None = None


def resolve(host: str, port: int) -> list[str]:
    """All IP addresses a host name resolves to (IPv4 first)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(str(info[4][0]) for info in infos))
    return sorted(addresses, key=lambda a: ":" in a)


def literal_addresses(host: str) -> list[str] | None:
    """The addresses a host stands for without DNS: an IP literal, a legacy numeric IPv4 spelling, or a
    `localhost` name (RFC 6761: always loopback); None for a name that needs resolving."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    if _LEGACY_IPV4.match(host):
        try:
            return [socket.inet_ntoa(socket.inet_aton(host.rstrip(".")))]
        except OSError:
            return None
    name = host.rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return ["127.0.0.1", "::1"]
    return None


def resolve_within(resolver: Resolver, host: str, port: int, seconds: float) -> list[str]:
    """`resolver(host, port)` given at most `seconds`: it runs in a daemon thread that is abandoned on
    timeout (a hung resolver cannot be interrupted, only not waited for). TimeoutError when it overruns."""
    if seconds <= 0:
        raise TimeoutError
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["addresses"] = resolver(host, port)
        except BaseException as exc:  # handed to the caller's thread
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="newsproof-resolve", daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        raise TimeoutError
    if "error" in outcome:
        raise outcome["error"]
    return outcome["addresses"]


def address_class(ip: IPAddress) -> str:
    """Why an address is not public: loopback, private, link-local, multicast, reserved, unspecified..."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return f"IPv4-mapped {address_class(ip.ipv4_mapped)}"
    if isinstance(ip, ipaddress.IPv6Address) and ip.sixtofour is not None:
        return f"6to4 {address_class(ip.sixtofour)}"
    for name in ("unspecified", "loopback", "link_local", "multicast", "reserved", "private"):
        if getattr(ip, f"is_{name}"):
            return name.replace("_", "-")
    return "public" if ip.is_global else "not globally routable"


def is_public(ip: IPAddress) -> bool:
    """True for globally routable unicast addresses (IPv4-mapped and 6to4 IPv6 judged by their IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address) and (ip.ipv4_mapped or ip.sixtofour) is not None:
        ip = ip.ipv4_mapped or ip.sixtofour
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


@functools.lru_cache(maxsize=1)
def tls_context() -> ssl.SSLContext:
    """One certificate-verifying TLS context per process: loading the CA bundle costs tens of
    milliseconds, which a fresh context per fetch would pay every time."""
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


@dataclass
class _Pooled:
    client: httpx.Client
    users: int = 0
    retired: bool = False  # evicted or the pool closed: closed when its last user is done


class ClientPool:
    """httpx clients by `PoolKey`, shared between threads, at most `max_clients` of them (least recently
    used evicted); a client is closed once it is evicted or the pool is closed and no lease holds it."""

    def __init__(self, make_client: Callable[[], httpx.Client], max_clients: int = POOL_CLIENTS) -> None:
        self.make_client = make_client
        self.max_clients = max(max_clients, 1)
        self._clients: OrderedDict[PoolKey, _Pooled] = OrderedDict()
        self._lock = threading.Lock()
        self._closed = False

    def __len__(self) -> int:
        return len(self._clients)

    @contextmanager
    def lease(self, key: PoolKey) -> Iterator[httpx.Client]:
        """The client for `key` while the block runs (after `close()`, a client of its own)."""
        with self._lock:
            entry = self._clients.pop(key, None) or _Pooled(self.make_client(), retired=self._closed)
            entry.users += 1
            retired = []
            if not self._closed:
                self._clients[key] = entry
                while len(self._clients) > self.max_clients:
                    retired.append(self._clients.popitem(last=False)[1])
        self._retire(retired)
        try:
            yield entry.client
        finally:
            with self._lock:
                entry.users -= 1
                done = entry.retired and entry.users == 0
            if done:
                entry.client.close()

    def close(self) -> None:
        """Close every client (one in use closes when its lease ends); later leases get clients of their own."""
        with self._lock:
            self._closed = True
            retired = list(self._clients.values())
            self._clients.clear()
        self._retire(retired)

    def _retire(self, entries: list[_Pooled]) -> None:
        idle = []
        with self._lock:
            for entry in entries:
                entry.retired = True
                if entry.users == 0:
                    idle.append(entry)
        for entry in idle:
            entry.client.close()


class Fetcher:
    """Fetch one URL under the address, redirect, size, time and content-type rules."""

    def __init__(
        self,
        *,
        timeout_s: float = 10.0,
        max_redirects: int = 5,
        max_bytes: int = 5_000_000,
        allow_private: bool = False,
        allowed_networks: Iterable[str] = (),
        resolver: Resolver = resolve,
        reuse_connections: bool = False,
    ) -> None:
        self.timeout_s = timeout_s
        self.max_redirects = max_redirects
        self.max_bytes = max_bytes
        self.allow_private = allow_private
        self.allowed_networks: list[Network] = [ipaddress.ip_network(n) for n in allowed_networks]
        self.resolver = resolver
        self.pool = ClientPool(self._client) if reuse_connections else None

    @classmethod
    def from_config(cls, config: dict[str, Any], *, allow_private: bool = False,
                    reuse_connections: bool = False) -> Fetcher:
        """Build from the full config dict ([fetch] and ingest.max_bytes)."""
        fetch = config["fetch"]
        return cls(timeout_s=fetch["timeout_s"], max_redirects=fetch["max_redirects"],
                   max_bytes=config["ingest"]["max_bytes"], allow_private=allow_private or fetch["allow_private"],
                   reuse_connections=reuse_connections)

    def close(self) -> None:
        """Close the kept connections (a no-op without `reuse_connections`); fetching afterwards still works."""
        if self.pool is not None:
            self.pool.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def fetch(self, url: str) -> FetchedPage:
        """Fetch `url`, following at most max_redirects redirects, each re-checked; FetchError on failure."""
        try:
            return self._fetch(url)
        except (httpx.TimeoutException, TimeoutError) as exc:
            why = f"timed out after {self.timeout_s:g} s"
            raise FetchError(Errors.E122.format(url=url, why=why), code="E122") from exc
        except httpx.HTTPError as exc:
            raise FetchError(
                Errors.E122.format(url=url, why=f"{type(exc).__name__}: {exc}"), code="E122"
            ) from exc

    def _client(self) -> httpx.Client:
        """A client for one pool key; it keeps no cookies (each fetch carries its own)."""
        limits = httpx.Limits(max_connections=None, max_keepalive_connections=POOL_KEEPALIVE,
                              keepalive_expiry=POOL_KEEPALIVE_S)  # no pool wait: timeouts stay the fetch's own
        return httpx.Client(timeout=httpx.Timeout(self.timeout_s), trust_env=False, follow_redirects=False,
                            verify=tls_context(), limits=limits,
                            cookies=CookieJar(DefaultCookiePolicy(allowed_domains=[])))

    def _fetch(self, url: str) -> FetchedPage:
        deadline = time.monotonic() + self.timeout_s
        current = self._parse(url)
        pool = self.pool if self.pool is not None else ClientPool(self._client)  # else: this fetch's own
        cookies = httpx.Cookies()  # this fetch's cookies: its redirect hops share them, other fetches do not
        try:
            for hop in range(self.max_redirects + 1):
                ip = self._checked_address(
                    current, deadline, shown=str(current) if hop == 0 else f"{current} (redirected from {url})"
                )
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                request = self._request(current, ip)
                with pool.lease(self._pool_key(current, ip)) as client, \
                        client.stream(**request, cookies=cookies, timeout=httpx.Timeout(left)) as response:
                    cookies.extract_cookies(response)
                    if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                        current = self._parse(str(current.join(response.headers["location"])), origin=url)
                        continue
                    return self._read(current, response, deadline)
        finally:
            if pool is not self.pool:
                pool.close()
        raise FetchError(
            Errors.E121.format(url=url, why=f"more than {self.max_redirects} redirects"), code="E121"
        )

    @staticmethod
    def _pool_key(url: httpx.URL, ip: str) -> PoolKey:
        """Connections are shared only by requests with the same scheme, host name (SNI), checked IP and port."""
        return url.scheme, url.host, ip, _port(url)

    def _parse(self, url: str, *, origin: str | None = None) -> httpx.URL:
        shown = url if origin is None else f"{url} (redirected from {origin})"
        try:
            parsed = httpx.URL(url)
        except (httpx.InvalidURL, ValueError) as exc:
            raise FetchError(
                Errors.E121.format(url=shown, why=f"not a valid URL ({exc})"), code="E121"
            ) from exc
        if parsed.scheme not in ("http", "https"):
            why = f"scheme {parsed.scheme or 'none'!r} is not allowed; only http and https"
            raise FetchError(Errors.E121.format(url=shown, why=why), code="E121")
        if not parsed.host:
            raise FetchError(Errors.E121.format(url=shown, why="the URL has no host"), code="E121")
        return parsed

    def _checked_address(self, url: httpx.URL, deadline: float, *, shown: str) -> str:
        """Resolve the host (by the deadline) and return an address that passed the check (all must pass)."""
        port = _port(url)
        addresses = literal_addresses(url.host)
        if addresses is None:
            try:
                addresses = resolve_within(self.resolver, url.host, port, deadline - time.monotonic())
            except TimeoutError:
                raise
            except (OSError, UnicodeError) as exc:
                why = f"cannot resolve host {url.host!r} ({exc})"
                raise FetchError(Errors.E122.format(url=shown, why=why), code="E122") from exc
        if not addresses:
            raise FetchError(
                Errors.E122.format(url=shown, why=f"host {url.host!r} has no address"), code="E122"
            )
        for address in addresses:
            ip = ipaddress.ip_address(address.split("%")[0])
            allowed = self.allow_private or is_public(ip) or any(ip in net for net in self.allowed_networks)
            if not allowed:
                why = (
                    f"host {url.host!r} resolves to non-public address {ip} ({address_class(ip)}); "
                    "--allow-private-urls (allow_private_urls=True) opts out"
                )
                raise FetchError(Errors.E121.format(url=shown, why=why), code="E121")
        return addresses[0]

    def _request(self, url: httpx.URL, ip: str) -> dict[str, Any]:
        host_header = url.host if url.port is None else f"{url.host}:{url.port}"
        pinned = url.copy_with(host=ip)
        extensions = {"sni_hostname": url.host} if url.scheme == "https" else {}
        headers = {"Host": host_header, "User-Agent": USER_AGENT, "Accept": ", ".join(ALLOWED_CONTENT_TYPES)}
        return {"method": "GET", "url": pinned, "headers": headers, "extensions": extensions}

    def _read(self, url: httpx.URL, response: httpx.Response, deadline: float) -> FetchedPage:
        if response.status_code >= 400:
            raise FetchError(
                Errors.E122.format(url=url, why=f"HTTP status {response.status_code}"), code="E122"
            )
        media_type, _, params = response.headers.get("content-type", "").partition(";")
        media_type = media_type.strip().lower()
        if media_type not in ALLOWED_CONTENT_TYPES:
            why = f"content type {media_type or 'missing'!r} is not one of {', '.join(ALLOWED_CONTENT_TYPES)}"
            raise FetchError(Errors.E121.format(url=url, why=why), code="E121")
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            why = f"body of {declared} bytes exceeds the limit of {self.max_bytes} bytes"
            raise FetchError(Errors.E121.format(url=url, why=why), code="E121")
        body = bytearray()
        for chunk in response.iter_bytes():
            body += chunk
            if len(body) > self.max_bytes:
                why = f"body exceeds the limit of {self.max_bytes} bytes"
                raise FetchError(Errors.E121.format(url=url, why=why), code="E121")
            if time.monotonic() > deadline:
                why = f"timed out after {self.timeout_s:g} s"
                raise FetchError(Errors.E122.format(url=url, why=why), code="E122")
        charset = next((p.split("=", 1)[1].strip(" \"'") for p in params.split(";") if "charset=" in p), None)
        return FetchedPage(url=str(url), content=bytes(body), content_type=media_type, charset=charset)


def _port(url: httpx.URL) -> int:
    return url.port or (443 if url.scheme == "https" else 80)


def fetch_url(url: str, *, config: dict[str, Any], allow_private: bool = False) -> FetchedPage:
    """Fetch a URL with the [fetch] settings of `config`; FetchError on any refusal or failure."""
    return Fetcher.from_config(config, allow_private=allow_private).fetch(url)
