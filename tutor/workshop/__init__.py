"""Facilitator tools: learner reports and the class summary."""
