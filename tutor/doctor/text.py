"""The doctor's report as plain text: one line per check, details and fixes below it.

Checks quote what others wrote: a server's version and model names, environment
variables, error texts. Every line goes through :mod:`tutor.text.safe` here, so an
escape sequence in them is shown, never obeyed; ``--json`` keeps the exact data.
"""

from __future__ import annotations

from tutor.doctor.model import PLATFORM_NAMES, PLATFORMS, Check, DoctorReport, current_platform
from tutor.text.safe import safe_line, safe_text
from tutor.text.terminal import Style, wrap

SECTIONS = (
    ("python", "Python"),
    ("packages", "Packages"),
    ("terminal", "Terminal"),
    ("course", "Course"),
    ("ollama", "Ollama (optional: every exercise passes without it)"),
    ("security", "Security and privacy"),
)


def _mark(status: str, style: Style) -> str:
    if status == "ok":
        return style.green("✓" if style.unicode else "ok")
    if status == "error":
        return style.red("✗" if style.unicode else "x")
    if status == "warning":
        return style.yellow("!")
    return style.dim("i")


def _check_lines(check: Check, style: Style, here: str) -> list[str]:
    lines = [f"  {_mark(check.status, style)} {safe_line(check.summary)}"]
    if check.detail:
        text = wrap(safe_text(check.detail), "      ")
        lines.append(style.dim(text) if check.status == "ok" else text)
    if check.fix and check.status != "ok":
        for key in (here, *(p for p in PLATFORMS if p != here)):
            if key in check.fix:
                label = "Fix" if key == here else f"On {PLATFORM_NAMES[key]}"
                text = wrap(safe_text(f"{label}: {check.fix[key]}"), "      ")
                lines.append(text if key == here else style.dim(text))
    return lines


def render_text(report: DoctorReport, style: Style, platform: str | None = None) -> str:
    here = platform or current_platform()
    out = [style.bold("aisec doctor: what works, and how to fix what doesn't"), ""]
    for section, title in SECTIONS:
        checks = [c for c in report.checks if c.section == section]
        if not checks:
            continue
        out.append(style.bold(title))
        for check in checks:
            out += _check_lines(check, style, here)
        out.append("")
    out.append(_summary(report, style))
    return "\n".join(out)


def _summary(report: DoctorReport, style: Style) -> str:
    warnings = sum(c.status == "warning" for c in report.checks)
    noted = f" ({warnings} warning{'s' if warnings != 1 else ''} above)" if warnings else ""
    if report.exit_code:
        if all(c.section in ("ollama", "security") for c in report.checks
               if c.status == "error"):
            return style.red("Ollama is required here (--require-ollama) and is not ready: "
                             "see the fixes above.")
        return style.red("Some problems stop the course from working: fix the items "
                         "marked ✗ above." if style.unicode else
                         "Some problems stop the course from working: fix the items "
                         "marked x above.")
    if report.ollama_ready:
        return style.green(f"The course works and Ollama is ready{noted}.")
    return style.green(f"The course works{noted}.") + (
        " Ollama is optional and not ready yet: see its fixes above.")
