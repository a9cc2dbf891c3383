"""Evasion attacks, the cleaning that undoes them, and per-paragraph scores on mixed articles."""

from __future__ import annotations

import json
import re
import unicodedata

import numpy as np
import pytest

from newsproof.detect import get_detector
from newsproof.detect.base import EVASION_LOGIT, evasion_policy, paragraph_contexts
from newsproof.detect.feature_detector import FeatureDetector
from newsproof.detect.normalise import clean
from newsproof.detect.text import normalise, paragraphs, sentences, words
from newsproof.detect.train.attacks import ATTACKS, attack, parse_attacks, synonym
from newsproof.detect.train.data import Corpus, load_corpus
from newsproof.errors import ConfigError
from newsproof.evaluation.detect_robustness import mixed_articles, truncate


@pytest.fixture(scope="module")
def machine_text(long_dev: Corpus) -> str:
    """A held-out machine text of 150+ words with numbers, articles and several sentences."""
    return next(t for t, y in zip(long_dev.texts, long_dev.labels, strict=True)
                if y == 1 and re.search(r"\d", t) and " the " in t and len(sentences(t)) >= 4)


@pytest.fixture(scope="module", params=["raise", "flag"])
def detector(request: pytest.FixtureRequest) -> FeatureDetector:
    det = get_detector("newsproof.features+minilm.v3", {"evasion": request.param})
    if not det.artifact.is_file():
        pytest.skip("detector artifact not built")
    det.warm_up()
    return det


def test_every_attack_is_deterministic_and_changes_the_text(machine_text: str) -> None:
    for name in ATTACKS:
        once = attack(name, machine_text)
        assert once == attack(name, machine_text), name
        assert once != machine_text, name
        assert attack(name, machine_text, seed=1) != once, name


def test_attacks_change_the_text_as_named(machine_text: str) -> None:
    t = machine_text
    homo = attack("homoglyph", t)
    assert any(unicodedata.name(ch).startswith("CYRILLIC") for ch in homo)
    assert "".join(c if c.isascii() else "?" for c in homo).count("?") > 0.05 * sum(t.count(c) for c in "aeocpxiy")
    assert attack("zero-width", t).replace("\u200b", "") == t
    assert normalise(attack("whitespace", t).replace("\u00a0", " ").replace("\u2009", " ")) == normalise(t)
    assert attack("case-flip", t).lower() == t.lower()
    inserted = attack("paragraph-insertion", t)
    assert len(paragraphs(inserted)) > len(paragraphs(t)) and normalise(inserted) == normalise(t)
    swapped = attack("number-swap", t)
    assert re.sub(r"\d", "#", swapped) == re.sub(r"\d", "#", t) and swapped != t
    arts = re.compile(r"\b(?:a|an|the)\b", re.I)
    deleted = attack("article-deletion", t)
    assert len(arts.findall(deleted)) < len(arts.findall(t))
    assert arts.sub("", deleted).split() == arts.sub("", t).split()
    typo = words(attack("misspelling", t))
    assert len(typo) == len(words(t)) and 0 < sum(a != b for a, b in zip(typo, words(t), strict=True)) < len(typo) / 4
    letters = re.compile(r"[A-Za-z]+")
    syn = letters.findall(attack("synonym-swap", t))
    changed = [(a, b) for a, b in zip(letters.findall(t), syn, strict=True) if a != b]
    assert changed and all(synonym(a) == b for a, b in changed)
    reordered = attack("sentence-reorder", t)
    assert sorted(sentences(reordered)) == sorted(s for p in paragraphs(t) for s in sentences(p))


def test_unknown_attack_is_a_config_error() -> None:
    assert parse_attacks("all") == list(ATTACKS)
    assert parse_attacks("homoglyph, case-flip") == ["homoglyph", "case-flip"]
    with pytest.raises(ConfigError, match="valid choices"):
        parse_attacks("homoglyph,rot13")


def test_cleaning_undoes_homoglyphs_and_invisible_characters(machine_text: str) -> None:
    homo = clean(attack("homoglyph", machine_text))
    assert homo.text == machine_text and homo.hidden_script
    assert homo.scripts == ("Cyrillic",) and all(not w.isascii() for w in homo.disguised_words)
    zw = clean(attack("zero-width", machine_text))
    assert zw.text == machine_text and zw.invisible > 10 and zw.hidden_script
    spaces = clean(attack("whitespace", machine_text))
    assert normalise(spaces.text) == normalise(machine_text) and spaces.odd_whitespace and not spaces.hidden_script
    assert clean("ｆｕｌｌ width") .text == "full width"
    assert clean(machine_text) == clean(machine_text) and clean(machine_text).text == machine_text


