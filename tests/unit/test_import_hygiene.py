"""`aisec --help` must feel instant: it may not import the TUI or the model client."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("textual", "ollama", "httpx", "pydantic", "rich", "pytest", "yaml", "markdown_it",
         "mcp", "mcp_types", "anyio")  # the MCP SDK: only the mcp_pinning lab's checks need it

PROBE = """
import sys
from tutor.cli.main import main
try:
    main(["--help"])
except SystemExit:
    pass
print(",".join(sorted(m.split(".")[0] for m in sys.modules)))
"""


def test_help_imports_nothing_heavy():
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                            check=True)
    loaded = set(result.stdout.strip().splitlines()[-1].split(","))
    assert not loaded & set(HEAVY), f"--help imported {sorted(loaded & set(HEAVY))}"


def test_python_dash_m_tutor_works():
    result = subprocess.run([sys.executable, "-m", "tutor", "--version"], capture_output=True,
                            text=True)
    assert result.returncode == 0 and result.stdout.startswith("aisec-tutor ")


LIST_PROBE = """
import sys
from tutor.cli.main import main
main(["--workspace", sys.argv[1], "list"])
print(",".join(sorted(m.split(".")[0] for m in sys.modules)))
"""


def test_plain_commands_do_not_import_the_tui_or_the_model_client(mini_workspace):
    result = subprocess.run([sys.executable, "-c", LIST_PROBE, str(mini_workspace.root)],
                            capture_output=True, text=True, check=True)
    loaded = set(result.stdout.strip().splitlines()[-1].split(","))
    assert not loaded & {"textual", "ollama", "httpx", "pydantic", "mcp"}, sorted(loaded)
    assert not loaded & {"watchfiles", "anyio"}, "only watching needs the file events"
    # The first listing kept the course index and the manifest's tree: now no parser.
    again = subprocess.run([sys.executable, "-c", LIST_PROBE, str(mini_workspace.root)],
                           capture_output=True, text=True, check=True)
    loaded = set(again.stdout.strip().splitlines()[-1].split(","))
    assert not loaded & {"yaml", "markdown_it"}, sorted(loaded & {"yaml", "markdown_it"})


COMMANDS_PROBE = """
import sys
from tutor.cli.main import main
try:
    main(["check", "--help"])
except SystemExit:
    pass
print(",".join(sorted(m for m in sys.modules if m.startswith("tutor.cli"))))
"""


def test_parsing_imports_no_command_module():
    result = subprocess.run([sys.executable, "-c", COMMANDS_PROBE], capture_output=True,
                            text=True, check=True)
    loaded = set(result.stdout.strip().splitlines()[-1].split(","))
    assert not {m for m in loaded if m.startswith("tutor.cli.commands.")}, sorted(loaded)



CLASS_PROBE = """
import sys
import tutor.cli.commands.class_summary
import tutor.workshop.class_summary
print(",".join(sorted(sys.modules)))
"""


def test_the_class_summary_does_not_load_the_workspace_or_the_labs():
    # `aisec class` reads a thousand reports in about a second: the workspace's imports
    # (labs, the fake Ollama server, http.server) would be a tenth of that before any work
    result = subprocess.run([sys.executable, "-c", CLASS_PROBE], capture_output=True,
                            text=True, check=True)
    loaded = set(result.stdout.strip().splitlines()[-1].split(","))
    heavy = {m for m in loaded if m.split(".")[0] in HEAVY or m in {"http.server"}
             or m.startswith(("tutor.learner.workspace", "tutor.labs", "tutor.fake_ollama"))}
    assert not heavy, sorted(heavy)


def test_the_app_and_the_workspace_do_not_load_the_lab_judge_or_the_fake_server():
    # a lab's score names are all the workspace needs; the judge brings the gullible
    # model and the fake Ollama server in (about 50 ms of the app's start before)
    probe = ("import sys, tutor.tui.app, tutor.learner.workspace\n"
             "print(','.join(sorted(sys.modules)))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                            check=True)
    loaded = set(result.stdout.strip().splitlines()[-1].split(","))
    assert not {m for m in loaded if m.startswith(("tutor.fake_ollama", "tutor.labs.judge",
                                                   "tutor.labs.score"))}
