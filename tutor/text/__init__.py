"""Text in and out: escaping untrusted text, terminal styling, exports."""
