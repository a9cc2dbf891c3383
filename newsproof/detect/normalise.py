"""Undo script and layout disguises before scoring, and keep a record of what was undone.

Four cleaning steps, in order:

1. invisible characters are removed: Unicode format characters (category Cf: zero-width spaces and
   joiners, soft hyphens, bidi controls, byte-order marks), the combining grapheme joiner and variation
   selectors;
2. NFKC folds compatibility forms (full-width and mathematical letters, non-breaking and other odd
   spaces, ligatures) to their plain equivalents;
3. letters of another script that are confusable with a Latin letter (UTS #39 confusables, from the
   `confusable-homoglyphs` package: Cyrillic "а" -> "a", Greek "ο" -> "o", ...) are folded to it;
4. misspelled words are read as the dictionary word one edit away (`spelling.respell`).

Hidden script is itself evidence: writers do not put Cyrillic letters inside English words by accident,
but evasion tools do. `Cleaned.hidden_script` says when the record is strong enough to count as
evidence; odd whitespace is only reported (doubled spaces are common in scraped human text).
"""

from __future__ import annotations

import re
import string
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from newsproof.detect.spelling import respell

_WORD_RE = re.compile(r"[^\W\d_]+", re.UNICODE)  # runs of letters, any script
_EXTRA_INVISIBLE = frozenset({"\u034f", *map(chr, range(0xFE00, 0xFE10))})
_ODD_SPACE_RE = re.compile(r"[^\S \n\r\t]")  # whitespace other than the plain kinds (str.isspace, as \s)
_DOUBLED_SPACE_RE = re.compile(r"(?<=\S) {2,}(?=\S)")
# evidence thresholds: real human news in train.jsonl has at most 2 words with look-alike letters
# (mojibake) and at most 3 invisible characters per text
HIDDEN_WORDS, HIDDEN_INVISIBLE = 3, 5


@lru_cache(maxsize=1)
def fold_table() -> dict[int, str]:
    """Non-ASCII letters whose UTS #39 confusable is one ASCII letter -> that letter (a str.translate table).

    UTS #39 skeletons do not keep case for I/l (both map to 'l'); an upper-case source maps to 'I'.
    """
    from confusable_homoglyphs.confusables import confusables_data

    table = {}
    for char, glyphs in confusables_data.items():
        if len(char) != 1 or char.isascii() or not unicodedata.category(char).startswith("L"):
            continue
        target = next((g["c"] for g in glyphs if len(g["c"]) == 1 and g["c"] in string.ascii_letters), None)
        if target is not None:
            table[ord(char)] = "I" if target == "l" and char.isupper() else target
    return table


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    """The script of a letter, e.g. 'Latin', 'Cyrillic' (the first word of its Unicode name)."""
    name = unicodedata.name(char, "")
    return name.split(" ")[0].title() if name else "Unknown"


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf" or char in _EXTRA_INVISIBLE


@dataclass(frozen=True)
class Cleaned:
    """A text with its disguises undone, and what was undone."""

    text: str
    disguised_words: tuple[str, ...] = ()  # words (as written) with letters folded from another script
    scripts: tuple[str, ...] = ()  # the other scripts those letters came from, e.g. ('Cyrillic',)
    folded_letters: int = 0
    invisible: int = 0
    odd_whitespace: int = 0
    respelled: tuple[tuple[str, str], ...] = ()  # (as written, read as) per misspelled word

    @property
    def hidden_script(self) -> bool:
        """Whether the disguises are strong evidence of an evasion attempt."""
        return len(self.disguised_words) >= HIDDEN_WORDS or self.invisible >= HIDDEN_INVISIBLE

    def describe(self) -> list[tuple[str, float, str]]:
        """(signal name, value, plain-words description) of each kind of disguise found."""
        out = []
        if self.disguised_words:
            n, scripts = len(self.disguised_words), " and ".join(self.scripts)
            examples = ", ".join(dict.fromkeys(self.disguised_words))
            examples = examples if len(examples) <= 60 else examples[:57] + "..."
            out.append(("mixed_script_words", float(n), f"{n} word{'s' * (n != 1)} mix Latin and {scripts} "
                        f"look-alike letters (e.g. {examples}); read as plain Latin"))
        if self.invisible:
            out.append(("invisible_characters", float(self.invisible),
                        f"{self.invisible} invisible character{'s' * (self.invisible != 1)} (zero-width or format) removed"))
        if self.odd_whitespace:
            out.append(("odd_whitespace", float(self.odd_whitespace),
                        f"{self.odd_whitespace} unusual space{'s' * (self.odd_whitespace != 1)} "
                        "(doubled, non-breaking or typographic) read as plain spaces"))
        if self.respelled:
            n = len(self.respelled)
            examples = ", ".join(f"{a} → {b}" for a, b in dict.fromkeys(self.respelled))
            examples = examples if len(examples) <= 60 else examples[:57] + "..."
            out.append(("misspelled_words", float(n), f"{n} misspelled word{'s' * (n != 1)} read as the "
                        f"dictionary word (e.g. {examples})"))
        return out


def clean(text: str) -> Cleaned:
    """Remove invisible characters, apply NFKC, fold look-alike letters to Latin, correct misspellings;
    record each change."""
    odd = len(_DOUBLED_SPACE_RE.findall(text))
    if text.isascii():
        text, respelled = respell(text)
        return Cleaned(text, odd_whitespace=odd, respelled=respelled)
    odd += len(_ODD_SPACE_RE.findall(text))
    hidden = [ch for ch in set(text) if _invisible(ch)]  # each distinct character judged once
    invisible = sum(text.count(ch) for ch in hidden)
    if hidden:
        text = text.translate(dict.fromkeys(map(ord, hidden)))
    text = unicodedata.normalize("NFKC", text)
    table = fold_table()
    disguised, scripts, folded = [], set(), 0
    for word in _WORD_RE.findall(text):
        if word.isascii():
            continue
        foreign = [ch for ch in word if ord(ch) in table]
        if foreign and (any(ch.isascii() for ch in word) or len(foreign) == len(word)):
            disguised.append(word)
            scripts.update(_script(ch) for ch in foreign)
            folded += len(foreign)
    if disguised:
        marked = set(disguised)
        text = _WORD_RE.sub(lambda m: m.group(0).translate(table) if m.group(0) in marked else m.group(0), text)
    text, respelled = respell(text)
    return Cleaned(text, tuple(disguised), tuple(sorted(scripts - {"Latin"}) or ["other"]) if disguised else (),
                   folded, invisible, odd, respelled)
