"""The files ``jssreport init`` writes for publishing: the GitHub Actions workflow that
publishes the report to GitHub Pages, the ``requirements.txt`` it installs from, and a
Dependabot configuration that keeps both current.

The jssreport repository publishes its demo report with the same workflow file. It builds on
every push to main, every day (so the report follows the calendar: windows roll, contracts go
quiet) and on demand, and shows what changed since the report it replaces, which it downloads
first. Only the deploy job may write to Pages or ask for an OIDC token; the build job, which
runs the installed packages, reads.
"""

from __future__ import annotations

from jssreport import __version__

WORKFLOW_PATH = ".github/workflows/pages.yml"
REQUIREMENTS_PATH = "requirements.txt"
DEPENDABOT_PATH = ".github/dependabot.yml"

WORKFLOW_TEXT = """\
# Build the Job Success Score report and publish it on GitHub Pages.
# Turn Pages on once: Settings > Pages > Build and deployment > Source: GitHub Actions.
# GitHub turns the daily schedule off in a repository without activity for 60 days (it mails
# you first): re-enable it under Actions > Publish the report, or push any commit.
name: Publish the report

on:
  push:
    branches: [main]
  schedule:
    - cron: "17 6 * * *"   # every day at 06:17 UTC: windows roll and contracts go quiet
  workflow_dispatch:

permissions: {}

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      pages: read
    steps:
      - uses: actions/checkout@v6
        with:
          persist-credentials: false
      - uses: actions/setup-python@v6
        with:
          python-version: "3.12"
          cache: pip
          cache-dependency-path: |
            requirements.txt
            pyproject.toml
      - name: Install jssreport (the version requirements.txt pins)
        run: |
          if grep -qs '^name = "jssreport"' pyproject.toml; then
            pip install .            # the jssreport repository itself: its demo report
          else
            pip install -r requirements.txt
          fi
      - id: pages
        uses: actions/configure-pages@v6
      - name: Fetch the published report, to show what changed since
        env:
          BASE_URL: ${{ steps.pages.outputs.base_url }}
        run: |
          curl -fsSL "$BASE_URL/report.json" -o previous-report.json \\
            || rm -f previous-report.json
      - name: Build
        run: |
          since=()
          if [ -s previous-report.json ]; then since=(--since previous-report.json); fi
          jssreport build "${since[@]}"   # add --strict to fail the run on any warning
          jssreport score
      # Fail the run (GitHub e-mails you) when the estimate drops below a threshold:
      # - run: jssreport score --fail-under 90
      - uses: actions/upload-pages-artifact@v5
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v5
"""

DEPENDABOT_TEXT = """\
# Dependabot proposes updates of the workflow's actions and of the pinned jssreport version.
version: 2
updates:
  - package-ecosystem: github-actions
    directory: /
    schedule:
      interval: monthly
    cooldown:
      default-days: 7
  - package-ecosystem: pip
    directory: /
    schedule:
      interval: weekly
    cooldown:
      default-days: 7
"""


def requirements_text(version: str = __version__) -> str:
    """``requirements.txt`` pinning the jssreport that wrote it."""
    return ("# What the GitHub Pages workflow installs to build this report. Dependabot proposes\n"
            "# an update when jssreport releases a new version.\n"
            f"jssreport=={version}\n")


def publishing_files() -> dict[str, str]:
    """The publishing files of a new project, by relative path."""
    return {WORKFLOW_PATH: WORKFLOW_TEXT, REQUIREMENTS_PATH: requirements_text(),
            DEPENDABOT_PATH: DEPENDABOT_TEXT}
