"""Input readers: folders, JSONL/CSV/Parquet tables, WARC archives."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsproof.batch.readers import count_items, iter_items, record_to_item
from newsproof.errors import InputError


def test_folder_reads_supported_files_with_relative_ids(tmp_path, news_excerpts):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.txt").write_text(news_excerpts[0]["text"], encoding="utf-8")
    (tmp_path / "sub" / "b.html").write_text(f"<html><body><p>{news_excerpts[1]['text']}</p></body></html>")
    (tmp_path / "c.md").write_text("# Title\n\n" + news_excerpts[2]["text"])
    (tmp_path / "image.png").write_bytes(b"\x89PNG")
    items = list(iter_items([str(tmp_path)]))
    assert [(i.id, i.kind) for i in items] == [("a.txt", "text"), ("c.md", "markdown"), ("sub/b.html", "html")]
    assert items[0].data.decode() == news_excerpts[0]["text"]
    assert count_items([str(tmp_path)]) == 3


def test_jsonl_uses_id_and_date_columns(tmp_path, news_excerpts, jsonl_writer):
    path = jsonl_writer(tmp_path / "news.jsonl", news_excerpts[:3])
    items = list(iter_items([str(path)]))
    assert [i.id for i in items] == [r["id"] for r in news_excerpts[:3]]
    assert items[0].date == dt.date.fromisoformat(news_excerpts[0]["date"])
    assert items[0].kind == "text" and items[0].url == news_excerpts[0]["url"]


def test_jsonl_without_id_gets_file_and_row_ids(tmp_path, human_articles, jsonl_writer):
    rows = [{"text": r["text"]} for r in human_articles[:3]]
    path = jsonl_writer(tmp_path / "mgt.jsonl", rows)
    assert [i.id for i in iter_items([str(path)])] == ["mgt.jsonl:1", "mgt.jsonl:2", "mgt.jsonl:3"]


def test_id_and_text_column_options(tmp_path, news_excerpts, jsonl_writer):
    rows = [{"key": f"k{n}", "body_html": f"<p>{r['text']}</p>"} for n, r in enumerate(news_excerpts[:2])]
    path = jsonl_writer(tmp_path / "html.jsonl", rows)
    items = list(iter_items([str(path)], id_column="key", text_column="body_html"))
    assert [(i.id, i.kind) for i in items] == [("k0", "html"), ("k1", "html")]


def test_csv_and_parquet_match_jsonl(tmp_path, news_excerpts, jsonl_writer):
    rows = [{"id": r["id"], "date": r["date"], "text": r["text"]} for r in news_excerpts[:4]]
    with (tmp_path / "news.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "date", "text"])
        writer.writeheader()
        writer.writerows(rows)
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "news.parquet")
    jsonl = list(iter_items([str(jsonl_writer(tmp_path / "news.jsonl", rows))]))
    assert list(iter_items([str(tmp_path / "news.csv")])) == jsonl
    assert list(iter_items([str(tmp_path / "news.parquet")])) == jsonl
    assert count_items([str(tmp_path / "news.csv"), str(tmp_path / "news.parquet")]) == 8


def test_url_column_and_rows_without_content():
    item = record_to_item({"id": 7, "url": "https://example.org/a"}, "t:1")
    assert (item.id, item.url, item.data) == ("7", "https://example.org/a", None)
    empty = record_to_item({"title": "no body"}, "t:2")
    assert (empty.id, empty.data, empty.url) == ("t:2", None, None)


def test_warc_yields_html_responses_only(tmp_path, news_excerpts):
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "crawl.warc.gz"
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        for uri, ctype, body in [
            (news_excerpts[0]["url"], "text/html; charset=utf-8",
             f"<html><body><article><p>{news_excerpts[0]['text']}</p></article></body></html>".encode()),
            ("https://example.org/logo.png", "image/png", b"\x89PNG\r\n"),
        ]:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))
    items = list(iter_items([str(path)]))
    assert [(i.id, i.kind, i.url) for i in items] == [(news_excerpts[0]["url"], "html", news_excerpts[0]["url"])]
    assert news_excerpts[0]["text"][:60].encode() in items[0].data
    assert count_items([str(path)]) is None


def test_missing_and_unsupported_inputs(tmp_path):
    with pytest.raises(InputError):
        list(iter_items([str(tmp_path / "nope.jsonl")]))
    (tmp_path / "x.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError):
        list(iter_items([str(tmp_path / "x.pdf")]))
