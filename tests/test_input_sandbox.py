"""A project's own templates run sandboxed: escape attempts in every template kind (page
templates, the base, the macros, Markdown pages' layout, message drafts) are clear errors
naming the template, for every command that renders them, and never run anything."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from jssreport.cli import main

ROOT = Path(__file__).resolve().parent.parent
BUILTIN = ROOT / "templates"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(main, [str(a) for a in args])


def escapes(marker: Path) -> list[str]:
    """Ways out of a template, each of which would create ``marker`` if it worked."""
    cmd = f"touch {marker}"
    return [
        f"{{{{ cycler.__init__.__globals__.os.system('{cmd}') }}}}",
        f"{{{{ lipsum.__globals__['os'].popen('{cmd}').read() }}}}",
        f"{{{{ joiner.__init__.__globals__.os.system('{cmd}') }}}}",
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        f"{{{{ namespace.__init__.__globals__['__builtins__']['__import__']('os')"
        f".system('{cmd}') }}}}",
        "{{ '{0.__class__.__base__.__subclasses__}'.format(report) }}",
        f"{{{{ self._TemplateReference__context.cycler.__init__.__globals__.os"
        f".system('{cmd}') }}}}",
        "{% set x = report.warnings.__class__ %}{{ x }}",
        "{% set l = [] %}{{ l.append(1) }}",
    ]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("demo") / "p"
    assert run("init", "--demo", target).exit_code == 0
    return target


def project_with(demo: Path, tmp_path: Path, name: str, extra: str) -> Path:
    """The demo with the built-in template ``name`` copied into templates/, ``extra`` added."""
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    target = project / "templates" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    source = (BUILTIN / name).read_text(encoding="utf-8")
    if "{% extends" in source:  # into its first block: a child's text outside blocks is unused
        at = source.index("%}", source.index("{% block ")) + 2
        source = source[:at] + extra + source[at:]
    else:
        source += "\n" + extra + "\n"
    target.write_text(source, encoding="utf-8")
    return project


KINDS = ["index.html", "base.html", "_macros.html", "page.html", "contracts.html",
         "messages/wait.txt"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("payload", range(len(escapes(Path("x")))))
def test_an_escape_in_any_template_is_an_error_and_runs_nothing(
        demo: Path, tmp_path: Path, kind: str, payload: int) -> None:
    marker = tmp_path / "PWNED"
    project = project_with(demo, tmp_path, kind, escapes(marker)[payload])
    result = run("build", "--project", project)
    assert result.exit_code == 1, result.output
    assert f"Error: templates/{kind}:" in result.output
    assert "Traceback" not in result.output
    assert not marker.exists()
    assert not (project / "site").exists()


@pytest.mark.parametrize("command", ["score", "explain", "check", "build"])
def test_message_templates_are_sandboxed_in_every_command(demo: Path, tmp_path: Path,
                                                          command: str) -> None:
    marker = tmp_path / "PWNED"
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    (project / "templates" / "messages").mkdir(parents=True)
    for source in (BUILTIN / "messages").glob("*.txt"):
        (project / "templates" / "messages" / source.name).write_text(
            source.read_text(encoding="utf-8") + escapes(marker)[0] + "\n", encoding="utf-8")
    result = run(command, "--project", project)
    assert "Traceback" not in result.output
    assert not marker.exists()
    if command == "build":  # the pages draft the messages (score prints none)
        assert result.exit_code == 1
        assert "Error: templates/messages/" in result.output
        assert "sandbox" in result.output


def test_a_harmless_project_template_renders_the_same_sandboxed(demo: Path,
                                                                tmp_path: Path) -> None:
    """Every built-in template works in the sandbox: with a project template that changes
    nothing, the site is byte for byte the one without it."""
    plain = tmp_path / "plain"
    shutil.copytree(demo, plain)
    own = tmp_path / "own"
    shutil.copytree(demo, own)
    (own / "templates" / "messages").mkdir(parents=True)
    shutil.copy(BUILTIN / "page.html", own / "templates" / "page.html")
    shutil.copy(BUILTIN / "messages" / "wait.txt", own / "templates" / "messages" / "wait.txt")
    for project in (plain, own):
        assert run("build", "--project", project, "--as-of", "2026-07-01").exit_code == 0
    files = sorted(p.relative_to(plain / "site") for p in (plain / "site").rglob("*")
                   if p.is_file())
    assert files
    for rel in files:
        assert (plain / "site" / rel).read_bytes() == (own / "site" / rel).read_bytes(), rel


# --- a template's own failures: clear errors naming the file and line ----------------------

BROKEN = [
    ("page.html", '{% extends "base.html" %}{% block content %}\n{{ 1/0 }}{% endblock %}',
     "templates/page.html:2: template error: ZeroDivisionError: division by zero"),
    ("page.html", '{% extends "page.html" %}',
     "templates/page.html:1: template error: templates nest too deeply"),
    ("base.html", '{% extends "base.html" %}{% block content %}{% endblock %}',
     "templates/base.html:1: template error: templates nest too deeply"),
    ("page.html", '{% extends "base.html" %}{% block content %}{% include "page.html" %}'
     '{% endblock %}', "templates/page.html:1: template error: templates nest too deeply"),
    ("page.html", '{% extends "base.html" %}{% block content %}\n\n{{ nosuch.thing }}'
     '{% endblock %}', "templates/page.html:3: template error: 'nosuch' is undefined"),
    ("page.html", '{% extends "base.html" %}{% block content %}\n{% include "nope.html" %}'
     '{% endblock %}', "templates/page.html:2: template not found: nope.html"),
    ("page.html", '{% extends "base.html" %}{% block content %}{{ "%s" % (1, 2) }}'
     '{% endblock %}', "templates/page.html:1: template error: TypeError"),
    ("page.html", '{% extends "base.html" %}{% block content %}{{ range(10**9)|list }}'
     '{% endblock %}', "templates/page.html:1: template error: OverflowError"),
    ("_macros.html", "{% macro x() %}{{ 1/0 }}{% endmacro %}\n{{ x() }}",
     "templates/_macros.html:1: template error: ZeroDivisionError"),
    ("page.html", "{% if %}", "templates/page.html:1: template error:"),
    ("messages/wait.txt", "\n{{ 1/0 }}",
     "templates/messages/wait.txt:2: template error: ZeroDivisionError"),
    ("messages/wait.txt", "{{ client.nope() }}",
     "templates/messages/wait.txt:1: template error:"),
]


@pytest.mark.parametrize(("name", "text", "error"), BROKEN)
def test_a_template_that_fails_is_an_error_naming_its_file_and_line(
        demo: Path, tmp_path: Path, name: str, text: str, error: str) -> None:
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    target = project / "templates" / name
    target.parent.mkdir(parents=True)
    target.write_text(text, encoding="utf-8")
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert f"Error: {error}" in result.output, result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("name", ["page.html", "messages/wait.txt", "assets/style.css"])
def test_a_template_that_is_not_utf8_is_an_error(demo: Path, tmp_path: Path, name: str) -> None:
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    target = project / "templates" / name
    target.parent.mkdir(parents=True)
    target.write_bytes(b"caf\xe9 {{ x }}")
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert f"Error: templates/{name}: template is not UTF-8 text" in result.output


def test_an_unreadable_template_is_an_error_naming_it(demo: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    (project / "templates").mkdir()
    (project / "templates" / "page.html").write_text("x", encoding="utf-8")
    import jinja2.loaders

    def refuse(path: Any, *args: Any, **kwargs: Any) -> Any:
        if str(path) == str(project / "templates" / "page.html"):
            raise PermissionError(13, "Permission denied", str(path))
        return open(path, *args, **kwargs)

    monkeypatch.setattr(jinja2.loaders, "open", refuse, raising=False)
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert "Error: templates/page.html: cannot read the template: Permission denied" in \
        result.output


def test_an_unreadable_templates_folder_is_an_error(demo: Path, tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    (project / "templates").mkdir()
    real = Path.iterdir

    def refuse(self: Path) -> Any:
        if self == project / "templates":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self)

    monkeypatch.setattr(Path, "iterdir", refuse)
    for command in ("build", "check"):  # score reads no template
        result = run(command, "--project", project)
        assert result.exit_code == 1
        assert "Error: templates/: cannot read the folder: Permission denied" in result.output


def test_nothing_in_a_template_context_reaches_files_or_modules(
        demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sandbox lets a template call any public method of what it is given: so it is given
    no path, file, module or system function (only values and pure methods)."""
    import collections.abc
    import io
    import pathlib
    import types

    import jssreport.output.messages
    import jssreport.output.render
    from jssreport.input import templating

    contexts: list[tuple[str, Any]] = []

    def capture(env: Any, name: str, context: Any, shown: Any = str) -> str:
        contexts.append((name, context))
        return templating.render_template(env, name, context, shown)

    monkeypatch.setattr(jssreport.output.render, "render_template", capture)
    monkeypatch.setattr(jssreport.output.messages, "render_template", capture)
    monkeypatch.setenv("JSSREPORT_NO_CACHE", "1")  # and none taken from the cache
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    (project / "templates").mkdir()
    assert run("build", "--project", project).exit_code == 0
    assert {name for name, _ in contexts} >= {"index.html", "contracts.html", "page.html"}
    assert any(name.startswith("messages/") for name, _ in contexts)
    found: list[str] = []

    def walk(value: Any, where: str, depth: int, seen: set[int]) -> None:
        if id(value) in seen or depth > 8 or isinstance(value, (str, bytes, int, float)):
            return
        seen.add(id(value))
        if isinstance(value, (pathlib.PurePath, io.IOBase, types.ModuleType)):
            found.append(where)
            return
        if isinstance(value, (types.BuiltinFunctionType, types.FunctionType)) and \
                getattr(value, "__module__", "") in ("os", "posix", "shutil", "subprocess",
                                                     "pathlib", "io", "builtins"):
            found.append(where)
            return
        if isinstance(value, collections.abc.Mapping):
            items = list(value.items())[:40]
        elif isinstance(value, (list, tuple, set, frozenset)):
            items = list(enumerate(list(value)[:15]))
        else:
            items = []
            for attribute in dir(value):
                if not attribute.startswith("_"):
                    try:
                        items.append((attribute, getattr(value, attribute)))
                    except Exception:  # noqa: BLE001, S112 - a property that fails is no way out
                        continue
        for key, item in items:
            walk(item, f"{where}.{key}", depth + 1, seen)

    for name, context in contexts:
        walk(context, name, 0, set())
    assert found == []


