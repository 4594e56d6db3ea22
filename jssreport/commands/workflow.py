"""The GitHub Actions workflow that publishes a report to GitHub Pages.

``jssreport init`` writes it into a new project as ``.github/workflows/pages.yml``; the
jssreport repository publishes its demo report with the same file. It builds on every push to
main, every day (so the report follows the calendar: windows roll, contracts go quiet) and on
demand, and shows what changed since the report it replaces, which it downloads first.
"""

WORKFLOW_PATH = ".github/workflows/pages.yml"

WORKFLOW_TEXT = """\
# Build the Job Success Score report and publish it on GitHub Pages.
# Turn Pages on once: Settings > Pages > Build and deployment > Source: GitHub Actions.
name: Publish the report

on:
  push:
    branches: [main]
  schedule:
    - cron: "17 6 * * *"   # every day at 06:17 UTC: windows roll and contracts go quiet
  workflow_dispatch:

permissions:
  contents: read
  pages: write
  id-token: write

concurrency:
  group: pages
  cancel-in-progress: false

jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install jssreport
        run: |
          if grep -qs '^name = "jssreport"' pyproject.toml; then
            pip install .            # the jssreport repository itself: its demo report
          else
            pip install jssreport
          fi
      - id: pages
        uses: actions/configure-pages@v5
      - name: Fetch the published report, to show what changed since
        run: |
          curl -fsSL "${{ steps.pages.outputs.base_url }}/report.json" -o previous-report.json \\
            || rm -f previous-report.json
      - name: Build
        run: |
          since=""
          if [ -s previous-report.json ]; then since="--since previous-report.json"; fi
          jssreport build --strict $since
          jssreport score
      # Fail the run (GitHub e-mails you) when the estimate drops below a threshold:
      # - run: jssreport score --fail-under 90
      - uses: actions/upload-pages-artifact@v3
        with:
          path: site

  deploy:
    needs: build
    runs-on: ubuntu-latest
    environment:
      name: github-pages
      url: ${{ steps.deployment.outputs.page_url }}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""
