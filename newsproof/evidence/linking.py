"""Entity linking: a mention (plus its article context) -> ranked KB entities with scores 0..1.

Candidates come from `store.find_entities`; each is scored by name similarity (exact name/alias,
surname-style trailing-token match, else rapidfuzz token_sort_ratio), overlap between the
article context and the entity's description/country/occupations/positions, and popularity.
A surname-only mention ("Soleimani") is first expanded to the fuller name the context uses
("Qasem Soleimani") when that fuller name is in the KB.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from newsproof.evidence.protocol import EvidenceStore
from newsproof.evidence.store_common import STOPWORDS, normalise_name
from newsproof.models import Entity

# spaCy NER labels -> KB entity types
LABEL_TYPES = {"PERSON": "person", "ORG": "organization", "NORP": "organization", "GPE": "place",
               "LOC": "place", "FAC": "place", "EVENT": "event"}
W_NAME, W_CONTEXT, W_POPULARITY = 0.65, 0.2, 0.15
SURNAME_SIM = 0.85      # mention equals the trailing tokens of a name ("al-Muhandis")
EXPANDED_SIM = 0.97     # mention expanded to a full name found in the context
NAMESAKE = 0.6          # multiplier for candidates that do not carry the expanded full name
TYPE_MISMATCH = 0.5     # multiplier when the NER label disagrees with the entity type
_MAX_PREFIX_WORDS = 4
_PREFIX_WORDS = r"((?:[\w'’.-]+\s+){1,%d})" % _MAX_PREFIX_WORDS  # noqa: UP031 (regex braces)


def _content_tokens(text: str) -> set[str]:
    return {t for t in normalise_name(text).split() if len(t) > 2 and t not in STOPWORDS}


def entity_context_tokens(entity: Entity) -> set[str]:
    """Descriptive tokens of an entity: description, country, places, occupations, positions."""
    parts = [entity.description or "", entity.country or "", entity.birth_place or "", entity.death_place or "",
             *entity.occupations]
    for pos in entity.positions:
        parts += [pos.title, pos.org or "", pos.country or ""]
    return _content_tokens(" ".join(parts))


class EntityLinker:
    """Link mentions to KB entities of an EvidenceStore."""

    def __init__(self, store: EvidenceStore, *, candidates: int = 30, min_score: float = 0.3) -> None:
        self.store = store
        self.candidates = candidates
        self.min_score = min_score
        self._kb_names: dict[str, bool] = {}  # candidate name -> is an exact KB name or alias

    def is_kb_name(self, candidate: str) -> bool:
        """Whether `candidate` is exactly the name or an alias of a KB entity (remembered: an article
        repeats its names, and every repeat would otherwise query the store again)."""
        known = self._kb_names.get(candidate)
        if known is None:
            if len(self._kb_names) > 100_000:
                self._kb_names.clear()
            norm = normalise_name(candidate)
            known = any(norm in self._names(e) for e in self.store.find_entities(candidate, limit=5))
            self._kb_names[candidate] = known
        return known

    def expand(self, mention: str, context: str) -> str | None:
        """The longest fuller name in `context` ending with `mention` that is an exact KB name or alias."""
        if not context or not mention.strip():
            return None
        pattern = re.compile(_PREFIX_WORDS + re.escape(mention.strip()) + r"\b")
        best: str | None = None
        for match in pattern.finditer(context):
            words = match.group(1).split()
            for n in range(len(words), 0, -1):
                candidate = " ".join([*words[-n:], mention.strip()])
                if best is not None and len(candidate) <= len(best):
                    break
                if self.is_kb_name(candidate):
                    best = candidate
                    break
        return best

    @staticmethod
    def _names(entity: Entity) -> set[str]:
        return {normalise_name(n) for n in [entity.name, *entity.aliases]}

    def name_similarity(self, query: str, entity: Entity) -> float:
        """1 for an exact name/alias, SURNAME_SIM for trailing tokens, else token_sort_ratio / 100."""
        norm = normalise_name(query)
        names = self._names(entity)
        if norm in names:
            return 1.0
        tokens = norm.split()
        if entity.type == "person" and any(
                n.split()[-len(tokens):] == tokens and len(n.split()) > len(tokens) for n in names):
            return SURNAME_SIM
        return max((fuzz.token_sort_ratio(norm, n) / 100 for n in names), default=0.0)

    def link(self, mention: str, context: str = "", label: str | None = None) -> list[tuple[Entity, float]]:
        """Candidate entities for `mention`, best first, with scores in 0..1."""
        if not normalise_name(mention):
            return []
        expanded = self.expand(mention, context)
        pool = {e.id: e for e in self.store.find_entities(mention, limit=self.candidates)}
        if expanded:
            pool |= {e.id: e for e in self.store.find_entities(expanded, limit=self.candidates)}
        ctx = _content_tokens(context) - _content_tokens(f"{mention} {expanded or ''}")
        wanted = LABEL_TYPES.get(label or "")
        scored = []
        for entity in pool.values():
            sim = self.name_similarity(mention, entity)
            if expanded:
                sim = max(sim, EXPANDED_SIM) if normalise_name(expanded) in self._names(entity) else sim * NAMESAKE
            ent_tokens = entity_context_tokens(entity)
            overlap = min(1.0, len(ent_tokens & ctx) / min(8, len(ent_tokens))) if ent_tokens and ctx else 0.0
            score = W_NAME * sim + W_CONTEXT * overlap + W_POPULARITY * entity.popularity
            if wanted and entity.type != wanted:
                score *= TYPE_MISMATCH
            if score >= self.min_score:
                scored.append((entity, round(min(1.0, score), 4)))
        scored.sort(key=lambda pair: (-pair[1], -pair[0].popularity, pair[0].id))
        return scored
