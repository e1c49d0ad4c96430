"""Talking to an Ollama server: host policy, probing, the ask assistant."""
