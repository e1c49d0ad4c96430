"""The doctor's findings as data: one :class:`Check` per line of the report."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Status = Literal["ok", "info", "warning", "error"]
PLATFORMS = ("linux", "macos", "windows")
PLATFORM_NAMES = {"linux": "Linux", "macos": "macOS", "windows": "Windows"}
SCHEMA_VERSION = 1


def current_platform() -> str:
    if sys.platform.startswith("win"):
        return "windows"
    return "macos" if sys.platform == "darwin" else "linux"


def fixes(linux: str, macos: str, windows: str) -> dict[str, str]:
    return {"linux": linux, "macos": macos, "windows": windows}


def everywhere(text: str) -> dict[str, str]:
    return fixes(text, text, text)


def listing(names: list[str], shown: int = 10) -> str:
    """Names a server sent, for one line: the first few, each cut short, then how many
    more (a server can list thousands, or names a megabyte long)."""
    cut = [name if len(name) <= 80 else name[:79] + "…" for name in names[:shown]]
    more = len(names) - shown
    return ", ".join(cut) + (f" and {more} more" if more > 0 else "")


@dataclass(frozen=True)
class Check:
    """One thing the doctor looked at: its verdict, and a fix for each system."""

    id: str
    section: str  # python | packages | terminal | course | ollama | security
    status: Status
    summary: str
    detail: str = ""
    fix: Mapping[str, str] | None = None  # keys: linux, macos, windows

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "section": self.section, "status": self.status,
                "summary": self.summary, "detail": self.detail,
                "fix": dict(self.fix) if self.fix else None}


@dataclass(frozen=True)
class DoctorOptions:
    require_ollama: bool = False  # a missing or stopped server is an error (exit 1)
    allow_remote: bool = False  # may contact an OLLAMA_HOST that is not this machine
    course_dir: Path | None = None
    env: Mapping[str, str] | None = None  # default: os.environ
    timeout: float = 2.0  # per request to the Ollama server


@dataclass
class DoctorReport:
    facts: dict[str, Any]  # python, packages, terminal, course, ollama: raw data
    checks: list[Check] = field(default_factory=list)

    @property
    def ollama_ready(self) -> bool:
        return bool(self.facts.get("ollama", {}).get("reachable"))

    @property
    def exit_code(self) -> int:
        """0 when the course works (Ollama warnings included), 1 when something is an error."""
        return 1 if any(c.status == "error" for c in self.checks) else 0

    def to_json(self) -> dict[str, Any]:
        checks = [c.to_json() for c in self.checks]
        return {
            "schema_version": SCHEMA_VERSION,
            "ok": self.exit_code == 0,
            "exit_code": self.exit_code,
            "ollama_ready": self.ollama_ready,
            **self.facts,
            "checks": checks,
            "findings": [c for c in checks if c["section"] == "security"],
        }
