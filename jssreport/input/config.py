"""Build settings: the optional ``jssreport.yml`` at the project root, then command-line flags.

Flags are passed as keyword overrides and default to ``None`` so that a flag wins only
when it was given (mkdocs does the same).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jssreport.errors import InputError, Problem, UsageError
from jssreport.input.fields import Checker, date_out_of_range, describe, parse_date
from jssreport.input.yamlload import INVALID, YMap, parse_yaml, read_bytes
from jssreport.model.dormancy import Dormancy  # the one type: advice and pages
from jssreport.model.rules import RULE_IDS
from jssreport.paths import SETTINGS_FILE

SETTINGS_FIELDS = frozenset(
    {"title", "base_url", "rules", "redact", "output", "as_of", "dormancy", "top_actions"}
)
DORMANCY_TYPES = ("fixed", "hourly")
THRESHOLD_FIELDS = frozenset({"quiet", "dormant"})


@dataclass(frozen=True)
class Settings:
    """The build settings: ``jssreport.yml`` with the command-line flags applied (docs/records.md
    section 6)."""

    title: str = "Job Success Score report"
    base_url: str | None = None  # always ends with '/' when given
    rules: str | None = None  # overrides the profile's rules when given
    redact: bool = False
    output: str = "site"
    as_of: dt.date | None = None
    dormancy: Dormancy = field(default_factory=Dormancy)
    top_actions: int = 3


def load_settings(project: Path, **overrides: Any) -> Settings:
    """Settings from ``jssreport.yml`` (optional), with the non-``None`` overrides applied.

    Raises ``InputError`` listing every problem in the file and ``UsageError`` for an
    override that cannot be used.
    """
    settings = Settings()
    path = project / SETTINGS_FILE
    try:
        present = path.is_file()
        if not present and path.exists():
            raise InputError([Problem(SETTINGS_FILE, 0, "", "must be a file, but it is a folder")])
    except OSError as exc:  # the project folder cannot be read
        raise InputError([Problem(SETTINGS_FILE, 0, "", f"cannot be read: "
                                  f"{exc.strerror or exc}")]) from None
    if present:
        data, problem = read_bytes(path, SETTINGS_FILE)
        if problem or data is None:
            raise InputError([problem or Problem(SETTINGS_FILE, 0, "", "cannot be read")])
        settings = parse_settings(SETTINGS_FILE, data)
    return apply_overrides(settings, overrides)


def parse_settings(rel: str, data: bytes) -> Settings:
    value, problems = parse_yaml(data, rel)
    if value is INVALID:
        raise InputError(problems)
    ck = Checker(rel)
    ck.problems.extend(problems)
    settings = check_settings(ck, YMap(1) if value is None else value)
    if ck.problems or settings is None:
        raise InputError(ck.problems)
    return settings


def check_settings(ck: Checker, value: Any) -> Settings | None:
    m = ck.mapping(value, 1, "", "the file")
    if m is None:
        return None
    ck.unknown(m, SETTINGS_FIELDS, "")
    defaults = Settings()
    title = ck.text(m, "title", "", required="title" in m.values)
    base_url = ck.text(m, "base_url", "")
    if base_url is not None:
        if base_url.startswith(("https://", "http://")):
            base_url = base_url.rstrip("/") + "/"
        else:
            ck.add(
                m.lines["base_url"],
                "",
                f"base_url must start with https:// or http://, got {describe(base_url)}",
            )
    rules = ck.choice(m, "rules", RULE_IDS, "")
    redact = ck.flag(m, "redact", "")
    output = ck.text(m, "output", "", required="output" in m.values)
    as_of = ck.date(m, "as_of", "")
    top = ck.number(m, "top_actions", "", low=0, high=100, whole=True)
    dormancy = defaults.dormancy
    raw = m.values.get("dormancy")
    if raw is not None:
        dormancy = _dormancy(ck, raw, m.lines["dormancy"], dormancy)
    return Settings(
        title=title or defaults.title,
        base_url=base_url,
        rules=rules,
        redact=bool(redact),
        output=output or defaults.output,
        as_of=as_of,
        dormancy=dormancy,
        top_actions=defaults.top_actions if top is None else int(top),
    )


def _dormancy(ck: Checker, raw: Any, line: int, base: Dormancy) -> Dormancy:
    m = ck.mapping(raw, line, "", "dormancy")
    if m is None:
        return base
    ck.unknown(m, frozenset(DORMANCY_TYPES), "", "dormancy.")
    result = base
    for kind in DORMANCY_TYPES:
        raw_kind = m.values.get(kind)
        if raw_kind is None:
            continue
        prefix = f"dormancy.{kind}."
        t = ck.mapping(raw_kind, m.lines[kind], "", prefix[:-1])
        if t is None:
            continue
        ck.unknown(t, THRESHOLD_FIELDS, "", prefix)
        old_quiet, old_dormant = base.thresholds(kind)
        quiet = ck.number(t, "quiet", "", prefix, low=1, high=3650, whole=True)
        dormant = ck.number(t, "dormant", "", prefix, low=1, high=3650, whole=True)
        new_quiet = old_quiet if quiet is None else int(quiet)
        new_dormant = old_dormant if dormant is None else int(dormant)
        if new_quiet >= new_dormant:
            ck.add(
                m.lines[kind],
                "",
                f"{prefix}quiet ({new_quiet} days) must be less than "
                f"{prefix}dormant ({new_dormant} days)",
            )
        result = dataclasses.replace(
            result, **{f"{kind}_quiet": new_quiet, f"{kind}_dormant": new_dormant})
    return result


def apply_overrides(settings: Settings, overrides: dict[str, Any]) -> Settings:
    """Apply command-line values; ``None`` means the flag was not given."""
    known = {f.name for f in dataclasses.fields(Settings)}
    changes: dict[str, Any] = {}
    for key, value in sorted(overrides.items()):
        if key not in known:
            raise TypeError(f"load_settings() got an unknown setting {key!r}")
        if value is None:
            continue
        if key == "as_of" and isinstance(value, dt.datetime):
            value = value.date()  # click.DateTime gives a datetime
        elif key == "as_of" and not isinstance(value, dt.date):
            parsed = parse_date(value)
            if parsed is None:
                raise UsageError(f"--as-of must be an ISO date (YYYY-MM-DD), got {value!r}")
            value = parsed
        if key == "as_of" and date_out_of_range(value):
            raise UsageError(f"--as-of {date_out_of_range(value)}, got {value.isoformat()}")
        if key == "rules" and value not in RULE_IDS:
            raise UsageError(f"--rules must be one of {', '.join(RULE_IDS)}, got {value!r}")
        changes[key] = value
    return dataclasses.replace(settings, **changes)
