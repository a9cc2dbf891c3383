"""Citable sources: human names for data-set tags and canonical URLs for mirror copies.

An evidence card's `source` is a data-set tag ("wp_deaths_2020_2025,pages_curated",
"ucdp_ged_syria_191") and its `url` is where the text was read, sometimes a mirror of a Wikipedia
page (a `pages.dev` site, a Q&A page, a page with a tracking query). Readers get a name they can
cite ("Wikipedia: Deaths in January 2020", "UCDP event 214797", "Reuters, 1987-02-26") and a link
to the canonical page; the mirror stays as `retrieved_from`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, quote, unquote, urlsplit

from newsproof.models import EvidenceItem

# data-set tag -> the name a reader can cite
SOURCE_NAMES: dict[str, str] = {
    "wp_deaths_2020_2025": "Wikipedia deaths lists 2020–2025",
    "wp_deaths_2024": "Wikipedia deaths lists 2024",
    "wd_deaths_1990s": "Wikidata (deaths 1990–1999)",
    "pantheon1": "Pantheon 1.0 (Wikipedia biographies)",
    "archigos41": "Archigos 4.1 (national leaders)",
    "wd_everypolitician": "EveryPolitician (Wikidata)",
    "wd_world_leaders_2021": "Wikidata: world leaders 2021",
    "congress_legislators": "US Congress legislators (congress-legislators)",
    "bioguide": "Biographical Directory of the US Congress",
    "pages_curated": "curated from Wikipedia and news pages",
    "events": "curated event list",
    "wikipedia": "Wikipedia",
    "wikidata": "Wikidata",
    "wikipedia_current_events_portal": "Wikipedia: Current events",
    "ucdp_ged_syria_191": "UCDP Georeferenced Event Dataset 19.1",
    "ucdp_ged": "UCDP Georeferenced Event Dataset",
    "climate_fever": "Climate-FEVER",
    "reuters21578": "Reuters",
    "snopes": "Snopes",
    "liar_plus": "PolitiFact (LIAR-PLUS)",
    "liar": "PolitiFact (LIAR)",
    "averitec": "AVeriTeC",
    "covidfact": "COVID-Fact",
    "search-tool pages corpus (stored copy of public web page)": "copy of a public web page",
}
_DEATHS_TAGS = ("wp_deaths_2020_2025", "wp_deaths_2024")
_GENERIC_TAGS = frozenset({"pages_curated", "events", "search-tool pages corpus (stored copy of public web page)"})
WIKI = "https://en.wikipedia.org/wiki/"
# Mirror copies of Wikipedia pages in the bundled data (from `mirror_of` in ../shared/data/kb/wikipedia):
# the link goes to the canonical page, the mirror is kept as retrieved_from.
KNOWN_MIRRORS: dict[str, str] = {
    "https://glyphsignal.pages.dev/article/Qasem_Soleimani": WIKI + "Qasem_Soleimani",
    "http://tmtv.shiatv.net/view_video.php?viewkey=233066986": WIKI + "Qasem_Soleimani",
    "https://review.clateway.com/wiki/view_html.php?lang=en&q=Abu_Mahdi_al-Muhandis&sq=Envato":
        WIKI + "Abu_Mahdi_al-Muhandis",
    "https://www.scribd.com/document/442011156/2020-Baghdad-International-Airport-airstrike":
        WIKI + "Assassination_of_Qasem_Soleimani",
    "https://answers.hoxly.com/question/4588d0288cd99848f73690b88.html": WIKI + "Assassination_of_Qasem_Soleimani",
}
# Hosts that serve copies of Wikipedia articles under the article's title.
_TITLE_IN_PATH = re.compile(r"\.pages\.dev$")
_MOBILE_WIKI = re.compile(r"^([a-z-]+)\.m\.(wikipedia\.org)$")


@dataclass(frozen=True)
class Citation:
    """How an evidence card is cited: named links (canonical pages first) and the mirror the text was read from."""

    links: tuple[tuple[str, str | None], ...]
    retrieved_from: str | None = None

    @property
    def retrieved_site(self) -> str | None:
        """The mirror's site, for 'retrieved from glyphsignal.pages.dev'."""
        return site(self.retrieved_from) if self.retrieved_from else None

    @property
    def name(self) -> str:
        """The main name ('Wikipedia: Deaths in January 2020')."""
        return self.links[0][0]

    @property
    def url(self) -> str | None:
        """The main link, if any."""
        return next((url for _, url in self.links if url), None)

    def text(self) -> str:
        """All names, for plain-text output."""
        return " · ".join(name for name, _ in self.links)


def canonical_url(url: str | None) -> tuple[str | None, str | None]:
    """(canonical URL, mirror it replaces or None). Mobile Wikipedia, known mirrors, Wikipedia copies that
    carry the title in their path or `q=` query, and tracking queries are normalised."""
    if not url:
        return None, None
    if url in KNOWN_MIRRORS:
        return KNOWN_MIRRORS[url], url
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    mobile = _MOBILE_WIKI.match(host)
    if mobile:
        return parts._replace(netloc=f"{mobile.group(1)}.{mobile.group(2)}").geturl(), None
    if _TITLE_IN_PATH.search(host) and parts.path.startswith(("/article/", "/wiki/")):
        return WIKI + parts.path.rsplit("/", 1)[-1], url
    title = parse_qs(parts.query).get("q", [""])[0]
    if "/wiki/" in parts.path and title and "wikipedia.org" not in host:
        return WIKI + quote(title.replace(" ", "_")), url
    cleaned = _clean(url)
    return (cleaned, url) if cleaned != url else (url, None)