@pytest.mark.parametrize("name", ["templates/page.html", "templates/messages/wait.txt",
                                  "templates/assets/style.css", "content/pages/notes.md"])
def test_a_template_or_page_linking_out_of_the_project_is_refused(
        demo: Path, tmp_path: Path, name: str) -> None:
    """A project from someone else could link a page to ~/.ssh/id_rsa: the site would
    publish it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("PRIVATE KEY", encoding="utf-8")
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    (project / name).parent.mkdir(parents=True, exist_ok=True)
    (project / name).symlink_to(secret)
    result = run("build", "--project", project)
    assert result.exit_code == 1
    assert f"Error: {name}: is a link to a file outside the project" in result.output
    assert not (project / "site").exists()


def test_links_inside_the_project_are_fine(demo: Path, tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    (project / "templates").mkdir()
    shutil.copy(BUILTIN / "page.html", project / "templates" / "real-page.html")
    (project / "templates" / "page.html").symlink_to("real-page.html")
    (project / "content" / "pages" / "again.md").symlink_to("about.md")
    result = run("build", "--project", project)
    assert result.exit_code == 0, result.output


CHECKED = [
    ("page.html", "{% if %}", "templates/page.html:1: template error: Expected an expression"),
    ("index.html", "{{ x|no_such_filter }}",
     "templates/index.html:1: template error: No filter named 'no_such_filter'"),
    ("_macros.html", "{% macro m() %}", "templates/_macros.html:1: template error:"),
    ("messages/wait.txt", "{{ x", "templates/messages/wait.txt:1: template error:"),
    ("assets/style.css", b"\xff", "templates/assets/style.css: template is not UTF-8 text"),
    ("partials/nav.html", "{% for %}", "templates/partials/nav.html:1: template error:"),
]


@pytest.mark.parametrize(("name", "text", "error"), CHECKED)
def test_check_finds_a_template_that_does_not_compile(demo: Path, tmp_path: Path, name: str,
                                                      text: str | bytes, error: str) -> None:
    """check fails where build would (a failure only while rendering shows on build)."""
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    target = project / "templates" / name
    target.parent.mkdir(parents=True)
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    result = run("check", "--project", project)
    assert result.exit_code == 1
    assert f"Error: {error}" in result.output, result.output


def test_an_unused_message_template_is_a_warning_in_check_and_build(demo: Path,
                                                                   tmp_path: Path) -> None:
    project = tmp_path / "p"
    shutil.copytree(demo, project)
    (project / "templates" / "messages").mkdir(parents=True)
    (project / "templates" / "messages" / "ask-feedback.txt").write_text("Hi", encoding="utf-8")
    (project / "templates" / "messages" / "_signature.txt").write_text("Sam", encoding="utf-8")
    warning = ("Warning: templates/messages/ask-feedback.txt is not used: message templates "
               "are named ask_feedback.txt, ask_to_close.txt, close.txt, keep.txt, wait.txt")
    for command in ("check", "build"):
        result = run(command, "--project", project)
        assert result.exit_code == 0 and warning in result.output, result.output
        assert "_signature" not in result.output
        strict = run(command, "--project", project, "--strict")
        assert strict.exit_code == 1, strict.output
