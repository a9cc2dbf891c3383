"""The bad-input corpus: generators of hostile and odd articles that every entry point must survive.

Each `HostileInput` says what a correct outcome is: `refuse` (an InputError / exit 2 / HTTP 4xx),
`accept` (a report) or `either` (a report or a one-line refusal, never a crash). Reused by the
reliability, web and batch tests; nothing here needs a network or writes outside the folder given.
Also here: `bad_data_files()` for `newsproof index build`, `run_child()` (a child process with a time
limit and its own peak RSS from wait4) and the `Tally` behind the reliability summary line.
"""

from __future__ import annotations

import gzip
import io
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Expect = Literal["refuse", "accept", "either"]

NEWS_EN = (
    "Flood defences failed in the town of Riverton on Tuesday after three days of heavy rain, "
    "the regional council said. Mayor Anna Keller told reporters that 1,200 homes were evacuated "
    "and that the army had sent 300 soldiers to help. \"We have never seen water this high,\" she said. "
    "The national weather service recorded 180 millimetres of rain in 48 hours, a record for March."
)
NEWS_EN_2 = (
    "The finance ministry announced on 4 March 2021 that inflation rose to 3.1 percent in February, "
    "the highest level since 2012. Economists at the central bank had expected 2.8 percent."
)
NEWS_ACCENTED = (
    "The Zürich-based bank said its chief executive, José Müller, will resign in May. Analysts in "
    "Genève called the décision a surprise; the café owners' association welcomed it. "
)
NEWS_CP1252 = (
    "“We will not raise taxes,” the minister said on Monday — a promise worth €4 billion a year. "
    "Critics called it a ‘fantasy budget’… The opposition leader, François Dupré, demanded a vote. "
)
NEWS_DE = (
    "Die Bundesregierung hat am Dienstag ein neues Gesetz zum Klimaschutz beschlossen. Nach Angaben "
    "des Umweltministeriums sollen die Emissionen bis 2030 um 65 Prozent sinken. Kritiker bemängeln, "
    "dass die Maßnahmen nicht ausreichen, um die Ziele des Pariser Abkommens zu erreichen."
)
NEWS_ES = (
    "El gobierno anunció el martes un nuevo plan de vivienda que costará 3.000 millones de euros. "
    "Según el ministerio, se construirán 20.000 viviendas sociales antes de 2026 en todo el país."
)
NEWS_ZH = "国家统计局周二公布的数据显示，今年第一季度国内生产总值同比增长百分之五点三，高于市场预期。"
NEWS_RU = "Правительство объявило во вторник о новом плане строительства жилья стоимостью три миллиарда рублей."
NEWS_AR = "أعلنت الحكومة يوم الثلاثاء عن خطة جديدة للإسكان بتكلفة ثلاثة مليارات دولار في جميع أنحاء البلاد."

NEWSPROOF = [str(Path(sys.executable).with_name("newsproof"))]


@dataclass(frozen=True)
class HostileInput:
    """One corpus item: bytes (or a sparse size) with a file suffix and the acceptable outcome."""

    name: str
    data: bytes
    suffix: str = ".txt"
    expect: Expect = "either"
    sparse_size: int = 0  # > 0: written as a sparse file of this many bytes (no RAM, no disk blocks)
    must_contain: str | None = None  # decoded article text must contain this when accepted
    note: str = ""

    def write(self, folder: Path) -> Path:
        """Write the item into `folder` as `<name><suffix>` and return the path."""
        path = folder / f"{self.name}{self.suffix}"
        if self.sparse_size:
            with path.open("wb") as handle:
                handle.write(self.data)
                handle.truncate(self.sparse_size)
        else:
            path.write_bytes(self.data)
        return path

    @property
    def size(self) -> int:
        """Bytes on read."""
        return self.sparse_size or len(self.data)