def _clean(url: str) -> str:
    """The URL without tracking parameters (courlan's rules), else unchanged."""
    try:
        from courlan import clean_url

        return clean_url(url) or url
    except Exception:  # courlan is a trafilatura dependency; a URL it cannot parse stays as it is
        return url


def cite(item: EvidenceItem) -> Citation:
    """The citation of one evidence card."""
    tags = [t.strip() for t in item.source.split(",") if t.strip()]
    url, mirror = canonical_url(item.url)
    links: list[tuple[str, str | None]] = []
    deaths = _deaths_page(item.date) if any(t in _DEATHS_TAGS for t in tags) else None
    if deaths:
        links.append(("Wikipedia: " + deaths, WIKI + deaths.replace(" ", "_")))
    if url or not links:
        links.append((_name(item, tags, url), url or _derived_url(item, tags)))
    mirror = web_link(item.retrieved_from or mirror)
    return Citation(links=tuple((name, web_link(link)) for name, link in links),
                    retrieved_from=mirror if mirror not in (url, None) else None)


def web_link(url: str | None) -> str | None:
    """`url` when it is safe in an href (http or https), else None: evidence URLs come from data files."""
    return url if url and urlsplit(url).scheme in ("http", "https") else None


def site(url: str) -> str:
    """The site of a URL ('glyphsignal.pages.dev'), for 'retrieved from …'."""
    return (urlsplit(url).hostname or url).removeprefix("www.")


def _name(item: EvidenceItem, tags: list[str], url: str | None) -> str:
    """The name of the page at `url` (or of the data set when there is no page)."""
    first = tags[0] if tags else ""
    if first.startswith("ucdp_ged"):
        number = _ucdp_number(item)
        return f"UCDP event {number}" if number else SOURCE_NAMES.get(first, "UCDP event")
    if first == "wikipedia_current_events_portal":
        return "Wikipedia: Current events" + (f", {_human_date(item.date)}" if item.date else "")
    if url and "wikipedia.org/wiki/" in url and item.kind != "factcheck":
        site = "Simple English Wikipedia" if "simple.wikipedia" in url else "Wikipedia"
        return f"{site}: {unquote(url.rsplit('/wiki/', 1)[1]).replace('_', ' ')}"
    if first == "climate_fever" and item.kind == "passage" and item.title:
        return f"Wikipedia: {item.title} (Climate-FEVER evidence)"
    if url and tags and all(t in _GENERIC_TAGS for t in tags):
        names = [_publisher("", url)]  # a curated record cites the page it was read from
    else:
        names = [source_name(t) if t not in _DEATHS_TAGS else "" for t in tags] or [_publisher("", url)]
    name = " · ".join(dict.fromkeys(n for n in names if n)) or _publisher("", url) or "evidence base"
    return f"{name}, {item.date}" if item.date and item.kind in ("passage", "factcheck") else name


def _publisher(tag: str, url: str | None) -> str:
    """A tag that is already a publisher name ('The Quint') stays; a code-like tag falls back to the URL's site."""
    if tag and not re.search(r"[_.]|^[a-z0-9-]+$", tag):
        return tag
    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.") or tag.replace("_", " ")


def _derived_url(item: EvidenceItem, tags: list[str]) -> str | None:
    """A link for a record without a URL: the Wikipedia deaths list it comes from, or a Climate-FEVER page."""
    if any(t in _DEATHS_TAGS for t in tags):
        page = _deaths_page(item.date)
        if page:
            return WIKI + page.replace(" ", "_")
    if tags and tags[0] == "climate_fever" and item.kind == "passage" and item.title:
        return WIKI + quote(item.title.replace(" ", "_"))
    return None


def _deaths_page(date: str | None) -> str | None:
    """'2020-01-03' -> 'Deaths in January 2020' (Wikipedia's monthly deaths lists)."""
    match = re.match(r"(\d{4})-(\d{2})", date or "")
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return f"Deaths in {calendar.month_name[int(match.group(2))]} {match.group(1)}"


def _ucdp_number(item: EvidenceItem) -> str | None:
    match = re.search(r"(\d+)$", (item.url or "").rstrip("/")) or re.search(r"(\d+)$", item.id)
    return match.group(1) if match else None


def _human_date(date: str) -> str:
    try:
        return f"{dt.date.fromisoformat(date[:10]):%-d %B %Y}"
    except ValueError:
        return date


def source_name(tag: str) -> str:
    """A data-set tag's human name ('ucdp_ged_syria_191' -> 'UCDP Georeferenced Event Dataset 19.1')."""
    return SOURCE_NAMES.get(tag) or _publisher(tag, None)
