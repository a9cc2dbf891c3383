"""Turn raw article text into clean paragraphs, a title, a byline, a dateline and dates found in the text."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from rapidfuzz import fuzz

from newsproof.ingest.boilerplate import is_boilerplate, is_trailing_section, split_breadcrumb
from newsproof.ingest.dating import Dateline, LineKind, head_line_date, match_dateline

_SENTENCE_END = tuple(".!?:;\"'”’)")
_BYLINE = re.compile(
    r"^\s*(?i:by|written by)\s+(?!(?i:(?:mon|tues|wednes|thurs|fri|satur|sun)day|then|now)\b)"
    r"(?P<name>[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})(?:\s*[,|]\s*[A-Z][^.!?]{0,60})?$"
)
# "By Jane Doe · Published 30 December 2021", "By Jane Doe Updated: March 3, 2019": byline and date parts.
_HEAD_PARTS = re.compile(
    r"\s*[|•·—–]\s*|,?\s+(?=(?:first\s+|last\s+)?(?:published|updated|posted)\b)", re.IGNORECASE
)
_GENERIC_BYLINE = re.compile(r"^\s*(?:by|written by)\s+(?:an?|our|the)\s+[a-z][a-z -]{2,40}$", re.IGNORECASE)
HEAD_ZONE = 8  # paragraphs at the top searched for title, date and byline lines
DATELINE_ZONE = 3  # body paragraphs searched for a wire dateline


@dataclass
class Cleaned:
    """Result of cleaning: body paragraphs plus what was taken out of them."""

    paragraphs: list[str]
    title: str | None = None
    byline: str | None = None
    date: date | None = None  # from a 'Published …', dated byline or date-only line
    updated: date | None = None  # from an 'Updated …' line
    dateline: Dateline | None = None  # taken off the front of the first body paragraph
    removed: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        """Body text, paragraphs separated by a blank line."""
        return "\n\n".join(self.paragraphs)


def to_paragraphs(text: str) -> list[str]:
    """Normalise whitespace and split into paragraphs, re-joining hard-wrapped lines."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\t", " ")
    paragraphs: list[str] = []
    for block in re.split(r"\n\s*\n", text):
        lines = [re.sub(r" {2,}", " ", line).strip() for line in block.split("\n")]
        current = ""
        for line in filter(None, lines):
            if current and not current.endswith(_SENTENCE_END) and (line[0].islower() or line[0].isdigit()):
                current = f"{current} {line}"
            else:
                if current:
                    paragraphs.append(current)
                current = line
        if current:
            paragraphs.append(current)
    return paragraphs


