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
from typing import TYPE_CHECKING, Any

from ingest.store import fact_rows

from .corpus import Corpus, Row

if TYPE_CHECKING:
    from ingest.embed import Embedder
    from ingest.store import Store


LOCAL_DOCS = 50  # up to this many filings, their row vectors are ranked in memory


class DenseIndex:
    def __init__(self, store: Store, embedder: Embedder, corpus: Corpus) -> None:
        self.store = store
        self.embedder = embedder
        self._all = set(corpus.documents)
        self._vectors: dict[str, tuple[list[str], Any]] = {}  # doc_id -> (row ids, matrix)
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
        if len(doc_ids) <= LOCAL_DOCS and not doc_ids >= self._all:
            nearest = self._nearest(vector, doc_ids, limit)
        else:
            got = self.store.facts.query(
                query_embeddings=[vector],
                n_results=limit,
                # every filing: no filter (a long "$in" list is slow at hundreds of filings)
                where=None if doc_ids >= self._all else {"doc_id": {"$in": sorted(doc_ids)}},
                include=["distances"],
            )
            distances = (got["distances"] or [[]])[0]
            nearest = [
                (row_id, 1.0 - float(d))
                for row_id, d in zip(got["ids"][0], distances, strict=False)
            ]
        out: list[tuple[Row, float]] = []
        for row_id, similarity in nearest:
            for row in self._rows.get(row_id, []):
                out.append((row, similarity))
        return out

    def _nearest(
        self, vector: list[float], doc_ids: set[str], limit: int
    ) -> list[tuple[str, float]]:
        """Exact cosine ranking over the rows of a few filings.  A filtered Chroma query costs
        more the larger the whole store is (20 ms at 76,000 vectors); the rows of one filing
        are a few hundred vectors, read from the store once and kept."""
        import numpy as np

        ids: list[str] = []
        blocks = []
        for doc_id in sorted(doc_ids):
            if doc_id not in self._vectors:
                got = self.store.get_all(self.store.facts, {"doc_id": doc_id}, ["embeddings"])
                matrix = np.asarray(got["embeddings"], dtype=np.float32)
                self._vectors[doc_id] = (got["ids"], matrix)
            row_ids, matrix = self._vectors[doc_id]
            if row_ids:  # a filing with no figures has no row vectors
                ids.extend(row_ids)
                blocks.append(matrix)
        if not ids:
            return []
        similarity = np.concatenate(blocks) @ np.asarray(vector, dtype=np.float32)
        best = np.argsort(-similarity, kind="stable")[:limit]
        return [(ids[i], float(similarity[i])) for i in best]
