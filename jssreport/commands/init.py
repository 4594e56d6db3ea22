"""``jssreport init``: a new report project. It never overwrites a file.

By default the project is empty but valid: a profile to fill in and a contracts file whose one
example record is commented out (``build`` works and warns that there are no contracts yet).
``--demo`` copies the built-in demo, ``--example NAME`` one of the shipped worked examples.
Every kind also gets the settings file, a ``.gitignore`` and the files that publish the
report on GitHub Pages (``jssreport.commands.workflow``).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from jssreport.commands.workflow import publishing_files
from jssreport.errors import Problem, UsageError
from jssreport.paths import demo_content_dir, examples_dir

SETTINGS_TEXT = """\
# jssreport settings. Every key is optional; command-line flags win over them.
title: Job Success Score report
# rules: auto        # overrides the profile's rules: a rule set id (see the Model page) or auto
output: site         # the build output folder, replaced as a whole on every build
top_actions: 3       # how many recommendations the overview shows
dormancy:            # days without a payment or activity before an open contract is quiet / dormant
  hourly: {quiet: 14, dormant: 30}
  fixed: {quiet: 30, dormant: 76}
# as_of: 2020-07-01  # the report date; default: the profile's as_of, then today
# base_url: https://example.github.io/my-report/
"""

GITIGNORE_TEXT = """\
# jssreport build output and its temporary folders
site/
.site.new-*/
.site.old-*/
# parsed records, cached by content hash (safe to delete)
.jssreport-cache/
"""

PROFILE_TEXT = """\
# The freelancer this report is about. Only the name is required.
name: Your Name        # shown in the report's header
currency: USD          # ISO 4217 code; every amount in the records is in it
rules: auto            # the rule set: auto = the rules Upwork had in force at each date
# as_of: 2026-07-01    # the report date; default: today
# What Upwork showed you, to check and calibrate the estimate (one line per visit):
# snapshots:
#   - {date: 2026-06-14, jss: 82, would_recommend: 60}
"""

CONTRACTS_TEXT = """\
# Your contracts: one record per contract (any number of .yml files in this folder).
# Import them from Upwork's transaction history export (CSV) with
# 'jssreport import upwork-csv ~/Downloads/*.csv', or write them by hand: uncomment the
# example below (remove the first "# " of each line), then copy it once per contract.
# Every field is explained in the README, "The record format".
contracts:
#  - id: acme-logo                # unique: lowercase letters, digits and -
#    client: Acme Studio
#    title: Logo redesign
#    type: fixed                  # fixed or hourly
#    start: 2026-01-12
#    end: 2026-02-20              # leave out while the contract is open
#    payments:
#      - {date: 2026-02-20, amount: 850.00}
#    feedback: {date: 2026-02-21, stars: 5.0, comment: Great work}
#    ended_by: client             # client, freelancer or platform
#    end_reason: completed
"""

SKIPPED = ("__init__.py", "__pycache__", ".pyc", ".jssreport-cache", "expected.yml")
DESCRIPTIONS = {"demo-2020": "The built-in demo as it was in 2020: 16 contracts (10 open), three "
                "scenarios and a page; report date 2020-07-01."}


def demo_content() -> Path:
    """The demo project's content/: jssreport/demo in an installed wheel (package
    ``jssreport.demo``), else the top-level content/ of a checkout."""
    found = demo_content_dir()
    if found is None:
        raise UsageError("the demo content is missing: reinstall jssreport")
    return found


def example_names() -> tuple[str, ...]:
    """The shipped examples, by name."""
    root = examples_dir()
    if not root.is_dir():
        return ()
    return tuple(sorted(p.name for p in root.iterdir()
                        if (p / "content" / "profile.yml").is_file()))


def example_description(name: str) -> str:
    """One line about an example: its story's first sentence."""
    if name in DESCRIPTIONS:
        return DESCRIPTIONS[name]
    expected = examples_dir() / name / "expected.yml"
    try:
        story = str(yaml.safe_load(expected.read_text(encoding="utf-8")).get("story", ""))
    except (OSError, yaml.YAMLError, AttributeError):
        return ""
    shown = ""
    for sentence in " ".join(story.split()).split(". "):
        shown = f"{shown} {sentence.rstrip('.')}." if shown else f"{sentence.rstrip('.')}."
        if len(shown) >= 40:
            break
    return shown


def example_listing() -> list[str]:
    """``init --example`` without a name: every shipped example with one line about it."""
    return ["The examples (jssreport init DIR --example NAME):",
            *(f"  {name:<16} {example_description(name)}" for name in example_names())]


def _tree(source: Path, prefix: str) -> dict[str, bytes]:
    return {
        prefix + path.relative_to(source).as_posix(): path.read_bytes()
        for path in sorted(source.rglob("*"))
        if path.is_file()
        and not any(part.endswith(SKIPPED) for part in path.relative_to(source).parts)
    }


def scaffold_files(demo: bool = False, example: str | None = None) -> dict[str, bytes]:
    """Every file of a new project, by relative path: empty but valid, the demo or an
    example."""
    if example is not None:
        if example not in example_names():
            raise UsageError(f"there is no example named '{example}'; "
                             f"the examples are: {', '.join(example_names())}")
        files = _tree(examples_dir() / example, "")
    elif demo:
        files = _tree(demo_content(), "content/")
    else:
        files = {"content/profile.yml": PROFILE_TEXT.encode("utf-8"),
                 "content/contracts/contracts.yml": CONTRACTS_TEXT.encode("utf-8")}
    files.setdefault("jssreport.yml", SETTINGS_TEXT.encode("utf-8"))
    files[".gitignore"] = GITIGNORE_TEXT.encode("utf-8")
    for rel, text in publishing_files().items():  # publishing on GitHub Pages
        files[rel] = text.encode("utf-8")
    return files


def init_project(target: Path, demo: bool = False,
                 example: str | None = None) -> tuple[str, ...]:
    """Write a new project into ``target``; refuse, listing them, if any file already exists."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    files = scaffold_files(demo, example)
    existing = [rel for rel in sorted(files) if (target / rel).exists()]
    if existing:
        raise UsageError([Problem(message=f"{(target / rel).as_posix()} already exists; "
                                  "init never overwrites, so nothing was written")
                          for rel in existing])
    for rel, data in files.items():
        path = target / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return tuple(sorted(files))


def next_steps(where: str, demo: bool, example: str | None) -> list[str]:
    """What to do after ``init``, as lines for the terminal."""
    cd = [] if where == "." else [f"  cd {where}"]
    if demo or example is not None:
        return ["Next:", *cd,
                "  jssreport serve --open    # build, open in the browser, rebuild on change",
                "Then start your own project with 'jssreport init' in a new folder."]
    return [
        "Next:", *cd,
        "  1. Put your name in content/profile.yml.",
        "  2. Add your contracts: import Upwork's transaction history (CSV) with",
        "       jssreport import upwork-csv ~/Downloads/*.csv",
        "     or write them in content/contracts/contracts.yml (an example is inside).",
        "  3. jssreport check          # lists every problem in the records",
        "  4. jssreport serve --open   # builds the report, opens it, rebuilds on change",
        "To publish on GitHub Pages: push to GitHub, then Settings > Pages > Source: "
        "GitHub Actions.",
    ]
