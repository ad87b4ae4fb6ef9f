"""Bytes to text for text-like files: UTF-8 first, then the detected legacy encoding."""

from __future__ import annotations

from pathlib import Path

from ..errors import CorruptFile


def looks_binary(data: bytes) -> bool:
    """NUL bytes or mostly control characters in the first 8 KB."""
    head = data[:8192]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls / len(head) > 0.05


def decode_text(path: Path, data: bytes) -> str:
    if looks_binary(data):
        raise CorruptFile(
            path,
            "this is binary data, not text; export the filing as .txt, .html or .pdf and retry",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:  # Windows-1252 is what legacy US filings are written in; it is strict about 5 bytes
        return data.decode("cp1252")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and best.encoding not in ("utf_8",):
        return str(best)
    return data.decode("cp1252", errors="replace")
