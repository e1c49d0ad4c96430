"""`aisec doctor`: honest about Ollama, never a traceback, always valid JSON."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tutor.doctor import DoctorOptions, render_text, run_doctor
from tutor.doctor.security import env_findings
from tutor.fake_ollama import FakeOllama
from tutor.ollama.host import resolve_host
from tutor.text.terminal import Style

OLLAMA_VARS = ("OLLAMA_HOST", "OLLAMA_ORIGINS", "OLLAMA_API_KEY", "HTTP_PROXY", "HTTPS_PROXY",
               "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")


@pytest.fixture
def env(monkeypatch):
    """A clean Ollama environment; tests set what they need with env.setenv."""
    for name in OLLAMA_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.fixture
def closed_port():
    """A loopback port where nothing listens: bound but not listening, so connects are refused."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    yield sock.getsockname()[1]
    sock.close()


def doctor(aisec, tmp_path, *args):
    result = aisec("doctor", *args, cwd=tmp_path)
    assert "Traceback" not in result.err, result.err
    return result


def doctor_json(aisec, tmp_path, *args):
    result = doctor(aisec, tmp_path, "--json", *args)
    data = json.loads(result.out)  # --json is always valid JSON
    assert data["exit_code"] == result.code
    assert {"python", "packages", "terminal", "course", "ollama", "checks",
            "findings"} <= set(data)
    return result, data


def ids(data):
    return {c["id"]: c for c in data["checks"]}


# -- command line, as a learner runs it ---------------------------------------------


def test_no_server_is_a_warning_with_start_and_install_advice(env, tmp_path, aisec, closed_port):
    env.setenv("OLLAMA_HOST", f"127.0.0.1:{closed_port}")
    result = doctor(aisec, tmp_path)
    assert result.code == 0
    assert f"No Ollama server at http://127.0.0.1:{closed_port}" in result.out
    assert "connection refused" in result.out and "ollama serve" in result.out
    assert "The course works" in result.out

    result, data = doctor_json(aisec, tmp_path)
    assert result.code == 0 and data["ok"] and not data["ollama_ready"]
    server = ids(data)["ollama-server"]
    assert server["status"] == "warning" and set(server["fix"]) == {"linux", "macos", "windows"}
    assert "ollama serve" in server["fix"]["linux"] and data["ollama"]["error"]


def test_require_ollama_turns_no_server_into_exit_1(env, tmp_path, aisec, closed_port):
    env.setenv("OLLAMA_HOST", f"127.0.0.1:{closed_port}")
    result = doctor(aisec, tmp_path, "--require-ollama")
    assert result.code == 1 and "--require-ollama" in result.out
    result, data = doctor_json(aisec, tmp_path, "--require-ollama")
    assert result.code == 1 and data["ok"] is False
    assert ids(data)["ollama-server"]["status"] == "error"


def test_running_server_reports_version_and_models(env, tmp_path, aisec):
    with FakeOllama() as fake:
        env.setenv("OLLAMA_HOST", fake.host)
        result = doctor(aisec, tmp_path, "--require-ollama")
        assert result.code == 0
        assert f"Ollama 0.17.1 is running at {fake.url}" in result.out
        assert "3 models: llama3.2:1b, gemma3:1b, nomic-embed-text:latest" in result.out
        assert "Recommended model present: llama3.2:1b" in result.out
        result, data = doctor_json(aisec, tmp_path)
    assert data["ollama_ready"] and data["ollama"]["version"] == "0.17.1"
    assert [m["name"] for m in data["ollama"]["models"]][:2] == ["llama3.2:1b", "gemma3:1b"]
    assert data["ollama"]["recommended_present"] == ["llama3.2:1b", "gemma3:1b"]
    assert ids(data)["security-ok"]["status"] == "ok"


