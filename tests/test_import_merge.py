"""Importing into existing records: adds what is new, keeps every hand edit, same bytes twice."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from jssreport.errors import JssReportError
from jssreport.importers.upwork_csv import ImportSummary, run_import

CSV = Path(__file__).resolve().parent / "fixtures" / "upwork-csv"
TODAY = date(2026, 10, 15)
INTO = "content/contracts/imported.yml"
ALL = (
    "legacy.csv", "legacy-older.csv", "transaction-id-2025.csv",
    "transaction-id-2025-entered.csv", "sentence-case-2026.csv", "weekly-summary.csv",
    "weekly-summary-overlap.csv",
)  # fmt: skip


def run(project: Path, *names: str, **options: Any) -> ImportSummary:
    options.setdefault("today", TODAY)
    options.setdefault("echo", lambda line: None)
    return run_import(project, [CSV / n for n in names], **options)


def contracts(project: Path, rel: str = INTO) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load((project / rel).read_text(encoding="utf-8"))
    return {c["id"]: c for c in data["contracts"]}


def payments(contract: dict[str, Any]) -> list[tuple[str, float]]:
    return [(p["date"].isoformat(), p["amount"]) for p in contract["payments"]]


def write(project: Path, rel: str, text: str) -> None:
    path = project / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_importing_again_changes_no_byte(tmp_path: Path) -> None:
    run(tmp_path, *ALL)
    path = tmp_path / INTO
    first = path.read_bytes()
    stamp = path.stat().st_mtime_ns
    s = run(tmp_path, *ALL)
    assert path.read_bytes() == first
    assert path.stat().st_mtime_ns == stamp  # not even rewritten
    assert (s.contracts_added, s.payments_added, s.refunds_recorded, s.written) == (0, 0, 0, False)
    assert s.changes == ()
    assert s.lines()[2] == (
        "Nothing new: content/contracts/imported.yml already has every payment in these exports.")
    # Each export again on its own, in another order: still nothing new.
    for name in reversed(ALL):
        assert run(tmp_path, name).changes == ()
    assert path.read_bytes() == first


HAND_EDITED = """\
# My Upwork contracts. Imported, then edited by hand.

contracts:
  - id: northwind-retainer
    client: Northwind Labs Ltd.
    title: Retainer (hourly)
    type: hourly
    start: 2022-02-14
    end: 2022-04-30
    payments:
      - {date: 2022-02-14, amount: 420.0}
      - {date: 2022-03-07, amount: 130}
    feedback:
      date: 2022-05-02
      stars: 4.6
      scores: {skills: 5, quality: 4, availability: 5, deadlines: 4, communication: 5,
               cooperation: 5}
      comment: "Solid work: fast, careful"
    ended_by: client
    end_reason: completed
    notes: |
      Asked for feedback on 2022-05-01.
        - follow up in June
    source: upwork-csv:Northwind Labs/Hourly work
  - id: kestrel-logo
    client: Kestrel & Sons
    title: Logo sketch
    type: fixed
    start: 2022-01-24
    payments: [{date: 2022-01-24, amount: 200}]
    refunded: 80
    notes: Partial refund, agreed.
    source: upwork-csv:Kestrel & Sons/Logo sketch
  - id: offline-job
    client: Friend of a friend
    title: Off-platform favour
    type: fixed
    start: 2022-02-01
    earned: 100
    last_payment: 2022-02-01
