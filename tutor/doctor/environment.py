"""Python, packages, terminal and course: what the course itself needs to work."""

from __future__ import annotations

import os
import platform
import shutil
import sys
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path
from typing import Any

from tutor.doctor.model import Check, everywhere, fixes

MIN_PYTHON = (3, 10)
# Distribution name -> why it matters. "required": the course cannot load or grade without it.
PACKAGES: dict[str, tuple[str, str]] = {
    "aisec-tutor": ("required", "the course engine"),
    "pytest": ("required", "runs the hidden checks"),
    "PyYAML": ("required", "reads the course manifest and quizzes"),
    "markdown-it-py": ("required", "reads the lessons"),
    "textual": ("tui", "the full-screen course (plain commands work without it)"),
    "ollama": ("ollama", "the Ollama lessons and the AI helper"),
    "httpx": ("ollama", "the transport of the ollama client"),
    "pydantic": ("ollama", "the response types of the ollama client"),
}
MIN_TUI = (80, 24)


def _reinstall() -> dict[str, str]:
    return everywhere("Reinstall the course into your environment: "
                      "'python -m pip install --upgrade aisec-tutor' (or, in a checkout, "
                      "'python -m pip install -e .').")


def python_check() -> tuple[dict[str, Any], Check]:
    info = sys.version_info
    version = platform.python_version()
    facts = {"version": version, "implementation": platform.python_implementation(),
             "executable": sys.executable,
             "supported": (info.major, info.minor) >= MIN_PYTHON}
    if facts["supported"]:
        return facts, Check("python", "python", "ok",
                            f"Python {version} ({facts['implementation']})", sys.executable)
    wanted = ".".join(map(str, MIN_PYTHON))
    return facts, Check(
        "python", "python", "error", f"Python {version} is too old: aisec needs {wanted}+",
        sys.executable,
        fixes(linux=f"Install Python {wanted} or newer (your package manager, or "
                    "https://www.python.org/downloads/), then reinstall aisec-tutor with it.",
              macos=f"Install Python {wanted} or newer from https://www.python.org/downloads/ "
                    "(or 'brew install python'), then reinstall aisec-tutor with it.",
              windows=f"Install Python {wanted} or newer from "
                      "https://www.python.org/downloads/ (or the Microsoft Store), then "
                      "reinstall aisec-tutor with it."),
    )


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def _major_minor(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def package_checks() -> tuple[dict[str, str | None], list[Check]]:
    versions = {dist: _version(dist) for dist in PACKAGES}
    checks: list[Check] = []
    missing = {kind: [d for d, (k, _) in PACKAGES.items() if k == kind and not versions[d]]
               for kind in ("required", "tui", "ollama")}
    if missing["required"]:
        names = ", ".join(missing["required"])
        checks.append(Check("packages-required", "packages", "error",
                            f"Missing packages the course needs: {names}",
                            "; ".join(f"{d}: {PACKAGES[d][1]}" for d in missing["required"]),
                            _reinstall()))
    if missing["tui"]:
        checks.append(Check("packages-tui", "packages", "warning",
                            "textual is missing: the full-screen course will not start",
                            "The plain commands (aisec list, lesson, check...) still work.",
                            _reinstall()))
    if missing["ollama"]:
        names = ", ".join(missing["ollama"])
        checks.append(Check("packages-ollama", "packages", "warning",
                            f"Missing {names}: the Ollama exercises and 'aisec ask' need them",
                            "Everything else works.", _reinstall()))
    client = versions.get("ollama")
    if client and _major_minor(client) < (0, 4):
        checks.append(Check("packages-ollama-old", "packages", "warning",
                            f"ollama {client} is older than 0.4",
                            "The lessons use the 0.4+ API (list() entries have .model).",
                            everywhere("'python -m pip install --upgrade \"ollama>=0.4\"'")))
    if not checks:
        shown = ", ".join(f"{d} {v}" for d, v in versions.items())
        checks.append(Check("packages", "packages", "ok", "All packages present", shown))
    return versions, checks


def _colors(env: Mapping[str, str], tty: bool) -> str:
    if "NO_COLOR" in env or not tty or env.get("TERM") == "dumb":
        return "none"
    if env.get("COLORTERM", "").lower() in ("truecolor", "24bit") or env.get("WT_SESSION"):
        return "truecolor"
    return "256" if "256color" in env.get("TERM", "") else "16"


def terminal_check(env: Mapping[str, str]) -> tuple[dict[str, Any], Check]:
    tty = sys.stdout.isatty()
    size = shutil.get_terminal_size()
    colors = _colors(env, tty)
    facts = {"tty": tty, "columns": size.columns, "lines": size.lines, "colors": colors,
             "term": env.get("TERM"), "no_color": "NO_COLOR" in env}
    shown = f"{size.columns}×{size.lines}, colours: {colors}"
    if not tty:
        return facts, Check("terminal", "terminal", "info",
                            f"Output is not a terminal (piped or captured); {shown}",
                            "Sizes are defaults; run 'aisec doctor' in your terminal to see its "
                            "real size.")
    if size.columns < MIN_TUI[0] or size.lines < MIN_TUI[1]:
        need = f"{MIN_TUI[0]}×{MIN_TUI[1]}"
        return facts, Check(
            "terminal", "terminal", "warning", f"Terminal is {shown}; the course needs {need}",
            "Plain commands work at any size; the full-screen course needs more room.",
            everywhere(f"Make the window larger (at least {need}), or reduce the font size."))
    detail = "Set NO_COLOR=1 to turn colours off." if colors != "none" else ""
    return facts, Check("terminal", "terminal", "ok", f"Terminal {shown}", detail)


def course_check(course_dir: Path | None) -> tuple[dict[str, Any], Check]:
    from tutor.course.layout import default_course_dir
    from tutor.course.loader import load_course
    from tutor.errors import ContentError
    from tutor.learner.paths import find_workspace

    root = course_dir or default_course_dir()
    workspace = find_workspace()
    facts: dict[str, Any] = {"root": str(root), "ok": False, "lessons": 0, "exercises": 0,
                             "workspace": str(workspace) if workspace else None, "error": None}
    try:
        course = load_course(root)
    except ContentError as exc:
        facts["error"] = [str(p) for p in exc.problems]
        return facts, Check("course", "course", "error",
                            f"The course in {root} has problems",
                            "\n".join(facts["error"][:5]),
                            everywhere("This is not your fault: reinstall aisec-tutor, or "
                                       "(course authors) run 'aisec verify-course'."))
    facts.update(ok=True, lessons=len(course.lessons), exercises=len(course.exercises),
                 title=course.title)
    where = (f"Workspace: {workspace}" if workspace else
             "No workspace here yet: 'aisec init' creates one.")
    return facts, Check("course", "course", "ok",
                        f"{course.title}: {len(course.lessons)} lessons, "
                        f"{len(course.exercises)} exercises", where)


def os_facts() -> dict[str, Any]:
    return {"system": platform.system(), "release": platform.release(),
            "machine": platform.machine(), "wsl": _is_wsl()}


def _is_wsl() -> bool:
    return sys.platform.startswith("linux") and (
        "microsoft" in platform.release().lower() or "WSL_DISTRO_NAME" in os.environ)
