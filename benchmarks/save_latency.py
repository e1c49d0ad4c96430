"""How long from a learner's save to the save watcher reporting it, per backend?

Usage: python benchmarks/save_latency.py [--runs N] [--interval S]

For each backend of tutor.learner.saves (the OS's file events, and polling, the
fallback), a detector watches a file in a temporary directory, driven the way
`aisec watch` drives it (wait_for_save with --interval, default 0.3 s as there).
Each run writes the file at a random moment and times write → save reported.
Runs of the two backends alternate, so that drift on a noisy machine hits both.
It prints the median, minimum and maximum latency of each, and their ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tutor.learner.saves import SaveDetector, wait_for_save


def one_save(path: Path, polling: bool, interval: float, text: str) -> float:
    """Seconds from the write to the detector's report (a detector of its own per run)."""
    reported: list[float] = []
    with SaveDetector(path, lambda: reported.append(time.perf_counter()),
                      polling=polling) as detector:
        if not polling and not detector.watching(5):
            raise SystemExit("the OS's file events are not available here")
        waiting = threading.Thread(target=wait_for_save, args=(detector, interval))
        waiting.start()
        # Write at a random point of the polling cycle, as a learner would.
        time.sleep(random.uniform(0, interval))
        written = time.perf_counter()
        path.write_text(text)
        waiting.join()
    return reported[0] - written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--interval", type=float, default=0.3,
                        help="seconds between polls, as `aisec watch --interval`")
    args = parser.parse_args()

    times: dict[str, list[float]] = {"events": [], "polling": []}
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "exercise.py"
        path.write_text("def add(a, b):\n    return 0\n")
        for run in range(args.runs):
            for backend in ("events", "polling"):
                text = f"def add(a, b):\n    return a + b  # run {run} {backend}\n"
                times[backend].append(one_save(path, backend == "polling", args.interval, text))

    print(f"save → reported, {args.runs} runs each, --interval {args.interval} s")
    for backend, found in times.items():
        print(f"  {backend:8} median {statistics.median(found) * 1000:6.1f} ms   "
              f"min {min(found) * 1000:6.1f} ms   max {max(found) * 1000:6.1f} ms")
    ratio = statistics.median(times["polling"]) / statistics.median(times["events"])
    print(f"  polling / events (medians): {ratio:.1f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
