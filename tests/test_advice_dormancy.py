"""Open-contract status: active, quiet, dormant, from the last sign of life."""

from __future__ import annotations

from datetime import date

import pytest

from jssreport.advice.dormancy import Dormancy, classify_open
from jssreport.model.types import Contract, Payment

D = date


def contract(kind: str = "fixed", pay: date | None = None, activity: date | None = None,
             end: date | None = None) -> Contract:
    return Contract(id="x", client="C", title="T", type=kind, start=D(2022, 1, 3), end=end,
                    payments=(Payment(pay, 100.0),) if pay else (), last_activity=activity)


def test_fixed_thresholds_from_the_last_payment() -> None:
    c = contract(pay=D(2022, 2, 1))
    assert classify_open(c, D(2022, 3, 2)).status == "active"  # 29 days
    assert classify_open(c, D(2022, 3, 3)).status == "quiet"  # 30 days
    dormant = classify_open(c, D(2022, 4, 18))  # 76 days
    assert (dormant.status, dormant.idle_days, dormant.since_what) == ("dormant", 76,
                                                                       "last payment")
    assert dormant.why == ("76 days since the last payment (2022-02-01); fixed contracts are "
                           "dormant after 76 days")
    assert "day 76" in dormant.source


def test_hourly_thresholds_and_latest_sign_of_life() -> None:
    c = contract("hourly", pay=D(2022, 2, 1), activity=D(2022, 2, 20))
    status = classify_open(c, D(2022, 3, 6))
    assert (status.status, status.idle_days, status.since_what) == ("quiet", 14, "last activity")
    assert classify_open(c, D(2022, 3, 22)).status == "dormant"  # 30 days
    assert classify_open(contract("hourly"), D(2022, 1, 10)).since_what == "start"


def test_ended_contract() -> None:
    status = classify_open(contract(end=D(2022, 2, 1)), D(2022, 3, 1))
    assert (status.status, status.idle_days) == ("ended", None)


def test_thresholds_from_a_settings_mapping() -> None:
    th = Dormancy.from_mapping({"hourly": {"dormant": 45}, "fixed": {"quiet": 20}})
    assert th == Dormancy(hourly_quiet=14, hourly_dormant=45, fixed_quiet=20, fixed_dormant=76)
    assert Dormancy.from_mapping(None) == Dormancy()
    c = contract(pay=D(2022, 2, 1))
    assert classify_open(c, D(2022, 2, 21), th).status == "quiet"
    with pytest.raises(ValueError, match="dormancy.fixed: need 0 < quiet <= dormant, got quiet "
                                         "90, dormant 76"):
        Dormancy.from_mapping({"fixed": {"quiet": 90}})


def test_the_activity_shown_in_the_table_is_the_classification() -> None:
    from jssreport.advice.dormancy import activity_of

    days = [date(2022, 1, 10), date(2022, 3, 1), date(2022, 6, 1), date(2023, 1, 1)]
    for kind in ("fixed", "hourly"):
        for pay in (None, date(2022, 2, 1)):
            for activity in (None, date(2022, 4, 1)):
                base = contract(kind, pay, activity)
                for c in (base, base.evolve(end=date(2022, 5, 1))):
                    for day in days:
                        status = classify_open(c, day, Dormancy())
                        assert activity_of(c, day, Dormancy()) == \
                            (status.status, status.idle_days), (c, day)
