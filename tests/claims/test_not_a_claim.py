"""Lines that make no claim (signatures, contact lines, captions) never become claims."""

from __future__ import annotations

import pytest

from newsproof.claims.scoring import makes_no_claim


@pytest.mark.parametrize("line", [
    "— Jane Doe (@janedoe) January 3, 2020",
    "Contact us: www.example.com | +1 (555) 123-4567",
    "Photo: Reuters",
    "Read more: the full ruling",
])
def test_non_claims(line):
    assert makes_no_claim(line)


@pytest.mark.parametrize("line", [
    "The minister said 1,200,000 people were affected on Monday in Lagos.",
    "Police said on Tuesday that the attack in Dallas, which was reported at 9 p.m., killed three people.",
])
def test_claims_stay(line):
    assert not makes_no_claim(line)


def test_signature_line_is_not_extracted(checker):
    text = ("Storm hits coast\n\nThe storm killed 12 people in Galveston on Monday, officials said.\n\n"
            "— Jane Doe (@janedoe) January 3, 2020")
    claims = checker.extractor_.run(checker.check_bytes(text.encode(), kind="text").article)
    assert claims and not any("@janedoe" in c.text for c in claims)
