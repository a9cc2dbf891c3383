"""A news site on 127.0.0.1 for update tests and the benchmark: real-format RSS 2.0, Atom, a news sitemap
index, a Google Fact Check-style JSON export and a fact-checker's page with ClaimReview JSON-LD, the
article pages they link to, robots.txt, and broken feeds (HTTP 500, a time-out, malformed XML). Variants of
the fixed stories: AMP pages and partner copies (with a cross-site canonical link), listed in
/feeds/variants.xml; /sitemap-lastmod.xml gives each story's <lastmod> (its `updated`, else its date).

Every answer carries an ETag and honours If-None-Match with 304; `site.log` records (path, status).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.sax.saxutils import escape

RSS_TYPE, ATOM_TYPE, XML_TYPE = "application/rss+xml", "application/atom+xml", "application/xml"
HTML_TYPE, JSON_TYPE = "text/html; charset=utf-8", "application/json"


@dataclass
class Route:
    """One resource: body, media type, and optionally a delay or an error status."""

    body: bytes
    content_type: str = HTML_TYPE
    status: int = 200
    delay_s: float = 0.0

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body).hexdigest()[:16] + '"'


@dataclass
class Story:
    """An article of the site."""

    slug: str
    title: str
    paragraphs: list[str]
    date: dt.date
    updated: str = ""  # Atom <updated>; changes when the story is edited

    @property
    def stamp(self) -> str:
        return self.updated or self.date.isoformat() + "T08:00:00Z"

    def html(self, canonical: str | None = None, note: str = "") -> bytes:
        body = "\n".join(f"<p>{escape(p)}</p>" for p in [*self.paragraphs, *([note] if note else [])])
        return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{escape(self.title)}</title>
<meta property="article:published_time" content="{self.date.isoformat()}T08:00:00Z">
<link rel="canonical" href="{canonical or f'/news/{self.slug}.html'}"></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a> <a href="/business">Business</a></nav>
<article><h1>{escape(self.title)}</h1><p class="byline">By Ann Reporter</p>
{body}
</article><footer>Copyright The Riverton Courier. All rights reserved.</footer></body></html>""".encode()


def make_stories(today: dt.date, n: int) -> list[Story]:
    """The fixed stories (the first is about today) and `n - 3` generated ones."""
    fixed = [
        Story("bridge-vote", "Riverton council approves new bridge over the Stour", [
            f"The Riverton city council voted on {today:%d %B %Y} to approve a new bridge over the river Stour, "
            "ending a debate that had lasted more than ten years.",
            "The bridge will cost 45 million dollars and is due to open in 2028, the council's finance chair, "
            "Margaret Ellison, told reporters after the vote.",
            "Opponents said the money should have gone to the town's flood defences, which failed twice last winter.",
            "The design, by the engineering firm Hallam and Reed, carries two traffic lanes, a cycle path and a wide "
            "footpath, and replaces a single-lane crossing built in 1952 that has been closed to lorries since 2019.",
            "Traders on the north bank welcomed the decision. Several said the detour through Eastfield had cost "
            "them customers every winter, when the old crossing was closed for repairs for weeks at a time.",
            "Work on the foundations is expected to begin next spring, once the river authority has approved the "
            "plans for the piers and the temporary jetty that builders will use during construction.",
            "The council will publish the full contract, including penalties for delays, on its website next week, "
            "Ellison said, adding that residents would be able to follow the project's spending month by month.",
            "A public meeting on the building work, its noise and the closure of Mill Lane during construction "
            "will be held at the Riverton town hall in January.",
        ], today),
        Story("harbour-strike", "Dock workers in Port Alden end a three-week strike", [
            f"Dock workers at the port of Port Alden returned to work on {today:%d %B %Y} after a three-week strike "
            "over pay and shift patterns.",
            "The union said its members had accepted a pay rise of 6 percent over two years.",
        ], today),
        Story("library-reopens", "Historic Millbrook library reopens after restoration", [
            "The Millbrook public library reopened its doors after a two-year restoration of its Victorian "
            "reading room, funded by local donors.",
            "More than 2,000 visitors came on the first day, the library's director said.",
        ], today - dt.timedelta(days=1)),
    ]
    extra = [Story(f"story-{i}", f"Regional council report number {i} on local transport", [
        f"The regional council published report number {i} on local transport on {today:%d %B %Y}, covering "
        f"bus routes, cycle lanes and the cost of {i % 90 + 10} new electric buses for the district.",
        f"Officials said that district {i % 17} would see the first changes, with consultations planned in "
        "every town before any route is closed or moved.",
        "Residents can comment on the plans online or at public meetings held in each town hall next month.",
    ], today) for i in range(max(n - 3, 0))]
    return fixed + extra


