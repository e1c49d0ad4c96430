"""`python -m tutor` runs the same CLI as the `aisec` command."""

from tutor.cli.main import main

raise SystemExit(main())
