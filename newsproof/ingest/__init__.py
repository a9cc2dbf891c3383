"""Ingest stage: file, URL, stdin or bytes -> a cleaned, dated, English Article."""

from newsproof.ingest.article import article_id, ingest, ingest_bytes

__all__ = ["article_id", "ingest", "ingest_bytes"]
