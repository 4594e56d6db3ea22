"""Jinja for templates a project brings: sandboxed, and every failure a clear error.

A report project may come from someone else, so its templates (``templates/``,
``templates/messages/``) are untrusted: they are rendered in Jinja's
``ImmutableSandboxedEnvironment`` (no attribute starting with ``_``, no calls of unsafe
functions, no changing of the data), and anything that goes wrong while loading or rendering
one (a syntax error, ``{{ 1/0 }}``, an undefined variable, a template that extends itself, a
file that is not UTF-8 or cannot be read, a sandbox violation) becomes a ``JssReportError``
naming the template file and line, never a traceback.

A project without templates of its own renders only the built-in ones, which are trusted:
that environment is not sandboxed (attribute checks cost time on a big contracts table).
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

from jinja2 import (
    BaseLoader,
    Environment,
    FileSystemLoader,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
)
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from jssreport.errors import JssReportError, Problem
from jssreport.paths import (
    MESSAGES_DIR,
    OUTSIDE,
    TEMPLATES_DIR,
    builtin_templates_dir,
    inside,
)

# A template that includes or extends itself recurses until Python stops it.
MAX_DEPTH_NOTE = "it probably extends, includes or imports itself"


def project_templates(project: Path | None) -> Path | None:
    """The project's own templates folder, when there is one (an unreadable one is an error,
    not skipped)."""
    if project is None:
        return None
    folder = project / TEMPLATES_DIR
    try:
        if not folder.exists():
            return None
        if not folder.is_dir():
            raise JssReportError([Problem(TEMPLATES_DIR, 0, "", "must be a folder, but it is "
                                          "a file")])
        next(iter(folder.iterdir()), None)
    except OSError as exc:
        raise JssReportError(f"{TEMPLATES_DIR}/: cannot read the folder: "
                             f"{exc.strerror or exc}") from None
    return folder


def shown_under(root: Path | None) -> Callable[[str], str]:
    """A template's file name as the user should read it: relative to ``root`` (the project)
    when it is inside it, else as it is."""
    folders = [(Path(os.path.abspath(f)), prefix) for f, prefix in
               ((root, ""), (builtin_templates_dir(), "built-in template ")) if f is not None]

    def shown(filename: str) -> str:
        path = Path(os.path.abspath(filename))
        for candidate in (path, path.resolve()):  # as named, then with links followed
            for folder, prefix in folders:
                for base in (folder, folder.resolve()):
                    if candidate.is_relative_to(base):
                        return prefix + candidate.relative_to(base).as_posix()
        return filename

    return shown


def unused_messages(project: Path, actions: Iterable[str]) -> tuple[str, ...]:
    """Warnings for the files of ``templates/messages/`` that no action uses (a misspelt
    name would leave the built-in draft in place without a word); ``_name.txt`` files are
    for including."""
    folder = project / TEMPLATES_DIR / MESSAGES_DIR
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() \
            else []
    except OSError:
        return ()  # reported when the templates are loaded
    known = {f"{action}.txt" for action in actions}
    return tuple(f"{TEMPLATES_DIR}/{MESSAGES_DIR}/{name} is not used: message templates are "
                 f"named {', '.join(sorted(known))}" for name in names
                 if name not in known and not name.startswith(("_", ".")))


class SafeFileSystemLoader(FileSystemLoader):
    """A ``FileSystemLoader`` whose unreadable or non-UTF-8 file is an error naming it
    (relative to ``root``)."""

    def __init__(self, searchpath: Any, root: Path | None = None) -> None:
        super().__init__(searchpath)
        self.shown = shown_under(root)
        self.root = root

    def get_source(self, environment: Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        folder, where = self._found(template)
        if self.root is not None and folder is not None and inside(folder, self.root) and \
                not inside(where, self.root):  # a project template links out of the project
            raise JssReportError([Problem(self.shown(str(where)), 0, "", OUTSIDE)])
        try:
            return super().get_source(environment, template)
        except UnicodeDecodeError as exc:
            raise JssReportError([Problem(self.shown(self._where(template)), 0, "",
                                          f"template is not UTF-8 text ({exc.reason} at byte "
                                          f"{exc.start})")]) from None
        except TemplateNotFound:
            raise
        except OSError as exc:
            name = exc.filename if isinstance(exc.filename, str) else self._where(template)
            raise JssReportError([Problem(self.shown(name), 0, "", f"cannot read the template: "
                                          f"{exc.strerror or exc}")]) from None

    def _where(self, template: str) -> str:
        return str(self._found(template)[1])

    def _found(self, template: str) -> tuple[Path | None, Path]:
        """The search folder that holds ``template`` and its file (None and the name when
        none does)."""
        for folder in self.searchpath:
            path = Path(folder, *template.split("/"))
            if path.exists():
                return Path(folder), path
        return None, Path(template)


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, its attribute check remembered by (type, name): the check
    depends on nothing else, and a big contracts table asks it tens of thousands of times."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._safe: dict[tuple[type, str], bool] = {}

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        key = (type(obj), attr)
        safe = self._safe.get(key)
        if safe is None:
            safe = self._safe[key] = super().is_safe_attribute(obj, attr, value)
        return safe


def environment(sandboxed: bool, loader: BaseLoader, **options: Any) -> Environment:
    """A Jinja environment; ``sandboxed`` for one that loads a project's templates."""
    kind = Sandbox if sandboxed else Environment
    return kind(loader=loader, **options)


