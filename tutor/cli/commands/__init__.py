"""One module per ``aisec`` command, each with ``run(args) -> Outcome``.

The parser (:mod:`tutor.cli.parser`) names the module; it is imported only when
its command runs. ``run`` returns a :class:`~tutor.cli.render.Result` for
:func:`~tutor.cli.render.show`, or, for a command that prints as it goes, its
exit code.
"""
