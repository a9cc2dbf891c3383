"""Plain words for what a reader sees: check names, fact names and machine-text signals.

The JSON report keeps the codes (`death_date`, `entailment_ensemble`, `log_words`); every
human-facing report (terminal, HTML, web page) goes through these tables instead.
"""

from __future__ import annotations

from newsproof.models import DetectionResult, FactResult, Signal, Verdict

# check code -> what was checked, in a reporter's words
CHECK_NAMES: dict[str, str] = {
    "death_date": "date of death",
    "death_place": "place of death",
    "posthumous_event": "alive at the time",
    "prenatal_event": "born by then",
    "organisation_inception": "founding date",
    "role": "role or title",
    "office_date": "office held at the time",
    "age_at_death": "age at death",
    "event_date": "date of the event",
    "event_toll": "death toll",
    "factcheck_match": "earlier fact-check",
    "none": "no check applied",
}
CHECK_PREFIXES: dict[str, str] = {"quote_": "quote", "entailment_": "news and reference passages"}

# fact name (FactResult.fact) -> plain name, used when a fact's check code is unknown
FACT_NAMES: dict[str, str] = {
    "date": "date", "place": "place", "alive": "alive at the time", "born": "born by then",
    "office": "office held at the time", "role": "role or title", "age": "age", "event date": "date of the event",
    "death toll": "death toll", "founded": "founding date",
}
FACT_MARKS = {Verdict.SUPPORTED: "✓", Verdict.CONTRADICTED: "✗"}


def check_name(code: str) -> str:
    """'office_date' -> 'office held at the time'; unknown codes get their words back, never the raw code."""
    if code in CHECK_NAMES:
        return CHECK_NAMES[code]
    for prefix, name in CHECK_PREFIXES.items():
        if code.startswith(prefix):
            return name
    return code.replace("_", " ")


def fact_name(fact: FactResult) -> str:
    """The plain name of one tested fact ('date of death', 'office held at the time')."""
    return CHECK_NAMES.get(fact.check) or FACT_NAMES.get(fact.fact, fact.fact)


def facts_line(facts: list[FactResult]) -> str:
    """'date of death ✗ · place of death ✓': a claim's tested facts at a glance."""
    return " · ".join(f"{fact_name(f)} {FACT_MARKS.get(f.verdict, '?')}" for f in facts)


