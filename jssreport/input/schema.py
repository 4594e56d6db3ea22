"""The JSON Schema (draft 2020-12) of the record files, for editor validation.

One document: ``$defs`` holds a named schema per file kind (``profileFile``,
``contractsFile``, ``scenarioFile``, ``settingsFile``) and the top level accepts any of
them, so an editor can point every file at the same schema or at one ``$defs`` entry.
It mirrors the checks of ``recordcheck`` and ``config``; what a schema cannot say
(unique ids across files, payments before start, scenario references) only the checker
reports. Optional fields may be left empty (null), as the checker allows.
"""

from __future__ import annotations

import json
from typing import Any

from jssreport.input.config import DORMANCY_TYPES
from jssreport.input.fields import DATE_MAX, DATE_MIN, DATE_RANGE, MAX_AMOUNT
from jssreport.input.recordcheck import CURRENCY_PATTERN, ID_PATTERN
from jssreport.model.rules import RULE_IDS
from jssreport.model.types import CONTRACT_TYPES, END_REASONS, ENDED_BY, SCORE_NAMES

DIALECT = "https://json-schema.org/draft/2020-12/schema"
DATE_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/$defs/{name}"}


def _optional(schema: dict[str, Any]) -> dict[str, Any]:
    """Also allow null: an empty value means the field is absent."""
    if "type" in schema:
        kind = schema["type"]
        return {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def _object(
    properties: dict[str, dict[str, Any]], required: tuple[str, ...] = (), **extra: Any
) -> dict[str, Any]:
    """A closed object; properties not in ``required`` may be null."""
    schema: dict[str, Any] = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            name: (value if name in required else _optional(value))
            for name, value in properties.items()
        },
    }
    if required:
        schema["required"] = list(required)
    schema.update(extra)
    return schema


def _text(description: str, min_length: int = 0) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string", "maxLength": 10_000, "description": description}
    if min_length:
        schema["minLength"] = min_length
        schema["pattern"] = r"\S"
    return schema


def _number(description: str, **bounds: float) -> dict[str, Any]:
    return {"type": "number", "description": description, **bounds}


def _whole(description: str, low: int, high: int) -> dict[str, Any]:
    return {"type": "integer", "minimum": low, "maximum": high, "description": description}


def _enum(values: tuple[str, ...], description: str) -> dict[str, Any]:
    return {"type": "string", "enum": list(values), "description": description}


def _flag(description: str) -> dict[str, Any]:
    return {"type": "boolean", "description": description}


