"""Settings: jssreport.yml, defaults, and command-line overrides that win only when given."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest

from jssreport.advice.dormancy import Dormancy
from jssreport.errors import InputError, UsageError
from jssreport.input.config import Settings, load_settings

MakeProject = Callable[..., Path]


def test_defaults_without_a_settings_file(tmp_path: Path) -> None:
    settings = load_settings(tmp_path)
    assert settings == Settings()
    assert settings.title == "Job Success Score report"
    assert (settings.output, settings.redact, settings.top_actions) == ("site", False, 3)
    assert settings.dormancy.thresholds("hourly") == (14, 30)
    assert settings.dormancy.thresholds("fixed") == (30, 76)


def test_every_setting_is_read(make_project: MakeProject) -> None:
    project = make_project(
        {
            "jssreport.yml": """\
            title: Bianca's JSS
            base_url: https://example.org/jss
            rules: upwork-2020-11
            redact: true
            output: public
            as_of: 2020-07-01
            dormancy:
              hourly: {quiet: 10}
              fixed: {quiet: 20, dormant: 60}
            top_actions: 5
            """
        }
    )
    assert load_settings(project) == Settings(
        title="Bianca's JSS",
        base_url="https://example.org/jss/",
        rules="upwork-2020-11",
        redact=True,
        output="public",
        as_of=dt.date(2020, 7, 1),
        dormancy=Dormancy(hourly_quiet=10, hourly_dormant=30, fixed_quiet=20, fixed_dormant=60),
        top_actions=5,
    )


def test_overrides_win_only_when_given(make_project: MakeProject) -> None:
    project = make_project({"jssreport.yml": "redact: true\nas_of: 2020-07-01\noutput: out\n"})
    kept = load_settings(project, as_of=None, redact=None, rules=None, output=None)
    assert (kept.as_of, kept.redact, kept.rules, kept.output) == (
        dt.date(2020, 7, 1),
        True,
        None,
        "out",
    )
    given = load_settings(
        project, as_of=dt.datetime(2021, 1, 2, 3, 4), redact=False, rules="upwork-2025"
    )
    assert (given.as_of, given.redact, given.rules) == (dt.date(2021, 1, 2), False, "upwork-2025")
    assert load_settings(project, as_of="2022-03-04").as_of == dt.date(2022, 3, 4)


def test_bad_overrides(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"--as-of must be an ISO date \(YYYY-MM-DD\), got '3/4'"):
        load_settings(tmp_path, as_of="3/4")
    with pytest.raises(UsageError, match="--rules must be one of upwork-2015, .*, got 'x'"):
        load_settings(tmp_path, rules="x")
    with pytest.raises(TypeError, match="unknown setting 'colour'"):
        load_settings(tmp_path, colour="red")


def settings_problems(make_project: MakeProject, text: str) -> list[str]:
    project = make_project({"jssreport.yml": text})
    with pytest.raises(InputError) as info:
        load_settings(project)
    return str(info.value).splitlines()


def test_settings_problems(make_project: MakeProject) -> None:
    text = """\
    titel: Mine
    base_url: example.org
    rules: newest
    redact: 'no'
    output: ''
    as_of: July
    top_actions: -1
    dormancy:
      hourly: {quiet: 40}
      fixd: {quiet: 1}
      fixed: {dormant: 0.5, silent: 3}
    """
    assert settings_problems(make_project, text) == [
        "jssreport.yml:1: titel is not a known field (did you mean 'title'?)",
        "jssreport.yml:2: base_url must start with https:// or http://, got 'example.org'",
        "jssreport.yml:3: rules must be one of upwork-2015, upwork-2020-03, upwork-2020-11,"
        " upwork-2023-12, upwork-2025, auto, got 'newest'",
        "jssreport.yml:4: redact must be true or false, got 'no'",
        "jssreport.yml:5: output must not be empty",
        "jssreport.yml:6: as_of must be an ISO date (YYYY-MM-DD), got 'July'",
        "jssreport.yml:7: top_actions must be between 0 and 100, got -1",
        "jssreport.yml:9: dormancy.hourly.quiet (40 days) must be less than"
        " dormancy.hourly.dormant (30 days)",
        "jssreport.yml:10: dormancy.fixd is not a known field (did you mean 'fixed'?)",
        "jssreport.yml:11: dormancy.fixed.dormant must be a whole number, got 0.5",
        "jssreport.yml:11: dormancy.fixed.silent is not a known field",
    ]


def test_settings_file_must_be_safe_yaml(make_project: MakeProject) -> None:
    assert settings_problems(make_project, "title: &t x\n") == [
        "jssreport.yml:1: anchors and aliases are not allowed"
    ]
    assert settings_problems(make_project, "- title\n") == [
        "jssreport.yml:1: the file must be a mapping of fields, got a list"
    ]


def test_empty_settings_file_is_fine(make_project: MakeProject) -> None:
    assert load_settings(make_project({"jssreport.yml": "# nothing\n"})) == Settings()
