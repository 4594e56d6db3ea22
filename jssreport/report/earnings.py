"""The Overview's earnings: by month and client, and the last 12 months (calendar months, as
the Top Rated rule counts them)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from jssreport.model.types import Contract
from jssreport.model.windows import months_before
from jssreport.report.data import Earnings, MonthEarnings


def earnings_of(contracts: Sequence[Contract], currency: str, as_of: date) -> Earnings:
    year_ago = months_before(as_of, 12)
    by_month: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    per_client: dict[str, float] = defaultdict(float)
    last_12 = 0.0
    labels: dict[date, str] = {}  # "2024-05" per payment date, formatted once
    for c in contracts:
        client = c.client
        for paid_on, amount in c.paid_until(as_of):
            label = labels.get(paid_on)
            if label is None:
                label = labels[paid_on] = paid_on.strftime("%Y-%m")
            by_month[label][client] += amount
            per_client[client] += amount
            if paid_on > year_ago:
                last_12 += amount
    months = tuple(
        MonthEarnings(month, tuple((client, round(amount, 2))
                                   for client, amount in sorted(by_month[month].items())))
        for month in _month_range(min(by_month), max(by_month))
    ) if by_month else ()
    clients = tuple(sorted(per_client, key=lambda name: (-per_client[name], name)))
    return Earnings(currency, round(last_12, 2), round(sum(per_client.values()), 2), months,
                    clients)


def _month_range(first: str, last: str) -> list[str]:
    year, month = int(first[:4]), int(first[5:])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months