"""


def test_hand_edits_survive_a_reimport_that_adds_payments(make_project: Any) -> None:
    project = make_project({"content/profile.yml": "name: Sam R.\n", INTO: HAND_EDITED})
    s = run(project, "legacy.csv", "legacy-older.csv")
    got = contracts(project)
    northwind = got["northwind-retainer"]
    # The renamed contract is recognised by its source and gets only the new payments.
    assert payments(northwind) == [("2022-02-14", 420.0), ("2022-03-07", 130.0),
                                   ("2022-03-14", 320.0), ("2022-03-21", 50.0)]  # fmt: skip
    for key, value in yaml.safe_load(HAND_EDITED)["contracts"][0].items():
        if key != "payments":
            assert northwind[key] == value, key
    kestrel = got["kestrel-logo"]
    assert (kestrel["notes"], kestrel["refunded"]) == ("Partial refund, agreed.", 80.0)
    assert got["offline-job"] == yaml.safe_load(HAND_EDITED)["contracts"][2]
    assert list(got) == ["northwind-retainer", "kestrel-logo", "offline-job",
                         "bluebird-bakery-menu-redesign"]  # fmt: skip
    assert s.changes == (
        "northwind-retainer: 2 new payments, $370.00",
        "new contract bluebird-bakery-menu-redesign: Bluebird Bakery / Menu redesign, fixed, "
        "2 payments, $1,500.00",
    )
    text = (project / INTO).read_text(encoding="utf-8")
    assert text.startswith("# My Upwork contracts. Imported, then edited by hand.\n\ncontracts:\n")
    assert "    notes: |\n      Asked for feedback on 2022-05-01.\n        - follow up in June\n" \
        in text
    assert "      scores: {skills: 5, quality: 4, availability: 5, deadlines: 4, " in text
    # And once more: nothing changes.
    before = (project / INTO).read_bytes()
    assert run(project, "legacy-older.csv", "legacy.csv").changes == ()
    assert (project / INTO).read_bytes() == before
    from jssreport.input import records
    assert len(records.load_records(project).contracts) == 4


def test_match_by_id_when_the_record_has_no_source(tmp_path: Path) -> None:
    write(tmp_path, INTO, """\
        contracts:
          - id: bluebird-bakery-menu-redesign
            client: Bluebird Bakery
            title: Menu redesign
            type: fixed
            start: 2022-03-09
            payments:
              - {date: 2022-03-09, amount: 250}
        """.replace("\n        ", "\n").lstrip())
    s = run(tmp_path, "legacy.csv")
    got = contracts(tmp_path)["bluebird-bakery-menu-redesign"]
    assert payments(got) == [("2022-03-09", 250.0), ("2022-03-28", 1250.0)]
    assert "source" not in got  # no field is added to a hand-written record
    assert s.contracts_added == 1  # only Northwind


def test_equal_payments_compare_as_a_multiset(tmp_path: Path) -> None:
    run(tmp_path, "weekly-summary.csv")
    assert payments(contracts(tmp_path)["landing-page-build"]).count(("2025-03-04", 70.0)) == 2
    s = run(tmp_path, "weekly-summary-overlap.csv")
    assert s.changes == ("landing-page-build: 1 new payment, $90.00",)
    landing = contracts(tmp_path)["landing-page-build"]
    assert payments(landing).count(("2025-03-04", 70.0)) == 2


def test_older_export_moves_start_earlier(tmp_path: Path) -> None:
    run(tmp_path, "legacy.csv")
    assert contracts(tmp_path)["northwind-labs-hourly-work"]["start"] == date(2022, 3, 7)
    s = run(tmp_path, "legacy-older.csv")
    assert "northwind-labs-hourly-work: start moved to 2022-02-14, its first payment" in s.changes
    assert contracts(tmp_path)["northwind-labs-hourly-work"]["start"] == date(2022, 2, 14)


def test_refund_is_raised_never_lowered(tmp_path: Path) -> None:
    run(tmp_path, "transaction-id-2025.csv")
    path = tmp_path / INTO
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("refunded: 150.00", "refunded: 20.00"), encoding="utf-8")
    s = run(tmp_path, "transaction-id-2025.csv")
    assert s.changes == ("pixel-pines-logo-pack: refunded 20.00 -> 150.00",)
    assert s.refunds_recorded == 1
    path.write_text(text.replace("refunded: 150.00", "refunded: 200.00"), encoding="utf-8")
    assert run(tmp_path, "transaction-id-2025.csv").changes == ()
    assert contracts(tmp_path)["pixel-pines-logo-pack"]["refunded"] == 200.0


def test_refund_larger_than_the_payments_found_is_capped(tmp_path: Path) -> None:
    text = (CSV / "transaction-id-2025.csv").read_text(encoding="utf-8-sig")
    (tmp_path / "x.csv").write_text(text.replace("-150.00", '"-1,150.00"'), encoding="utf-8")
    s = run_import(tmp_path, [tmp_path / "x.csv"], today=TODAY, echo=lambda line: None)
    assert contracts(tmp_path)["pixel-pines-logo-pack"]["refunded"] == 800.0
    assert s.warnings == (
        "'pixel-pines-logo-pack': refunds of $1,150.00 are more than the $800.00 of payments "
        "found; recorded $800.00 (import the older exports too)",
    )


def test_refund_without_payments_is_reported_not_invented(tmp_path: Path) -> None:
    text = (CSV / "transaction-id-2025.csv").read_text(encoding="utf-8-sig")
    only_refund = [line for line in text.splitlines() if "Logo pack" not in line
                   or "Refund to client" in line]  # fmt: skip
    (tmp_path / "x.csv").write_text("\n".join(only_refund), encoding="utf-8")
    s = run_import(tmp_path, [tmp_path / "x.csv"], today=TODAY, echo=lambda line: None)
    assert "pixel-pines-logo-pack" not in contracts(tmp_path)
    assert s.warnings == (
        "refund of $150.00 to Pixel Pines (Logo pack) not recorded: no payments from that client "
        "in these files or in content/contracts/imported.yml",
    )
    # Once the contract is on file, the same refund is recorded.
    run(tmp_path, "transaction-id-2025.csv")
    run_import(tmp_path, [tmp_path / "x.csv"], today=TODAY, echo=lambda line: None)
    assert contracts(tmp_path)["pixel-pines-logo-pack"]["refunded"] == 150.0


def _later_refund(tmp_path: Path, summary: str, amount: str) -> Path:
    text = (CSV / "transaction-id-2025.csv").read_text(encoding="utf-8-sig")
    header, *rows = text.splitlines()
    refund = next(r for r in rows if "Refund to client" in r)
    later = refund.replace("Jun 18, 2025", "Jul 01, 2025").replace("8100002", "8100090")
    later = later.replace("910000015", "910000090").replace("Logo pack", summary)
    path = tmp_path / "later.csv"
    path.write_text(f"{header}\n{later.replace('-150.00', amount)}\n", encoding="utf-8")
    return path


def test_refund_naming_no_known_contract_goes_to_the_clients_latest(tmp_path: Path) -> None:
    later = _later_refund(tmp_path, "Refund", "-50.00")
    s = run_import(tmp_path, [CSV / "transaction-id-2025.csv", later], today=TODAY,
                   echo=lambda line: None)
    assert "pixel-pines-logo-pack: refunded $200.00" in s.changes
    assert contracts(tmp_path)["pixel-pines-logo-pack"]["refunded"] == 200.0


def test_smaller_refund_total_than_on_file_is_reported(tmp_path: Path) -> None:
    run(tmp_path, "transaction-id-2025.csv")
    later = _later_refund(tmp_path, "Logo pack", "-50.00")
    s = run_import(tmp_path, [later], today=TODAY, echo=lambda line: None)
    assert s.changes == ()
    assert s.warnings == (
        "'pixel-pines-logo-pack': these exports refund $50.00 and the record has $150.00 "
        "refunded; if the $50.00 is new, add it by hand",
    )
    # Imported together with the older export, the new refund is simply counted.
    s = run_import(tmp_path, [CSV / "transaction-id-2025.csv", later], today=TODAY,
                   echo=lambda line: None)
    assert s.changes == ("pixel-pines-logo-pack: refunded 150.00 -> 200.00",)


def test_legacy_refund_alone_goes_to_the_clients_contract_on_file(tmp_path: Path) -> None:
    rows = (CSV / "legacy-older.csv").read_text(encoding="utf-8").splitlines()
    refund = [r for r in rows if ",Refund," in r]
    (tmp_path / "no-refund.csv").write_text(
        "\n".join(r for r in rows if r not in refund), encoding="utf-8")
    (tmp_path / "refund.csv").write_text("\n".join([rows[0], *refund]), encoding="utf-8")
    run_import(tmp_path, [tmp_path / "no-refund.csv"], today=TODAY, echo=lambda line: None)
    assert "refunded" not in contracts(tmp_path)["kestrel-sons-logo-sketch"]
    s = run_import(tmp_path, [tmp_path / "refund.csv"], today=TODAY, echo=lambda line: None)
    assert s.changes == ("kestrel-sons-logo-sketch: refunded 0.00 -> 80.00",)
    assert [c.id for c in s.contracts] == ["kestrel-sons-logo-sketch"]


def test_rewrite_keeps_the_file_mode(tmp_path: Path) -> None:
    run(tmp_path, "legacy.csv")
    path = tmp_path / INTO
    assert path.stat().st_mode & 0o777 == 0o666 & ~_umask()
    path.chmod(0o640)
    run(tmp_path, "legacy-older.csv")
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in path.parent.iterdir()] == ["imported.yml"]  # no temp file left


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_contract_moved_to_another_file_is_not_duplicated(tmp_path: Path) -> None:
    run(tmp_path, "legacy-older.csv")
    data = yaml.safe_load((tmp_path / INTO).read_text(encoding="utf-8"))
    moved = [c for c in data["contracts"] if c["client"] == "Northwind Labs"]
    kept = [c for c in data["contracts"] if c["client"] != "Northwind Labs"]
    write(tmp_path, "content/contracts/2022.yml", yaml.safe_dump({"contracts": moved}))
    write(tmp_path, INTO, yaml.safe_dump({"contracts": kept}))
    s = run(tmp_path, "legacy.csv")
    assert "northwind-labs-hourly-work" not in contracts(tmp_path)
    assert s.warnings == (
        "2 new payments of 'northwind-labs-hourly-work' not added: it is in "
        "content/contracts/2022.yml, which the importer does not edit; add them by hand",
    )
    assert s.contracts_added == 0


def test_ids_used_in_other_files_are_not_reused(tmp_path: Path) -> None:
    write(tmp_path, "content/contracts/mine.yml", """\
