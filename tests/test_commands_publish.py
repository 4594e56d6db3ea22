"""Publishing: the Pages workflow (this repository's and the one init writes), links that work
under any base path, and score --fail-under for unattended builds."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from jssreport import __version__
from jssreport.cli import main
from jssreport.commands.workflow import (
    DEPENDABOT_PATH,
    DEPENDABOT_TEXT,
    REQUIREMENTS_PATH,
    WORKFLOW_PATH,
    WORKFLOW_TEXT,
)

ROOT = Path(__file__).resolve().parent.parent
MakeProject = Callable[..., Path]
URL_ATTR = re.compile(rb'\s(?:href|src|action|poster|data)="([^"]*)"')

PROFILE = """
    name: Test Person
    as_of: 2020-07-01
"""
CONTRACTS = """
    contracts:
      - {id: one, client: Acme, title: First job, type: fixed, start: 2020-01-06,
         end: 2020-02-01, payments: [{date: 2020-02-01, amount: 400}],
         feedback: {date: 2020-02-02, stars: 5}}
      - {id: two, client: Birch, title: Second job, type: hourly, start: 2020-02-03,
         end: 2020-03-01, payments: [{date: 2020-03-01, amount: 1200}],
         feedback: {date: 2020-03-02, stars: 4.6}}
      - {id: three, client: Cobalt, title: Third job, type: fixed, start: 2020-03-02,
         end: 2020-04-01, payments: [{date: 2020-04-01, amount: 200}],
         feedback: {date: 2020-04-02, stars: 5}}
"""


def run(*args: object) -> Any:
    return CliRunner().invoke(main, [str(a) for a in args])


def test_the_repository_publishes_with_the_workflow_init_writes() -> None:
    assert (ROOT / WORKFLOW_PATH).read_text(encoding="utf-8") == WORKFLOW_TEXT


def test_workflow_builds_on_push_and_daily_and_deploys_to_pages() -> None:
    flow = yaml.safe_load(WORKFLOW_TEXT)
    triggers = flow[True]  # YAML 1.1 reads the key "on" as true
    assert triggers["push"] == {"branches": ["main"]}
    assert re.fullmatch(r"\d+ \d+ \* \* \*", triggers["schedule"][0]["cron"])
    assert "workflow_dispatch" in triggers
    # Only the deploy job may write to Pages or get an OIDC token; the build job, which runs
    # what pip installed, reads.
    assert flow["permissions"] == {}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert build["permissions"] == {"contents": "read", "pages": "read"}
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    uses = [step.get("uses", "") for step in build["steps"]]
    assert [u for u in uses if u] == ["actions/checkout@v6", "actions/setup-python@v6",
                                      "actions/configure-pages@v6",
                                      "actions/upload-pages-artifact@v5"]
    assert build["steps"][0]["with"] == {"persist-credentials": False}
    assert build["steps"][1]["with"]["cache"] == "pip"
    assert build["steps"][-1]["with"] == {"path": "site"}
    script = "\n".join(step.get("run", "") for step in build["steps"])
    assert "pip install -r requirements.txt" in script
    # the deployed report.json is fetched (a failure is fine) and compared with; the URL
    # comes through the environment, never expanded into the script
    assert 'curl -fsSL "$BASE_URL/report.json" -o previous-report.json' in script
    assert "|| rm -f previous-report.json" in script and "${{" not in script
    assert 'jssreport build "${since[@]}"' in script
    assert "since=(--since previous-report.json)" in script
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert [s["uses"] for s in deploy["steps"]] == ["actions/deploy-pages@v5"]


def test_init_pins_its_own_version_and_dependabot_updates_it(tmp_path: Path) -> None:
    target = tmp_path / "new"
    assert run("init", target).exit_code == 0
    pins = [line for line in (target / REQUIREMENTS_PATH).read_text(encoding="utf-8")
            .splitlines() if line and not line.startswith("#")]
    assert pins == [f"jssreport=={__version__}"]
    assert (target / DEPENDABOT_PATH).read_text(encoding="utf-8") == DEPENDABOT_TEXT
    bot = yaml.safe_load(DEPENDABOT_TEXT)
    assert [u["package-ecosystem"] for u in bot["updates"]] == ["github-actions", "pip"]
    assert (ROOT / DEPENDABOT_PATH).read_text(encoding="utf-8") == DEPENDABOT_TEXT


def test_init_writes_the_workflow_and_never_overwrites_it(tmp_path: Path) -> None:
    target = tmp_path / "new"
    assert run("init", target).exit_code == 0
    assert (target / WORKFLOW_PATH).read_text(encoding="utf-8") == WORKFLOW_TEXT
    other = tmp_path / "other"
    (other / ".github/workflows").mkdir(parents=True)
    (other / WORKFLOW_PATH).write_text("mine\n", encoding="utf-8")
    result = run("init", other)
    assert result.exit_code == 1
    assert f"Error: {(other / WORKFLOW_PATH).as_posix()} already exists; init never " \
        "overwrites, so nothing was written\n" in result.stderr
    assert (other / WORKFLOW_PATH).read_text(encoding="utf-8") == "mine\n"
    assert sorted(p.name for p in other.iterdir()) == [".github"]


def test_every_link_of_the_demo_is_relative(tmp_path: Path) -> None:
    """A site works under any base path (user.github.io/repo/, a folder, file://)."""
    out = tmp_path / "site"
    assert run("build", "--project", ROOT, "-o", out).exit_code == 0
    checked = 0
    for page in sorted(out.rglob("*.html")):
        for url in URL_ATTR.findall(page.read_bytes()):
            checked += 1
            text = url.decode()
            if re.match(r"^(https?:|mailto:)", text):
                continue  # the Model page's sources: other sites
            assert not re.match(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:|^/", text), f"{page.name}: {text}"
    assert checked > 50


@pytest.mark.parametrize("threshold, code, message", [
    (84, 0, ""),
    (85, 3, "Failed: the estimate 84% is below 85% (--fail-under 85)\n"),
])
def test_score_fail_under(make_project: MakeProject, threshold: int, code: int,
                          message: str) -> None:
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/2020.yml": CONTRACTS})
    result = run("score", "--project", project, "--fail-under", threshold)
    assert (result.exit_code, result.stderr) == (code, message)
    assert result.stdout.startswith("Estimated JSS on 2020-07-01: 84% ")
    as_json = run("score", "--json", "--project", project, "--fail-under", threshold)
    assert (as_json.exit_code, as_json.stderr) == (code, message)


def test_score_fail_under_without_a_score(make_project: MakeProject) -> None:
    project = make_project({"content/profile.yml": PROFILE,
                            "content/contracts/2020.yml": "contracts: []\n"})
    result = run("score", "--project", project, "--fail-under", 1)
    assert (result.exit_code, result.stderr) == (
        3, "Failed: there is no estimate (no window meets the minimum) (--fail-under 1)\n")
    assert run("score", "--project", project, "--fail-under", 101).exit_code == 2  # usage: 0-100
