"""One learner's workspace: their files, their progress and the state model."""
