"""Verification: structured KB checks, then textual evidence, combined into one verdict per claim.

`Verifier` runs the checks of `checks/`; the textual ones ask an entailment judge from `judges/`; `train/`
builds the shipped models (build time only). See docs/ARCHITECTURE.md, "Where a new piece goes".
"""

from __future__ import annotations

from typing import Any

from newsproof.config import section
from newsproof.evidence.store_common import normalise_name
from newsproof.models import Article, Claim, ClaimResult, Entity, Mention, Verdict
from newsproof.verify.checks.aggregate import combine, summarise
from newsproof.verify.checks.dated import dated_checks, with_name_mentions
from newsproof.verify.checks.structured import CheckOutcome, run_checks
from newsproof.verify.checks.textual import TextualCheck

__all__ = ["Verifier", "summarise"]

MONONYM_POPULARITY = 0.6  # a one-word name links on its own only to a well-known record ('Pele')
FULL_NAME_MARGIN = 0.05  # how far an exactly named record must lead its namesakes to be linked on its name
LINKABLE_LABELS = frozenset({"PERSON", "ORG", "NORP", "FAC", "EVENT"})


class Verifier:
    """Verify an article's claims against an evidence store.

    Usage::

        verifier = Verifier(store, config)
        verifier.warm_up()
        results = verifier.run(article, claims)
    """

    def __init__(self, store: Any, config: dict | None = None) -> None:
        self.store = store
        self.config = section("verify", config)  # the packaged [verify] completes a partial section
        self.linker_: Any = None
        self.retriever_: Any = None
        self.events_: Any = None
        self.textual_: list[TextualCheck] | None = None

    def warm_up(self) -> None:
        """Build the entity linker and the textual checkers (loads their models)."""
        if self.linker_ is not None:
            return
        from newsproof.evidence.linking import EntityLinker
        from newsproof.evidence.retrieval import build_retriever
        from newsproof.verify.checks.events import EventCheck
        from newsproof.verify.checks.textual import build_textual_checks

        self.linker_ = EntityLinker(self.store)
        self.events_ = EventCheck(self.store)
        self.retriever_ = build_retriever(self.store, self.config)
        self.textual_ = build_textual_checks(self.store, self.config, self.retriever_)
        for check in self.textual_:
            check.warm_up()

    def run(self, article: Article, claims: list[Claim]) -> list[ClaimResult]:
        """One ClaimResult per claim, in the order given."""
        claims, links = self.link(article, claims)
        outcomes: list[list[CheckOutcome]] = [
            run_checks(claim, roles) + dated_checks(claim, roles, article.date) + self.events_.check(claim)
            for claim, roles in ((c, _roles(c, links)) for c in claims)]
        # Textual checks read only the claims that no KB fact already contradicts.
        open_claims = [i for i, found in enumerate(outcomes) if not any(o.verdict is Verdict.CONTRADICTED for o in found)]
        for check in self.textual_ or []:
            batch = check.run_batch([claims[i] for i in open_claims], article) if open_claims else []
            for i, found in zip(open_claims, batch, strict=True):
                outcomes[i] += found
        return [combine(claim, found) for claim, found in zip(claims, outcomes, strict=True)]

    def link(self, article: Article, claims: list[Claim]) -> tuple[list[Claim], dict[str, Entity]]:
        """The claims with name mentions added and each linked mention's KB id and name filled in,
        and the links by mention text."""
        self.warm_up()
        claims = [with_name_mentions(claim) for claim in claims]
        links = self._link_mentions(article, claims)
        return [_with_entity_ids(claim, links) for claim in claims], links

    def _link_mentions(self, article: Article, claims: list[Claim]) -> dict[str, Entity]:
        """Link each distinct mention text once per article, with the whole article as context."""
        minimum = self.config["link_min_score"] / 100
        context = f"{article.title or ''}\n{article.text}"
        links: dict[str, Entity] = {}
        for claim in claims:
            for mention in claim.mentions:
                if mention.label not in LINKABLE_LABELS or mention.text in links:
                    continue
                candidates = self.linker_.link(mention.text, context=context, label=mention.label)
                if not candidates or not self._named_enough(mention, candidates[0][0], context):
                    continue
                if candidates[0][1] >= minimum or self._sole_full_name(mention, candidates):
                    links[mention.text] = candidates[0][0]
        return links


    def _named_enough(self, mention: Mention, entity: Entity, context: str) -> bool:
        """A one-word person mention ('Wilson said ...') links only through a fuller name in the article
        or to a well-known mononym ('Pele'): a bare surname is anybody's."""
        if mention.label != "PERSON" or len(mention.text.split()) > 1:
            return True
        if self.linker_.expand(mention.text, context):
            return True
        # The record's own name must be the one word: Archigos lists leaders by surname ('Wilson' is an
        # alias of Woodrow Wilson, and 'Nicholas' a record of its own), which makes no mononym.
        return (normalise_name(entity.name) == normalise_name(mention.text) and len(entity.name.split()) == 1
                and entity.popularity >= MONONYM_POPULARITY and entity.source != "archigos41")

    def _sole_full_name(self, mention: Mention, candidates: list[tuple[Entity, float]]) -> bool:
        """A person's full name that matches one KB record exactly, clearly ahead of any namesake:
        linked even when the person is obscure and the article shares no context words with the record."""
        best, score = candidates[0]
        if mention.label != "PERSON" or len(mention.text.split()) < 2 or best.type != "person":
            return False
        if self.linker_.name_similarity(mention.text, best) < 1.0:
            return False
        return len(candidates) == 1 or candidates[1][1] <= score - FULL_NAME_MARGIN


def _with_entity_ids(claim: Claim, links: dict[str, Entity]) -> Claim:
    """The claim with each linked mention's KB entity id filled in."""
    if not any(m.text in links for m in claim.mentions):
        return claim
    mentions = [m.model_copy(update={"entity_id": links[m.text].id, "entity_name": links[m.text].name})
                if m.text in links else m for m in claim.mentions]
    return claim.model_copy(update={"mentions": mentions})


def _roles(claim: Claim, links: dict[str, Entity]) -> list[tuple[str, str, Entity]]:
    """(mention, role, entity) for the linked mentions of `claim`."""
    triples = []
    speaker = claim.quote.speaker if claim.quote else None
    for mention in claim.mentions:
        entity = links.get(mention.text)
        if entity is None:
            continue
        if claim.target and mention.text in claim.target:
            role = "target"
        elif claim.agent and mention.text in claim.agent:
            role = "agent"
        elif speaker and (mention.text in speaker or speaker in mention.text):
            role = "speaker"
        else:
            role = "other"
        triples.append((mention.text, role, entity))
    return triples
