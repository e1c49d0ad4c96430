"""The `aisec` command line: the parser, one handler per command, rendering."""
