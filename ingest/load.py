"""Open a file and hand it to the loader for its format, after the checks every file gets."""

from __future__ import annotations

from pathlib import Path

from .errors import EmptyFile, FileMissing, TooLarge, UnsupportedFormat
from .models import LoadedDocument

SUPPORTED = (".txt", ".md", ".htm", ".html", ".xhtml", ".pdf")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


def read_checked(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    if not path.exists():
        raise FileMissing(path, f"no such file or folder: {path}")
    if not path.is_file():
        raise FileMissing(path, f"{path} is not a regular file")
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise UnsupportedFormat(
            path,
            f"unsupported file type '{suffix or '(none)'}'; crossfoot reads "
            + ", ".join(SUPPORTED),
        )
    size = path.stat().st_size
    if size > max_bytes:
        raise TooLarge(
            path,
            f"the file is {size / 1_048_576:.1f} MB, over the {max_bytes / 1_048_576:.0f} MB "
            "limit; raise CROSSFOOT_MAX_FILE_MB or split the filing",
        )
    if size == 0:
        raise EmptyFile(path, "the file is empty (0 bytes)")
    return path.read_bytes()


def load(path: Path, data: bytes) -> LoadedDocument:
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md"):
        from .loaders.text import load_text

        return load_text(path, data)
    if suffix in (".htm", ".html", ".xhtml"):
        from .loaders.html import load_html

        return load_html(path, data)
    if suffix == ".pdf":
        from .loaders.pdf import load_pdf

        return load_pdf(path, data)
    raise UnsupportedFormat(path, f"unsupported file type '{suffix}'")
