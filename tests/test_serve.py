"""`aisec serve` serves an HTML page on loopback, and refuses other addresses by default."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

pytest.importorskip("textual_serve", reason="the 'serve' extra is part of the test extra")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_serve_answers_with_the_page_on_loopback(mini_workspace):
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--port", str(port)],
                            cwd=mini_workspace.root, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env={**os.environ, "NO_COLOR": "1"})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as reply:
                    page = reply.read().decode()
                    break
            except OSError:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "the server never answered"
                time.sleep(0.1)
        assert "<html" in page.lower() and "aisec-tutor" in page
        assert "googleapis" not in page, "opening the course contacts no third party"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_refuses_a_network_address_without_opt_in(mini_workspace, aisec):
    result = aisec("serve", "--host", "0.0.0.0", "--port", str(free_port()),
                   cwd=mini_workspace.root)
    assert result.code == 2 and "--allow-network" in result.err
