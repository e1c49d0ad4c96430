"""The course: its manifest, lessons, quizzes and how they are read and verified."""
