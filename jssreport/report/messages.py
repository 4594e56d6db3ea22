"""Message drafts to clients: one plain-text Jinja template per action.

``templates/messages/<action>.txt`` of the project wins over the built-in one. The client's
name, the contract title and the like are passed as *variables*; record text is never compiled
as a template, so a client called ``{{ 7*7 }}`` stays exactly that. The drafts are plain text
(no escaping here); the HTML pages escape them like any other text.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jinja2 import (
    Environment,
    FileSystemLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
)

from jssreport.advice import ACTIONS, Recommendation
from jssreport.errors import JssReportError, Problem
from jssreport.model.outcomes import FEEDBACK_DAYS
from jssreport.model.types import Contract
from jssreport.paths import MESSAGES_DIR, TEMPLATES_DIR, builtin_templates_dir


def builtin_folders() -> list[str]:
    """The built-in templates folder (``jssreport.paths``), when it is there."""
    found = builtin_templates_dir()
    return [str(found)] if found is not None and (found / MESSAGES_DIR).is_dir() else []


def message_environment(project: Path | None = None) -> Environment:
    """Project templates first, then the built-in ones; plain text, so no autoescape."""
    folders = builtin_folders()
    if project is not None and (project / TEMPLATES_DIR).is_dir():
        folders.insert(0, str(project / TEMPLATES_DIR))
    # Plain text, so no autoescape here: the HTML pages escape the drafts like any text.
    return Environment(
        loader=FileSystemLoader(folders),
        autoescape=False,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def message_variables(rec: Recommendation, contract: Contract | None, freelancer: str,
                      on: date) -> dict[str, Any]:
    """Every variable a message template may use (the same set for every action)."""
    end = contract.end if contract is not None and not contract.is_open(on) else None
    until = None
    if rec.action == "ask_feedback" and end is not None:
        until = end + timedelta(days=FEEDBACK_DAYS)
    elif rec.action == "close":
        until = on + timedelta(days=FEEDBACK_DAYS)
    return {
        "action": rec.action,
        "contract": rec.contract,
        "client": contract.client if contract is not None else "",
        "title": contract.title if contract is not None else rec.contract,
        "freelancer": freelancer,
        "since": rec.since.isoformat() if rec.since else "",
        "idle_days": rec.idle_days if rec.idle_days is not None else "",
        "end": end.isoformat() if end else "",
        "feedback_until": until.isoformat() if until else "",
        "feedback_days": FEEDBACK_DAYS,
    }


def message_drafts(recs: Sequence[Recommendation], contracts: Mapping[str, Contract],
                   freelancer: str, on: date, project: Path | None = None
                   ) -> dict[str, str]:
    """The draft for each recommendation, by contract id."""
    env = message_environment(project)
    drafts = {}
    for rec in recs:
        variables = message_variables(rec, contracts.get(rec.contract), freelancer, on)
        drafts[rec.contract] = render_message(env, rec.action, variables)
    return drafts


def render_message(env: Environment, action: str, variables: Mapping[str, Any]) -> str:
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    name = f"{MESSAGES_DIR}/{action}.txt"
    try:
        return env.get_template(name).render(variables).strip() + "\n"
    except TemplateSyntaxError as exc:
        raise JssReportError([Problem(_shown(exc.filename, name), exc.lineno, "",
                                      f"template error: {exc.message}")]) from None
    except TemplateNotFound:
        raise JssReportError(f"template not found: {name}") from None
    except TemplateError as exc:
        raise JssReportError(f"template {name}: {exc.message or exc}") from None


def _shown(filename: str | None, name: str) -> str:
    """``templates/messages/close.txt`` rather than an absolute path."""
    if not filename:
        return name
    parts = Path(filename).parts
    return "/".join(parts[-3:]) if len(parts) >= 3 else name
