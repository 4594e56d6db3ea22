"""The JSON Schema of the record files agrees with the checker.

No JSON Schema library is a dependency, so a small evaluator of the keywords the schema
uses checks real files against it: valid records pass, broken ones fail.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest

from jssreport.errors import InputError
from jssreport.input import config, recordcheck, scenariocheck
from jssreport.input.config import parse_settings
from jssreport.input.records import parse_contract_file, parse_profile, parse_scenario
from jssreport.input.schema import json_schema, schema_text
from jssreport.input.yamlload import YMap, YSeq, parse_yaml
from jssreport.model.types import Contract

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SCHEMA = json_schema()
DEFS = SCHEMA["$defs"]


def properties(name: str, *path: str) -> set[str]:
    schema = DEFS[name]
    for key in path:
        schema = schema["properties"][key]
        schema = schema.get("anyOf", [schema])[0]
    return set(schema["properties"])


@pytest.mark.parametrize(
    ("fields", "definition"),
    [
        (recordcheck.PROFILE_FIELDS, ("profileFile",)),
        (recordcheck.SNAPSHOT_FIELDS, ("snapshot",)),
        (recordcheck.CONTRACT_FILE_FIELDS, ("contractsFile",)),
        (recordcheck.CONTRACT_FIELDS, ("contract",)),
        (recordcheck.PAYMENT_FIELDS, ("payment",)),
        (recordcheck.FEEDBACK_FIELDS, ("feedback",)),
        (recordcheck.SCORE_FIELDS, ("feedback", "scores")),
        (scenariocheck.SCENARIO_FIELDS, ("scenarioFile",)),
        (scenariocheck.CLOSE_FIELDS, ("closeAction",)),
        (scenariocheck.ADD_FIELDS, ("addAction",)),
        (config.SETTINGS_FIELDS, ("settingsFile",)),
        (frozenset(config.DORMANCY_TYPES), ("settingsFile", "dormancy")),
        (config.THRESHOLD_FIELDS, ("thresholds",)),
    ],
)
def test_every_field_the_checker_knows_is_in_the_schema(
    fields: frozenset[str], definition: tuple[str, ...]
) -> None:
    assert properties(*definition) == set(fields)


def walk(node: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(node, dict):
        found.append(node)
        for value in node.values():
            found.extend(walk(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(walk(value))
    return found


def test_every_object_is_closed() -> None:
    objects = [n for n in walk(SCHEMA) if n.get("type") in ("object", ["object", "null"])]
    assert len(objects) == 13
    assert all(n["additionalProperties"] is False for n in objects)


def test_schema_text_is_stable_sorted_json() -> None:
    text = schema_text()
    assert text == schema_text()
    assert text.endswith("}\n")
    assert json.loads(text) == SCHEMA
    assert text == json.dumps(SCHEMA, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


# -- a small evaluator for the keywords the schema uses ---------------------------------------

_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
}
KNOWN_KEYWORDS = {
    "$schema", "$defs", "$ref", "title", "description", "type", "properties", "required",
    "additionalProperties", "items", "enum", "pattern", "format", "minimum", "maximum",
    "exclusiveMinimum", "minLength", "maxLength", "anyOf", "oneOf", "not", "dependentRequired",
    "formatMinimum", "formatMaximum",
}  # fmt: skip


def valid(value: Any, schema: dict[str, Any]) -> bool:
    assert set(schema) <= KNOWN_KEYWORDS, set(schema) - KNOWN_KEYWORDS
    if "$ref" in schema:
        return valid(value, DEFS[schema["$ref"].rsplit("/", 1)[1]])
    kinds = schema.get("type")
    if kinds is not None:
        kinds = kinds if isinstance(kinds, list) else [kinds]
        if not any(_TYPES[k](value) for k in kinds):
            return False
    checks = [
        "enum" not in schema or value in schema["enum"],
        "anyOf" not in schema or any(valid(value, s) for s in schema["anyOf"]),
        "oneOf" not in schema or sum(valid(value, s) for s in schema["oneOf"]) == 1,
        "not" not in schema or not valid(value, schema["not"]),
    ]
    if isinstance(value, str):
        checks += [
            "pattern" not in schema or re.search(schema["pattern"], value) is not None,
            len(value) >= schema.get("minLength", 0),
            len(value) <= schema.get("maxLength", len(value)),
            value >= schema.get("formatMinimum", value),  # ISO dates compare as text
            value <= schema.get("formatMaximum", value),
        ]
    if _TYPES["number"](value):
        checks += [
            value >= schema.get("minimum", value),
            value <= schema.get("maximum", value),
            "exclusiveMinimum" not in schema or value > schema["exclusiveMinimum"],
        ]
    if isinstance(value, list) and "items" in schema:
        checks += [valid(item, schema["items"]) for item in value]
    if isinstance(value, dict):
        props = schema.get("properties", {})
        checks += [key in value for key in schema.get("required", ())]
        checks += [valid(v, props[k]) for k, v in value.items() if k in props]
        if schema.get("additionalProperties") is False:
            checks += [key in props for key in value]
        for key, needs in schema.get("dependentRequired", {}).items():
            checks += [key not in value or all(n in value for n in needs)]
    return all(checks)


def as_json(value: Any) -> Any:
    """What an editor sees: YAML read as JSON data (dates are strings, keys are text)."""
    if isinstance(value, YMap):
        return {k: as_json(v) for k, v in value.values.items()}
    if isinstance(value, YSeq):
        return [as_json(v) for v in value.items]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def load(text: str) -> Any:
    value, problems = parse_yaml(text.encode(), "x.yml")
    assert problems == []
    return as_json(value)


EXAMPLE_FILES = sorted(
    p.relative_to(FIXTURES).as_posix() for p in (FIXTURES / "examples").glob("*/content/**/*.yml")
)


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_worked_examples_match_the_schema(name: str) -> None:
    assert valid(load((FIXTURES / name).read_text()), SCHEMA)


SPEC_SCENARIO = """\
name: Close the quiet contracts
actions:
  - {close: beta-web, on: 2020-07-15, feedback: {stars: 5}}
  - {add: {id: next-1, client: New client, title: Next job, type: fixed, start: 2020-08-01,
           end: 2020-09-01, payments: [{date: 2020-09-01, amount: 1200}], feedback: {stars: 5}}}
