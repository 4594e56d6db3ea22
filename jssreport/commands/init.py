"""``jssreport init``: a new report project with the demo data. It never overwrites a file."""

from __future__ import annotations

from pathlib import Path

from jssreport.commands.workflow import WORKFLOW_PATH, WORKFLOW_TEXT
from jssreport.errors import Problem, UsageError
from jssreport.paths import demo_content_dir

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

SKIPPED = ("__init__.py", "__pycache__", ".pyc")


def demo_content() -> Path:
    """The demo project's content/: jssreport/demo in an installed wheel (package
    ``jssreport.demo``), else the top-level content/ of a checkout."""
    found = demo_content_dir()
    if found is None:
        raise UsageError("the demo content is missing: reinstall jssreport")
    return found


def scaffold_files() -> dict[str, bytes]:
    """Every file of a new project, by relative path."""
    source = demo_content()
    files = {
        "content/" + path.relative_to(source).as_posix(): path.read_bytes()
        for path in sorted(source.rglob("*"))
        if path.is_file()
        and not any(part.endswith(SKIPPED) for part in path.relative_to(source).parts)
    }
    files["jssreport.yml"] = SETTINGS_TEXT.encode("utf-8")
    files[".gitignore"] = GITIGNORE_TEXT.encode("utf-8")
    files[WORKFLOW_PATH] = WORKFLOW_TEXT.encode("utf-8")  # publishing on GitHub Pages
    return files


def init_project(target: Path) -> tuple[str, ...]:
    """Write a new project into ``target``; refuse, listing them, if any file already exists."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    files = scaffold_files()
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
