"""Figures read from sentences that list one amount per year ("..., respectively")."""

from __future__ import annotations

from decimal import Decimal

import pytest

from ingest.facts import prose_facts
from ingest.models import TextBlock


def _facts(text: str) -> list[tuple[Decimal, str | None]]:
    block = TextBlock("paragraph", text, 0, len(text))
    return [
        (f.value, f.period.label if f.period else None)
        for f in prose_facts(block, text, "doc", "doc.txt")
    ]


@pytest.mark.parametrize(
    "text",
    [
        # a FinQA dev page (UNP's 2006 10-K): the years follow "for"
        "Our total rental expense under operating leases was $310 million, $324 million and "
        "$318 million for 2006, 2005 and 2004, respectively.",
        "Rental expense under operating leases was $310 million, $324 million and $318 million "
        "in 2006, 2005 and 2004, respectively.",
        "Rental expense under operating leases was $310 million, $324 million and $318 million "
        "during 2006, 2005 and 2004, respectively.",
    ],
)
def test_one_year_per_amount_in_order(text: str) -> None:
    assert _facts(text) == [
        (Decimal("310000000"), "FY2006"),
        (Decimal("324000000"), "FY2005"),
        (Decimal("318000000"), "FY2004"),
    ]


def test_fiscal_printed_before_each_year_listed() -> None:
    # a TAT-QA dev context: "fiscal" before each year, which once dated both amounts 2019
    text = (
        "Balances are net of $25 million and $29 million of dividends received during fiscal "
        "2019 and fiscal 2018, respectively."
    )
    assert _facts(text) == [(Decimal("25000000"), "FY2019"), (Decimal("29000000"), "FY2018")]
