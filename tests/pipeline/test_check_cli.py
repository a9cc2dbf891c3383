"""End-to-end `newsproof check` in a subprocess on fixture articles grounded in real KB facts."""

from __future__ import annotations

import json

import pytest
from support.cli import ARTICLES, REPO_ROOT, run_cli

from newsproof.report import validate_report_json
from newsproof.verify.features import shares_rare_word


@pytest.fixture(scope="module")
def fake_report(checker) -> dict:
    """JSON report of the bundled sample: Soleimani and al-Muhandis 'killed' on 27 May 2021."""
    result = run_cli("check", str(REPO_ROOT / "examples" / "sample_article.txt"), "--format", "json")
    assert result.returncode == 1, result.stderr.decode()
    return json.loads(result.stdout)


def test_killing_after_recorded_death_is_contradicted_with_dates_and_kb_evidence(fake_report, checker):
    validate_report_json(fake_report)
    contradicted = [c for c in fake_report["claims"] if c["verdict"] == "CONTRADICTED"]
    targets = {c["claim"]["target"] for c in contradicted}
    assert {"Qasem Soleimani", "Abu Mahdi al-Muhandis"} <= targets
    soleimani = next(c for c in contradicted if c["claim"]["target"] == "Qasem Soleimani")
    assert "3 Jan 2020" in soleimani["reason"] and "27 May 2021" in soleimani["reason"]
    kb = soleimani["evidence"][0]
    assert kb["kind"] == "kb" and kb["title"] == "Qasem Soleimani" and "2020" in kb["text"]
    assert fake_report["summary"]["credibility"] == "low"
    # the report carries the default detector's own judgement of the article text (not a placeholder)
    detected = checker.detector_.score(fake_report["article"]["text"])
    machine = fake_report["machine_generated"]
    assert machine["detector"] == checker.detector_.name and machine["label"] == detected.label
    assert machine["probability"] == pytest.approx(detected.probability, abs=1e-4)
    assert len(machine["paragraph_scores"]) == len(detected.paragraph_scores) >= 2


def test_textual_evidence_is_about_its_claim(fake_report):
    """Retrieved passages sharing none of a claim's rarer words are not judged, so never cited.

    The bundled base ranks the Tuvalu article ("Planning the future of a sinking island") among
    the top 5 for the Pentagon claim only through the common word "future"."""
    pentagon = next(c for c in fake_report["claims"] if "Pentagon" in c["claim"]["text"])
    assert "Tuvalu" not in pentagon["reason"]
    assert all(e["title"] != "Tuvalu" for e in pentagon["evidence"])
    for claim in fake_report["claims"]:
        for item in claim["evidence"]:
            if item["kind"] == "passage":
                assert shares_rare_word(claim["claim"]["text"], f"{item['title']}. {item['text']}"), item["title"]


def test_sample_boilerplate_is_stripped(fake_report):
    article = fake_report["article"]
    assert article["title"] == "US drone strike kills Iranian commander Soleimani near Baghdad airport"
    assert not article["text"].startswith("US drone strike kills")
    assert "Share on Facebook" not in article["text"] and "HomeTop" not in article["text"]
    assert article["date"] == "2021-05-28"


def test_accurate_article_has_no_contradicted_claim(checker):
    report = checker.check(str(ARTICLES / "accurate_strike.txt"))
    verdicts = {r.verdict.value for r in report.claims}
    assert "CONTRADICTED" not in verdicts
    assert "SUPPORTED" in verdicts
    death = [r for r in report.claims if r.check == "death_date"]
    assert death and death[0].verdict.value == "SUPPORTED"


def test_scraped_page_gets_clean_title_and_body(checker):
    report = checker.check(str(ARTICLES / "scraped_page.txt"))
    assert report.article.title == "US drone strike kills Iran's top general Qasem Soleimani in Baghdad"
    assert "Share on" not in report.article.text and "HomeTop" not in report.article.text


def test_stdin_html_and_text_outputs(tmp_path):
    html = (ARTICLES / "news_page.html").read_bytes()
    out = tmp_path / "report.html"
    result = run_cli("check", "-", "--format", "html", "--out", str(out), "--date", "2020-01-04", stdin=html)
    assert result.returncode in (0, 1), result.stderr.decode()
    page = out.read_text()
    assert page.startswith("<!DOCTYPE html>") and "<link" not in page and "src=\"http" not in page
    text = run_cli("check", str(ARTICLES / "accurate_strike.txt"))
    assert text.returncode == 0 and b"newsproof report" in text.stdout


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    """A real store file built by `index build`, to show bad input leaves it byte for byte unchanged."""
    store = tmp_path_factory.mktemp("store") / "kb.sqlite"
    build = run_cli("index", "build", str(REPO_ROOT / "newsproof" / "data" / "kb.entities.jsonl.gz"),
                    "--store", str(store), "--no-progress")
    assert build.returncode == 0, build.stderr.decode()
    return store


@pytest.mark.parametrize(("name", "content", "needle"), [
    ("empty.txt", b"", b"empty"),
    ("blank.txt", b"  \n\t\n ", b"empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, b"binary"),
    ("bad.txt", b"\xff\xfe\xfa" * 50 + b"\x00\x81", b""),
    ("german.txt", None, b"English"),
])
def test_bad_input_exits_2_with_one_line_and_leaves_store_unchanged(small_store, tmp_path, name, content, needle):
    path = tmp_path / name
    path.write_bytes(content if content is not None else (ARTICLES / "german.txt").read_bytes())
    before = small_store.read_bytes()
    result = run_cli("check", str(path), "--store", str(small_store))
    stderr = result.stderr.strip()
    assert result.returncode == 2, stderr
    assert stderr.count(b"\n") == 0 and stderr.startswith(b"newsproof: error:") and needle in stderr
    assert result.stdout == b""
    assert small_store.read_bytes() == before


def test_huge_file_and_unreachable_url_exit_2(tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    result = run_cli("check", str(huge))
    assert result.returncode == 2 and b"too large" in result.stderr
    result = run_cli("check", "http://127.0.0.1:9/none", "--allow-private-urls")
    assert result.returncode == 2 and result.stderr.startswith(b"newsproof: error:")
    result = run_cli("check", "http://127.0.0.1:9/none")
    assert result.returncode == 2 and b"refusing" in result.stderr


def test_missing_store_is_a_clear_error(tmp_path):
    result = run_cli("check", str(ARTICLES / "accurate_strike.txt"), "--store", str(tmp_path / "nope.sqlite"))
    assert result.returncode != 0 and b"cannot open evidence store" in result.stderr
    assert not (tmp_path / "nope.sqlite").exists()