contracts:
  - {id: pixel-pines-logo-pack, client: Pixel Pines, title: Old logo, type: fixed,
     start: 2020-01-01, earned: 100, last_payment: 2020-01-01}
""")
    run(tmp_path, "transaction-id-2025.csv")
    assert "pixel-pines-logo-pack-2" in contracts(tmp_path)
    assert "pixel-pines-logo-pack" not in contracts(tmp_path)


def test_same_slug_for_two_contracts_gets_a_number(tmp_path: Path) -> None:
    text = (CSV / "weekly-summary.csv").read_text(encoding="utf-8")
    text += '"2025-04-01","Brand guide! (41000009)","","10","Fixed Price Payment"\n'
    (tmp_path / "w.csv").write_text(text, encoding="utf-8")
    run_import(tmp_path, [tmp_path / "w.csv"], today=TODAY, echo=lambda line: None)
    got = contracts(tmp_path)
    assert (got["brand-guide"]["title"], got["brand-guide-2"]["title"]) == (
        "Brand guide", "Brand guide!")  # fmt: skip


def test_total_earned_contract_gets_no_itemised_payments(tmp_path: Path) -> None:
    write(tmp_path, INTO, """\
contracts:
  - id: pixel
    client: Pixel Pines
    title: Logo pack
    type: fixed
    start: 2025-06-02
    earned: 800
    last_payment: 2025-06-02
    source: upwork-csv:Pixel Pines/Logo pack