def looks_like_headline(line: str) -> bool:
    """A short, capitalised line without a sentence-final full stop."""
    words = line.split()
    return (
        2 <= len(words) <= 25
        and len(line) <= 200
        and not line.rstrip(" \"'”’)]").endswith((".", ":", ";", ",", "!"))
        and (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘")
    )


def date_from_line(line: str) -> date | None:
    """A full date from a 'Published ...'/'Updated ...' line or a line that is only a date."""
    found = head_line_date(line)
    return found[0] if found else None


def head_line(line: str) -> tuple[str | None, tuple[date, LineKind] | None] | None:
    """(byline name, (date, kind)) of a date, byline or dated-byline line; None for any other line."""
    if len(line) > 160 or match_dateline(line) is not None:
        return None
    dated = head_line_date(line) if len(line) <= 80 else None
    if dated:
        return None, dated
    parts = [part for part in _HEAD_PARTS.split(line) if part and part.strip()]
    if len(parts) > 1:
        name: str | None = None
        for part in parts:
            if part_date := head_line_date(part):
                dated = dated or part_date
            elif byline := _BYLINE.match(part):
                name = name or byline.group("name")
            elif not _GENERIC_BYLINE.match(part):
                break
        else:
            if dated or name:
                return name, dated
    byline = _BYLINE.match(line)
    return (byline.group("name"), None) if byline else None


def same_text(a: str, b: str) -> bool:
    """Near-identical lines (a title repeated as the first paragraph)."""
    return fuzz.ratio(a.casefold().strip(), b.casefold().strip()) >= 95


def clean_text(text: str, *, title: str | None = None, find_title: bool = True) -> Cleaned:
    """Remove breadcrumbs, boilerplate lines, trailing link lists; find title, byline and date."""
    out = Cleaned(paragraphs=to_paragraphs(text), title=title)
    _strip_breadcrumb(out)
    _strip_boilerplate(out)
    _strip_trailing_section(out)
    _take_head_lines(out)
    if (
        out.title is None
        and find_title
        and len(out.paragraphs) > 1
        and looks_like_headline(out.paragraphs[0])
        and match_dateline(out.paragraphs[0]) is None
    ):
        out.title = out.paragraphs.pop(0)
    if out.title:
        while out.paragraphs and same_text(out.paragraphs[0], out.title):
            out.removed.append(out.paragraphs.pop(0))
    _take_dateline(out)
    return out


def _strip_breadcrumb(out: Cleaned) -> None:
    if not out.paragraphs:
        return
    removed, rest = split_breadcrumb(out.paragraphs[0])
    if removed:
        out.removed.append(removed)
        if rest:
            out.paragraphs[0] = rest
        else:
            out.paragraphs.pop(0)


def _strip_boilerplate(out: Cleaned) -> None:
    kept = []
    for paragraph in out.paragraphs:
        if is_boilerplate(paragraph):
            out.removed.append(paragraph)
        else:
            kept.append(paragraph)
    out.paragraphs = kept


def _strip_trailing_section(out: Cleaned) -> None:
    half = len(out.paragraphs) // 2
    for index in range(max(half, 1), len(out.paragraphs)):
        if is_trailing_section(out.paragraphs[index]):
            out.removed.extend(out.paragraphs[index:])
            del out.paragraphs[index:]
            return


def _take_head_lines(out: Cleaned) -> None:
    """Take date, byline and dated-byline lines from the top of the article."""
    index = 0
    while index < min(HEAD_ZONE, len(out.paragraphs)):
        found = head_line(out.paragraphs[index])
        if found is None:
            index += 1
            continue
        name, dated = found
        out.byline = out.byline or name
        if dated and dated[1] == "updated":
            out.updated = out.updated or dated[0]
        elif dated:
            out.date = out.date or dated[0]
        out.removed.append(out.paragraphs.pop(index))


def _take_dateline(out: Cleaned) -> None:
    """Cut a wire dateline ("PLAINS, Georgia, December 30, 2023 —") off the front of the body.

    Left in place, the dateline's city would open the first sentence and become a participant of its
    verb; the dateline (with its date) is kept on `out.dateline` and its text in `out.removed`.
    """
    for index, paragraph in enumerate(out.paragraphs[:DATELINE_ZONE]):
        found = match_dateline(paragraph)
        if found is None:
            continue
        out.dateline = found
        out.removed.append(paragraph[: found.length].strip())
        rest = paragraph[found.length :].strip()
        if rest:
            out.paragraphs[index] = rest
        else:
            del out.paragraphs[index]
        return


# Inner parts are bounded and exclude their own delimiters so that hostile input ("[[[[...",
# "_a _a _a ...") is matched in linear time, not with quadratic backtracking.
_MD_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"```.*?```", re.DOTALL), ""),
    (re.compile(r"!\[[^\[\]\n]{0,500}\]\([^()\s]{0,2000}\)"), ""),
    (re.compile(r"\[([^\[\]\n]{1,500})\]\([^()\s]{0,2000}\)"), r"\1"),
    (re.compile(r"<[^<>\n]{1,500}>"), ""),
    (re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$", re.MULTILINE), ""),
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),
    (re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+", re.MULTILINE), ""),
    (re.compile(r"(\*\*|__)(.{1,500}?)\1"), r"\2"),
    (re.compile(r"(?<![\w*])[*_](?!\s)([^*_\n]{1,500})(?<!\s)[*_](?![\w*])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
]
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", re.MULTILINE)


def strip_markdown(text: str) -> tuple[str | None, str]:
    """Lightly remove Markdown markup; the first '#' heading becomes the title."""
    first = _MD_HEADING.search(text)
    title = first.group(1).strip() if first and first.group(0).lstrip().startswith("# ") else None
    if first and title:
        text = text[: first.start()] + text[first.end() :]
    text = _MD_HEADING.sub(r"\1", text)
    for pattern, replacement in _MD_RULES:
        text = pattern.sub(replacement, text)
    return title or None, text