def _defs() -> dict[str, dict[str, Any]]:
    date = _ref("date")
    return {
        "date": {
            "type": "string",
            "format": "date",
            "pattern": DATE_PATTERN,
            # formatMinimum/formatMaximum: the ajv-formats keywords editors understand
            "formatMinimum": DATE_MIN.isoformat(),
            "formatMaximum": DATE_MAX.isoformat(),
            "description": f"An ISO date, YYYY-MM-DD, {DATE_RANGE}.",
        },
        "profileFile": _object(
            {
                "name": _text("The freelancer's name.", 1),
                "currency": {
                    "type": "string",
                    "pattern": CURRENCY_PATTERN,
                    "description": "ISO 4217 code of every amount; default USD.",
                },
                "rules": _enum(RULE_IDS, "Rule set id (docs/model.md section 3); default auto."),
                "as_of": {**date, "description": "The report's date; default today."},
                "snapshots": {"type": "array", "items": _ref("snapshot")},
            },
            ("name",),
            title="content/profile.yml",
        ),
        "snapshot": _object(
            {
                "date": date,
                "jss": _whole("The Job Success Score the platform showed.", 0, 100),
                "would_recommend": _whole("The would-recommend percentage shown.", 0, 100),
            },
            ("date",),
            description="What the platform showed on a date.",
        ),
        "contractsFile": _object(
            {"contracts": {"type": "array", "items": _ref("contract")}},
            ("contracts",),
            title="content/contracts/*.yml",
        ),
        "contract": _object(
            {
                "id": {
                    "type": "string",
                    "pattern": ID_PATTERN,
                    "description": "Unique across all files: lowercase letters, digits, '-'.",
                },
                "client": _text("The client's name.", 1),
                "title": _text("The contract's title.", 1),
                "type": _enum(CONTRACT_TYPES, "fixed or hourly."),
                "start": date,
                "end": {**date, "description": "Absent means the contract is open."},
                "paused": _flag("The contract is paused."),
                "payments": {"type": "array", "items": _ref("payment")},
                "earned": _number("Total earned when payments are not itemised (at most "
                                  f"{MAX_AMOUNT:,}).", minimum=0, maximum=MAX_AMOUNT),
                "last_payment": {**date, "description": "Date of the last payment, with earned."},
                "refunded": _number(f"Amount returned to the client (at most {MAX_AMOUNT:,}).",
                                    minimum=0, maximum=MAX_AMOUNT),
                "feedback": _ref("feedback"),
                "ended_by": _enum(ENDED_BY, "Who ended the contract."),
                "end_reason": _enum(END_REASONS, "Why the contract ended."),
                "dispute": _flag("The contract ended in a dispute."),
                "client_flagged": _flag("The platform flagged or suspended the client."),
                "removed": _flag("Removed with the Top Rated feedback-removal perk."),
                "last_activity": {**date, "description": "Last milestone or message."},
                "notes": _text("Free Markdown."),
                "source": _text("Where an importer found the contract."),
            },
            ("id", "client", "title", "type", "start"),
            dependentRequired={"last_payment": ["earned"], "feedback": ["end"]},
            # earned is the total when payments are not itemised: never both.
            **{"not": {"required": ["earned", "payments"]}},
        ),
        "payment": _object(
            {"date": date, "amount": _number(
                f"Amount paid, more than 0 and at most {MAX_AMOUNT:,} (also the most the "
                "payments of one contract may add up to).", exclusiveMinimum=0,
                maximum=MAX_AMOUNT)},
            ("date", "amount"),
        ),
        "feedback": _object(
            {
                "date": date,
                "stars": _number("Public overall rating.", minimum=1, maximum=5),
                "scores": _object(
                    {
                        name: _number(f"The {name} score.", minimum=1, maximum=5)
                        for name in SCORE_NAMES
                    }
                ),
                "recommend": _whole("Private 0-10 rating, when known.", 0, 10),
                "comment": _text("The client's public comment."),
            },
            description="Absent means the client left no feedback.",
        ),
        "scenarioFile": _object(
            {
                "name": _text("The scenario's name.", 1),
                "actions": {"type": "array", "items": _ref("action")},
            },
            ("name", "actions"),
            title="content/scenarios/*.yml",
        ),
        "action": {"oneOf": [_ref("closeAction"), _ref("addAction")]},
        "closeAction": _object(
            {
                "close": {"type": "string", "pattern": ID_PATTERN, "description": "Contract id."},
                "on": date,
                "feedback": _ref("feedback"),
            },
            ("close", "on"),
        ),
        "addAction": _object({"add": _ref("contract")}, ("add",)),
        "settingsFile": _object(
            {
                "title": _text("The report's title.", 1),
                "base_url": {
                    "type": "string",
                    "pattern": "^https?://",
                    "description": "Where the site is published.",
                },
                "rules": _enum(RULE_IDS, "Overrides the profile's rules."),
                "redact": _flag("Remove names, titles, comments, notes and amounts."),
                "output": _text("Output folder; default site.", 1),
                "as_of": date,
                "dormancy": _object({kind: _ref("thresholds") for kind in DORMANCY_TYPES}),
                "top_actions": _whole("How many actions the overview shows.", 0, 100),
            },
            title="jssreport.yml",
        ),
        "thresholds": _object(
            {
                "quiet": _whole("Days after which an open contract is quiet.", 1, 3650),
                "dormant": _whole("Days after which an open contract is dormant.", 1, 3650),
            }
        ),
    }


def json_schema() -> dict[str, Any]:
    """The schema as a JSON-ready dict (dump it with ``sort_keys=True``)."""
    return {
        "$schema": DIALECT,
        "title": "jssreport record files",
        "description": (
            "content/profile.yml, content/contracts/*.yml, content/scenarios/*.yml and "
            "jssreport.yml of a jssreport project; each file matches one of $defs' *File schemas."
        ),
        "anyOf": [
            _ref("profileFile"),
            _ref("contractsFile"),
            _ref("scenarioFile"),
            _ref("settingsFile"),
        ],
        "$defs": _defs(),
    }


def schema_text() -> str:
    """The schema as the ``jssreport schema`` command prints it: stable, sorted JSON."""
    return json.dumps(json_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