def amp_page(story: Story, base: str) -> bytes:
    """The AMP version of a story: other markup, a shorter text, an absolute canonical link to the story."""
    body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[:3])
    return f"""<!doctype html><html amp lang="en"><head><meta charset="utf-8"><title>{escape(story.title)}</title>
<link rel="amphtml" href="{base}/amp/news/{story.slug}.html">
<link rel="canonical" href="{base}/news/{story.slug}.html"></head><body><article><h1>{escape(story.title)}</h1>
{body}<p>Read the full story and more local news on the Riverton Courier website.</p></article></body></html>""".encode()


def rss(stories: list[Story], base: str, links: list[str] | None = None) -> bytes:
    """RSS 2.0 listing the stories (by default under /news/ with a tracking parameter; `links` overrides)."""
    links = links or [f"{base}/news/{s.slug}.html?utm_source=rss" for s in stories]
    items = "".join(f"""<item><title>{escape(s.title)}</title><link>{link}</link>
<guid isPermaLink="false">{s.slug}</guid><pubDate>{_rfc822(s.date)}</pubDate>
<description>{escape(s.paragraphs[0][:120])}</description></item>
""" for s, link in zip(stories, links, strict=True))
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>The Riverton Courier</title><link>{base}/</link>
<description>Local news</description>
{items}</channel></rss>""".encode()


def atom(stories: list[Story], base: str) -> bytes:
    entries = "".join(f"""<entry><title>{escape(s.title)}</title><link href="{base}/news/{s.slug}.html"/>
<id>tag:riverton.example,{s.date.isoformat()}:{s.slug}</id><published>{s.date.isoformat()}T08:00:00Z</published>
<updated>{s.stamp}</updated></entry>
""" for s in stories)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>The Riverton Courier (Atom)</title>
<id>tag:riverton.example,2024:feed</id><updated>{dt.date.today().isoformat()}T08:00:00Z</updated>
{entries}</feed>""".encode()


def sitemap_index(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>{base}/sitemap-news.xml</loc></sitemap>
<sitemap><loc>{base}/sitemap-missing.xml</loc></sitemap>
</sitemapindex>""".encode()


def news_sitemap(stories: list[Story], base: str, lastmod: bool = False) -> bytes:
    urls = "".join(f"""<url><loc>{base}/news/{s.slug}.html</loc>{f"<lastmod>{s.stamp}</lastmod>" if lastmod else ""}
<news:news><news:publication>
<news:name>The Riverton Courier</news:name><news:language>en</news:language></news:publication>
<news:publication_date>{s.date.isoformat()}</news:publication_date><news:title>{escape(s.title)}</news:title>
</news:news></url>
""" for s in stories)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
{urls}</urlset>""".encode()


def factcheck_export(today: dt.date) -> bytes:
    """The shape of the Google Fact Check Tools API's claims:search answer."""
    return json.dumps({"claims": [
        {"text": "The Stour bridge will cost 900 million dollars.", "claimant": "A social media post",
         "claimDate": today.isoformat(), "claimReview": [{
             "publisher": {"name": "Riverton Fact Check", "site": "riverton.example"},
             "url": "https://riverton.example/factcheck/bridge-cost", "title": "No, the bridge will not cost $900m",
             "reviewDate": today.isoformat(), "textualRating": "False", "languageCode": "en"}]},
        {"text": "Port Alden dock workers accepted a 6 percent pay rise.", "claimant": "Union statement",
         "claimDate": today.isoformat(), "claimReview": [{
             "publisher": {"name": "Riverton Fact Check"}, "url": "https://riverton.example/factcheck/pay-rise",
             "reviewDate": today.isoformat(), "textualRating": "True", "languageCode": "en"}]},
    ]}).encode()


def factcheck_page(today: dt.date) -> bytes:
    review = {"@context": "https://schema.org", "@type": "ClaimReview", "url": "https://riverton.example/fc/library",
              "claimReviewed": "The Millbrook library was closed for ten years.", "datePublished": today.isoformat(),
              "author": {"@type": "Organization", "name": "Riverton Fact Check"},
              "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1,
                               "alternateName": "False"},
              "itemReviewed": {"@type": "Claim", "author": {"@type": "Person", "name": "A council candidate"}}}
    return f"""<!DOCTYPE html><html><head><title>Fact check: the library</title>
<script type="application/ld+json">{json.dumps(review)}</script></head><body><article>
<h1>Was the Millbrook library closed for ten years?</h1><p>No. It was closed for two years for restoration.</p>
</article></body></html>""".encode()


