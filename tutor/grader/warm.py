"""The warm grader, from the parent's side: keep a fork server ready, lease it per grading.

A cold grading starts Python, imports pytest and the checks' dependencies, and
only then runs the learner's code: most of a second, of which the checks take a
few milliseconds. A warm grader (:mod:`tutor.grader.forkserver`) has done the
imports once and forks a fresh child for each grading, which then holds every
guarantee of a cold child (:mod:`tutor.grader.process` watches, limits and
stops both the same way).

Long-lived front ends ask for it: the TUI and ``aisec watch`` call
:func:`keep_warm` with one worker, ``aisec check --all`` with one per CPU.
One-off commands grade cold, since a warm grader would cost them a cold start
anyway. Cold is also the fallback, with the same verdicts, wherever a warm
grader cannot be used: no ``fork`` or descriptor passing (Windows), a fork
server that did not start, died or refuses (it forks only while it has a single
thread), or ``AISEC_GRADER=cold`` in the environment.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from tutor.grader import preload as ahead  # what fork servers import ahead
from tutor.grader.process import PACKAGE_PARENT, Starter, child_env

READY_TIMEOUT = 60.0  # importing pytest and the checks' modules on a busy machine
MAX_FAILURES = 3  # fork servers that died or refused before this process stops starting them
REPLY_TIMEOUT = 10.0  # a fork server answers a request at once; longer means it is stuck
CLOSE_WAIT = 10.0  # how long closing waits for a grading still using a server
_BOOTSTRAP = (
    "import sys; sys.path.append({root!r}); "
    "from tutor.grader.forkserver import main; sys.exit(main(sys.argv))"
)


def available() -> bool:
    """Whether this platform and environment allow a warm grader at all."""
    return (os.name == "posix" and hasattr(os, "fork") and hasattr(socket, "send_fds")
            and os.environ.get("AISEC_GRADER", "").lower() != "cold")


class ForkServerGone(Exception):
    """The fork server stopped answering; the grading goes cold."""


class ForkedChild:
    """One grading forked by the fork server; to the watcher it is like a cold child's Popen."""

    def __init__(self, server: WarmGrader, pid: int, stdout: IO[bytes]) -> None:
        self._server = server
        self.pid = pid
        self.stdout: IO[bytes] | None = stdout
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        # Thread-safe, as Popen.wait is: quitting stops a grading from another thread.
        if self.returncode is None:
            self._server.wait_for_exit(self, timeout)
        assert self.returncode is not None
        return self.returncode

    def poll(self) -> int | None:
        with contextlib.suppress(subprocess.TimeoutExpired):
            return self.wait(0)
        return None

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)


class WarmGrader:
    """One fork server process, used by one grading at a time (see :class:`Pool`)."""

    def __init__(self, preload: list[str], on_demand: frozenset[str] | None = None) -> None:
        ours, theirs = socket.socketpair()
        self._on_demand = ahead.ON_DEMAND if on_demand is None else on_demand
        self._sock = ours
        self._buffer = b""
        self._home = tempfile.TemporaryDirectory(prefix="aisec-warm-")
        self.ready = False
        self.dead = False
        self.forked = 0  # gradings this server forked
        self._reading = threading.Lock()
        with theirs:
            self._proc = subprocess.Popen(
                [sys.executable, "-I", "-B", "-c", _BOOTSTRAP.format(root=PACKAGE_PARENT),
                 str(theirs.fileno()), json.dumps(preload), json.dumps(sorted(self._on_demand))],
                pass_fds=[theirs.fileno()], cwd=self._home.name, env=child_env(),
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                start_new_session=True)

    def reply(self, timeout: float | None) -> dict[str, Any]:
        """The server's next message; TimeoutExpired if none came in ``timeout`` seconds."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._reading_within(timeout):
            return self._next_message(deadline)

    def wait_for_exit(self, child: ForkedChild, timeout: float | None) -> None:
        """Read the end of ``child``'s grading into its ``returncode`` (another thread may
        have read it first)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        with self._reading_within(timeout):
            if child.returncode is not None:
                return
            try:
                code = self._next_message(deadline).get("exit")
            except ForkServerGone:
                # The server died; the child's supervisor was told (PDEATHSIG) and sweeps.
                code = None
            child.returncode = code if isinstance(code, int) else -signal.SIGKILL

    @contextlib.contextmanager
    def _reading_within(self, timeout: float | None) -> Iterator[None]:
        """One reader at a time: two threads reading one socket could each take the
        other's message, and one would then wait forever."""
        if not self._reading.acquire(timeout=-1 if timeout is None else max(0.0, timeout)):
            raise subprocess.TimeoutExpired("aisec warm grader", timeout or 0.0)
        try:
            yield
        finally:
            self._reading.release()

    def _next_message(self, deadline: float | None) -> dict[str, Any]:
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            try:
                readable = select.select([self._sock], [], [], left)[0]
            except (OSError, ValueError):  # closed under us: the server is gone for us
                self.dead = True
                raise ForkServerGone from None
            if not readable:
                raise subprocess.TimeoutExpired("aisec warm grader", left or 0.0)
            try:
                data = self._sock.recv(65536, socket.MSG_DONTWAIT)
            except BlockingIOError:
                continue
            except OSError:
                data = b""
            if not data:
                self.dead = True
                raise ForkServerGone
            self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            self.dead = True
            raise ForkServerGone
        return message

    def _wait_ready(self) -> bool:
        if not self.ready and not self.dead:
            with contextlib.suppress(ForkServerGone, subprocess.TimeoutExpired):
                self.ready = bool(self.reply(READY_TIMEOUT).get("ready"))
            self.dead = self.dead or not self.ready
        return self.ready

    def ready_now(self) -> bool:
        """Whether the server has said it is ready, without waiting for it to."""
        if not self.ready and not self.dead and select.select([self._sock], [], [], 0)[0]:
            self._wait_ready()
        return self.ready

    def start(self, config: dict[str, Any], workdir: Path) -> ForkedChild | None:
        """Fork a grading child for ``config``; None if this server cannot (grade cold)."""
        if not self._wait_ready():
            return None
        read_end, write_end = os.pipe()
        try:
            imports = ahead.on_demand_names(Path(config["check_file"]), self._on_demand)
            request = json.dumps({**config, "workdir": str(workdir), "imports": imports})
            socket.send_fds(self._sock, [request.encode() + b"\n"], [write_end])
            reply = self.reply(REPLY_TIMEOUT)
            while "exit" in reply or "importing" in reply:
                # The end of a grading whose watcher stopped listening; or a heavy
                # package being imported first, which may take as long as a start.
                reply = self.reply(READY_TIMEOUT if "importing" in reply else REPLY_TIMEOUT)
        except (OSError, ForkServerGone, subprocess.TimeoutExpired):
            self.dead = True
            reply = {}
        finally:
            os.close(write_end)  # only the child holds it now: end of file means all are gone
        pid = reply.get("pid")
        if not isinstance(pid, int):
            os.close(read_end)
            self.dead = True  # refused (threads) or broken: never ask this one again
            return None
        self.forked += 1
        return ForkedChild(self, pid, os.fdopen(read_end, "rb"))

    def close(self) -> None:
        """Stop the server: closing its socket makes it stop any grading and leave."""
        self.dead = True
        # Not while a reader waits on the socket: its number could go to a new socket.
        got = self._reading.acquire(timeout=CLOSE_WAIT)
        try:
            with contextlib.suppress(OSError):
                self._sock.close()
        finally:
            if got:
                self._reading.release()
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
        self._home.cleanup()


