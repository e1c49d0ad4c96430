"""aisec-tutor: a terminal course on security and privacy for AI features."""

__version__ = "0.1.0"
