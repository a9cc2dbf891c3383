"""Article formats and date wording for generated articles.

Six formats, as news reaches a user: a wire dateline with the full date, `CITY —` with the date
given by `--date`, an agency dateline without a year (`--date` gives it), an HTML page with the
date in `<meta>`/JSON-LD plus navigation and a share bar, a byline with a `Published` line, and no
date at all (the fact sentence then states its date in full).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import random
from dataclasses import dataclass

FORMATS = ("wire", "city_dash", "agency", "html", "byline", "no_date")
AGENCIES = ("Reuters", "AFP", "AP", "World News")
REPORTERS = ("Staff reporter", "Maria Lopez", "David Chen", "Amina Yusuf", "Tom Becker")


@dataclass(frozen=True)
class Rendered:
    """An article as a user hands it over, and the `--date` to pass (None: none)."""

    content: str
    media: str  # "text" | "html"
    date_option: dt.date | None


def long_date(day: dt.date, rng: random.Random, *, year: bool = True) -> str:
    """'January 3, 2020' or '3 January 2020' (without the year when `year` is false)."""
    month = day.strftime("%B")
    if rng.random() < 0.5:
        return f"{month} {day.day}, {day.year}" if year else f"{month} {day.day}"
    return f"{day.day} {month} {day.year}" if year else f"{day.day} {month}"


def when_phrase(fact: dt.date, article: dt.date | None, rng: random.Random) -> str:
    """How the fact sentence dates the fact: relative to the article date where one is stated
    ('on Thursday', 'yesterday'), else absolute ('on 3 January 2020')."""
    if article is not None:
        days = (article - fact).days
        if 1 <= days <= 6 and rng.random() < 0.5:
            return "yesterday" if days == 1 and rng.random() < 0.3 else f"on {fact.strftime('%A')}"
        if fact.year == article.year and rng.random() < 0.4:
            return f"on {long_date(fact, rng, year=False)}"
    return f"on {long_date(fact, rng)}"


def render(fmt: str, *, title: str, city: str, date: dt.date, paragraphs: list[str],
           rng: random.Random) -> Rendered:
    """Lay out `paragraphs` under `title` in format `fmt`, dated `date` (the article's date)."""
    body = list(paragraphs)
    byline_date = long_date(date, rng)
    if fmt == "wire":
        body[0] = f"{city.upper()}, {date.strftime('%B')} {date.day}, {date.year} — {body[0]}"
        return Rendered(_text(title, body), "text", None)
    if fmt == "city_dash":
        body[0] = f"{city.upper()} — {body[0]}"
        return Rendered(_text(title, body), "text", date)
    if fmt == "agency":
        body[0] = f"{city.upper()}, {date.strftime('%b')} {date.day} ({rng.choice(AGENCIES)}) - {body[0]}"
        return Rendered(_text(title, body), "text", date)
    if fmt == "byline":
        head = f"{title}\nBy {rng.choice(REPORTERS)}\nPublished {byline_date}\n"
        return Rendered(head + "\n" + "\n\n".join(body) + "\n", "text", None)
    if fmt == "no_date":
        return Rendered(_text(title, body), "text", None)
    if fmt == "html":
        return Rendered(_html_page(title, body, date, rng.choice(REPORTERS), byline_date), "html", None)
    raise ValueError(f"unknown format {fmt!r}")


def _text(title: str, body: list[str]) -> str:
    return title + "\n\n" + "\n\n".join(body) + "\n"


def _html_page(title: str, body: list[str], date: dt.date, reporter: str, byline_date: str) -> str:
    stamp = f"{date.isoformat()}T09:30:00Z"
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                     "datePublished": stamp})
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in body)
    return (
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        f"<title>{html.escape(title)} | World News</title>\n"
        f"<meta property=\"article:published_time\" content=\"{stamp}\">\n"
        f"<script type=\"application/ld+json\">{ld}</script>\n</head><body>\n"
        "<nav><a href=\"/\">Home</a> | <a href=\"/world\">World</a> | <a href=\"/politics\">Politics</a> | "
        "<a href=\"/business\">Business</a></nav>\n"
        f"<article><h1>{html.escape(title)}</h1>\n"
        f"<p class=\"byline\">By {html.escape(reporter)} · Published {html.escape(byline_date)}</p>\n"
        f"{paras}\n</article>\n"
        "<div class=\"share\">Share on Facebook · Share on X · Email</div>\n"
        "<footer>© World News. All rights reserved.</footer>\n</body></html>\n"
    )
