"""The Textual app. Imported only when the TUI starts, never by the plain CLI."""
