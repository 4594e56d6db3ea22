"""Every path jssreport knows: the parts of a report project, and where the installed package
keeps its built-in templates, demo and examples (docs/architecture.md).

A report project (the folder given by ``--project``)::

    jssreport.yml  content/profile.yml  content/contracts/*.yml  content/scenarios/*.yml
    content/pages/*.md  templates/  site/ (the build output)
"""

from __future__ import annotations

from pathlib import Path

SETTINGS_FILE = "jssreport.yml"
CONTENT_DIR = "content"
PROFILE_FILE = "content/profile.yml"
CONTRACTS_DIR = "content/contracts"
SCENARIOS_DIR = "content/scenarios"
PAGES_DIR = "content/pages"
TEMPLATES_DIR = "templates"
MESSAGES_DIR = "messages"  # inside a templates folder
DEFAULT_OUTPUT = "site"
# the folders of a project that hold its input: never a build output
INPUT_FOLDERS = (CONTENT_DIR, TEMPLATES_DIR)

PACKAGE_DIR = Path(__file__).resolve().parent
PLOTLY_BUNDLE = "vendor/plotly-basic.min.js"  # plotly.js-basic-dist-min 4.1.1, in the package
# An installed wheel keeps the built-in templates and the demo inside the package
# (jssreport/templates, jssreport/demo); a checkout keeps them at the top level.
_CHECKOUT_DIR = PACKAGE_DIR.parent


def builtin_templates_dir() -> Path | None:
    """The built-in templates folder, or None when the install is broken."""
    for candidate in (PACKAGE_DIR / "templates", _CHECKOUT_DIR / "templates"):
        if (candidate / "base.html").is_file():
            return candidate
    return None


def demo_content_dir() -> Path | None:
    """The demo project's content/ folder, or None when the install is broken."""
    for candidate in (PACKAGE_DIR / "demo", _CHECKOUT_DIR / "content"):
        if (candidate / "profile.yml").is_file():
            return candidate
    return None


def plotly_bundle() -> Path:
    """The pinned partial plotly.js bundle every site loads (vendor/README.md says which)."""
    return PACKAGE_DIR / PLOTLY_BUNDLE


def examples_dir() -> Path:
    """The shipped examples (real public cases, each a report project with what the
    platform showed)."""
    return PACKAGE_DIR / "examples"
