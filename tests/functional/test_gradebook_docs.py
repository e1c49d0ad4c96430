"""The facilitator guide's class summary and Canvas gradebook examples are real runs:
the same reports and roster, run again, print what section 7 shows."""

from __future__ import annotations

import json
from pathlib import Path

from tests.unit.test_graded_in import GOOD

ROOT = Path(__file__).resolve().parents[2]
GUIDE = (ROOT / "docs" / "facilitator.md").read_text(encoding="utf-8")
CI_RUN = {**GOOD, "run_url": "https://github.com/acme-course/ana-aisec/actions/runs/12345678901",
          "repository": "acme-course/ana-aisec", "run_id": "12345678901"}
CANVAS_EXPORT = """Student,ID,SIS User ID,SIS Login ID,Section,Final Score
    Points Possible,,,,,(read only)
"Silva, Ana",101,s1001,ana,AI security 1,
"Li, Bo",102,s1002,bo,AI security 1,
"Martin, Chloé",103,s1003,chloe,AI security 1,
"Diaz, Cy",104,s1004,cy,AI security 1,
"""


def report(name: str, statuses: dict[str, tuple[str, int]], graded_in: dict | None = None):
    data = {"schema": "aisec-report", "schema_version": 1, "name": name,
            "course": {"id": "aisec", "title": "x"}, "tool_version": "0.1.0", "track": None,
            "summary": {}, "lessons": [],
            "exercises": [{"id": ex, "status": st, "attempts": n, "hints_revealed": 0}
                          for ex, (st, n) in statuses.items()]}
    if graded_in:
        data["graded_in"] = graded_in
    return json.dumps(data)


def the_guides_reports(tmp_path: Path, names: tuple[str, str, str]) -> Path:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "ana.json").write_text(report(names[0], {
        "mask_secret": ("passed", 1), "strip_invisible": ("failed", 2), "luhn": ("passed", 1)},
        CI_RUN))
    (folder / "bo.json").write_text(report(names[1], {
        "mask_secret": ("passed", 1), "strip_invisible": ("pending", 0), "luhn": ("pending", 0)}))
    (folder / "chloe.json").write_text(report(names[2], {
        "mask_secret": ("failed", 6), "strip_invisible": ("failed", 2), "luhn": ("pending", 0)}))
    (folder / "broken.json").write_text("")
    (folder / "foreign.json").write_text('{"hello": 1}')
    return folder


def test_the_class_summary_example_is_a_real_run(tmp_path, aisec):
    the_guides_reports(tmp_path, ("Ana", "Bo", "Chloé"))
    result = aisec("class", "reports/", "--format", "md", cwd=tmp_path)
    assert result.code == 0, result.err
    assert f"```text\n{result.out}```" in GUIDE


def test_the_canvas_example_is_a_real_run(tmp_path, aisec):
    the_guides_reports(tmp_path, ("ana", "bo", "Chloé"))
    (tmp_path / "canvas-export.csv").write_text(CANVAS_EXPORT, encoding="utf-8")
    result = aisec("class", "reports/", "--gradebook", "canvas", "--roster", "canvas-export.csv",
                   "-o", "canvas-import.csv", cwd=tmp_path)
    assert result.code == 0, result.err
    notes = "".join(line + "\n" for line in result.err.splitlines()
                    if not line.startswith("skipped "))
    assert f"```text\n{notes}```" in GUIDE
    written = (tmp_path / "canvas-import.csv").read_bytes().decode("utf-8")
    assert f"```text\n{written.replace(chr(13), '')}```" in GUIDE