def test_missing_recommended_model_and_old_server(env, tmp_path, aisec):
    script = {"version": "0.1.32", "models": ["tinyllama", "gpt-oss:120b-cloud"]}
    with FakeOllama(script=script) as fake:
        env.setenv("OLLAMA_HOST", fake.host)
        result, data = doctor_json(aisec, tmp_path)
    checks = ids(data)
    assert result.code == 0
    assert checks["ollama-recommended"]["status"] == "warning"
    assert "ollama pull llama3.2:1b" in checks["ollama-recommended"]["fix"]["windows"]
    assert "CVE-2026-7482" in checks["ollama-outdated"]["detail"]
    assert "ollama.com" in checks["ollama-cloud-models"]["detail"]


def test_bind_all_host_warns_about_exposure_and_still_finds_the_server(env, tmp_path, aisec):
    with FakeOllama() as fake:
        port = fake.port
        env.setenv("OLLAMA_HOST", f"0.0.0.0:{port}")
        result = doctor(aisec, tmp_path)
        assert result.code == 0
        assert f"OLLAMA_HOST=0.0.0.0:{port} exposes Ollama to your whole network" in (
            result.out)
        result, data = doctor_json(aisec, tmp_path)
    finding = ids(data)["ollama-host-bind-all"]
    assert finding["section"] == "security" and finding in data["findings"]
    assert "systemctl" in finding["fix"]["linux"] and "launchctl" in finding["fix"]["macos"]
    assert "SetEnvironmentVariable" in finding["fix"]["windows"]
    assert data["ollama_ready"]  # aisec connected to 127.0.0.1 on the same port
    assert data["ollama"]["host"]["connect_url"] == f"http://127.0.0.1:{port}"


def test_origins_wildcard_is_a_finding(env, tmp_path, aisec, closed_port):
    env.setenv("OLLAMA_HOST", f"127.0.0.1:{closed_port}")
    env.setenv("OLLAMA_ORIGINS", "http://localhost:3000,*")
    result, data = doctor_json(aisec, tmp_path)
    assert result.code == 0
    finding = ids(data)["ollama-origins-wildcard"]
    assert finding["status"] == "warning" and "any web" in finding["detail"]
    assert "OLLAMA_ORIGINS" in doctor(aisec, tmp_path).out


def test_remote_host_is_not_contacted_without_opt_in(env, tmp_path, aisec):
    env.setenv("OLLAMA_HOST", "http://192.0.2.1:11434")  # TEST-NET: would hang if contacted
    result, data = doctor_json(aisec, tmp_path)
    checks = ids(data)
    assert result.code == 0 and data["ollama"]["probed"] is False
    assert "Not contacted" in checks["ollama-server"]["summary"]
    assert checks["ollama-host-remote"]["status"] == "warning"
    assert "clear text" in checks["ollama-host-no-tls"]["detail"]
    assert "ssh -N -L" in checks["ollama-host-no-tls"]["fix"]["linux"]


def test_api_key_with_a_foreign_host(env, tmp_path, aisec):
    # No OLLAMA_HOST: the client would send the ollama.com key to the default local port.
    env.setenv("OLLAMA_API_KEY", "not-a-real-key")
    result, data = doctor_json(aisec, tmp_path)
    finding = ids(data)["ollama-api-key-foreign-host"]
    assert "bearer token" in finding["detail"] and "127.0.0.1:11434" in finding["summary"]
    assert "not-a-real-key" not in result.out  # never echo the secret


def test_invalid_ollama_host_is_explained_not_a_crash(env, tmp_path, aisec):
    env.setenv("OLLAMA_HOST", "localhost:abc")
    result, data = doctor_json(aisec, tmp_path)
    assert result.code == 0
    assert "not a valid address" in ids(data)["ollama-host"]["detail"]
    assert doctor(aisec, tmp_path).code == 0


