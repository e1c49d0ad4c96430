"""The ``aisec`` command line.

``main`` (entry point, exit codes) → ``parser`` (arguments; binds each command to
its module lazily) → ``commands/<name>.py`` (does the work, returns a result) →
``render`` (the one place that prints a result as text or JSON). ``context``
opens the course and the learner's workspace for the commands.
"""
