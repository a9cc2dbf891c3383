"""Build an Article from a file, URL, stdin or raw bytes."""

from __future__ import annotations

import hashlib
import re
import sys
from datetime import date as Date
from pathlib import Path
from typing import Any, Literal

from newsproof.config import load_config
from newsproof.errors import Errors, InputError
from newsproof.ingest.clean import clean_text, strip_markdown
from newsproof.ingest.dating import choose_date
from newsproof.ingest.fetch import fetch_url
from newsproof.ingest.guards import bytes_to_text, read_bounded
from newsproof.ingest.html import extract_html, looks_like_html
from newsproof.ingest.language import check_language
from newsproof.models import Article

Kind = Literal["text", "html", "markdown"]
SUFFIX_KINDS: dict[str, Kind] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
}
_MARKDOWN_SNIFF = re.compile(
    r"^\s{0,3}(?:#{1,6}\s|[-*]\s|>\s)|\[[^\]]+\]\([^)]+\)|\*\*[^*]+\*\*", re.MULTILINE
)


def article_id(title: str | None, text: str) -> str:
    """Short content hash of title and body."""
    return hashlib.sha256(f"{title or ''}\n{text}".encode()).hexdigest()[:16]


def ingest(
    source: str,
    *,
    date: Date | None = None,
    config: dict[str, Any] | None = None,
    allow_private_urls: bool = False,
) -> Article:
    """Read an article from a file path (.txt/.md/.html/.htm), an http(s) URL or '-' (stdin)."""
    config = config or load_config()
    limit = config["ingest"]["max_bytes"]
    if re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", source):
        page = fetch_url(source, config=config, allow_private=allow_private_urls)
        kind: Kind = "text" if page.content_type == "text/plain" else "html"
        return _build(page.content, kind=kind, source_kind="url", url=page.url, date=date, config=config)
    if source == "-":
        data = read_bounded(sys.stdin.buffer, limit)
        return ingest_bytes(data, date=date, config=config)
    path = Path(source)
    if not path.is_file():
        raise InputError(Errors.E106.format(source=source), code="E106")
    kind_for_suffix = SUFFIX_KINDS.get(path.suffix.lower())
    if kind_for_suffix is None:
        raise InputError(Errors.E107.format(suffix=path.suffix), code="E107")
    try:
        if path.stat().st_size > limit:
            raise InputError(Errors.E103.format(size=path.stat().st_size, limit=limit), code="E103")
        with path.open("rb") as handle:
            data = read_bounded(handle, limit)
    except OSError as exc:  # unreadable: permissions, a device or /proc file behind the name, I/O errors
        raise InputError(f"cannot read {source!r}: {exc.strerror or exc}", code="E106") from exc
    return ingest_bytes(data, kind=kind_for_suffix, date=date, config=config)


def ingest_bytes(
    data: bytes,
    *,
    kind: Kind | None = None,
    url: str | None = None,
    date: Date | None = None,
    config: dict[str, Any] | None = None,
) -> Article:
    """Build an Article from raw bytes; `kind` None sniffs HTML, then Markdown, else plain text."""
    return _build(data, kind=kind, source_kind=None, url=url, date=date, config=config or load_config())


def _build(
    data: bytes,
    *,
    kind: Kind | None,
    source_kind: Literal["url"] | None,
    url: str | None,
    date: Date | None,
    config: dict[str, Any],
) -> Article:
    settings = config["ingest"]
    raw = bytes_to_text(data, settings["max_bytes"], html=kind in (None, "html"))
    kind = kind or _sniff(raw)
    title = byline = None
    meta_date: Date | None = None
    if kind == "html":
        page = extract_html(raw, url=url)
        # trafilatura puts one paragraph per line: no hard wraps to re-join (a "19 people…" line
        # after the headline is a new paragraph).
        raw, title, byline, meta_date = page.text.replace("\n", "\n\n"), page.title, page.byline, page.date
    elif kind == "markdown":
        title, raw = strip_markdown(raw)
    cleaned = clean_text(raw, title=title)
    text = cleaned.text
    if len(text.strip()) < settings["min_chars"]:
        raise InputError(
            f"{Errors.E108} (only {len(text.strip())} characters of text after cleaning)", code="E108"
        )
    check_length(len(text), len(cleaned.paragraphs), settings)
    language = check_language(cleaned.paragraphs, list(settings["languages"]))
    found_date, date_source = choose_date(date, meta_date, cleaned.dateline, cleaned.date, cleaned.updated)
    return Article(
        id=article_id(cleaned.title, text),
        title=cleaned.title,
        text=text,
        date=found_date,
        date_source=date_source,
        byline=byline or cleaned.byline,
        url=url,
        language=language,
        source_kind=source_kind or kind,
        removed_boilerplate=cleaned.removed,
    )


def check_length(chars: int, paragraphs: int, settings: dict[str, Any]) -> None:
    """Refuse article text over ingest.max_chars characters or ingest.max_paragraphs paragraphs (E103)."""
    for count, key, what in ((chars, "max_chars", "characters"), (paragraphs, "max_paragraphs", "paragraphs")):
        limit = settings[key]
        if count > limit:
            raise InputError(f"article too long: {count} {what} of text after cleaning exceeds the limit of "
                             f"{limit} (ingest.{key}); split it or raise the limit with --config", code="E103")


def _sniff(text: str) -> Kind:
    if looks_like_html(text):
        return "html"
    return "markdown" if len(_MARKDOWN_SNIFF.findall(text[:20000])) >= 2 else "text"
