"""The HTML report and run comparison (evals/report.py) on small hand-made results."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from evals.report import compare, comparison_text, render_html, summary_text, write_report

XSS_QUESTION = "<script>alert(1)</script> What was <img src=x onerror=alert(1)> revenue?"


def record(rid: str, verdict: str, latency: float, answer_type: str, source: str) -> dict[str, Any]:
    return {
        "id": rid,
        "question": f"Question {rid}?",
        "doc": "acme-10k.txt",
        "gold": {"number": "809182000", "unit": "USD"},
        "gold_program": None,
        "groups": {"answer_type": answer_type, "answer_source": source},
        "scores": {"em": 1.0 if verdict == "correct" else 0.0},
        "prediction": "809.2" if verdict != "refused" else None,
        "answer": {
            "id": rid,
            "question": f"Question {rid}?",
            "status": "not_found" if verdict == "refused" else "answered",
            "answer": "" if verdict == "refused" else f"Answer text for {rid}.",
            "value": None,
            "program": None,
            "citations": [],
            "timings_ms": {"total": latency},
        },
        "verdict": verdict,
        "latency_ms": latency,
    }


def run() -> dict[str, Any]:
    records = [
        record("t-span-ok", "correct", 5.0, "span", "table"),
        record("t-arith-ok", "correct", 8.0, "arithmetic", "text"),
        record("t-count-ok", "correct", 12.0, "count", "table"),
        record("f-refused-span", "refused", 20.0, "span", "text"),
        record("f-wrong-arith", "wrong", 40.0, "arithmetic", "table"),
        record("f-refused-table", "refused", 300.0, "span", "table"),
        record("f-wrong-xss", "wrong", 900.0, "arithmetic", "text"),
    ]
    arith = records[4]["answer"]
    arith["value"] = {"number": "213352000", "unit": "USD", "display": "$213.4 million"}
    arith["program"] = "subtract(809182000, 595830000)"
    records[4]["gold_program"] = "divide(subtract(809182000, 595830000), 595830000)"
    arith["citations"] = [
        {
            "document": "acme-10k.txt",
            "kind": "table_cell",
            "table": "Income statement",
            "row": "Total net revenues",
            "column": "2007",
            "as_printed": "809,182",
            "scale": "thousands",
            "page": None,
        }
    ]
    xss = records[6]
    xss["question"] = XSS_QUESTION
    xss["gold"] = ["<b>bold</b>", "<img src=x onerror=alert(1)>"]
    xss["answer"]["answer"] = "<script>alert(1)</script>"
    xss["answer"]["citations"] = [{"document": "<img src=x onerror=alert(1)>", "row": "<script>"}]

    def stats(n: int, c: float, r: float, w: float, **metrics: float) -> dict[str, Any]:
        return {"n": n, "correct": c, "refused": r, "wrong": w, **metrics}

    return {
        "benchmark": "tatqa",
        "dataset": "dev slice <img src=x onerror=alert(1)>",
        "created": "2026-11-26T16:05:00Z",
        "commit": "c3f9dc7",
        "settings": {"dense": True, "note": "<script>alert(1)</script>"},
        "summary": {
            **stats(7, 42.857, 28.571, 28.571, em=40.12, f1=51.3),
            "latency_ms": {"p50": 20.0, "p95": 900.0, "p99": 900.0, "max": 900.0},
            "breakdown": {
                "answer_type": {
                    "span": stats(3, 33.33, 66.67, 0.0, em=33.33, f1=40.0),
                    "arithmetic": stats(3, 33.33, 0.0, 66.67, em=33.33, f1=50.0),
                    "count": stats(1, 100.0, 0.0, 0.0, em=100.0, f1=100.0),
                },
                "answer_source": {
                    "table": stats(4, 50.0, 25.0, 25.0),
                    "text": stats(3, 33.33, 33.33, 33.33),
                },
            },
        },
        "records": records,
    }


def section(html: str, sid: str) -> str:
    start = html.index(f'<section id="{sid}">')
    return html[start : html.index("</section>", start)]


def test_headline_breakdown_and_histogram() -> None:
    html = render_html(run())
    assert html.startswith("<!DOCTYPE html>") and html.count("<html") == 1
    for figure in ("42.9%", "28.6%", "40.1%", "51.3%", ">7<", "c3f9dc7", "2026-11-26T16:05:00Z"):
        assert figure in html
    assert ">EM<" in html and ">F1<" in html and "exec. accuracy" not in html
    bars = re.findall(r'<svg class="bars".*?</svg>', html, re.S)
    assert [svg.count('<g class="bar">') for svg in bars] == [3, 2]
    assert all(f">{g}</text>" in bars[0] for g in ("span", "arithmetic", "count"))
    assert "n=3 · 33.3% correct · 66.7% refused · 0.0% wrong" in bars[0]
    assert "n=4 · 50.0% correct · 25.0% refused · 25.0% wrong" in bars[1]
    assert "<td>count</td><td class=r>1</td><td class=r>100.0%</td>" in html  # table row
    hist = re.findall(r'<svg class="histogram".*?</svg>', html, re.S)
    assert len(hist) == 1 and hist[0].count("<rect") == 20
    assert "latency (ms, log scale)" in hist[0] and "questions</text>" in hist[0]
    assert all(f"{p} " in hist[0] for p in ("p50", "p95", "p99"))
    assert "p50 20.0" in hist[0]


def test_failures_listed_wrong_first_and_correct_ones_absent() -> None:
    failures = section(render_html(run()), "failures")
    positions = [
        failures.index(f"<code>{i}</code>")
        for i in ("f-wrong-arith", "f-wrong-xss", "f-refused-span", "f-refused-table")
    ]
    assert positions == sorted(positions)
    assert not any(i in failures for i in ("t-span-ok", "t-arith-ok", "t-count-ok"))
    assert failures.count('<details class="failure"') == 4
    for shown in (
        "subtract(809182000, 595830000)",
        "divide(subtract(809182000",
        "$213.4 million",
        "Income statement",
        "Total net revenues",
        "809,182",
        "40.0 ms",
    ):
        assert shown in failures


def test_untrusted_text_is_escaped_and_document_self_contained() -> None:
    html = render_html(run(), compare(run(), run(), old_label="<script>alert(1)</script>"))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script>alert" not in html and "<img src=x" not in html and "<b>bold" not in html
    assert html.count("<script") == 1  # the failure filter only
    assert 'src="http' not in html and 'href="http' not in html and "<link" not in html


def test_failure_list_is_capped() -> None:
    results = run()
    results["records"] = [record(f"w{i}", "wrong", 10.0, "span", "table") for i in range(505)]
    failures = section(render_html(results), "failures")
    assert failures.count('<details class="failure"') == 500
    assert "5 more failures not shown" in failures


def test_minimal_results_render() -> None:
    results = {
        "summary": {"n": 2, "correct": 50.0, "refused": 50.0, "wrong": 0.0},
        "records": [
            {"id": "a", "question": "A?", "verdict": "correct", "answer": None, "latency_ms": 3.0},
            {"id": "b", "question": "B?", "verdict": "refused", "answer": {}, "latency_ms": 4.0},
        ],
    }
    html = render_html(results)
    assert "no breakdown" in html and '<svg class="histogram"' in html
    assert "latency (ms)</text>" in html  # narrow spread: linear axis
    assert "<code>b</code>" in section(html, "failures")
    assert summary_text(results).startswith("run  n=2  correct 50.0%  refused 50.0%  wrong 0.0%")


def test_summary_text_tables_are_fixed_width() -> None:
    text = summary_text(run())
    assert text.splitlines()[0].startswith(
        "tatqa  n=7  correct 42.9%  refused 28.6%  wrong 28.6%  EM 40.1%  F1 51.3%"
    )
    assert "latency p50 20.0ms p95 900.0ms p99 900.0ms" in text.splitlines()[0]
    tables = text.split("\n\n")[1:]
    assert [t.splitlines()[0].split()[0] for t in tables] == ["answer_type", "answer_source"]
    for table in tables:
        assert len({len(line) for line in table.splitlines()}) == 1
    assert "EM" in tables[0] and "EM" not in tables[1]


def pair() -> tuple[dict[str, Any], dict[str, Any]]:
    def rec(rid: str, verdict: str) -> dict[str, Any]:
        return {
            "id": rid,
            "question": f"Q {rid}",
            "verdict": verdict,
            "answer": {},
            "latency_ms": 1,
        }

    old = {
        "summary": {"n": 6, "correct": 50.0, "refused": 16.7, "wrong": 33.3, "em": 40.0},
        "records": [
            rec("a", "correct"),
            rec("b", "wrong"),
            rec("c", "refused"),
            rec("d", "correct"),
            rec("e", "wrong"),
            rec("x", "correct"),
        ],
    }
    new = {
        "summary": {"n": 6, "correct": 40.0, "refused": 20.0, "wrong": 40.0, "em": 42.5, "f1": 9},
        "records": [
            rec("a", "correct"),
            rec("b", "correct"),
            rec("c", "wrong"),
            rec("d", "refused"),
            rec("e", "wrong"),
            rec("y", "wrong"),
        ],
    }
    return old, new


def test_compare_by_id() -> None:
    old, new = pair()
    c = compare(old, new, old_label="run 1")
    assert (c.fixed, c.broken, c.changed_failing) == (["b"], ["d"], ["c"])
    assert (c.same_correct, c.same_failing, c.only_old, c.only_new) == (1, 2, ["x"], ["y"])
    assert c.metric_deltas == {
        "n": (6.0, 6.0),
        "correct": (50.0, 40.0),
        "refused": (16.7, 20.0),
        "wrong": (33.3, 40.0),
        "em": (40.0, 42.5),
    }
    text = comparison_text(c)
    assert text.splitlines()[0] == (
        "vs run 1: fixed 1, broken 1, unchanged 1 correct / 2 failing; "
        "correct 50.0% -> 40.0% (-10.0)"
    )
    assert "EM 40.0% -> 42.5% (+2.5)" in text and "1 only in old" in text
    assert "fixed:\n  b  Q b\nbroken:\n  d  Q d" in text
    assert "fixed:" not in comparison_text(c, show=0)
    html = section(render_html(new, c), "comparison")
    assert "Compared with run 1" in html and "<code>b</code> Q b" in html
    assert "<td class=r>+2.5</td>" in html


def test_compare_falls_back_to_question_text() -> None:
    old, new = pair()
    for r in old["records"]:
        del r["id"]
    c = compare(old, new)
    assert (c.fixed, c.broken, c.only_old, c.only_new) == (["b"], ["d"], ["Q x"], ["y"])
    old, new = pair()
    new["records"][1]["id"] = "a"  # duplicated ids: match on question text instead
    assert compare(old, new).fixed == ["a"]


def test_write_report(tmp_path: Path) -> None:
    old, new = pair()
    out = tmp_path / "runs" / "today"
    json_path, html_path, comparison = write_report(run(), out)
    assert (json_path, html_path, comparison) == (out / "results.json", out / "report.html", None)
    assert json.loads(json_path.read_text(encoding="utf-8")) == run()
    assert html_path.read_text(encoding="utf-8") == render_html(run())
    previous = tmp_path / "previous.json"
    previous.write_text(json.dumps(old), encoding="utf-8")
    _, html_path, comparison = write_report(new, tmp_path / "second", compare_to=previous)
    assert comparison is not None and comparison.fixed == ["b"]
    assert "Compared with" in html_path.read_text(encoding="utf-8")


def test_write_report_rejects_other_json(tmp_path: Path) -> None:
    bad = tmp_path / "not-results.json"
    bad.write_text(json.dumps({"summary": {"n": 1}}), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(bad.name)):
        write_report(run(), tmp_path / "out", compare_to=bad)
    garbage = tmp_path / "garbage.json"
    garbage.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(garbage.name)):
        write_report(run(), tmp_path / "out", compare_to=garbage)
    assert not (tmp_path / "out").exists()
