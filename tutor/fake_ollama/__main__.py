"""``python -m tutor.fake_ollama``: run the fake Ollama server until ctrl+c.

The first line on stdout is ``Fake Ollama listening on URL``, so a script (or a
test) that starts it with ``--port 0`` can read the port it got.
"""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

from tutor.errors import TutorError
from tutor.ollama.host import DEFAULT_PORT


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m tutor.fake_ollama",
        description="A fake Ollama server with scripted replies, for offline practice and\n"
                    "tests. The official ollama client works against it unchanged.\n"
                    "Script format: see tutor/fake_ollama/script.py or docs/ollama.md.",
        epilog="example: python -m tutor.fake_ollama --port 11435 --script replies.yaml\n"
               "then:    OLLAMA_HOST=127.0.0.1:11435 python my_code.py",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"port to listen on (default {DEFAULT_PORT}, Ollama's; 0 = any "
                             "free port)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address to listen on (default 127.0.0.1, this machine only)")
    parser.add_argument("--allow-network", action="store_true",
                        help="allow --host to be an address other machines can reach")
    parser.add_argument("--script", type=Path, metavar="FILE",
                        help="YAML (or JSON) file with models, rules and replies")
    parser.add_argument("--record", type=Path, metavar="FILE",
                        help="append every request received to FILE as JSON lines")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from tutor.fake_ollama.server import FakeOllama

    if not 0 <= args.port <= 65535:
        print(f"fake-ollama: --port must be 0-65535, not {args.port}.", file=sys.stderr)
        return 2
    try:
        fake = FakeOllama(args.script, host=args.host, port=args.port, record_file=args.record,
                          allow_network=args.allow_network, verbose=not args.quiet).start()
    except TutorError as exc:
        print(f"fake-ollama: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # e.g. --record in a folder that does not exist
        print(f"fake-ollama: cannot open {exc.filename}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(f"Fake Ollama listening on {fake.url}", flush=True)
    print(f"Use it with: OLLAMA_HOST={fake.host}   (ctrl+c to stop)", flush=True)
    stop = threading.Event()
    try:
        while not stop.wait(1.0):  # an untimed wait ignores ctrl+c on Windows
            pass
    except KeyboardInterrupt:
        pass
    finally:
        fake.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