def test_odd_space_class_matches_str_isspace() -> None:
    """The odd-whitespace pattern agrees with str.isspace (less the plain kinds) on every code point."""
    from newsproof.detect.normalise import _ODD_SPACE_RE

    for code in range(0x110000):
        ch = chr(code)
        assert bool(_ODD_SPACE_RE.match(ch)) == (ch.isspace() and ch not in " \n\r\t"), hex(code)


def test_real_mixed_script_in_human_text_is_not_evidence() -> None:
    # Greek mu in units and one stray look-alike word are normal; three disguised words are not
    assert not clean("The dose was 50 μg per day, said Dr Smith.").disguised_words
    assert not clean("He visited the Кremlin on Monday.").hidden_script
    assert clean("Thе gоvernment sаid the plan wаs ready.").hidden_script


def test_folding_defeats_the_homoglyph_attack(detector: FeatureDetector, machine_text: str) -> None:
    attacked = attack("homoglyph", machine_text)
    clean_p, attacked_p = detector.probabilities([machine_text, attacked])
    if detector.evasion == "flag":
        assert attacked_p == pytest.approx(clean_p, abs=1e-9)
    else:  # the same reading, its log-odds raised by EVASION_LOGIT
        logit = lambda p: np.log(p / (1 - p))  # noqa: E731
        assert logit(attacked_p) - logit(clean_p) == pytest.approx(EVASION_LOGIT, abs=1e-4)
    # without folding the same model reads the attacked text differently
    raw = detector.model_.predict_proba([machine_text, attacked], detector.extractor_, detector.scorer_)
    assert abs(raw[1] - raw[0]) > 0.01


def test_signals_name_the_mixed_script_words(detector: FeatureDetector, machine_text: str) -> None:
    res = detector.score(attack("homoglyph", machine_text))
    signal = next(s for s in res.signals if s.name == "mixed_script_words")
    found = clean(attack("homoglyph", machine_text)).disguised_words
    assert signal.value == len(found) >= 3
    assert f"{len(found)} words mix Latin and Cyrillic" in signal.description and found[0] in signal.description
    if detector.evasion == "raise":
        assert signal.contribution > 0 and res.signals[0].name == "mixed_script_words"
        assert "evasion" in res.reason
    else:
        assert signal.contribution == 0
    assert not any(s.name == "mixed_script_words" for s in detector.score(machine_text).signals)


def test_evasion_policy_is_checked() -> None:
    assert evasion_policy({}) == "raise" and evasion_policy({"evasion": "flag"}) == "flag"
    with pytest.raises(ConfigError, match="evasion"):
        evasion_policy({"evasion": "ignore"})


def test_paragraph_contexts_grow_short_paragraphs_only() -> None:
    paras = ["w " * 10, "w " * 50, "w " * 10, "w " * 10, "w " * 30]
    assert paragraph_contexts(paras, 40) == [(0, 2), (1, 2), (1, 4), (3, 5), (3, 5)]
    assert paragraph_contexts(paras) == [(0, 2), (1, 2), (2, 4), (3, 5), (4, 5)]  # 20 words by default
    assert paragraph_contexts(["w " * 5]) == [(0, 1)]


def test_mixed_article_scores_align_one_per_paragraph(detector: FeatureDetector, dev: Corpus) -> None:
    articles = mixed_articles(dev)[:12]
    assert articles and all(1 <= sum(labels) <= 3 for _, labels in articles)
    machine, human = [], []
    for text, labels in articles:
        assert len(paragraphs(text)) == len(labels)
        res = detector.score(text)
        assert len(res.paragraph_scores) == len(labels)
        assert all(0.0 <= p <= 1.0 for p in res.paragraph_scores)
        machine += [p for p, y in zip(res.paragraph_scores, labels, strict=True) if y]
        human += [p for p, y in zip(res.paragraph_scores, labels, strict=True) if not y]
    assert np.mean(machine) > np.mean(human)
    # a one-line paragraph is scored with context but keeps its own slot
    text, labels = articles[0]
    short = "\n\n".join([*text.split("\n\n")[:1], "Officials declined to comment.", *text.split("\n\n")[1:]])
    assert len(detector.score(short).paragraph_scores) == len(labels) + 1


def test_truncate_keeps_the_first_words() -> None:
    text = "One two, three.\n\nFour five six."
    assert truncate(text, 4) == "One two, three.\n\nFour"
    assert truncate(text, 99) == text


