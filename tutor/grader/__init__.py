"""Grading: run an exercise's hidden checks against a file, in a sandboxed subprocess."""
