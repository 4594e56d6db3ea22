"""Message drafts to clients: one plain-text Jinja template per action.

``templates/messages/<action>.txt`` of the project wins over the built-in one. The client's
name, the contract title and the like are passed as *variables*; record text is never compiled
as a template, so a client called ``{{ 7*7 }}`` stays exactly that. The drafts are plain text
(no escaping here); the HTML pages escape them like any other text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from jinja2 import Environment, StrictUndefined

from jssreport.advice import ACTIONS, Recommendation
from jssreport.input.templating import (
    SafeFileSystemLoader,
    environment,
    project_templates,
    render_template,
    shown_under,
)
from jssreport.model.outcomes import FEEDBACK_DAYS
from jssreport.model.types import Contract
from jssreport.paths import MESSAGES_DIR, builtin_templates_dir
from jssreport.report.compute import Report


def builtin_folders() -> list[str]:
    """The built-in templates folder (``jssreport.paths``), when it is there."""
    found = builtin_templates_dir()
    return [str(found)] if found is not None and (found / MESSAGES_DIR).is_dir() else []


def message_environment(project: Path | None = None) -> Environment:
    """Project templates first, then the built-in ones; plain text, so no autoescape. A
    project's own templates are untrusted: with them the environment is sandboxed
    (jssreport.input.templating)."""
    folders = builtin_folders()
    own = project_templates(project)
    if own is not None:
        folders.insert(0, str(own))
    # Plain text, so no autoescape here: the HTML pages escape the drafts like any text.
    return environment(
        own is not None,
        loader=SafeFileSystemLoader(folders, project),
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
    loader = env.loader
    shown = loader.shown if isinstance(loader, SafeFileSystemLoader) else shown_under(None)
    return render_template(env, name, dict(variables), shown).strip() + "\n"


def with_message_drafts(report: Report, contracts: Sequence[Contract], freelancer: str,
                        project: Path | None) -> Report:
    """The report with a draft to the client in each recommendation (the project's own
    message templates first; a redacted report's from the built-in ones only: the
    freelancer's own prose may sign with their name)."""
    drafts = message_drafts(report.recommendations, {c.id: c for c in contracts}, freelancer,
                            report.as_of, None if report.redacted else project)
    return dataclasses.replace(report, recommendations=tuple(
        dataclasses.replace(r, message=drafts[r.contract]) for r in report.recommendations))
