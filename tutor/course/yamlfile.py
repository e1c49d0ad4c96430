"""YAML loading that remembers line numbers, so content errors can name them."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

from tutor.errors import Problem


class LineDict(dict):
    """A mapping that knows the line it starts on and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


@functools.cache
def _loader() -> Any:
    """The YAML loader: a SafeLoader (no arbitrary objects) whose mappings are LineDicts.

    Built on first use, so that commands and screens that only read caches never import
    PyYAML. The C parser (libyaml) when PyYAML was built with it: several times faster,
    which matters for start-up; its nodes carry the same line marks.
    """
    import yaml

    class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
        pass

    def construct_map(loader: Any, node: Any) -> LineDict:
        result = LineDict()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        duplicates = []
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if key in result:
                duplicates.append((key, key_node.start_mark.line + 1))
            result[key] = loader.construct_object(value_node, deep=True)
            result.key_lines[str(key)] = key_node.start_mark.line + 1
        if duplicates:
            key, line = duplicates[0]
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {line})", node.start_mark
            )
        return result

    def construct_timestamp(loader: Any, node: Any) -> Any:
        """A date like 2026-12-01; one that does not exist (2026-13-01) stays text, so the
        caller can name its line instead of PyYAML raising a bare ValueError."""
        try:
            return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
        except (ValueError, OverflowError):
            return loader.construct_scalar(node)

    Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, construct_map)
    Loader.add_constructor("tag:yaml.org,2002:timestamp", construct_timestamp)
    return Loader


class YamlProblem(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def parse_yaml(text: str, file: Path | str, line_offset: int = 0) -> Any:
    """Parse YAML; raise :class:`YamlProblem` naming ``file`` and the line.

    ``line_offset`` is added to line numbers, for YAML embedded in Markdown.
    Mappings come back as :class:`LineDict` with absolute line numbers.
    """
    import yaml

    try:
        data = yaml.load(text, Loader=_loader())  # a SafeLoader subclass: no arbitrary objects
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 + line_offset if mark else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlProblem(
            Problem(file, line, f"invalid YAML: {problem}",
                    "check indentation, and quote text that contains ': ' or starts with a symbol")
        ) from None
    if line_offset:
        _shift(data, line_offset)
    return data


def _shift(data: Any, offset: int) -> None:
    if isinstance(data, LineDict):
        data.line += offset
        data.key_lines = {k: v + offset for k, v in data.key_lines.items()}
        for value in data.values():
            _shift(value, offset)
    elif isinstance(data, list):
        for value in data:
            _shift(value, offset)
