"""An article published "today" on the site becomes evidence: the Checker supports a claim from it."""

from __future__ import annotations

from pathlib import Path

from feed_site import FeedSite
from update_support import Update

from newsproof.models import Verdict


def test_claim_about_todays_item_is_supported_from_it(update: Update, site: FeedSite, tmp_path: Path) -> None:
    from newsproof.pipeline import Checker

    assert update("/rss.xml").items.new == 3
    checker = Checker(store_uri=str(tmp_path / "store.sqlite"))
    try:
        text = (f"The Riverton city council approved a new bridge over the river Stour on {site.today:%d %B %Y}, "
                "ending years of debate.")
        report = checker.check_bytes(text.encode(), kind="text", date=site.today)
    finally:
        checker.close()
    bridge = next(c for c in report.claims if "Stour" in c.claim.text)
    assert bridge.verdict == Verdict.SUPPORTED
    cited = [e for e in bridge.evidence if e.url == site.url("/news/bridge-vote.html")]
    assert cited and cited[0].date == site.today.isoformat()
