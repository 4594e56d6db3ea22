"""The input stage: a report project's YAML files -> validated, frozen records.

``load_records`` reads everything, collects every problem (file:line, record, field) and
raises one ``InputError`` listing them all. Each file is parsed by a pure function of its
bytes (``parse_contract_file`` ...), so a later cache can key results by content hash.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from jssreport.errors import InputError, Problem
from jssreport.input.fields import Checker, describe, shown
from jssreport.input.pages import Page, folder_files, load_pages
from jssreport.input.recordcheck import (
    CONTRACT_FILE_FIELDS,
    check_contract,
    check_profile,
    contract_where,
)
from jssreport.input.scenariocheck import check_scenario
from jssreport.input.yamlfast import read_yaml
from jssreport.input.yamlload import INVALID, YMap, YSeq, paused_gc, read_bytes
from jssreport.model.types import Contract, Profile, Scenario
from jssreport.paths import CONTRACTS_DIR, PROFILE_FILE, SCENARIOS_DIR


@dataclass(frozen=True)
class Records:
    """A report project's content, validated: the profile, contracts, scenarios and pages, and
    the file and line of each contract."""

    profile: Profile
    contracts: tuple[Contract, ...]  # sorted by (start, id)
    scenarios: tuple[Scenario, ...]  # sorted by file name
    pages: tuple[Page, ...]  # sorted by (order, slug)
    locations: Mapping[str, tuple[str, int]]  # contract id -> (file, line)


@dataclass(frozen=True)
class ContractFile:
    """What one contracts file holds."""

    contracts: tuple[Contract, ...]  # the valid ones, in file order
    ids: tuple[tuple[str, int], ...]  # (id, line) of every record that names one, valid or not
    problems: tuple[Problem, ...]


Parse = Callable[[str, bytes], ContractFile]
# How the contract files are parsed: each by ``parse``, in order (``parse_each``), or by the
# pipeline's cached parser (``jssreport.incremental.recorditems``).
ParseFiles = Callable[[Sequence[tuple[str, bytes]], Parse], Sequence[ContractFile]]


def parse_each(files: Sequence[tuple[str, bytes]], parse: Parse) -> list[ContractFile]:
    return [parse(rel, data) for rel, data in files]


def parse_contract_file(rel: str, data: bytes) -> ContractFile:
    """Validate one ``content/contracts/*.yml`` file on its own (ids are checked across
    files by the caller)."""
    value, problems = read_yaml(data, rel)
    ck = Checker(rel)
    ck.problems.extend(problems)
    contracts: list[Contract] = []
    ids: list[tuple[str, int]] = []
    if value.__class__ is YSeq:
        ck.add(1, "", "the file is a bare list of contracts: start it with a line "
               "'contracts:' and indent the list under it")
    elif value is not INVALID and value is not None:
        m = ck.mapping(value, 1, "", "the file")
        if m is not None:
            ck.unknown(m, CONTRACT_FILE_FIELDS, "")
            raw = m.values.get("contracts")
            if "contracts" not in m.values:
                ck.add(m.line, "", "contracts is required (the list of contract records)")
            seq = None if raw is None else ck.sequence(raw, m.lines["contracts"], "", "contracts")
            for i, item in enumerate(seq.items if seq else ()):
                line = seq.lines[i] if seq else 0
                if item.__class__ is not YMap:
                    if item is not INVALID:
                        message = (
                            f"contracts[{i}] must be a mapping of fields, got {describe(item)}"
                        )
                        ck.add(line, "", message)
                    continue
                where = contract_where(item, f"contracts[{i}]")
                cid = item.values.get("id")
                if cid.__class__ is str:
                    ids.append((cid, line))
                contract = check_contract(ck, item, line, where)
                if contract is not None:
                    contracts.append(contract)
    return ContractFile(tuple(contracts), tuple(ids), tuple(ck.problems))


def parse_profile(rel: str, data: bytes) -> tuple[Profile | None, list[Problem]]:
    value, problems = read_yaml(data, rel)
    if value is INVALID:
        return None, problems
    ck = Checker(rel)
    ck.problems.extend(problems)
    profile = check_profile(ck, value)
    return (profile if not ck.problems else None), ck.problems


def parse_scenario(
    rel: str,
    slug: str,
    data: bytes,
    known: Mapping[str, tuple[str, int]],
    contracts: Mapping[str, Contract],
) -> tuple[Scenario | None, list[Problem]]:
    value, problems = read_yaml(data, rel)
    if value is INVALID:
        return None, problems
    ck = Checker(rel)
    ck.problems.extend(problems)
    scenario = check_scenario(ck, value, slug, known, contracts)
    return (scenario if not ck.problems else None), ck.problems


def _record_files(project: Path, folder: str, problems: list[Problem]) -> list[Path]:
    """The ``*.yml`` files of a content folder; a ``.yaml`` or ``.YML`` file is a problem,
    not ignored, so records are never dropped silently."""
    return folder_files(project, folder, ".yml", (".yaml",), "record", problems)


def load_records(project: Path, parse_files: ParseFiles = parse_each) -> Records:
    """Read and validate a report project; raise ``InputError`` listing every problem.

    ``parse_files`` parses the contract files (the pipeline's may take them from a cache)."""
    with paused_gc():
        return _load_records(project, parse_files)


def _load_records(project: Path, parse_files: ParseFiles) -> Records:
    if not project.is_dir():
        raise InputError([Problem(message=f"project folder '{project}' does not exist")])
    problems: list[Problem] = []

    profile = None
    present: bool | None
    try:
        present = (project / PROFILE_FILE).is_file()
        if not present and (project / PROFILE_FILE).exists():
            problems.append(Problem(PROFILE_FILE, 0, "", "must be a file, but it is a folder"))
            present = None
    except OSError as exc:  # e.g. content/ cannot be read
        problems.append(Problem(PROFILE_FILE, 0, "", f"cannot be read: {exc.strerror or exc}"))
        present = None
    if present is False:
        message = "missing; run 'jssreport init' to start a project"
        problems.append(Problem(PROFILE_FILE, 0, "", message))
    elif present:
        data, problem = read_bytes(project / PROFILE_FILE, PROFILE_FILE)
        if problem:
            problems.append(problem)
        elif data is not None:
            profile, found = parse_profile(PROFILE_FILE, data)
            problems.extend(found)

    contracts: list[Contract] = []
    known: dict[str, tuple[str, int]] = {}
    files: list[tuple[str, bytes | None, Problem | None]] = []
    for path in _record_files(project, CONTRACTS_DIR, problems):
        rel = f"{CONTRACTS_DIR}/{shown(path.name, 200)}"
        data, problem = read_bytes(path, rel)
        files.append((rel, data, problem))
    readable = [(rel, data) for rel, data, problem in files if data is not None and not problem]
    parsed_files = iter(parse_files(readable, parse_contract_file))
    for rel, data, problem in files:
        if problem or data is None:
            problems.append(problem or Problem(rel, 0, "", "cannot be read"))
            continue
        parsed = next(parsed_files)
        problems.extend(parsed.problems)
        for cid, line in parsed.ids:
            first = known.setdefault(cid, (rel, line))
            if first != (rel, line):
                message = f"id '{shown(cid)}' is already used at {first[0]}:{first[1]}"
                problems.append(Problem(rel, line, f"contract '{shown(cid)}'", message))
        contracts.extend(parsed.contracts)
    by_id = {c.id: c for c in contracts}

    scenarios: list[Scenario] = []
    for path in _record_files(project, SCENARIOS_DIR, problems):
        rel = f"{SCENARIOS_DIR}/{shown(path.name, 200)}"
        data, problem = read_bytes(path, rel)
        if problem or data is None:
            problems.append(problem or Problem(rel, 0, "", "cannot be read"))
            continue
        scenario, found = parse_scenario(rel, path.stem, data, known, by_id)
        problems.extend(found)
        if scenario is not None:
            scenarios.append(scenario)

    pages, found = load_pages(project)
    problems.extend(found)

    if problems or profile is None:
        raise InputError(problems or [Problem(PROFILE_FILE, 0, "", "invalid")])
    contracts.sort(key=lambda c: (c.start, c.id))
    return Records(
        profile=profile,
        contracts=tuple(contracts),
        scenarios=tuple(scenarios),
        pages=tuple(pages),
        locations=MappingProxyType(known),
    )
