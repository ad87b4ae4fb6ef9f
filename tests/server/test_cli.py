"""The real `crossfoot` console script, run as a user runs it, on good and bad input."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ANSWER_KEYS

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"
ROOT = Path(__file__).resolve().parents[2]


def crossfoot(
    *args: str,
    data_dir: Path,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).parent / "crossfoot"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "server"]
    environment = {
        **os.environ,
        "CROSSFOOT_DATA_DIR": str(data_dir),
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
    }
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=600, env=environment, cwd=ROOT
    )


def _bad_inputs(folder: Path, filings: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "empty": folder / "empty.txt",
        "binary_pdf": folder / "binary.pdf",
        "binary_html": folder / "binary.html",
        "truncated_pdf": folder / "truncated.pdf",
        "encrypted_pdf": folder / "encrypted.pdf",
        "too_large": folder / "huge.txt",
        "unsupported": folder / "notes.docx",
        "legacy": folder / "legacy.txt",
        "no_tables": folder / "no_tables.html",
        "garbage": folder / "garbage.txt",
    }
    files["empty"].write_bytes(b"")
    files["binary_pdf"].write_bytes(bytes(range(256)) * 64)
    files["binary_html"].write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    whole = (filings / "mcdonalds_2023q1_earnings_release_ex99-1.pdf").read_bytes()
    files["truncated_pdf"].write_bytes(whole[: len(whole) // 3])
    _encrypted_pdf(files["encrypted_pdf"])
    files["too_large"].write_bytes(b"Revenue was $1.0 million in fiscal 2023.\n" * 60_000)
    files["unsupported"].write_bytes(b"PK\x03\x04 a word file")
    files["legacy"].write_bytes(
        "Café Holdings reported revenue of $5.0 million for fiscal 2023 – up 5%.\n".encode("cp1252")
    )
    files["no_tables"].write_text(
        "<html><body><h1>Memo</h1><p>We are reducing our workforce by 500 roles.</p>"
        "<table><tr><td>layout only</td></tr></table></body></html>"
    )
    files["garbage"].write_text(
        "Garbage table\n\n\tfoo\tbar\n#$%\t(((\t)))\n--\t12abc\t$$\nzz\t1,2,3,,\t%%\n"
    )
    return files


def _encrypted_pdf(path: Path) -> None:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as handle:
        writer.write(handle)


@pytest.mark.slow
def test_bad_input_gets_clear_errors_and_nothing_is_lost(tmp_path: Path, filings: Path) -> None:
    data_dir = tmp_path / "store"
    good = tmp_path / "good"
    good.mkdir()
    shutil.copy(filings / JUNIPER, good / JUNIPER)
    first = crossfoot("ingest", str(good), data_dir=data_dir)
    assert first.returncode == 0, first.stderr
    before = crossfoot("facts", "--limit", "0", "--json", data_dir=data_dir).stdout

    bad = _bad_inputs(tmp_path / "bad", filings)
    missing = tmp_path / "nope.txt"
    args = [str(p) for p in bad.values()] + [str(missing), str(good / JUNIPER)]
    result = crossfoot(
        "ingest", *args, "--json", data_dir=data_dir, env={"CROSSFOOT_MAX_FILE_MB": "1"}
    )
    assert result.returncode == 1
    lines = {Path(r["path"]).name: r for r in map(json.loads, result.stdout.splitlines())}
    failed = {name: r["error"] for name, r in lines.items() if r["status"] == "failed"}
    assert set(failed) == {
        "empty.txt",
        "binary.pdf",
        "binary.html",
        "truncated.pdf",
        "encrypted.pdf",
        "huge.txt",
        "notes.docx",
        "nope.txt",
    }
    assert failed["empty.txt"] == "the file is empty (0 bytes)"
    assert "over the 1 MB limit" in failed["huge.txt"]
    assert "unsupported file type '.docx'" in failed["notes.docx"]
    assert "no such file or folder" in failed["nope.txt"]
    assert re.search(r"not a PDF|PDF", failed["binary.pdf"])
    assert re.search(r"binary|not HTML|not an HTML", failed["binary.html"], re.IGNORECASE)
    assert re.search(r"corrupt|truncated|damaged", failed["truncated.pdf"], re.IGNORECASE)
    assert re.search(r"encrypted|password", failed["encrypted.pdf"], re.IGNORECASE)
    assert lines[JUNIPER]["status"] == "unchanged"
    assert lines["legacy.txt"]["status"] == "ingested"
    assert lines["no_tables.html"]["status"] == "ingested"
    assert (lines["garbage.txt"]["status"], lines["garbage.txt"]["facts"]) == ("ingested", 0)

    # everything ingested before is untouched, and nothing of the failed files was written
    after = crossfoot("facts", "--doc", JUNIPER, "--limit", "0", "--json", data_dir=data_dir)
    assert after.stdout == before
    docs = [
        json.loads(x)
        for x in crossfoot("docs", "--json", data_dir=data_dir).stdout.split("\n")
        if x
    ]
    assert sorted(d["document"] for d in docs) == [
        "garbage.txt",
        JUNIPER,
        "legacy.txt",
        "no_tables.html",
    ]
    legacy = crossfoot("facts", "--doc", "legacy.txt", "--json", data_dir=data_dir)
    fact = json.loads(legacy.stdout.splitlines()[0])
    assert (fact["value"], fact["period"]["label"]) == (
        {"number": "5000000", "unit": "USD"},
        "FY2023",
    )
    assert fact["row"].startswith("Café Holdings")  # cp1252 decoded, not mangled


@pytest.mark.slow
def test_ingest_docs_facts_remove(tmp_path: Path, filings: Path) -> None:
    data_dir = tmp_path / "store"
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(filings / JUNIPER, source / JUNIPER)
    (source / "README.tsv").write_text("not a filing\n")
    result = crossfoot("ingest", str(source), data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    assert re.match(
        r"ingested\s+\w{20}\s+juniper_8k_ex99-1_q4fy2007_earnings\.txt\s+tables=11 "
        r"facts=\d+ chunks=\d+ \d+\.\ds",
        out[1] if out[0].startswith("skipped") else out[0],
    )
    assert any(line.startswith("skipped") and "README.tsv" in line for line in out)

    docs = json.loads(crossfoot("docs", "--json", data_dir=data_dir).stdout)
    assert set(docs) == {
        "doc_id",
        "document",
        "company",
        "ticker",
        "form",
        "period",
        "tables",
        "facts",
        "chunks",
        "ingested_at",
    }
    assert (docs["document"], docs["company"], docs["ticker"], docs["period"], docs["tables"]) == (
        JUNIPER,
        "Juniper Networks, Inc.",
        "JNPR",
        "Q4 and FY2007",
        11,
    )

    facts = crossfoot(
        "facts", "--query", "infrastructure", "--period", "Q4 2007", "--json", data_dir=data_dir
    )
    rows = [json.loads(line) for line in facts.stdout.splitlines()]
    assert [(r["row"], r["value"], r["as_printed"], r["scale"]) for r in rows] == [
        ("Infrastructure", {"number": "500359000", "unit": "USD"}, "$ 500,359", "thousands")
    ]
    assert rows[0]["period"] == {
        "kind": "duration",
        "start": "2007-10-01",
        "end": "2007-12-31",
        "label": "Q4 2007",
    }
    assert rows[0]["repairs"] == ["row_labels_shifted"]
    assert rows[0]["checks"] == ["sums_to:Total"]

    again = crossfoot("ingest", str(source / JUNIPER), data_dir=data_dir)
    assert again.stdout.startswith("unchanged")

    override = crossfoot(
        "ingest",
        str(source / JUNIPER),
        "--company",
        "JNPR Corp",
        "--form",
        "8-K",
        data_dir=data_dir,
    )
    assert override.stdout.startswith("replaced"), override.stdout
    docs = json.loads(crossfoot("docs", "--json", data_dir=data_dir).stdout)
    assert (docs["company"], docs["form"]) == ("JNPR Corp", "8-K")

    removed = crossfoot("remove", JUNIPER, data_dir=data_dir)
    assert removed.returncode == 0 and removed.stdout.startswith("removed ")
    assert crossfoot("docs", "--json", data_dir=data_dir).stdout == ""
    missing = crossfoot("remove", JUNIPER, data_dir=data_dir)
    assert missing.returncode == 1
    assert "no ingested document" in missing.stderr


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    result = crossfoot("ingest", data_dir=tmp_path / "store")
    assert result.returncode == 2
    result = crossfoot("facts", "--limit", "many", data_dir=tmp_path / "store")
    assert result.returncode == 2


def test_readme_documents_every_command_and_option(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text()
    for command in (
        "ingest",
        "docs",
        "facts",
        "remove",
        "ask",
        "chat",
        "eval golden",
        "eval tatqa",
        "eval finqa",
        "bench",
    ):
        help_text = crossfoot(*command.split(), "--help", data_dir=tmp_path).stdout
        for option in re.findall(r"--[a-z][a-z-]+", help_text):
            if option == "--help":
                continue
            assert option in readme, f"README misses {command} {option}"


@pytest.mark.slow
def test_ask_batch_chat_and_eval(tmp_path: Path, filings: Path) -> None:
    data_dir = tmp_path / "store"
    assert crossfoot("ingest", str(filings / JUNIPER), data_dir=data_dir).returncode == 0

    one = crossfoot(
        "ask", "What was Juniper's product revenue in Q4 2007?", "--json", data_dir=data_dir
    )
    assert one.returncode == 0, one.stderr
    answer = json.loads(one.stdout)
    assert (answer["status"], answer["value"]) == (
        "answered",
        {"number": "668746000", "unit": "USD", "display": "$668.7 million"},
    )
    assert [c["as_printed"] for c in answer["citations"]] == ["$ 668,746"]
    assert set(answer) == ANSWER_KEYS

    text = crossfoot("ask", "What were total net revenues for Q1 2008?", data_dir=data_dir)
    assert text.returncode == 0
    assert "nothing for Q1 2008" in text.stdout

    batch = tmp_path / "questions.jsonl"
    batch.write_text(
        "\n".join(
            json.dumps(line)
            for line in [
                {
                    "id": "a",
                    "question": "What was product revenue in Q4 2007?",
                    "conversation_id": "c",
                },
                {"id": "b", "question": "And in Q4 2006?", "conversation_id": "c"},
                {"id": "c", "question": "How much did it grow?", "conversation_id": "c"},
            ]
        )
    )
    lines = crossfoot("ask", "--batch", str(batch), "--json", data_dir=data_dir).stdout
    answers = [json.loads(line) for line in lines.splitlines()]
    assert [a["id"] for a in answers] == ["a", "b", "c"]
    assert [a["value"]["number"] for a in answers[:2]] == ["668746000", "483176000"]
    assert answers[2]["program"] == "divide(subtract(668746000, 483176000), 483176000)"
    assert answers[2]["value"]["display"] == "38.4%"

    chat = subprocess.run(
        [str(Path(sys.executable).parent / "crossfoot"), "chat"],
        input="What was service revenue in fiscal 2007?\nAnd in fiscal 2006?\n",
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        env={**os.environ, "CROSSFOOT_DATA_DIR": str(data_dir), "HF_HUB_OFFLINE": "1"},
    )
    assert chat.returncode == 0, chat.stderr
    assert "$509.1 million in FY2007" in chat.stdout
    assert "$410.3 million in FY2006" in chat.stdout

    golden = tmp_path / "golden.jsonl"
    golden.write_text(
        json.dumps(
            {
                "id": "g1",
                "doc": JUNIPER,
                "question": "What was product revenue in Q4 2007?",
                "kind": "lookup",
                "gold": {"number": "668746000", "unit": "USD", "tolerance_pct": 0.01},
                "program": None,
                "evidence": [],
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "g2",
                "doc": JUNIPER,
                "question": "What was revenue in Q1 2008?",
                "kind": "not_found",
                "gold": {"unit": "none"},
                "program": None,
                "evidence": [],
            }
        )
    )
    run = tmp_path / "run"
    scored = crossfoot("eval", "golden", str(golden), "--out", str(run), data_dir=data_dir)
    assert scored.returncode == 0, scored.stderr
    assert scored.stdout.startswith("golden  n=2  correct 100.0%  refused 0.0%  wrong 0.0%")
    results = json.loads((run / "results.json").read_text())
    assert [(r["id"], r["verdict"], r["groups"]) for r in results["records"]] == [
        ("g1", "correct", {"kind": "lookup"}),
        ("g2", "correct", {"kind": "not_found"}),
    ]
    assert results["records"][0]["answer"]["value"]["number"] == "668746000"
    assert (run / "report.html").read_text().startswith("<!DOCTYPE html>")
    assert crossfoot("ask", data_dir=data_dir).returncode == 2


@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("abc", "Input should be a valid number, unable to parse string as a number"),
        ("5", "Input should be less than or equal to 1"),
    ],
)
def test_an_invalid_setting_is_one_clear_line(tmp_path: Path, value: str, says: str) -> None:
    result = crossfoot(
        "ask", "What was revenue?", data_dir=tmp_path, env={"CROSSFOOT_MIN_CONFIDENCE": value}
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"error: CROSSFOOT_MIN_CONFIDENCE={value!r} is not a valid setting: {says} "
        "(see the README's settings table)\n"
    )
    assert "Traceback" not in result.stderr and result.stdout == ""
