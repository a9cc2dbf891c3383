"""Claims stage: Article -> check-worthy event, quote, quantity and statement claims."""

from newsproof.claims.extractor import ClaimExtractor, claim_id

__all__ = ["ClaimExtractor", "claim_id"]