# --------------------------------------------------------------------------- binary formats
def png_bytes(width: int = 8, height: int = 8) -> bytes:
    """A valid, tiny grey PNG image."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def pdf_bytes(text: str = NEWS_EN) -> bytes:
    """A small one-page PDF whose content stream holds news text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text[:200]}) Tj ET".encode("latin-1", "replace")
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
               b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)]
    body = b"".join(b"%d 0 obj\n%s\nendobj\n" % (n, obj) for n, obj in enumerate(objects, 1))
    return b"%PDF-1.4\n" + body + b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"


def zip_bytes(text: str = NEWS_EN) -> bytes:
    """A ZIP archive holding one news text file (as users upload 'article.zip')."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("article.txt", text * 20)
    return buffer.getvalue()


# --------------------------------------------------------------------------- generators
def nested_html(depth: int = 100_000, tag: str = "div") -> bytes:
    """HTML with `depth` nested elements around one news paragraph."""
    return (b"<!DOCTYPE html><html><body>" + f"<{tag}>".encode() * depth + f"<p>{NEWS_EN}</p>".encode()
            + f"</{tag}>".encode() * depth + b"</body></html>")


def many_attributes_html(count: int = 200_000) -> bytes:
    """One start tag with `count` attributes (libxml2 checks duplicates in quadratic time)."""
    attributes = b" ".join(b"a%d=1" % n for n in range(count))
    return b"<!DOCTYPE html><html><body><p " + attributes + f">{NEWS_EN}</p></body></html>".encode()


def malformed_html() -> bytes:
    """Broken markup: unclosed and stray tags, bad attributes, a truncated comment and entity garbage."""
    return (
        "<html><head><title>Flood <b>defences</title><meta charset=\"bogus-8\"><body><div class=\"a\" "
        f"id=><p>{NEWS_EN}<p><table><tr><td>{NEWS_EN_2}</div></span></td><<<>>></p>"
        "&#xFFFFFFFF; &#0; &bogus; <a href=\"javascript:alert(1)\" onclick=alert(2)>x</a"
        "<!-- unterminated comment <p>hidden</p>"
    ).encode()


def script_only_html() -> bytes:
    """A page whose only content is scripts and styles."""
    scripts = "<script>var a = 'Flood defences failed in Riverton on Tuesday';</script>" * 50
    return f"<!DOCTYPE html><html><head><style>p{{color:red}}</style></head><body>{scripts}</body></html>".encode()


def single_line(size: int) -> bytes:
    """News sentences on one line with no newline at all, about `size` bytes."""
    unit = (NEWS_EN + " " + NEWS_EN_2 + " ").encode()
    return (unit * (size // len(unit) + 1))[:size]


def tiny_paragraphs(count: int) -> bytes:
    """`count` one-word paragraphs separated by blank lines."""
    return b"A.\n\n" * count


def many_sentences(count: int) -> bytes:
    """`count` distinct check-worthy sentences in paragraphs of ten (exercises claims.max_claims)."""
    lines = [f"Mayor Anna Keller said {n + 2} bridges in Riverton were closed on {1 + n % 28} March 2021."
             for n in range(count)]
    return "\n\n".join(" ".join(lines[i:i + 10]) for i in range(0, count, 10)).encode()


def invalid_utf8(text: str = NEWS_EN * 3) -> bytes:
    """UTF-8 news text with stray invalid bytes (lone continuation bytes, an overlong form, a surrogate)."""
    data = text.encode()
    third = len(data) // 3
    return data[:third] + b"\x80\xbf" + data[third:2 * third] + b"\xc0\xaf\xed\xa0\x80" + data[2 * third:]


def hostile_inputs(*, huge: bool = True) -> list[HostileInput]:
    """The whole bad-input corpus; `huge=False` leaves out the multi-megabyte items."""
    items = [
        HostileInput("empty", b"", expect="refuse"),
        HostileInput("whitespace_only", b" \t\r\n\x0c\n" * 2000, expect="refuse"),
        HostileInput("png_image", png_bytes(), expect="refuse", note="a PNG named .txt"),
        HostileInput("jpeg_image", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4, expect="refuse"),
        HostileInput("gif_image", b"GIF89a\x01\x00\x01\x00\x80\x00\x00" + b"\x00" * 64, expect="refuse"),
        HostileInput("pdf_document", pdf_bytes(), expect="refuse"),
        HostileInput("zip_archive", zip_bytes(), expect="refuse"),
        HostileInput("gzip_text", gzip.compress(NEWS_EN.encode() * 10), expect="refuse"),
        HostileInput("png_named_html", png_bytes(), suffix=".html", expect="refuse"),
        HostileInput("nul_bytes", NEWS_EN.encode().replace(b" ", b"\x00 "), expect="refuse"),
        HostileInput("nul_after_64k", (NEWS_EN + "\n\n").encode() * 250 + b"\x00" * 100 + NEWS_EN.encode()),
        HostileInput("control_characters", bytes(range(1, 9)) * 200 + NEWS_EN.encode(), expect="refuse"),
        HostileInput("ansi_escapes", (f"\x1b[31m\x1b]0;pwned\x07{NEWS_EN}\x1b[2J\n\n{NEWS_EN_2}").encode(),
                     expect="accept", must_contain="Riverton"),
        HostileInput("invalid_utf8", invalid_utf8(), expect="accept", must_contain="Riverton"),
        HostileInput("latin1_news", (NEWS_ACCENTED * 3 + "\n\n" + NEWS_EN).encode("latin-1"),
                     expect="accept", must_contain="Zürich"),
        HostileInput("cp1252_news", (NEWS_CP1252 * 3 + "\n\n" + NEWS_EN).encode("cp1252"),
                     expect="accept", must_contain="€4 billion"),
        HostileInput("latin1_html", ("<html><head><meta charset=\"iso-8859-1\"><title>Bank chief resigns</title>"
                                     f"</head><body><article><p>{NEWS_ACCENTED}</p><p>{NEWS_EN}</p></article>"
                                     "</body></html>").encode("latin-1"),
                     suffix=".html", expect="accept", must_contain="José Müller"),
        HostileInput("utf16_bom", (NEWS_EN + "\n\n" + NEWS_EN_2).encode("utf-16"), expect="accept",
                     must_contain="Riverton"),
        HostileInput("utf8_bom", ("\ufeff" + NEWS_EN).encode(), expect="accept", must_contain="Riverton"),
        HostileInput("german", (NEWS_DE + "\n\n") .encode() * 3, expect="refuse"),
        HostileInput("chinese", (NEWS_ZH + "\n\n").encode() * 5, expect="refuse"),
        HostileInput("russian", (NEWS_RU + "\n\n").encode() * 5, expect="refuse"),
        HostileInput("arabic", (NEWS_AR + "\n\n").encode() * 5, expect="refuse"),
        HostileInput("mixed_mostly_english", f"{NEWS_EN}\n\n{NEWS_EN_2}\n\n{NEWS_ES}".encode(), expect="accept",
                     must_contain="Riverton"),
        HostileInput("mixed_mostly_spanish", f"{NEWS_ES}\n\n{NEWS_ES}\n\n{NEWS_DE}\n\n{NEWS_EN_2}".encode()),
        HostileInput("list_only", b"".join(f"- item number {n}\n".encode() for n in range(200))),
        HostileInput("table_only", b"year,region,rain_mm\n" + b"".join(
            f"{2000 + n},north,{n * 7 % 300}\n".encode() for n in range(300))),
        HostileInput("markdown_table", b"| a | b |\n|---|---|\n" + b"| 1 | 2 |\n" * 500, suffix=".md"),
        HostileInput("numbers_only", b" ".join(str(n).encode() for n in range(20_000))),
        HostileInput("punctuation_only", b"!?.,;:-" * 3000),
        HostileInput("urls_only", b"\n".join(f"https://example.org/{n}".encode() for n in range(500))),
        HostileInput("emoji_rtl_zero_width", ("\u202e\u200b\u200d🔥🌊 " + NEWS_EN + " \u0301\u0301\u0301 "
                                              "\u2066\u2069").encode() * 3, expect="accept", must_contain="Riverton"),
        HostileInput("long_word", b"a" * 300_000),
        HostileInput("markdown_stars", b"*a" * 200_000 + b"\n", suffix=".md"),
        HostileInput("markdown_brackets", b"[" * 100_000 + b"x" + b"](" * 100_000, suffix=".md"),
        HostileInput("html_script_as_text", (f"<html><body><article><p>{NEWS_EN}</p><p>The post read "
                                             "&lt;script&gt;alert('x')&lt;/script&gt; before it was deleted.</p>"
                                             "<script>alert('page')</script></article></body></html>").encode(),
                     suffix=".html", expect="accept", must_contain="Riverton"),
        HostileInput("malformed_html", malformed_html(), suffix=".html"),
        HostileInput("script_only_html", script_only_html(), suffix=".html", expect="refuse"),
        HostileInput("html_named_txt", f"<!DOCTYPE html><html><body><p>{NEWS_EN}</p></body></html>".encode(),
                     expect="accept", must_contain="Riverton"),
        HostileInput("nested_divs_10k", nested_html(10_000), suffix=".html"),
        HostileInput("attributes_200k", many_attributes_html(), suffix=".html", expect="accept",
                     must_contain="Riverton", note="quadratic in libxml2 unless the tag is cut"),
        HostileInput("many_claims", many_sentences(400), expect="accept", must_contain="Riverton"),
        HostileInput("single_line_60k", single_line(60_000), expect="accept", must_contain="Riverton",
                     note="one paragraph over claims.max_paragraph_chars"),
    ]
    if huge:
        items += [
            HostileInput("nested_divs_100k", nested_html(100_000), suffix=".html"),
            HostileInput("huge_100mb", NEWS_EN.encode(), sparse_size=100 * 1024 * 1024, expect="refuse"),
            HostileInput("single_line_5mb", single_line(5 * 1024 * 1024), expect="refuse",
                         note="over ingest.max_bytes"),
            HostileInput("single_line_4.9mb", single_line(4_900_000), note="over ingest.max_chars"),
            HostileInput("million_paragraphs", tiny_paragraphs(1_000_000)),
        ]
    return items


def write_corpus(folder: Path, *, huge: bool = True) -> Iterator[tuple[HostileInput, Path]]:
    """Write every corpus item into `folder`, yielding (item, path)."""
    folder.mkdir(parents=True, exist_ok=True)
    for item in hostile_inputs(huge=huge):
        yield item, item.write(folder)


# --------------------------------------------------------------------------- child processes
@dataclass
class Outcome:
    """What a child process did."""

    returncode: int | None  # None: killed after the time limit (a hang)
    stdout: bytes
    stderr: bytes
    seconds: float
    max_rss_mb: float


# Linux carries an address space's peak RSS into the child's rusage at exec, so a child forked from a
# large test process would report at least that process's size. Commands therefore run under this small
# reaper, which forks them from its own ~20 MB and writes their rusage peak (KiB) to the file argv[1].
_REAPER = """
import os, signal, subprocess, sys
proc = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(proc.pid, 0)
proc.returncode = code = os.waitstatus_to_exitcode(status)
with open(sys.argv[1], "w") as out:
    out.write(str(usage.ru_maxrss))