""")
    s = run(tmp_path, "transaction-id-2025.csv")
    assert "1 new payment of 'pixel' not added: its earnings are a total ('earned'), not " \
        "itemised payments" in s.warnings
    assert "payments" not in contracts(tmp_path)["pixel"]


def test_dry_run_on_existing_records_changes_nothing(tmp_path: Path) -> None:
    run(tmp_path, "legacy.csv")
    before = (tmp_path / INTO).read_bytes()
    lines: list[str] = []
    s = run(tmp_path, "legacy-older.csv", dry_run=True, echo=lines.append)
    assert (tmp_path / INTO).read_bytes() == before
    assert lines[:4] == [
        "  new contract kestrel-sons-logo-sketch: Kestrel & Sons / Logo sketch, fixed, "
        "1 payment, $200.00",
        "  northwind-labs-hourly-work: 1 new payment, $420.00",
        "  northwind-labs-hourly-work: start moved to 2022-02-14, its first payment",
        "  kestrel-sons-logo-sketch: refunded $80.00",
    ]
    assert (s.contracts_added, s.payments_added, s.written) == (1, 2, False)
    assert lines[-1] == "Dry run: nothing was written."


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("contracts: [\n", "content/contracts/imported.yml:2: invalid YAML: did not find "
                          "expected node content (while parsing a flow node at line 2)"),
        ("a: &x 1\nb: *x\n", "content/contracts/imported.yml:1: anchors and aliases are "
                            "not allowed"),
        ("- a\n- b\n", "content/contracts/imported.yml: expected a mapping with 'contracts:'"),
        ("contracts: 5\n", "content/contracts/imported.yml: 'contracts' must be a list"),
        ("contracts:\n  - {id: x, source: 'upwork-csv:Pixel Pines/Logo pack', payments: 7}\n",
         "content/contracts/imported.yml: contract 'x': payments must be a list of "
         "{date, amount}; fix it before importing"),
    ],
)  # fmt: skip
def test_broken_records_file_is_an_error(tmp_path: Path, text: str, message: str) -> None:
    write(tmp_path, INTO, text)
    with pytest.raises(JssReportError) as err:
        run(tmp_path, "transaction-id-2025.csv")
    assert str(err.value) == message
    assert (tmp_path / INTO).read_text(encoding="utf-8") == text


def test_unwritable_target_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "content/contracts", "a file where the folder should be")
    with pytest.raises(JssReportError) as err:
        run(tmp_path, "legacy.csv", into=Path("content/contracts/x.yml"))
    assert str(err.value) == "content/contracts/x.yml: cannot write: File exists"


def test_written_file_is_a_fixed_point_of_load_and_write(tmp_path: Path) -> None:
    from jssreport.importers.yaml_writer import render_contracts

    write(tmp_path, INTO, HAND_EDITED)
    run(tmp_path, *ALL)
    text = (tmp_path / INTO).read_text(encoding="utf-8")
    header = text[: text.index("contracts:")]
    assert render_contracts(yaml.safe_load(text), header) == text
