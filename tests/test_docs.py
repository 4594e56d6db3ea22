"""The project documents itself: what the code cites is in the repository, and docs/model.md
names every rule set with its dates and the fitted parameters the code uses."""

from __future__ import annotations

import re
from pathlib import Path

from jssreport.model.rules import _FIT, RULESETS

ROOT = Path(__file__).resolve().parent.parent
CITED = re.compile(r"docs/([a-z_-]+\.md)")
OUTSIDE = re.compile(r"\b(SPEC|MODEL|STYLE)\.md\b|/shared/")


def _sources() -> list[Path]:
    return sorted(p for folder in ("jssreport", "tests", "bench") for p in
                  (ROOT / folder).rglob("*") if p.suffix in (".py", ".md", ".html", ".txt")
                  and "golden" not in p.parts and p.name != "test_docs.py")


def test_every_cited_document_is_in_the_repository() -> None:
    cited = {(p.relative_to(ROOT).as_posix(), name) for p in _sources()
             for name in CITED.findall(p.read_text(encoding="utf-8"))}
    assert cited, "the code cites no document at all"
    assert [(src, name) for src, name in sorted(cited) if not (ROOT / "docs" / name).is_file()] \
        == []


def test_nothing_cites_documents_outside_the_repository() -> None:
    found = [f"{p.relative_to(ROOT)}:{n}" for p in _sources()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
             if OUTSIDE.search(line)]
    assert found == []


def test_model_md_names_every_rule_set_with_its_dates_and_the_fit() -> None:
    text = (ROOT / "docs/model.md").read_text(encoding="utf-8")
    for rules in RULESETS.values():
        assert f"`{rules.id}`" in text, rules.id
        for day in (rules.in_force_from, rules.in_force_to):
            if day is not None:
                assert day.isoformat() in text, (rules.id, day)
    for name, value in _FIT.items():
        assert f"{name}={value:g}" in text, name
