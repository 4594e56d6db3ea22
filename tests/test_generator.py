"""The benchmark generator: deterministic, and its projects are valid records."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import bench_generator

ROOT = Path(__file__).resolve().parent.parent




generator = bench_generator()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    generator.generate(300, tmp_path / "a", seed=7)
    generator.generate(300, tmp_path / "b", seed=7)
    a, b = _tree(tmp_path / "a"), _tree(tmp_path / "b")
    assert a == b
    assert "content/profile.yml" in a
    assert sum(rel.startswith("content/contracts/") for rel in a) >= 10  # one file per year


def test_other_seed_other_records() -> None:
    assert generator.project_files(200, seed=1) != generator.project_files(200, seed=2)


def test_cli_writes_a_project(tmp_path: Path) -> None:
    assert generator.main(["50", str(tmp_path), "--seed", "3"]) == 0
    assert _tree(tmp_path) == {
        rel: text.encode() for rel, text in generator.project_files(50, seed=3).items()
    }
    assert generator.main(["50", str(tmp_path)]) == 1  # never replaces content/ silently


@pytest.mark.parametrize("n", [1, 20, 2000])
def test_output_loads_as_valid_records(tmp_path: Path, n: int) -> None:
    from jssreport.input import records
    generator.generate(n, tmp_path, seed=n)
    loaded = records.load_records(tmp_path)
    assert len(loaded.contracts) == n
    assert loaded.profile.as_of == dt.date(2026, 6, 30)
    assert len(loaded.profile.snapshots) >= 2


def test_mix_is_realistic(tmp_path: Path) -> None:
    from jssreport.input import records
    generator.generate(3000, tmp_path, seed=0)
    cs = records.load_records(tmp_path).contracts
    n = len(cs)
    as_of = dt.date(2026, 6, 30)
    share = {
        "fixed": sum(c.type == "fixed" for c in cs) / n,
        "open": sum(c.end is None for c in cs) / n,
        "dormant": sum(
            c.end is None and (as_of - (c.last_paid(as_of) or c.start)).days > 90 for c in cs
        ) / n,
        "feedback": sum(c.feedback is not None for c in cs) / n,
    }
    assert 0.55 < share["fixed"] < 0.65
    assert 0.12 < share["open"] < 0.18
    assert 0.03 < share["dormant"] < share["open"]
    assert 0.5 < share["feedback"] < 0.8
    stars = [c.feedback.stars for c in cs if c.feedback and c.feedback.stars is not None]
    assert sum(s == 5.0 for s in stars) / len(stars) > 0.7
    assert any(4.0 <= s < 5.0 for s in stars)
    assert any(s < 3.0 for s in stars)
    assert any(c.feedback and c.feedback.recommend is not None for c in cs)
    assert all(sum(getattr(c, flag) for c in cs) > 0 for flag in
               ("dispute", "client_flagged", "removed", "paused"))
    assert sum(c.refunded > 0 for c in cs) > 0
    assert sum(c.earned is not None for c in cs) > 0
    assert 0.25 < len({c.client for c in cs}) / n < 0.4
    assert min(c.start for c in cs) >= as_of - dt.timedelta(days=3652)
    assert max(len(c.payments) for c in cs) > 52  # a retainer paid weekly for over a year
    assert all(p.date <= as_of for c in cs for p in c.payments)


def test_change_one_amount_changes_one_file(tmp_path: Path) -> None:
    generator.generate(100, tmp_path, seed=0)
    before = _tree(tmp_path)
    target = tmp_path / "content/contracts/2026.yml"
    generator.change_one_amount(target)
    after = _tree(tmp_path)
    changed = [rel for rel in before if before[rel] != after[rel]]
    assert changed == ["content/contracts/2026.yml"]
    old, new = before[changed[0]].decode(), after[changed[0]].decode()
    assert sum(a != b for a, b in zip(old.splitlines(), new.splitlines(), strict=True)) == 1
