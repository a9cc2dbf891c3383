"""Word lists used by the handcrafted detector features."""

from __future__ import annotations

# Function words profiled one by one (rate per word).
FUNCTION_WORDS: tuple[str, ...] = (
    "the", "a", "an", "of", "and", "to", "in", "is", "was", "that", "it", "he", "she", "they",
    "i", "we", "you", "said", "but", "this", "has", "have", "will", "would", "which", "its",
    "their", "also", "not", "as",
)

# Hedges and epistemic softeners.
HEDGES: frozenset[str] = frozenset(
    "may might could possibly perhaps likely unlikely apparently reportedly allegedly seemingly "
    "suggest suggests suggested potentially arguably generally typically somewhat".split()
)

# Discourse connectives that language models over-use.
TRANSITIONS: frozenset[str] = frozenset(
    "however moreover furthermore additionally overall consequently therefore thus meanwhile "
    "nevertheless nonetheless notably importantly ultimately specifically indeed".split()
)

# Stock phrases typical of instruction-tuned model prose (matched on lower-cased text).
STOCK_PHRASES: tuple[str, ...] = (
    "it is important to", "it's important to", "it is worth noting", "it is crucial", "in conclusion",
    "in summary", "plays a crucial role", "plays a vital role", "a testament to", "shed light on",
    "sheds light on", "in today's", "the importance of", "serves as a", "a reminder that",
    "raises concerns", "raised concerns", "highlighting the", "highlights the", "underscores the",
    "underscoring the", "amidst", "delve", "navigate", "landscape", "fostering", "a significant",
    "significant impact", "potential impact", "ensure that", "aims to", "in light of",
    "according to experts", "experts say", "further investigation", "continues to", "remains to be seen",
    "it remains", "the public", "it is essential", "as well as", "in order to", "on the other hand",
    "a wide range of", "overall,", "additionally,", "furthermore,", "moreover,",
)

FIRST_PERSON: frozenset[str] = frozenset("i me my mine we us our ours".split())
