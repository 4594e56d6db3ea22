"""Warnings about the report date: what it leaves out (records dated after it) and a date
long after every record (a forgotten ``as_of``: "today" is the date in UTC)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from jssreport.model.types import Contract, Profile
from jssreport.textformat import counted

STALE_DAYS = 2 * 365 + 1  # a report date this long after the newest record gets a warning
MAX_LISTED = 10  # per kind of warning; the rest are counted


def date_warnings(contracts: Sequence[Contract], profile: Profile, as_of: date) -> tuple[str, ...]:
    """Things that are not errors but that --strict refuses: whatever the report date leaves
    out, and a report date long after every record."""
    day = as_of.isoformat()
    warnings = [f"contract '{c.id}' starts after the report date {day}; "
                "it is left out" for c in contracts if c.start > as_of]
    warnings += [f"snapshot of {s.date.isoformat()} is after the report date "
                 f"{day}; it is left out" for s in profile.snapshots
                 if s.date > as_of]
    later: list[str] = []
    for c in contracts:
        if c.start > as_of:
            continue
        paid = [p.date for p in c.payments if p.date > as_of] \
            if c.payments and c.payments[-1].date > as_of else []
        if paid:
            later.append(f"contract '{c.id}' has {counted(len(paid), 'payment')} dated after "
                         f"the report date {day} (from {paid[0].isoformat()}); "
                         f"{'they are' if len(paid) > 1 else 'it is'} left out")
        if c.feedback is not None and c.feedback.date is not None and c.feedback.date > as_of:
            later.append(f"contract '{c.id}' has feedback dated {c.feedback.date.isoformat()}, "
                         f"after the report date {day}; it is left out")
        for name, when in (("last_payment", c.last_payment), ("end", c.end),
                           ("last_activity", c.last_activity)):
            if when is not None and when > as_of:
                later.append(f"contract '{c.id}' has {name} {when.isoformat()}, after the "
                             f"report date {day}; the contract is taken as it was on {day}")
    if len(later) > MAX_LISTED:
        later = [*later[:MAX_LISTED],
                 f"and {len(later) - MAX_LISTED} more dates after the report date {day}"]
    newest = _newest_record(contracts, profile)
    if newest is not None and (as_of - newest).days >= STALE_DAYS:
        years = (as_of - newest).days // 365
        warnings.append(f"the report date {day} is {years} years after the newest record "
                        f"({newest.isoformat()}); for a report of that time set as_of in "
                        "jssreport.yml or content/profile.yml, or pass --as-of")
    return tuple(sorted(warnings)) + tuple(later)


def _newest_record(contracts: Sequence[Contract], profile: Profile) -> date | None:
    dates = [s.date for s in profile.snapshots]
    for c in contracts:
        dates += [c.start, *(d for d in (c.end, c.last_payment, c.last_activity) if d)]
        if c.payments:
            dates.append(c.payments[-1].date)  # sorted by date
        if c.feedback is not None and c.feedback.date is not None:
            dates.append(c.feedback.date)
    return max(dates, default=None)
