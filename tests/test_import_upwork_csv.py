"""``run_import``: every layout and every trap of the Upwork exports, end to end."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from jssreport.errors import JssReportError
from jssreport.importers.upwork_csv import ImportSummary, run_import

CSV = Path(__file__).resolve().parent / "fixtures" / "upwork-csv"
TODAY = date(2026, 10, 15)  # the Oct 19, 2026 row of sentence-case-2026.csv is pending
ALL = (
    "legacy.csv", "legacy-older.csv", "transaction-id-2025.csv",
    "transaction-id-2025-entered.csv", "sentence-case-2026.csv", "weekly-summary.csv",
    "weekly-summary-overlap.csv",
)  # fmt: skip


def run(project: Path, *names: str, **options: Any) -> ImportSummary:
    options.setdefault("today", TODAY)
    options.setdefault("echo", lambda line: None)
    return run_import(project, [CSV / n for n in names], **options)


def imported(project: Path) -> list[dict[str, Any]]:
    text = (project / "content/contracts/imported.yml").read_text(encoding="utf-8")
    contracts: list[dict[str, Any]] = yaml.safe_load(text)["contracts"]
    return contracts


def by_id(project: Path) -> dict[str, dict[str, Any]]:
    return {c["id"]: c for c in imported(project)}


def gross_by_client(project: Path) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for c in imported(project):
        for p in c.get("payments", []):
            totals[c["client"]] += Decimal(str(p["amount"]))
    return dict(totals)


def payments(contract: dict[str, Any]) -> list[tuple[str, float]]:
    return [(p["date"].isoformat(), p["amount"]) for p in contract["payments"]]


def test_legacy_export(tmp_path: Path) -> None:
    s = run(tmp_path, "legacy.csv")
    assert s.rows_read == 12
    assert s.rows_skipped == {"fee": 5, "withdrawal": 2}
    assert (s.contracts_added, s.payments_added, s.refunds_recorded) == (2, 5, 0)
    assert s.fees_total == Decimal("200.00")
    got = by_id(tmp_path)
    northwind = got["northwind-labs-hourly-work"]
    assert northwind == {
        "id": "northwind-labs-hourly-work", "client": "Northwind Labs", "title": "Hourly work",
        "type": "hourly", "start": date(2022, 3, 7),
        "payments": [{"date": date(2022, 3, 7), "amount": 130.0},
                     {"date": date(2022, 3, 14), "amount": 320.0},
                     {"date": date(2022, 3, 21), "amount": 50.0}],  # the bonus
        "source": "upwork-csv:Northwind Labs/Hourly work",
    }  # fmt: skip
    menu = got["bluebird-bakery-menu-redesign"]
    assert (menu["type"], menu["title"]) == ("fixed", "Menu redesign")
    assert payments(menu) == [("2022-03-09", 250.0), ("2022-03-28", 1250.0)]  # "$1,250.00"
    hours = {c.id: (c.hours, c.rates) for c in s.contracts}
    assert hours["northwind-labs-hourly-work"] == (Decimal("11.25"), (Decimal("40.00"),))


def test_overlapping_legacy_exports_count_each_row_once(tmp_path: Path) -> None:
    s = run(tmp_path, "legacy.csv", "legacy-older.csv")
    assert s.rows_read == 23
    assert s.rows_skipped == {"connects/membership": 1, "duplicate": 4, "fee": 7, "tax": 1,
                              "withdrawal": 2}  # fmt: skip
    assert gross_by_client(tmp_path) == {
        "Northwind Labs": Decimal("920.00"), "Bluebird Bakery": Decimal("1500.00"),
        "Kestrel & Sons": Decimal("200.00"),
    }  # fmt: skip
    # A legacy "Refund" row names no contract: it goes to the client's contract.
    kestrel = by_id(tmp_path)["kestrel-sons-logo-sketch"]
    assert (kestrel["refunded"], payments(kestrel)) == (80.0, [("2022-01-24", 200.0)])
    assert (s.fees_total, s.taxes_total) == (Decimal("282.00"), Decimal("8.00"))


def test_file_order_does_not_matter(tmp_path: Path) -> None:
    run(tmp_path / "a", *ALL)
    run(tmp_path / "b", *reversed(ALL))
    a = (tmp_path / "a/content/contracts/imported.yml").read_bytes()
    assert a == (tmp_path / "b/content/contracts/imported.yml").read_bytes()


def test_transaction_id_export_with_refund_taxes_and_card_payments(tmp_path: Path) -> None:
    s = run(tmp_path, "transaction-id-2025.csv")
    assert s.rows_skipped == {"card payment": 1, "connects/membership": 1, "fee": 4, "pending": 1,
                              "tax": 2}
    # The fee and the earning share a Transaction ID: both rows are read, neither is lost.
    assert s.fees_total == Decimal("338.00")  # 33 + 80 + 240, less the 15 given back
    assert s.taxes_total == Decimal("52.95")
    assert s.fees_by_client == {"Harbor Freight Co": Decimal("33.00"),
                                "Müller & Söhne GmbH": Decimal("240.00"),
                                "Pixel Pines": Decimal("65.00")}  # fmt: skip
    got = by_id(tmp_path)
    assert got["pixel-pines-logo-pack"]["refunded"] == 150.0
    assert payments(got["pixel-pines-logo-pack"]) == [("2025-06-02", 800.0)]
    # The newest row has no balance yet: it was pending when exported, whatever the date now.
    assert payments(got["harbor-freight-co-api-integration"]) == [("2025-06-23", 330.0)]
    assert got["muller-sohne-gmbh-brand-refresh"]["client"] == "Müller & Söhne GmbH"
    assert s.refunds_recorded == 1


def test_entered_description_variant_overlapping_the_plain_one(tmp_path: Path) -> None:
    s = run(tmp_path, "transaction-id-2025.csv", "transaction-id-2025-entered.csv")
    # Jun 30 is pending in the older export and settled in the newer one: counted once, there.
    assert (s.rows_skipped["duplicate"], s.rows_skipped["pending"]) == (2, 1)
    harbor = by_id(tmp_path)["harbor-freight-co-api-integration"]
    assert harbor["type"] == "hourly"
    assert payments(harbor) == [("2025-06-23", 330.0), ("2025-06-30", 330.0),
                                ("2025-07-07", 100.0), ("2025-07-14", 258.0)]  # fmt: skip
    stats = {c.id: c for c in s.contracts}["harbor-freight-co-api-integration"]
    assert (stats.hours, stats.rates) == (Decimal("25.3333"), (Decimal("18.00"), Decimal("60.00")))


def test_untitled_rows_group_by_client_and_kind(tmp_path: Path) -> None:
    text = (CSV / "transaction-id-2025.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "x.csv").write_text(text.replace("API integration", ""), encoding="utf-8")
    run_import(tmp_path, [tmp_path / "x.csv"], today=TODAY, echo=lambda line: None)
    harbor = by_id(tmp_path)["harbor-freight-co-hourly-work"]
    assert harbor["title"] == "Hourly work"
    assert payments(harbor) == [("2025-06-23", 330.0)]  # Jun 30 is pending


def test_weekly_summary_unknown_payment_type_is_time_or_a_fixed_payment(tmp_path: Path) -> None:
    (tmp_path / "w.csv").write_text(
        "Date,Contract,Hours,Amount,Payment type\n"
        "2025-03-03,Site (1),2.5,75,Manual time\n"
        "2025-03-04,Site (1),,20,Expense reimbursement\n", encoding="utf-8")
    s = run_import(tmp_path, [tmp_path / "w.csv"], today=TODAY, echo=lambda line: None)
    assert payments(by_id(tmp_path)["site"]) == [("2025-03-03", 75.0), ("2025-03-04", 20.0)]
    assert (s.contracts[0].type, s.contracts[0].hours) == ("hourly", Decimal("2.5"))


def test_pending_rows_stay_pending_in_that_export_whatever_the_date(tmp_path: Path) -> None:
    # Oct 19 (after TODAY) and Oct 12 have no balance and come before the first settled row.
    for folder, today in (("before", TODAY), ("after", date(2026, 11, 30))):
        s = run(tmp_path / folder, "sentence-case-2026.csv", today=today)
        assert s.rows_skipped["pending"] == 2
        got = by_id(tmp_path / folder)
        assert payments(got["cafe-zoe-cafe-menu"]) == [("2026-09-25", 1200.0)]
        assert ("2026-10-12", 180.0) not in payments(got["acme-analytics-data-pipeline-cleanup"])


def test_a_row_without_balance_below_settled_rows_is_pending_only_if_dated_later(
        tmp_path: Path) -> None:
    text = (CSV / "sentence-case-2026.csv").read_text(encoding="utf-8-sig").splitlines()
    header, rows = text[0], text[1:]
    # settled rows first, the two rows without a balance last
    (tmp_path / "x.csv").write_text("\n".join([header, *rows[2:], *rows[:2]]) + "\n",
                                    encoding="utf-8")
    s = run_import(tmp_path, [tmp_path / "x.csv"], today=TODAY, echo=lambda line: None)
    assert s.rows_skipped["pending"] == 1  # only Oct 19, after TODAY


def test_pending_row_in_an_old_export_is_taken_from_a_newer_one(tmp_path: Path) -> None:
    """The pending copy must not mark the settled copy as a duplicate."""
    old = (CSV / "transaction-id-2025.csv").read_text(encoding="utf-8-sig")
    first = old.replace('"Jun 30, 2025"', '"Dec 30, 2026"')  # pending as of TODAY
    (tmp_path / "old.csv").write_text(first, encoding="utf-8")
    new = first.replace("910000031,330.00,,,,", "910000031,330.00,,,1000.00,")
    (tmp_path / "new.csv").write_text(new, encoding="utf-8")
    s = run_import(tmp_path, [tmp_path / "old.csv", tmp_path / "new.csv"], today=TODAY,
                   echo=lambda line: None)
    assert s.rows_skipped["pending"] == 1
    harbor = by_id(tmp_path)["harbor-freight-co-api-integration"]
    assert ("2026-12-30", 330.0) in payments(harbor)


def test_sentence_case_export(tmp_path: Path) -> None:
    s = run(tmp_path, "sentence-case-2026.csv")
    assert s.rows_read == 14
    assert s.rows_skipped == {"connects/membership": 1, "fee": 4, "pending": 2, "withdrawal": 1}
    assert gross_by_client(tmp_path) == {
        "東京デザイン株式会社": Decimal("75.00"), "Zephyr Health": Decimal("400.00"),
        "Café Zoë": Decimal("1200.00"), "Acme Analytics": Decimal("230.00"),
    }  # fmt: skip
    got = by_id(tmp_path)
    assert got["cafe-zoe-cafe-menu"]["refunded"] == 120.0  # "(120.00)"
    assert got["translation-review"]["client"] == "東京デザイン株式会社"
    acme = got["acme-analytics-data-pipeline-cleanup"]
    assert (acme["type"], acme["start"]) == ("hourly", date(2026, 9, 30))
    assert s.fees_total == Decimal("166.00")


def test_weekly_summary_keeps_equal_payments_and_drops_overlap(tmp_path: Path) -> None:
    s = run(tmp_path, "weekly-summary.csv", "weekly-summary-overlap.csv")
    assert s.rows_skipped == {"duplicate": 3}
    got = by_id(tmp_path)
    landing = got["landing-page-build"]
    assert payments(landing) == [("2025-03-03", 135.0), ("2025-03-04", 70.0),
                                 ("2025-03-04", 70.0), ("2025-03-10", 50.0),
                                 ("2025-03-11", 90.0)]  # fmt: skip
    # No client column: the contract's title stands in for the client.
    assert (landing["client"], landing["type"]) == ("Landing page build", "hourly")
    assert landing["source"] == "upwork-csv:contract/41000001"
    assert got["brand-guide"]["type"] == "fixed"
    assert payments(got["angstrom-labs-audit"]) == [("2025-03-24", 1500.0)]
    assert got["angstrom-labs-audit"]["title"] == "Ångström Labs: audit"


def test_everything_at_once_gross_per_client_exact_to_the_cent(tmp_path: Path) -> None:
    s = run(tmp_path, *ALL)
    assert gross_by_client(tmp_path) == {
        "Kestrel & Sons": Decimal("200.00"), "Northwind Labs": Decimal("920.00"),
        "Bluebird Bakery": Decimal("1500.00"), "Landing page build": Decimal("415.00"),
        "Brand guide": Decimal("600.00"), "Ångström Labs: audit": Decimal("1500.00"),
        "Müller & Söhne GmbH": Decimal("2400.00"), "Pixel Pines": Decimal("800.00"),
        "Harbor Freight Co": Decimal("1018.00"), "東京デザイン株式会社": Decimal("75.00"),
        "Zephyr Health": Decimal("400.00"), "Café Zoë": Decimal("1200.00"),
        "Acme Analytics": Decimal("230.00"),
    }  # fmt: skip
    assert s.gross_total == Decimal("11258.00")
    assert s.rows_read == 66
    assert sum(s.rows_skipped.values()) == 38
    assert (s.contracts_added, s.payments_added, s.refunds_recorded) == (13, 25, 3)
    assert (s.fees_total, s.taxes_total) == (Decimal("811.80"), Decimal("60.95"))
    assert s.lines() == [
        "Read 66 rows (23 legacy, 14 sentence-case, 19 transaction-id, 10 weekly-summary).",
        "Skipped 38 rows: 16 fee, 9 duplicate, 3 connects/membership, 3 pending, 3 tax, "
        "3 withdrawal, 1 card payment.",
        "Added 13 contracts and 25 payments to content/contracts/imported.yml.",
        "Recorded refunds on 3 contracts.",
        "Gross earnings in these exports: $11,258.00; service fees $811.80; taxes $60.95.",
    ]


def test_written_file_passes_the_records_validator(make_project: Any) -> None:
    from jssreport.input import records
    project = make_project({"content/profile.yml": "name: Sam R.\n"})
    run(project, *ALL)
    loaded = records.load_records(project)
    assert len(loaded.contracts) == 13
    cafe = next(c for c in loaded.contracts if c.id == "cafe-zoe-cafe-menu")
    assert (cafe.refunded, cafe.source) == (120.0, "upwork-csv:Café Zoë/Café menu")


def test_crlf_and_lf_read_alike(tmp_path: Path) -> None:
    text = (CSV / "sentence-case-2026.csv").read_bytes()
    assert b"\r\n" in text
    (tmp_path / "lf.csv").write_bytes(text.replace(b"\r\n", b"\n"))
    (tmp_path / "cr.csv").write_bytes(text.replace(b"\r\n", b"\r"))  # old Mac line ends
    run(tmp_path / "a", "sentence-case-2026.csv")
    for name in ("lf", "cr"):
        project = tmp_path / name
        run_import(project, [tmp_path / f"{name}.csv"], today=TODAY, echo=lambda line: None)
        assert imported(project) == imported(tmp_path / "a")


def test_concatenated_exports_repeat_the_header(tmp_path: Path) -> None:
    newer = (CSV / "legacy.csv").read_text(encoding="utf-8-sig")
    older = (CSV / "legacy-older.csv").read_text(encoding="utf-8")
    (tmp_path / "all.csv").write_text("\ufeff" + newer + "\n" + older, encoding="utf-8")
    s = run_import(tmp_path, [tmp_path / "all.csv"], today=TODAY, echo=lambda line: None)
    assert (s.rows_read, s.rows_skipped["duplicate"]) == (23, 4)
    assert gross_by_client(tmp_path)["Northwind Labs"] == Decimal("920.00")


def test_windows_code_page_file_is_read(tmp_path: Path) -> None:
    text = (CSV / "transaction-id-2025.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "cp.csv").write_bytes(text.encode("cp1252"))
    run_import(tmp_path, [tmp_path / "cp.csv"], today=TODAY, echo=lambda line: None)
    assert "Müller & Söhne GmbH" in gross_by_client(tmp_path)


def test_unknown_header_is_an_error_naming_the_layouts(tmp_path: Path) -> None:
    with pytest.raises(JssReportError) as err:
        run(tmp_path, "unknown-header.csv")
    assert str(err.value) == (
        f"{CSV / 'unknown-header.csv'}:1: not a known Upwork export; its header is: "
        "Date, Description, Amount, Balance\n"
        "Known layouts (the header must match, ignoring case and spaces):\n"
        "  legacy 13-column export (about 2018-2022): Date, Ref ID, Type, Description, Agency, "
        "Freelancer, Team, Account Name, PO, Amount, Amount in local currency, Currency, "
        "Balance\n"
        "  Title Case 'Transaction ID' export (2024-2025): Date, Transaction ID, "
        "Transaction Type, Transaction Summary, Transaction Summary Details, Description 1, "
        "Description 2, Description 3, Entered Description, Agency, Freelancer, Team, "
        "Account Name, PO, Ref ID, Amount $, Amount in local currency, Currency, "
        "Current Balance $, Payment Method\n"
        "  sentence-case export with 'Client team' (2026): Date, Transaction ID, "
        "Transaction type, Transaction summary, Transaction summary details, Description 1, "
        "Description 2, Description 3, Agency team, Freelancer, Client team, Account name, "
        "PO, Ref ID, Amount $, Amount in local currency, Currency, Current balance $, "
        "Payment method\n"
        "  Weekly Summary export (2023-): Date, Contract, Hours, Amount, Payment type"
    )
    assert not (tmp_path / "content").exists()


def test_bad_rows_are_all_reported_with_file_and_line(tmp_path: Path) -> None:
    with pytest.raises(JssReportError) as err:
        run(tmp_path, "bad-rows.csv", "legacy.csv")
    assert str(err.value) == (
        f"{CSV / 'bad-rows.csv'}:3: cannot read the date 'Oct 32, 2026'\n"
        f"{CSV / 'bad-rows.csv'}:4: cannot read the amount '12,3x'"
    )
    assert not (tmp_path / "content").exists()


def test_paths_inside_the_project_are_shown_relative(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports/x.csv").write_bytes((CSV / "bad-rows.csv").read_bytes())
    with pytest.raises(JssReportError) as err:
        run_import(tmp_path, [tmp_path / "exports/x.csv"], today=TODAY)
    assert str(err.value).startswith("exports/x.csv:3: cannot read the date")


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("\n\n", encoding="utf-8")
    (tmp_path / "binary.csv").write_bytes(b"\x81\x8d\x8f\x90\x9d")
    with pytest.raises(JssReportError) as err:
        run_import(tmp_path, [tmp_path / "missing.csv", tmp_path / "empty.csv",
                              tmp_path / "binary.csv"], today=TODAY)  # fmt: skip
    assert str(err.value).split("\n") == [
        "binary.csv: cannot read the file: 'charmap' codec can't decode byte 0x81 in position "
        "0: character maps to <undefined>",
        "empty.csv: empty file: expected an Upwork export",
        "missing.csv: cannot read the file: No such file or directory",
    ]


def test_dry_run_lists_changes_and_writes_nothing(tmp_path: Path) -> None:
    lines: list[str] = []
    s = run(tmp_path, "legacy.csv", dry_run=True, echo=lines.append)
    assert not (tmp_path / "content").exists()
    assert not s.written
    assert lines == [
        "  new contract northwind-labs-hourly-work: Northwind Labs / Hourly work, hourly, "
        "3 payments, $500.00, 11.25 h",
        "  new contract bluebird-bakery-menu-redesign: Bluebird Bakery / Menu redesign, fixed, "
        "2 payments, $1,500.00",
        "Read 12 rows (12 legacy).",
        "Skipped 7 rows: 5 fee, 2 withdrawal.",
        "Would add 2 contracts and 5 payments to content/contracts/imported.yml.",
        "Gross earnings in these exports: $2,000.00; service fees $200.00; taxes $0.00.",
        "Dry run: nothing was written.",
    ]


def test_into_relative_to_the_project(tmp_path: Path) -> None:
    s = run(tmp_path, "weekly-summary.csv", into=Path("content/contracts/weekly.yml"))
    assert s.into == "content/contracts/weekly.yml"
    assert (tmp_path / "content/contracts/weekly.yml").is_file()
    assert not (tmp_path / "content/contracts/imported.yml").exists()


def test_nothing_to_import_writes_no_file(tmp_path: Path) -> None:
    (tmp_path / "w.csv").write_text(
        "Date,Ref ID,Type,Description,Agency,Freelancer,Team,Account Name,PO,Amount,"
        "Amount in local currency,Currency,Balance\n"
        '"Mar 18, 2022",1,Withdrawal,Bank,,Sam,,Sam,,-500.00,-500.00,USD,0.00\n',
        encoding="utf-8",
    )
    s = run_import(tmp_path, [tmp_path / "w.csv"], today=TODAY, echo=lambda line: None)
    assert not (tmp_path / "content").exists()
    assert s.lines()[2] == "No earnings in these exports: nothing to add."


def test_progress_only_on_a_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(tmp_path, "legacy.csv", progress=True)
    assert capsys.readouterr().err == ""


def test_progress_on_a_terminal_for_large_files(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from jssreport.importers import upwork_read

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    run(tmp_path / "a", "legacy.csv", progress=True)
    assert capsys.readouterr().err == ""  # too small to bother
    monkeypatch.setattr(upwork_read, "PROGRESS_EVERY", 5)
    run(tmp_path / "b", "legacy.csv", progress=True)
    shown = CSV / "legacy.csv"
    assert capsys.readouterr().err == (
        f"\r{shown}: 5 rows...\r{shown}: 10 rows...\r{shown}: 12 rows read\n")


def test_default_today_honours_source_date_epoch(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1791331200")  # 2026-10-07
    s = run_import(tmp_path, [CSV / "sentence-case-2026.csv"], echo=lambda line: None)
    assert s.rows_skipped["pending"] == 2  # Oct 12 and Oct 19


def test_the_shared_samples(tmp_path: Path) -> None:
    samples = Path(__file__).resolve().parent / "fixtures" / "examples" / "upwork-csv"
    s = run_import(tmp_path, sorted(samples.glob("*.csv")), today=date(2026, 10, 10),
                   echo=lambda line: None)
    assert s.rows_skipped == {"connects/membership": 2, "fee": 8, "pending": 2, "withdrawal": 2}
    assert gross_by_client(tmp_path) == {
        "Northwind Labs": Decimal("450.00"), "Bluebird Bakery": Decimal("250.00"),
        "Landing page build": Decimal("255.00"), "Brand guide": Decimal("600.00"),
        "Pixel Pines": Decimal("800.00"), "Harbor Freight Co": Decimal("330.00"),
        "Zephyr Health": Decimal("400.00"), "Acme Analytics": Decimal("230.00"),
    }  # fmt: skip
    assert by_id(tmp_path)["pixel-pines-logo-pack"]["refunded"] == 150.0
    assert s.fees_total == Decimal("226.00")
