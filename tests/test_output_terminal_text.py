"""Record text printed to a terminal carries no control sequence (window titles, OSC 52
clipboard writes, CSI colours or screen clears, one-byte C1 CSI, bidirectional overrides)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from jssreport.cli import main
from jssreport.output.reportjson import terminal_json
from jssreport.textformat import terminal_text

MakeProject = Callable[..., Path]

HOSTILE = {
    "title": r"\e]0;pwned title\a",
    "clipboard": r"\e]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\a",
    "clear": r"\e[2J\e[H\e[31m",
    "c1": r"\x9b31m\x9d0;t\x9c",
    "bidi": r"\u202egnp.exe\u202c\u2066x\u2069",
    "controls": r"\x00\x07\b\x7f\r\v\f",
}
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def project_files(text: str) -> dict[str, str]:
    return {
        "content/profile.yml": f"""
            name: "Me {text}"
            currency: USD
            as_of: 2024-06-01
            snapshots:
              - {{date: 2024-05-01, jss: 90}}
        """,
        "content/contracts/c.yml": f"""
            contracts:
              - {{id: open-one, client: "Client {text}", title: "Job {text}", type: fixed,
                 start: 2024-01-02, payments: [{{date: 2024-03-01, amount: 300}}],
                 last_activity: 2024-04-20}}
              - {{id: done, client: "Other {text}", title: "Done {text}", type: hourly,
                 start: 2023-01-02, end: 2023-06-01,
                 payments: [{{date: 2023-02-01, amount: 3000}}],
                 feedback: {{date: 2023-06-02, stars: 4, comment: "ok {text}"}}}}
        """,
    }


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(main, [str(a) for a in args])
    return result.exit_code, result.output


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_score_and_explain_print_no_control_sequence(make_project: MakeProject,
                                                     kind: str) -> None:
    project = make_project(project_files(HOSTILE[kind]))
    shown = []
    for args in (("score",), ("score", "--json"), ("explain",), ("explain", "--json")):
        code, out = invoke(*args, "--project", project)
        assert code == 0, out
        assert not CONTROL.search(out), (args, out)
        shown.append(out)
    assert "Job" in shown[0] and "Client" in shown[0]  # the titles are printed
    json.loads(shown[1])  # still JSON
    (project / "content/contracts/c.yml").write_text(
        f'contracts:\n  - {{id: bad, client: x, title: y, type: "fixed{HOSTILE[kind]}", '
        "start: 2023-01-02}\n", encoding="utf-8")
    code, out = invoke("check", "--project", project)
    assert code == 1 and "type must be" in out and not CONTROL.search(out)


def test_terminal_text_and_json() -> None:
    assert terminal_text("a\x1b]0;x\x07b\tc\nd\x9b\u202e") == "a?]0;x?b\tc\nd??"
    text = terminal_json({"t": "\x1b[2J\x9b\u202eé"})
    assert not CONTROL.search(text.replace("\n", ""))
    assert json.loads(text) == {"t": "\x1b[2J\x9b\u202eé"}
