"""Recognise navigation, share/subscribe/cookie lines and breadcrumbs left in scraped text."""

from __future__ import annotations

import re

# Section names that open breadcrumbs and navigation bars.
NAV_WORDS = frozenset(
    "home homepage news latest world europe asia africa americas uk us politics business economy markets "
    "sport sports opinion tech technology science health entertainment culture lifestyle travel video "
    "videos live local national international region regions features analysis".split()
) | frozenset({"top news", "latest news", "world news", "middle east", "us & canada", "breaking news"})
_CRUMB_SEP = re.compile(r"\s*(?:>|›|»|/|\||•|→)\s*")
# A fused boundary: lower-case letter directly followed by an upper-case one ("HomeTop NewsUS").
_FUSED = re.compile(r"(?<=[a-z])(?=[A-Z])")
_TITLE_WORD = re.compile(r"^(?:[A-Z][\w'&.-]*|&|and|of)$")

_LINE_PATTERNS = [
    r"share( this( article| story)?)?( on \w+)?:?",
    r"(share|follow us|find us|like us)( on)? (facebook|twitter|x|whatsapp|linkedin|instagram|email|telegram)\b.*",
    r"((facebook|twitter|whatsapp|linkedin|pinterest|reddit|email|print|copy link|messenger|telegram)[\s,|/•]*){1,8}",
    r"(tweet|print|e-?mail)( this)?( article| story| page)?",
    r"(subscribe|sign up)\b.{0,80}",
    r"(get|join|sign up for|subscribe to)\b.{0,40}\bnewsletters?\b.{0,60}",
    r".{0,60}\b(we use cookies|(site|website) uses cookies|cookie (policy|settings|preferences)|privacy policy"
    r"|terms of (use|service))\b.{0,80}",
    r"(accept|reject|manage)( all)?( cookies| settings| preferences)?",
    r"(read more|read next|continue reading|see also|also read)\b.{0,120}",
    r"(related|recommended)(\s+\w+)?\s*:.{0,120}",
    r"advertisement|advertising|sponsored( content)?|ad|skip (to|ad)\b.{0,40}|scroll to continue.*",
    r"(click|tap) here\b.{0,80}",
    r"(image|photo|video)( caption| source| credit)?:.{0,120}",
    r"listen to (this|the) (article|story).{0,40}|\d+ min(ute)?s? read",
    r"(comments?|\d+ comments?|leave a comment|show comments|back to top|top of page)",
    r"(copyright\s*(©|\(c\)|\d{4})|©|all rights reserved).{0,120}",
]
BOILERPLATE_LINE = re.compile(r"^\s*(?:" + "|".join(_LINE_PATTERNS) + r")\s*$", re.IGNORECASE)
TRAILING_SECTION = re.compile(
    r"^\s*(related (articles|stories|news|content|coverage|topics)|more (from|on|stories)\b.{0,60}|"
    r"you (may|might) also like|most (read|popular|viewed)|trending( now)?|recommended (for you|stories)|"
    r"top stories|what to read next)\s*:?\s*$",
    re.IGNORECASE,
)
MAX_BOILERPLATE_CHARS = 200


def is_boilerplate(line: str) -> bool:
    """True for a short share/subscribe/cookie/advertisement/navigation line."""
    stripped = line.strip()
    if len(stripped) > MAX_BOILERPLATE_CHARS:
        return False
    return bool(BOILERPLATE_LINE.match(stripped)) or _is_nav_only(stripped)


def is_trailing_section(line: str) -> bool:
    """True for a heading that opens a trailing 'Related articles' style list."""
    return bool(TRAILING_SECTION.match(line))


def _is_nav_only(line: str) -> bool:
    parts = [p for p in _CRUMB_SEP.split(line) if p]
    if len(parts) >= 2 and parts[0].lower() in NAV_WORDS and all(_short_title(p) for p in parts):
        return True
    fused = _FUSED.split(line)
    return len(fused) >= 2 and fused[0].lower() in NAV_WORDS and all(_short_title(p) for p in fused)


def _short_title(segment: str, max_words: int = 3) -> bool:
    words = segment.split()
    return 0 < len(words) <= max_words and all(_TITLE_WORD.match(w) for w in words)


def split_breadcrumb(line: str) -> tuple[str | None, str]:
    """Split navigation fused or separated onto the front of a line: -> (removed, rest)."""
    stripped = line.strip()
    parts = _CRUMB_SEP.split(stripped)
    if len(parts) >= 2 and parts[0].lower() in NAV_WORDS:
        head = [p for p in parts[:-1] if _short_title(p)]
        if len(head) == len(parts) - 1:
            last = parts[-1]
            if _short_title(last):
                return stripped, ""
            return stripped[: len(stripped) - len(last)].strip(), last.strip()
    return _split_fused(stripped)


def _split_fused(line: str) -> tuple[str | None, str]:
    cuts = [m.start() for m in _FUSED.finditer(line)]
    if not cuts or line[: cuts[0]].lower() not in NAV_WORDS:
        return None, line
    start, end_of_nav = 0, 0
    for cut in cuts:
        segment = line[start:cut]
        if not _short_title(segment):
            break
        end_of_nav, start = cut, cut
    if end_of_nav == 0:
        return None, line
    if line[end_of_nav:].lower() in NAV_WORDS:
        return line, ""
    return line[:end_of_nav], line[end_of_nav:]