def test_eval_cli_reports_attacks_lengths_and_mixed(mgt_dir, capsys: pytest.CaptureFixture[str]) -> None:
    from newsproof.cli import run

    code = run(["eval", "detect", "--data", str(mgt_dir / "dev.jsonl"), "--limit", "60", "--attacks",
                "homoglyph,case-flip", "--max-words", "60", "--mixed", "--json", "--detector", "newsproof.features.v2"])
    out = capsys.readouterr()
    assert code == 0, out.err
    result = json.loads(out.out)
    assert set(result["attacks"]) == {"clean", "homoglyph", "case-flip"}
    homo = result["attacks"]["homoglyph"]
    assert homo["vs_clean_human"]["auroc"] > 0.8 and homo["vs_attacked_human"]["n"] == result["n"]
    assert set(result["max_words"]) == {"60"}
    mixed = result["mixed"]
    assert mixed["n_paragraphs"] > mixed["n_articles"] > 0
    # per generator: its spliced paragraphs against every human paragraph
    per_generator = mixed["paragraph_per_generator"]
    assert per_generator and set(per_generator) <= set(load_corpus(mgt_dir / "dev.jsonl").generators)
    assert sum(m["n_machine"] for m in per_generator.values()) == mixed["n_machine_paragraphs"]
    assert {m["n"] - m["n_machine"] for m in per_generator.values()} == {mixed["n_paragraphs"] - mixed["n_machine_paragraphs"]}
    assert run(["eval", "detect", "--data", str(mgt_dir / "dev.jsonl"), "--attacks", "rot13"]) == 2
    assert "rot13" in capsys.readouterr().err


def test_paragraph_columns_equal_reading_each_context(detector: FeatureDetector, dev: Corpus) -> None:
    """Char n-gram counts of a context are summed from its paragraphs: the same columns as reading it whole."""
    paras = [clean(p).text for p in paragraphs("\n\n".join(dev.texts[:5]))]
    groups = paragraph_contexts(paras)
    model = detector.model_
    assert model is not None and len(paras) > 2
    fast = model.paragraph_columns("\n\n".join(paras), paras, groups, detector.extractor_)
    slow = model.columns(["\n\n".join(paras), *("\n".join(paras[lo:hi]) for lo, hi in groups)], detector.extractor_)
    np.testing.assert_allclose(fast, slow, rtol=1e-9, atol=1e-9)


def test_eval_cli_scores_a_given_artifact(mgt_dir, tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    """`--artifact` scores with a trained artifact instead of the registry entry's shipped one."""
    from newsproof.cli import run
    from newsproof.detect.feature_detector import DEFAULT_ARTIFACT, WINDOW_ARTIFACT

    if not (WINDOW_ARTIFACT.is_file() and DEFAULT_ARTIFACT.is_file()):
        pytest.skip("detector artifacts not built")
    base = ["eval", "detect", "--data", str(mgt_dir / "dev.jsonl"), "--limit", "80", "--json"]

    def auroc_of(*extra: str) -> float:
        code = run([*base, *extra])
        out = capsys.readouterr()
        assert code == 0, out.err
        return json.loads(out.out)["auroc"]

    shipped_window = auroc_of()
    stack_only = auroc_of("--detector", "newsproof.features.v2")
    assert stack_only != shipped_window
    assert auroc_of("--detector", "newsproof.features.v2", "--artifact", str(WINDOW_ARTIFACT)) == shipped_window
    assert run([*base, "--artifact", str(tmp_path / "missing.joblib")]) == 2
    assert "missing.joblib" in capsys.readouterr().err


def test_paragraph_scores_come_from_the_article_mix(detector: FeatureDetector, dev: Corpus) -> None:
    """Each paragraph score is the article score's mix (stack log-odds with the member's), the member's term at
    its median (it reads no paragraph); the article score is the one `probabilities` gives."""
    text, _ = mixed_articles(dev)[0]
    res = detector.score(text)
    model = detector.model_
    assert model is not None and model.blender is not None
    paras = [clean(p).text for p in paragraphs(text)]
    stack = model.raw_logit(model.columns(paras, detector.extractor_))
    np.testing.assert_allclose(res.paragraph_scores, model.mixed(stack, np.full(len(paras), model.window_median)),
                               atol=1e-9)
    assert not np.allclose(res.paragraph_scores, model.calibrated(stack), atol=1e-3)  # not the stack alone
    assert res.probability == pytest.approx(float(detector.probabilities([text])[0]), abs=1e-9)
