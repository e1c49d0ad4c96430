"""The warm grader's own process: pytest imported once, a fresh fork for every grading.

Started by :mod:`tutor.grader.warm` as ``python -I -B -c <bootstrap> FD PRELOAD
ON_DEMAND`` in a session of its own, with the same scrubbed environment and private
working directory as a cold grading child. It imports pytest, its built-in plugins,
the checks plugin, its fixtures' modules and the modules the course's checks use,
says ``ready``, and then waits on the socket ``FD`` for requests. A heavy package
that only some check files use (``ON_DEMAND``) is imported when a request first
names it, before that request's fork.

A request is one JSON line (the cold child's configuration plus ``workdir``)
with one file descriptor attached: the write end of the pipe that is to be the
grading's stdout and stderr. For each request this process forks once; the fork
becomes exactly what a cold child is (its own session, stdin from /dev/null,
the private working directory, then :func:`tutor.grader.child.grade_in_this_process`:
the supervisor, resource limits, pytest with our ini and ``--noconftest``). It
replies ``{"pid": N}`` and, when the fork has ended, ``{"exit": CODE}``.

This process never imports learner code and never runs a pytest session itself
(it only registers pytest's built-in plugins in a configuration each fork then
uses once), so every fork starts from the same clean state: nothing a grading
does (to modules, environment, files it opened) can reach the next one. It forks
only while it has a single thread (a fork of a threaded process may inherit a
held lock) and otherwise answers ``{"error": ...}``, and the parent grades cold.
When the parent goes away (its end of the socket closes), it stops the grading
in progress, which sweeps every process the learner started, and exits.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import signal
import socket
import threading
import time
from typing import Any

MESSAGE_CAP = 1024 * 1024  # bytes of one request
STOP_GRACE = 5.0  # as tutor.grader.process: time for the supervisor's sweep


def preload(names: list[str]) -> None:
    """Import what every grading needs, so that each fork starts with it."""
    import pytest  # noqa: F401  (the point is the import)
    from _pytest.config import default_plugins

    for plugin in default_plugins:
        with contextlib.suppress(ImportError):
            importlib.import_module(f"_pytest.{plugin}")
    for module in ("tutor.grader.plugin", "tutor.grader.child", "ctypes", "resource"):
        importlib.import_module(module)
    from tutor.grader.plugin import FIXTURE_MODULES

    for module in FIXTURE_MODULES:
        importlib.import_module(module)
    # What pytest's own plugins import when each session is set up (pdb for the debugging
    # plugin, readline for the capture plugin, argcomplete for the option parser).
    for module in ("pdb", "readline", "faulthandler", "_pytest._argcomplete"):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    for name in names:
        with contextlib.suppress(Exception):  # a module that will not import is the checks' problem
            importlib.import_module(name)
    from tutor.grader.child import prepare_pytest

    prepare_pytest()
    # What was imported stays for good: keep it out of every later collection (pytest
    # collects several times as it ends) and its pages shared with the forks.
    gc.freeze()


def import_on_demand(names: object, allowed: frozenset[str], tried: set[str],
                     channel: _Channel) -> None:
    """Import the heavy packages a request's check file uses, once, before its fork.

    Only names the parent allowed at start (``allowed``) are imported, whatever a
    request says. The parent is told first: the import may take seconds, where a
    reply to a request normally comes at once.
    """
    wanted = [n for n in names if isinstance(n, str) and n in allowed
              and n not in tried] if isinstance(names, list) else []
    if not wanted:
        return
    channel.send({"importing": wanted})
    for name in wanted:
        tried.add(name)  # once: a package that will not import fails in the fork as well
        with contextlib.suppress(Exception):
            importlib.import_module(name)
    gc.freeze()


def _threads() -> int:
    """Threads in this process, counting ones a C extension started."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return threading.active_count()


class _Channel:
    """Newline-delimited JSON over the socket, with file descriptors on requests."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        self.sock.sendall(json.dumps(message).encode() + b"\n")

    def receive(self) -> tuple[dict[str, Any], list[int]] | None:
        """The next request and its descriptors; None when the parent has gone."""
        fds: list[int] = []
        while b"\n" not in self._buffer:
            data, got, _flags, _addr = socket.recv_fds(self.sock, 65536, 4)
            fds.extend(got)
            if not data or len(self._buffer) > MESSAGE_CAP:
                for fd in fds:
                    os.close(fd)
                return None
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        request = json.loads(line)
        return (request, fds) if isinstance(request, dict) else ({}, fds)


def _become_grading(config: dict[str, Any], output: int, closing: list[int]) -> int:
    """In the fork: turn into a cold child's equivalent, then grade."""
    from tutor.grader.child import grade_in_this_process

    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    for fd in closing:
        with contextlib.suppress(OSError):
            os.close(fd)
    os.setsid()  # a session and process group of its own, as a cold child has
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.dup2(output, 1)
    os.dup2(output, 2)
    for fd in (devnull, output):
        os.close(fd)
    os.chdir(config["workdir"])
    return grade_in_this_process(config)


def _wait_for(pid: int, channel: _Channel, wakeup: int) -> int | None:
    """The fork's exit status, or None if the parent left first (the fork is then stopped)."""
    watched: list[socket.socket | int] = [channel.sock, wakeup]
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.waitstatus_to_exitcode(status)
        readable, _w, _x = select.select(watched, [], [])
        if wakeup in readable:
            with contextlib.suppress(OSError):
                os.read(wakeup, 512)
        if channel.sock not in readable:
            continue
        if channel.sock.recv(1, socket.MSG_PEEK):
            watched = [wakeup]  # the parent spoke out of turn: read it after this grading
        else:
            _stop(pid)  # the parent is gone
            return None


def _stop(pid: int) -> None:
    """Ask the fork's supervisor to sweep; kill its whole group if it has not left in time."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE
    while time.monotonic() < deadline:
        if os.waitpid(pid, os.WNOHANG)[0]:
            return
        time.sleep(0.01)
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def serve(channel: _Channel, on_demand: frozenset[str] = frozenset()) -> int:
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda _signum, _frame: None)  # wakes the select above
    channel.send({"ready": True, "pid": os.getpid()})
    tried: set[str] = set()
    while (received := channel.receive()) is not None:
        request, fds = received
        if len(fds) != 1 or "workdir" not in request:
            for fd in fds:
                os.close(fd)
            channel.send({"error": "a request needs a configuration and one descriptor"})
            continue
        import_on_demand(request.get("imports"), on_demand, tried, channel)
        if _threads() != 1:
            os.close(fds[0])
            channel.send({"error": "the warm grader has more than one thread"})
            continue
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                code = _become_grading(request, fds[0],
                                       [channel.sock.fileno(), wake_read, wake_write])
            finally:
                os._exit(code)
        os.close(fds[0])
        channel.send({"pid": pid})
        status = _wait_for(pid, channel, wake_read)
        if status is None:
            return 0
        channel.send({"exit": status})
    return 0


def main(argv: list[str]) -> int:
    sock = socket.socket(fileno=int(argv[1]))
    preload(json.loads(argv[2]))
    on_demand = frozenset(json.loads(argv[3])) if len(argv) > 3 else frozenset()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        return serve(_Channel(sock), on_demand)
    return 0