"""
BETA = Contract("beta-web", "Beta", "Web", "hourly", dt.date(2020, 1, 1))


def contracts(**changes: str) -> str:
    """A contracts file with one closed contract, fields changed or added (raw YAML values)."""
    fields = {"id": "a", "client": "A", "title": "T", "type": "fixed"}
    fields |= {"start": "2020-01-01", "end": "2020-02-01", **changes}
    body = ", ".join(f"{k}: {v}" for k, v in fields.items() if v != "DROP")
    return f"contracts: [{{{body}}}]\n"


def checker_accepts(kind: str, text: str) -> bool:
    data = text.encode()
    if kind == "profileFile":
        return not parse_profile("x.yml", data)[1]
    if kind == "contractsFile":
        return not parse_contract_file("x.yml", data).problems
    if kind == "scenarioFile":
        known = {"beta-web": ("c.yml", 1)}
        return not parse_scenario("x.yml", "s", data, known, {"beta-web": BETA})[1]
    try:
        parse_settings("x.yml", data)
    except InputError:
        return False
    return True


@pytest.mark.parametrize(
    ("kind", "text", "ok"),
    [
        ("scenarioFile", SPEC_SCENARIO, True),
        ("profileFile", "name: B\ncurrency: EUR\nsnapshots: [{date: 2020-01-01, jss: 90}]\n", True),
        ("settingsFile", "title: Mine\ndormancy: {hourly: {quiet: 3}}\n", True),
        ("contractsFile", contracts(), True),
        ("contractsFile", contracts(notes="", paused="false", refunded="0"), True),
        ("contractsFile", contracts(end="DROP"), True),
        ("contractsFile", contracts(earned="5", last_payment="2020-01-05"), True),
        ("contractsFile", contracts(feedback="{stars: 7}"), False),
        ("contractsFile", contracts(feedbak="{stars: 5}"), False),
        ("contractsFile", contracts(type="fixd"), False),
        ("contractsFile", contracts(id="Acme"), False),
        ("contractsFile", contracts(client="' '"), False),
        ("contractsFile", contracts(title="DROP"), False),
        ("contractsFile", contracts(earned="5", payments="[]"), False),
        ("contractsFile", contracts(last_payment="2020-01-05"), False),
        ("contractsFile", contracts(end="DROP", feedback="{stars: 5}"), False),
        ("contractsFile", contracts(payments="[{date: 2020-01-05, amount: 0}]"), False),
        ("contractsFile", contracts(payments="[{date: 2020-01-05}]"), False),
        ("contractsFile", contracts(feedback="{scores: {skills: 6}}"), False),
        ("contractsFile", contracts(feedback="{recommend: 8.5}"), False),
        ("contractsFile", contracts(ended_by="me"), False),
        ("contractsFile", contracts(dispute="1"), False),
        ("contractsFile", contracts(start="2020/01/01"), False),
        ("profileFile", "name: B\ncurrency: usd\n", False),
        ("profileFile", "name: B\nsnapshots: [{jss: 90}]\n", False),
        ("profileFile", "name: B\nsnapshots: [{date: 2020-01-01, jss: 101}]\n", False),
        ("scenarioFile", "name: S\nactions: [{close: beta-web}]\n", False),
        ("scenarioFile", "name: S\nactions: [{close: beta-web, on: 2020-02-01, add: {}}]\n", False),
        ("settingsFile", "base_url: example.org\n", False),
        ("settingsFile", "top_actions: 2.5\n", False),
    ],
)  # fmt: skip
def test_schema_and_checker_agree(kind: str, text: str, ok: bool) -> None:
    data = load(text)
    assert checker_accepts(kind, text) is ok
    assert valid(data, DEFS[kind]) is ok
    assert valid(data, SCHEMA) is ok