class Pool:
    """The warm graders of this process: started on request, leased one grading at a time."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._idle: list[WarmGrader] = []
        self._all: list[WarmGrader] = []
        self._size = 0
        self._failures = 0
        self._patient = False
        self._forked_by_closed = 0
        self._preload: list[str] = []

    @property
    def forked(self) -> int:
        """Gradings forked by this pool's servers since the process started."""
        with self._cond:
            return self._forked_by_closed + sum(g.forked for g in self._all)

    def keep_warm(self, workers: int, checks_dir: Path | None, patient: bool = False,
                  cache_dir: Path | None = None) -> None:
        """Have ``workers`` fork servers starting now, so the first grading finds one ready.

        Until a server is ready, gradings go cold, which is as quick for one grading
        and runs beside the server's imports; ``patient`` waits for the server instead
        (grading a whole course: every CPU is busy anyway).
        """
        if not available():
            return
        with self._cond:
            self._patient = self._patient or patient
            self._preload = self._preload or ahead.preload_names(checks_dir, cache_dir)
            self._size = max(self._size, workers)
            while len(self._all) < self._size:
                self._add()

    def _add(self) -> None:
        try:
            if self._failures >= MAX_FAILURES:
                raise OSError("the warm grader keeps failing")
            grader = WarmGrader(self._preload)
        except OSError:
            self._size = len(self._all)  # cannot start more: grade cold beyond these
            return
        self._all.append(grader)
        self._idle.append(grader)

    @contextlib.contextmanager
    def lease(self) -> Iterator[Starter | None]:
        """A warm grader's ``start`` for one grading, or None to grade cold."""
        grader = self._take()
        try:
            ready = grader is not None and (self._patient or grader.ready_now())
            yield grader.start if grader is not None and ready else None
        finally:
            if grader is not None:
                self._give_back(grader)

    def _take(self) -> WarmGrader | None:
        with self._cond:
            while not self._idle:
                if len(self._all) == 0:
                    return None  # none kept (or all failed): grade cold
                self._cond.wait()
            return self._idle.pop()

    def _give_back(self, grader: WarmGrader) -> None:
        with self._cond:
            if grader in self._all and not grader.dead:
                self._idle.append(grader)
                self._cond.notify()
                return
            if grader in self._all:  # replace it: the next grading gets a fresh server
                self._all.remove(grader)
                self._forked_by_closed += grader.forked
                self._failures += 1
                self._add()
            self._cond.notify_all()
        with contextlib.suppress(OSError):
            grader.close()

    def close(self) -> None:
        with self._cond:
            graders, self._all, self._idle, self._size = self._all, [], [], 0
            self._patient = False
            self._preload = []  # the next keep_warm may name other checks
            self._forked_by_closed += sum(g.forked for g in graders)
            self._cond.notify_all()
        for grader in graders:
            grader.close()


POOL = Pool()


def keep_warm(workers: int = 1, checks_dir: Path | None = None, patient: bool = False,
              cache_dir: Path | None = None) -> None:
    """Grade through warm graders from now on (see the module docstring). ``cache_dir``
    (a workspace's) keeps what the servers import ahead (:mod:`tutor.grader.preload`)."""
    POOL.keep_warm(workers, checks_dir, patient, cache_dir)


@contextlib.contextmanager
def warm_graders(workers: int, checks_dir: Path | None, patient: bool = False,
                 cache_dir: Path | None = None) -> Iterator[None]:
    """Warm graders for a command's lifetime; when it ends (ctrl+c too), they are stopped
    and waited for, so that nothing of the grading outlives the command."""
    keep_warm(workers, checks_dir, patient, cache_dir)
    try:
        yield
    finally:
        POOL.close()