def test_something_else_on_the_port_is_not_ollama(env, tmp_path, aisec):
    class NotOllama(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), NotOllama)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        env.setenv("OLLAMA_HOST", f"127.0.0.1:{server.server_address[1]}")
        result, data = doctor_json(aisec, tmp_path)
    finally:
        server.shutdown()
        server.server_close()
    assert result.code == 0
    assert "it is not Ollama" in ids(data)["ollama-server"]["summary"]


# -- in process: the pieces ----------------------------------------------------------------


def test_env_findings_are_pure_and_complete():
    def found(env):
        target = resolve_host(None, env)
        return {c.id for c in env_findings(env, target, allow_remote=False)}

    assert found({}) == set()
    assert found({"OLLAMA_HOST": "127.0.0.1:11434", "OLLAMA_ORIGINS": "app://x"}) == set()
    assert found({"OLLAMA_HOST": "[::]:11434"}) == {"ollama-host-bind-all"}
    assert found({"OLLAMA_HOST": "192.168.1.20"}) == {"ollama-host-remote",
                                                      "ollama-host-no-tls"}
    assert found({"OLLAMA_HOST": "https://llm.example.com"}) == {"ollama-host-remote"}
    assert found({"OLLAMA_ORIGINS": "https://*"}) == {"ollama-origins-wildcard"}
    assert found({"OLLAMA_API_KEY": "k"}) == {"ollama-api-key-foreign-host"}
    assert found({"OLLAMA_API_KEY": "k", "OLLAMA_HOST": "https://ollama.com"}) == {
        "ollama-host-remote"}


def test_every_finding_has_a_fix_for_each_system():
    report = run_doctor(DoctorOptions(env={"OLLAMA_HOST": "http://10.1.2.3:11434",
                                           "OLLAMA_ORIGINS": "*", "OLLAMA_API_KEY": "k"}))
    warnings = [c for c in report.checks if c.status in ("warning", "error")]
    assert warnings
    for check in warnings:
        assert check.fix and set(check.fix) == {"linux", "macos", "windows"}, check.id
        assert all(text.strip() for text in check.fix.values()), check.id


def test_text_shows_the_current_systems_fix_first(closed_port):
    report = run_doctor(DoctorOptions(env={"OLLAMA_HOST": f"127.0.0.1:{closed_port}"}))
    text = render_text(report, Style(), platform="windows")
    server = text[text.index("No Ollama server"):]
    assert server.index("Fix: ") < server.index("On Linux:") < server.index("On macOS:")
    assert "Start menu" in server.split("On Linux:")[0]


def test_a_bug_in_one_step_is_a_warning_not_a_crash(monkeypatch, closed_port):
    from tutor.doctor import environment

    def broken(_course_dir):
        raise RuntimeError("boom")

    monkeypatch.setattr(environment, "course_check", broken)
    report = run_doctor(DoctorOptions(env={"OLLAMA_HOST": f"127.0.0.1:{closed_port}"}))
    internal = [c for c in report.checks if c.id == "course-internal"]
    assert internal and "RuntimeError: boom" in internal[0].summary
    assert report.exit_code == 0 and json.dumps(report.to_json())


def test_a_proxy_wanting_credentials_is_named_as_such(tmp_path):
    """401 from a remote host: say it wants a token, not that another program took the port."""
    import http.server
    import json as _json
    import subprocess as _subprocess
    import sys as _sys
    import threading

    class Refuse(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(401)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Refuse)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        # 127.1 reaches it but does not count as this machine (no DNS: fail closed).
        env = {**__import__("os").environ, "NO_COLOR": "1",
               "OLLAMA_HOST": f"http://127.1:{server.server_address[1]}"}
        result = _subprocess.run([_sys.executable, "-m", "tutor", "doctor", "--json",
                                  "--allow-remote"], cwd=tmp_path, env=env,
                                 capture_output=True, text=True, timeout=60)
    finally:
        server.shutdown()
    report = _json.loads(result.stdout)
    server_check = next(c for c in report["checks"] if c["id"] == "ollama-server")
    assert "wants credentials" in server_check["summary"], server_check