def _rfc822(day: dt.date) -> str:
    return dt.datetime(day.year, day.month, day.day, 8, 0, tzinfo=dt.UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")


@dataclass
class FeedSite:
    """The site's resources and request log; `start()` serves them on 127.0.0.1."""

    n_stories: int = 3
    today: dt.date = field(default_factory=dt.date.today)
    routes: dict[str, Route] = field(default_factory=dict)
    log: list[tuple[str, int]] = field(default_factory=list)
    host: str = "news.example.com"  # resolved to 127.0.0.1 by `resolve` (trafilatura's sitemap reader needs a domain)
    base: str = ""

    def build(self) -> None:
        """(Re)build every route from the stories."""
        b = self.base
        self.routes.update({
            "/robots.txt": Route(b"User-agent: *\nDisallow: /private/\n", "text/plain"),
            "/rss.xml": Route(rss(self.stories, b), RSS_TYPE),
            "/atom.xml": Route(atom(self.stories, b), ATOM_TYPE),
            "/sitemap_index.xml": Route(sitemap_index(b), XML_TYPE),
            "/sitemap-news.xml": Route(news_sitemap(self.stories, b), XML_TYPE),
            "/sitemap-lastmod.xml": Route(news_sitemap(self.stories, b, lastmod=True), XML_TYPE),
            "/factchecks.json": Route(factcheck_export(self.today), JSON_TYPE),
            "/factcheck/library.html": Route(factcheck_page(self.today)),
            "/feeds/error.xml": Route(b"oops", "text/plain", status=500),
            "/feeds/slow.xml": Route(rss(self.stories[:1], b), RSS_TYPE, delay_s=3.0),
            "/feeds/malformed.xml": Route(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Broken</title>'
                                          b"<item><title>Half an item", RSS_TYPE),
            "/feeds/private.xml": Route(rss(self.stories[:1], b).replace(b"/news/bridge-vote", b"/private/secret"),
                                        RSS_TYPE),
            "/private/secret.html": Route(self.stories[0].html()),
        })
        for story in self.stories:
            self.routes[f"/news/{story.slug}.html"] = Route(story.html())
        bridge, _, library = self.stories[:3]
        self.routes.update({
            f"/amp/news/{bridge.slug}.html": Route(amp_page(bridge, b)),
            f"/partner/{library.slug}.html": Route(library.html(
                canonical=f"https://www.millbrook-gazette.example.org/news/{library.slug}.html",
                note="This story first appeared in the Millbrook Gazette and is republished with permission.")),
            # one story under its page URL, a non-tracking query, its AMP URL; a partner copy
            "/feeds/variants.xml": Route(rss([bridge, bridge, bridge, library], b, [
                f"{b}/news/{bridge.slug}.html?utm_source=rss", f"{b}/news/{bridge.slug}.html?output=print",
                f"{b}/amp/news/{bridge.slug}.html", f"{b}/partner/{library.slug}.html"]), RSS_TYPE),
        })

    def edit(self, slug: str, paragraphs: list[str], updated: str) -> None:
        """Change a story (its Atom <updated> too) and rebuild the routes."""
        story = next(s for s in self.stories if s.slug == slug)
        story.paragraphs, story.updated = paragraphs, updated
        self.build()

    def start(self) -> FeedSite:
        self.stories = make_stories(self.today, self.n_stories)
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # TCP_NODELAY, as production servers set it: headers and body go out in two writes, and with Nagle
            # the body of an answer on a kept-alive connection would wait for the client's delayed ACK (~40 ms)
            disable_nagle_algorithm = True

            def log_message(self, *args: object) -> None:
                return

            def handle(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):  # a client that gave up
                    super().handle()

            def do_GET(self) -> None:
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    site._answer(self)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://{self.host}:{self.server.server_address[1]}"
        self.build()
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path.split("?", 1)[0]
        route = self.routes.get(path)
        if route is None:
            status, body, ctype, etag = 404, b"not found", "text/plain", None
        else:
            if route.delay_s:
                time.sleep(route.delay_s)
            status, body, ctype, etag = route.status, route.body, route.content_type, route.etag
            if status == 200 and handler.headers.get("If-None-Match") == etag:
                status, body = 304, b""
        self.log.append((path, status))
        handler.send_response(status)
        if status != 304:
            handler.send_header("Content-Type", ctype)
        if etag:
            handler.send_header("ETag", etag)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def resolve(self, host: str, port: int) -> list[str]:
        """A resolver for the fetcher: the site's host name is 127.0.0.1, nothing else resolves."""
        if host != self.host:
            raise OSError(f"{host} does not resolve in tests")
        return ["127.0.0.1"]

    def url(self, path: str) -> str:
        return self.base + path

    def hits(self, path: str, status: int | None = None) -> int:
        return sum(1 for p, s in self.log if p == path and (status is None or s == status))
