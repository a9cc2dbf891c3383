"""Which retrieved passages may be cited for a claim (`shares_rare_word`), on passages of the bundled base."""

from __future__ import annotations

from newsproof.verify.features import shares_rare_word

PENTAGON = "The Pentagon said the strike was ordered by the president to deter future Iranian attack plans."


def test_common_words_alone_do_not_tie_a_passage_to_a_claim():
    # shares only "future" (Zipf 5.3) with the claim
    assert not shares_rare_word(PENTAGON, 'Tuvalu. "A rising tide: Planning the future of a sinking island".')
    assert shares_rare_word(PENTAGON, "Iranian missile strikes on US bases in Iraq. Pentagon reports no deaths.")


def test_stems_and_numbers_count():
    assert shares_rare_word("The strike hit a convoy of two vehicles shortly after midnight.",
                            "Mali War. Two Egyptian UN peacekeepers are killed when their vehicle hits a mine.")
    assert shares_rare_word("The United States has about 5,200 troops there.", "A force of 5,200 remains.")
    assert not shares_rare_word("The United States has about 5,200 troops there.", "A force of 4,000 remains.")


def test_a_claim_of_common_words_only_is_not_filtered():
    assert shares_rare_word("He said it was the best thing.", "Coal. Coal is a combustible rock.")
