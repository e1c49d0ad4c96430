"""``aisec doctor``: what works, what does not, and how to fix it on each system.

:func:`run_doctor` gathers a :class:`DoctorReport` (the TUI's doctor screen can
call it in a worker); :func:`render_text` prints it for a terminal and
``DoctorReport.to_json()`` is the ``--json`` shape. Ollama is optional: missing
or stopped, it is a warning and the exit code stays 0 unless ``require_ollama``.
"""

from tutor.doctor.model import Check, DoctorOptions, DoctorReport
from tutor.doctor.run import run_doctor
from tutor.doctor.text import render_text

__all__ = ["Check", "DoctorOptions", "DoctorReport", "render_text", "run_doctor"]
