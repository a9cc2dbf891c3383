"""ClaimReview files load through `index build` as previously checked claims, and `check` exports ClaimReview."""

from __future__ import annotations

import json

from support.cli import ARTICLES, run_cli

from newsproof.evidence import open_store

REVIEW = {
    "@context": "https://schema.org", "@type": "ClaimReview", "url": "https://example.org/fact-check/moon",
    "claimReviewed": "The 1969 Moon landing was filmed in a television studio.", "datePublished": "2020-05-01",
    "author": {"@type": "Organization", "name": "Example Checks"},
    "reviewRating": {"@type": "Rating", "ratingValue": 1, "bestRating": 5, "worstRating": 1, "alternateName": "False"},
}


def test_index_build_imports_claimreview_and_check_exports_it(tmp_path):
    source = tmp_path / "reviews.jsonld"
    source.write_text(json.dumps(REVIEW))
    store_path = tmp_path / "reviews.sqlite"
    result = run_cli("index", "build", str(source), "--store", str(store_path), "--no-progress")
    assert result.returncode == 0, result.stderr.decode()
    store = open_store(str(store_path), read_only=True)
    [(checked, _)] = store.search_checked_claims("Moon landing filmed in a studio", k=3)
    assert checked.verdict.value == "CONTRADICTED" and checked.url == REVIEW["url"]
    store.close()

    exported = run_cli("check", str(ARTICLES / "soleimani_fake.txt"), "--format", "claimreview")
    assert exported.returncode == 1, exported.stderr.decode()
    reviews = json.loads(exported.stdout)
    assert all(r["@type"] == "ClaimReview" for r in reviews)
    assert any(r["reviewRating"]["alternateName"] == "CONTRADICTED" or r["reviewRating"]["ratingValue"] == 1
               for r in reviews)
