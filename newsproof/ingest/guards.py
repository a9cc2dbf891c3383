"""Input guards: bounded reads, size, emptiness, binary sniffing and text decoding."""

from __future__ import annotations

import re
from typing import BinaryIO

from charset_normalizer import from_bytes

from newsproof.errors import Errors, InputError

# Leading bytes of common binary formats that sometimes get passed as "articles".
MAGIC_NUMBERS: dict[bytes, str] = {
    b"\x89PNG\r\n\x1a\n": "PNG image",
    b"\xff\xd8\xff": "JPEG image",
    b"GIF87a": "GIF image",
    b"GIF89a": "GIF image",
    b"%PDF-": "PDF document",
    b"PK\x03\x04": "ZIP archive",
    b"\x1f\x8b": "GZIP archive",
    b"\x7fELF": "executable",
    b"RIFF": "RIFF media file",
}
# Control characters other than tab, newline, carriage return and form feed.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Terminal escape sequences (CSI "ESC [ ... m", OSC "ESC ] ... BEL"), removed whole rather than leaving "[31m".
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]{0,1000}(?:\x07|\x1b\\)")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
MAX_CONTROL_RATIO = 0.05
NEAR_TIE = 0.1
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_.:-]+)", re.IGNORECASE)


def read_bounded(stream: BinaryIO, limit: int, *, chunk_size: int = 65536) -> bytes:
    """Read at most `limit` bytes from a stream; raise E103 as soon as more arrive."""
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = stream.read(min(chunk_size, limit + 1 - size))
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > limit:
            raise InputError(Errors.E103.format(size=f"more than {limit}", limit=limit), code="E103")
        chunks.append(chunk)


def check_size(data: bytes, limit: int) -> None:
    """Refuse inputs over the byte limit."""
    if len(data) > limit:
        raise InputError(Errors.E103.format(size=len(data), limit=limit), code="E103")


def check_not_empty(text: str | bytes) -> None:
    """Refuse empty or whitespace-only input."""
    if not text.strip():
        raise InputError(Errors.E101, code="E101")


def check_not_binary(data: bytes) -> None:
    """Refuse known binary formats and byte strings holding NUL bytes (UTF-16 text with a BOM is text)."""
    for magic, what in MAGIC_NUMBERS.items():
        if data.startswith(magic):
            raise InputError(Errors.E102.format(what=f"the input ({what})"), code="E102")
    if not data.startswith(UTF16_BOMS) and b"\x00" in data[:65536]:
        raise InputError(Errors.E102.format(what="the input (it contains NUL bytes)"), code="E102")


def check_control_ratio(text: str) -> None:
    """Refuse decoded text made largely of control characters."""
    sample = text[:65536]
    if sample and len(_CONTROL.findall(sample)) / len(sample) > MAX_CONTROL_RATIO:
        raise InputError(Errors.E102.format(what="the input (too many control characters)"), code="E102")


def decode(data: bytes, *, html: bool = False) -> str:
    """Decode bytes: UTF-8 first, then a declared HTML charset, then charset-normalizer's best guess."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(Errors.E104, code="E104") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096]) if html else None
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    matches = from_bytes(data[:1_000_000])
    best = matches.best()
    if best is None:
        raise InputError(Errors.E104, code="E104")
    # On a near-tie (no more chaos, coherence within 0.1), prefer Windows-1252: the legacy encoding of most
    # Western web pages (WHATWG's "latin1"); otherwise Latin-1 news can come out as DOS Baltic (cp775).
    tied = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence - NEAR_TIE]
    encoding = "cp1252" if any("cp1252" in m.could_be_from_charset for m in tied) else best.encoding
    try:
        return data.decode(encoding)
    except (LookupError, UnicodeDecodeError) as exc:
        raise InputError(Errors.E104, code="E104") from exc


def bytes_to_text(data: bytes, limit: int, *, html: bool = False) -> str:
    """Run every byte-level guard and return the decoded text."""
    check_size(data, limit)
    check_not_empty(data)
    check_not_binary(data)
    text = decode(data, html=html)
    check_control_ratio(text)
    text = strip_controls(text)
    check_not_empty(text)
    return text


def strip_controls(text: str) -> str:
    """Remove terminal escape sequences and stray control characters (NUL included) from decoded text."""
    return _CONTROL.sub("", _ANSI.sub("", text))