if code < 0:
    signal.signal(-code, signal.SIG_DFL)
    os.kill(os.getpid(), -code)
sys.exit(code)
"""


def run_child(command: list[str], *, timeout: float, env: dict[str, str] | None = None, cwd: Path | None = None,
              stdin: Path | None = None, workdir: Path) -> Outcome:
    """Run `command`, kill it after `timeout` s; its peak RSS comes from wait4's rusage of that very process
    (taken by a small reaper, see _REAPER)."""
    workdir.mkdir(parents=True, exist_ok=True)
    out_path, err_path, rss_path = workdir / "stdout", workdir / "stderr", workdir / "max_rss_kib"
    rss_path.unlink(missing_ok=True)
    with out_path.open("wb") as out, err_path.open("wb") as err, \
            (stdin.open("rb") if stdin else open(os.devnull, "rb")) as inp:
        started = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _REAPER, str(rss_path), *command], stdin=inp, stdout=out,
                                stderr=err, cwd=cwd, env={**os.environ, **(env or {})}, start_new_session=True)
        returncode: int | None = None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                returncode = os.waitstatus_to_exitcode(status)
                break
            if time.monotonic() - started > timeout:
                os.killpg(proc.pid, signal.SIGKILL)  # the reaper and the command share the session
                _, _, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = -9 if returncode is None else returncode  # reaped here; keep Popen quiet
    max_rss_kib = float(rss_path.read_text()) if rss_path.is_file() else usage.ru_maxrss
    return Outcome(returncode, out_path.read_bytes(), err_path.read_bytes(), time.monotonic() - started,
                   max_rss_kib / 1024)


def one_line_error(outcome: Outcome) -> bool:
    """Exit 2 with exactly one stderr line starting 'newsproof: error:' (the CLI's refusal contract)."""
    lines = [line for line in outcome.stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    return outcome.returncode == 2 and len(lines) == 1 and lines[0].startswith("newsproof: error:")


@dataclass
class Tally:
    """Counts for the closing summary line."""

    inputs: int = 0
    crashes: list[str] = field(default_factory=list)
    hangs: list[str] = field(default_factory=list)
    max_rss_mb: float = 0.0
    kill_rounds: int = 0
    kill_rounds_survived: int = 0

    def record(self, label: str, outcome: Outcome, crashed: bool) -> None:
        """Count one input run through one entry point."""
        self.inputs += 1
        self.max_rss_mb = max(self.max_rss_mb, outcome.max_rss_mb)
        if outcome.returncode is None:
            self.hangs.append(label)
        elif crashed:
            self.crashes.append(label)

    def record_status(self, label: str, status: int) -> None:
        """Count one HTTP request: a 5xx answer is a crash."""
        self.inputs += 1
        if status >= 500:
            self.crashes.append(f"{label} ({status})")

    def line(self) -> str:
        """The summary line."""
        return (f"reliability: inputs tried {self.inputs}, crashes {len(self.crashes)}, hangs {len(self.hangs)}, "
                f"max memory {self.max_rss_mb:.0f} MB; kill-during-index rounds survived "
                f"{self.kill_rounds_survived}/{self.kill_rounds}")


# --------------------------------------------------------------------------- bad evidence data files
def bad_data_files() -> dict[str, bytes]:
    """Malformed data files for `newsproof index build`, by file name (the name picks the loader)."""
    png = png_bytes()
    return {
        "truncated.jsonl": b'{"id": "a", "text": "Flood defences failed"}\n{"id": "b", "text": "cut off',
        "not_objects.jsonl": b'{"id": "a", "text": "fine"}\n[1, 2, 3]\n',
        "image.jsonl": png,
        "nul_bytes.jsonl": b'{"id": "a", "text": "x"}\n\x00\x00\x00\n',
        "latin1.jsonl": '{"id": "a", "text": "café"}\n'.encode("latin-1"),
        "latin1.csv": "id,text\n1,café news\n".encode("latin-1"),
        "not_objects.json": b"[1, 2, 3]",
        "not_a_list.json": b'{"text": "a single object"}',
        "not_gzip.jsonl.gz": b"plain text, not gzip",
        "not_gzip.csv.gz": b"plain text, not gzip",
        "huge_field.csv": b"id,text\n1," + b"a" * 200_000 + b"\n",
        "bad.parquet": b"PAR1 not really parquet",
        "no_text.jsonl": b'{"id": "a", "headline": "no text column"}\n',
        "bad_kind.jsonl": b'{"id": "a", "text": "ok", "kind": "rumour"}\n',
        "reuters21578.jsonl": b'{"id": "r1", "title": "missing text"}\n{"id": 5, "text": ["not", "a", "string"]}\n',
        "people.jsonl": b'{"id": "Q1"}\n',
        "article.pdf": pdf_bytes(),
    }
