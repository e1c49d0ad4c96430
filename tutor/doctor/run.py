"""Gather the doctor's report; one failing probe never stops the others."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from typing import TypeVar

from tutor.doctor import environment, security
from tutor.doctor.model import Check, DoctorOptions, DoctorReport, everywhere
from tutor.doctor.ollama_server import OllamaFacts, binary_check, server_checks
from tutor.ollama.host import OllamaHost, OllamaHostError, resolve_host
from tutor.ollama.probe import get_json, lan_address

T = TypeVar("T")


def _safely(report: DoctorReport, section: str, step: Callable[[], T]) -> T | None:
    """Run one step; a bug in it becomes a warning in the report, not a traceback."""
    try:
        return step()
    except Exception as exc:
        report.checks.append(Check(
            f"{section}-internal", section, "warning",
            f"aisec could not check this ({type(exc).__name__}: {exc})",
            "This is a bug in aisec-tutor, not a problem with your setup.",
            everywhere("Please report it with the output of 'aisec doctor --json'.")))
        return None


def run_doctor(options: DoctorOptions | None = None) -> DoctorReport:
    options = options or DoctorOptions()
    env = os.environ if options.env is None else options.env
    report = DoctorReport(facts={"platform": environment.os_facts()})

    def python() -> None:
        report.facts["python"], check = environment.python_check()
        report.checks.append(check)

    def packages() -> None:
        report.facts["packages"], checks = environment.package_checks()
        report.checks.extend(checks)

    def terminal() -> None:
        report.facts["terminal"], check = environment.terminal_check(env)
        report.checks.append(check)

    def course() -> None:
        report.facts["course"], check = environment.course_check(options.course_dir)
        report.checks.append(check)

    for section, step in (("python", python), ("packages", packages),
                          ("terminal", terminal), ("course", course)):
        _safely(report, section, step)

    ollama = OllamaFacts()
    report.facts["ollama"] = ollama.to_json()
    _safely(report, "ollama", lambda: _ollama(report, ollama, options, env))
    report.facts["ollama"] = ollama.to_json()
    return report


def _ollama(report: DoctorReport, facts: OllamaFacts, options: DoctorOptions,
            env: Mapping[str, str]) -> None:
    report.checks.append(binary_check(facts))
    target: OllamaHost | None
    try:
        target = resolve_host(None, env)
    except OllamaHostError as exc:
        facts.error = str(exc)
        report.checks.append(Check(
            "ollama-host", "ollama", "error" if options.require_ollama else "warning",
            "OLLAMA_HOST is not a valid address", str(exc),
            everywhere("Fix or unset OLLAMA_HOST (Windows: Remove-Item Env:OLLAMA_HOST).")))
        target = None
    if target is not None:
        report.checks.extend(server_checks(
            target, facts, allow_remote=options.allow_remote,
            require=options.require_ollama, timeout=options.timeout,
            wsl=bool(report.facts["platform"].get("wsl"))))
    findings = security.env_findings(env, target, options.allow_remote)
    if facts.reachable and target is not None:
        findings += _server_findings(facts, target, options.timeout)
    report.checks.extend(findings or [security.all_clear()])


def _server_findings(facts: OllamaFacts, target: OllamaHost, timeout: float) -> list[Check]:
    found: list[Check] = []
    if facts.version and (old := security.outdated(facts.version)):
        found.append(old)
    if cloud := security.cloud_models([m["name"] for m in facts.models if m["name"]]):
        found.append(cloud)
    if target.on_this_machine:
        # Does the local server also answer on this machine's network address?
        address = lan_address()
        if address:
            exposed = resolve_host(f"http://{address}:{target.port}", {})
            if get_json(exposed, "/api/version", min(timeout, 1.0), direct=True).ok:
                found.append(security.exposed_on_network(address, target.port))
    return found