# --------------------------------------------------------------------------- machine-text signals
# feature name -> (phrase when it pushes towards "machine", phrase when it pushes towards "human").
# A signal's contribution is the change in probability when the feature is reset to its typical value,
# so its sign says which way this article's value pushed the score.
SIGNAL_PHRASES: dict[str, tuple[str, str]] = {
    "log_words": ("a length typical of machine-written articles", "a length typical of human-written articles"),
    "zipf_mean": ("many very common words", "fewer common words than machine text uses"),
    "zipf_std": ("little variety in how common its words are", "a wide mix of common and rare words"),
    "rare_rate": ("few rare words", "many rare words"),
    "oov_rate": ("few unusual words or names", "many unusual words or names"),
    "content_zipf_mean": ("common, generic content words", "specific, less common content words"),
    "sent_len_mean": ("sentence lengths typical of machine text", "sentence lengths typical of human writing"),
    "sent_len_std": ("unusually uniform sentence lengths", "sentence lengths that vary as in human writing"),
    "sent_len_cv": ("unusually uniform sentence lengths", "sentence lengths that vary as in human writing"),
    "sent_len_max": ("no very long sentences", "some very long sentences"),
    "short_sent_rate": ("few short sentences", "short sentences mixed in, as people write"),
    "ttr_window": ("repetitive vocabulary", "a varied vocabulary"),
    "mtld": ("repetitive vocabulary", "a varied vocabulary"),
    "hapax_rate": ("few words used only once", "many words used only once"),
    "word_len_mean": ("word lengths typical of machine text", "word lengths typical of human writing"),
    "word_len_std": ("uniform word lengths", "varied word lengths"),
    "function_word_rate": ("a machine-like mix of small words (the, of, and)",
                           "a human-like mix of small words (the, of, and)"),
    "digit_rate": ("few numbers", "many numbers, dates and figures"),
    "capital_rate": ("few names and acronyms", "many names and acronyms"),
    "allcaps_rate": ("few all-capital words", "many all-capital words"),
    "rep_trigram_rate": ("repeated three-word phrases", "little repetition of phrases"),
    "rep_sentence_rate": ("repeated sentences", "no repeated sentences"),
    "compression_ratio": ("repetitive text", "little repetition"),
    "word_entropy": ("a predictable choice of words", "an unpredictable choice of words"),
    "sent_opener_diversity": ("sentences that start alike", "varied sentence openings"),
    "top_content_share": ("one content word used very often", "no content word used too often"),
    "hedge_rate": ("many hedges (may, might, reportedly)", "few hedges (may, might, reportedly)"),
    "transition_rate": ("many connectives (however, moreover, overall)", "few connectives (however, moreover)"),
    "stock_phrase_rate": ("stock phrases (\"it is important to\", \"plays a crucial role\")", "no stock phrases"),
    "first_person_rate": ("first-person writing (I, we)", "little first-person writing"),
    "contraction_rate": ("few contractions (don't, it's)", "contractions (don't, it's) as people write"),
    "char_ngram_style": ("a letter-level style like machine text", "a letter-level style like human writing"),
    "binoculars_score": ("text a small language model finds unusually predictable",
                         "text a small language model finds as surprising as human writing"),
    "fast_detectgpt_score": ("word choices that sit where a language model expects them",
                             "word choices a language model would not expect, as in human writing"),
    "log_perplexity": ("text a language model finds predictable", "text a language model finds surprising"),
    "cross_perplexity": ("predictable next words", "hard-to-predict next words"),
    "minilm_window_classifier": ("an opening that a trained model reads as machine-written",
                                 "an opening that a trained model reads as human-written"),
}
# Signals whose description the detector writes for readers (what text cleaning undid).
PLAIN_DESCRIPTIONS = frozenset({"mixed_script_words", "invisible_characters", "odd_whitespace"})
_PREFIX_PHRASES: dict[str, tuple[str, str]] = {
    "lm_": ("wording that a news language model finds very predictable",
            "wording that a news language model finds surprising, as in human writing"),
    "llr_": ("wording closer to machine text than to human news", "wording closer to human news than to machine text"),
    "mlm_": ("wording typical of machine text", "wording unlike machine text"),
    "punct_": ("machine-like punctuation", "human-like punctuation"),
}


def signal_phrase(signal: Signal) -> str:
    """What one signal says, in words ('unusually uniform sentence lengths'), never the feature name."""
    if signal.name.startswith("fw_"):  # one function word's rate: name the word
        word = signal.name.removeprefix("fw_")
        pair = (f"a machine-like rate of the word '{word}'", f"a human-like rate of the word '{word}'")
    elif signal.name in PLAIN_DESCRIPTIONS and signal.description:
        return signal.description  # the detector's own words are already plain ('3 invisible characters removed')
    else:
        pair = SIGNAL_PHRASES.get(signal.name) or next(
            (pair for prefix, pair in _PREFIX_PHRASES.items() if signal.name.startswith(prefix)),
            ("a writing trait typical of machine text", "a writing trait typical of human writing"))
    return pair[0] if signal.contribution >= 0 else pair[1]


def signal_lines(detection: DetectionResult, limit: int = 3) -> list[str]:
    """'points to machine: unusually uniform sentence lengths' for the strongest signals."""
    lines = []
    for signal in detection.signals[:limit]:
        side = "points to machine" if signal.contribution >= 0 else "points to human"
        if signal.name in PLAIN_DESCRIPTIONS and signal.contribution <= 0:
            side = "cleaned before scoring"
        lines.append(f"{side}: {signal_phrase(signal)}")
    return lines


LABEL_WORDS = {"machine": "likely machine-written", "human": "likely human-written",
               "uncertain": "uncertain"}


def machine_explanation(detection: DetectionResult) -> str:
    """One or two sentences a reader can act on, for each label."""
    if detection.probability is None:
        return ("Not scored: " + (detection.reason or "the text is too short for a reliable score") + ".")
    share = f"{detection.probability:.0%}"
    if detection.label == "uncertain":
        return (f"Uncertain ({share}): the score is too close to the decision threshold to call either way. "
                "The text shows traits of both human and machine writing; treat this as no finding, not as a "
                "50/50 suspicion.")
    if detection.label == "machine":
        return (f"Likely machine-written ({share}). A statistical estimate from writing style, not proof: "
                "edited or translated human text can score high.")
    return (f"Likely human-written ({share}). A statistical estimate from writing style, not proof: "
            "edited machine text can score low.")
