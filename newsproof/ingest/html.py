"""Main-text and metadata extraction from HTML pages with trafilatura (htmldate as date fallback)."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date

import trafilatura
from htmldate import find_date

from newsproof.errors import Errors, InputError

_HTML_SNIFF = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)\b", re.IGNORECASE | re.DOTALL
)
# A start tag longer than this (200k attributes, a huge inline data: URI) is cut to its bare name before
# parsing: libxml2's duplicate-attribute check is quadratic, so such a tag would stall the parser for minutes.
MAX_TAG_CHARS = 4096
_HUGE_TAG = re.compile(rf"<([A-Za-z][\w:-]{{0,30}})[^<>]{{{MAX_TAG_CHARS},}}>")
# "A Staff Writer · Published": trafilatura's author field can carry the rest of a dated byline.
_AUTHOR_PARTS = re.compile(r"\s*[|•·]\s*|,?\s+(?=(?:first\s+|last\s+)?(?:published|updated|posted)\b)", re.I)
_NOT_AUTHOR = re.compile(
    r"^(?:(?:first\s+|last\s+)?(?:published|updated|posted)\b.*|.*\d.*|"
    r"(?:an?|our)\s+(?:staff\s+)?(?:writer|reporter|correspondent)s?)$",
    re.IGNORECASE,
)
_TAGS = re.compile(r"</?(?:p|div|span|a|br|h[1-6]|article|section|table|ul|li|script|meta)\b", re.IGNORECASE)

# trafilatura and htmldate log parser noise at WARNING/ERROR for malformed pages.
for _name in ("trafilatura", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass
class HtmlDoc:
    """What an HTML page yields: main text and metadata."""

    text: str
    title: str | None
    byline: str | None
    date: date | None


def looks_like_html(text: str) -> bool:
    """Sniff HTML: a doctype/html/body opening, or many block tags."""
    return bool(_HTML_SNIFF.match(text[:2048])) or len(_TAGS.findall(text[:8192])) >= 5


# htmldate ignores dates before 1995 unless told otherwise; archives and old pages are older.
MIN_DATE = "1900-01-01"
DATE_PARAMS = {"extensive_search": True, "original_date": True, "min_date": MIN_DATE}


def extract_html(html: str, *, url: str | None = None) -> HtmlDoc:
    """Extract the main text, title, author and publication date; E108 when no readable text."""
    html = _HUGE_TAG.sub(r"<\1>", html)
    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            date_extraction_params=DATE_PARAMS,
        )
        if doc is None or not (doc.text or "").strip():
            doc = trafilatura.bare_extraction(
                html, url=url, with_metadata=True, include_comments=False, favor_recall=True,
                date_extraction_params=DATE_PARAMS,
            )
    except (ValueError, TypeError, AttributeError) as exc:  # lxml/trafilatura failures on broken markup
        raise InputError(f"{Errors.E108} (the HTML could not be parsed: {exc})", code="E108") from exc
    if doc is None or not (doc.text or "").strip():
        raise InputError(f"{Errors.E108} (the HTML page has no readable main text)", code="E108")
    return HtmlDoc(
        text=doc.text, title=_clean(doc.title), byline=_author(doc.author), date=_page_date(doc.date, html)
    )


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _author(value: str | None) -> str | None:
    """The author names, without date parts or a generic 'a staff writer'."""
    parts = [p.strip() for p in _AUTHOR_PARTS.split(value or "")]
    return _clean("; ".join(p for p in parts if p and not _NOT_AUTHOR.match(p)))


def _page_date(found: str | None, html: str) -> date | None:
    """trafilatura's date, else htmldate's original publication date."""
    for candidate in (found, _htmldate(html)):
        if candidate:
            try:
                return date.fromisoformat(candidate[:10])
            except ValueError:
                continue
    return None


def _htmldate(html: str) -> str | None:
    try:
        return find_date(html, original_date=True, extensive_search=False, min_date=MIN_DATE)
    except (ValueError, TypeError):
        return None
