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
    # by month (a month number: 12 * year + month - 1) and client
    by_month: dict[int, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    per_client: dict[str, float] = defaultdict(float)
    last_12 = 0.0
    for c in contracts:
        client = c.client
        for paid_on, amount in c.paid_until(as_of):
            by_month[12 * paid_on.year + paid_on.month - 1][client] += amount
            per_client[client] += amount
            if paid_on > year_ago:
                last_12 += amount
    months = tuple(
        MonthEarnings(f"{month // 12:04d}-{month % 12 + 1:02d}",
                      tuple((client, round(amount, 2))
                            for client, amount in sorted(by_month[month].items())))
        for month in range(min(by_month), max(by_month) + 1)
    ) if by_month else ()
    clients = tuple(sorted(per_client, key=lambda name: (-per_client[name], name)))
    return Earnings(currency, round(last_12, 2), round(sum(per_client.values()), 2), months,
                    clients)
