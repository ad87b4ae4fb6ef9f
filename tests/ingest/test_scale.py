"""The scale a table's title or header states, in the ways filings print it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.tables import detect_scale


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("(in thousands, except per share data)", "thousands"),
        ("(Dollars in millions)", "millions"),
        ("(in $000s)", "thousands"),
        # a TAT-QA dev table header (a shipping company's annual report)
        ("All figures in USD ‘000, except TCE rate per day", "thousands"),
        ("£'000", "thousands"),
        ("$000 2019 2018", "thousands"),
        # a TAT-QA dev header whose PDF text ran the words together
        ("More Than 5 Years (inthousands)", "thousands"),
        ("(inmillions)", "millions"),
    ],
)
def test_a_stated_scale_is_read(text: str, word: str) -> None:
    assert detect_scale(text) == (word, Decimal(1000) if word == "thousands" else Decimal(10**6))


@pytest.mark.parametrize("text", ["price $1,000 per unit", "Revenue $000,000", "2019 2018"])
def test_figures_are_not_a_scale(text: str) -> None:
    assert detect_scale(text) == (None, Decimal(1))