def render_template(env: Environment, name: str, context: dict[str, Any],
                    shown: Callable[[str], str] = str) -> str:
    """``name`` rendered with ``context``; any failure as a ``JssReportError`` naming the
    template file and line (``shown`` turns a file name into what the user should read)."""
    try:
        return env.get_template(name).render(context)
    except JssReportError:
        raise
    except Exception as exc:  # noqa: BLE001 - a template's own failure, explained below
        raise template_failure(exc, name, shown) from None


def compile_problems(env: Environment, names: Iterable[str],
                     shown: Callable[[str], str] = str) -> list[Problem]:
    """What keeps any of the templates ``names`` from compiling (syntax, an unknown filter,
    a file that is not UTF-8 or links out of the project), without rendering them."""
    problems: list[Problem] = []
    for name in names:
        try:
            env.get_template(name)
        except JssReportError as exc:
            problems += exc.problems
        except Exception as exc:  # noqa: BLE001 - explained like a failure while rendering
            problems += template_failure(exc, name, shown).problems
    return problems


def template_failure(exc: BaseException, name: str, shown: Callable[[str], str] = str
                     ) -> JssReportError:
    """What went wrong in a template, at the innermost template line the traceback names."""
    if isinstance(exc, TemplateSyntaxError):
        return JssReportError([Problem(shown(exc.filename or exc.name or name),
                                       exc.lineno or 0, "", f"template error: {exc.message}")])
    # the innermost template line, or for a template that nests itself the outermost one
    filename, line = _template_frame(exc.__traceback__, isinstance(exc, RecursionError))
    where = shown(filename) if filename else name
    if isinstance(exc, TemplateNotFound):
        what = f"template not found: {exc.name}"
    elif isinstance(exc, SecurityError):
        what = f"the template is not allowed to do this (sandbox): {exc}"
    elif isinstance(exc, UndefinedError):
        what = f"template error: {exc.message or exc}"
    elif isinstance(exc, RecursionError):
        what = f"template error: templates nest too deeply ({MAX_DEPTH_NOTE})"
    elif isinstance(exc, TemplateError):
        what = f"template error: {exc.message or exc}"
    else:
        what = f"template error: {type(exc).__name__}: {exc}"
    return JssReportError([Problem(where, line, "", what)])


def _template_frame(tb: TracebackType | None, recursion: bool = False) -> tuple[str, int]:
    """The innermost frame of the traceback that is a template's (Jinja rewrites those to
    the template's file and line); for a template that nests itself, the first frame of the
    template that repeats most."""
    frames: list[tuple[str, int]] = []
    while tb is not None and len(frames) < sys.getrecursionlimit() * 4:
        if "__jinja_exception__" in tb.tb_frame.f_globals:  # jinja2.debug.fake_traceback
            frames.append((tb.tb_frame.f_code.co_filename, tb.tb_lineno))
        tb = tb.tb_next
    if not frames:
        return "", 0
    if not recursion:
        return frames[-1]
    counts = Counter(name for name, _ in frames)
    most = max(counts, key=lambda name: counts[name])
    return next(frame for frame in frames if frame[0] == most)
