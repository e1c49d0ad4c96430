"""``aisec verify-course``: the course author's linter (:mod:`tutor.grader.verify`).

It prints as it goes: grading every solution and starter takes a while, so it
says so on stderr first, then lists each problem as ``file:line: ...``.
"""

from __future__ import annotations

import argparse

from tutor.course.layout import default_course_dir


def run(args: argparse.Namespace) -> int:
    from tutor.grader.verify import verify_course

    return verify_course(args.course or default_course_dir())
