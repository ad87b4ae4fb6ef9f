"""The dense half of the hybrid search: the store's row embeddings, queried with the model.

The facts collection holds one vector per fact row (``ingest.store.FactRow``: a table row, or
the figures a sentence states about one subject), embedded from its label path and table
title.  :meth:`DenseIndex.rows` embeds a metric phrase with the same model and returns the
corpus rows nearest to it, with their cosine similarity.  The lexical index stays first (it
is exact about words such as "cost" that separate "Product" under revenues from "Product"
under costs); the dense one finds rows whose labels say the same thing in other words.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from ingest.store import fact_rows

from .corpus import Corpus, Row

if TYPE_CHECKING:
    from ingest.embed import Embedder
    from ingest.store import Store


class DenseIndex:
    def __init__(self, store: Store, embedder: Embedder, corpus: Corpus) -> None:
        self.store = store
        self.embedder = embedder
        self._all = set(corpus.documents)
        self._rows: dict[str, list[Row]] = defaultdict(list)
        for row in corpus.rows:
            for fact_row in fact_rows(list(row.facts)):
                if row not in self._rows[fact_row.row_id]:
                    self._rows[fact_row.row_id].append(row)

    def rows(self, text: str, doc_ids: set[str], limit: int = 8) -> list[tuple[Row, float]]:
        """Corpus rows nearest to ``text``, most similar first, with cosine similarity."""
        if not doc_ids or not text.strip():
            return []
        vector = self.embedder.embed([text])[0]
        got = self.store.facts.query(
            query_embeddings=[vector],
            n_results=limit,
            # every filing: no filter (a long "$in" list is slow at hundreds of filings)
            where=None if doc_ids >= self._all else {"doc_id": {"$in": sorted(doc_ids)}},
            include=["distances"],
        )
        out: list[tuple[Row, float]] = []
        for row_id, distance in zip(got["ids"][0], (got["distances"] or [[]])[0], strict=False):
            for row in self._rows.get(row_id, []):
                out.append((row, 1.0 - float(distance)))
        return out
