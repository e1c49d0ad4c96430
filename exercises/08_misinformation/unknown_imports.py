"""Find the imports in AI-generated code that nothing installed provides.

The scenario
------------

An assistant hands you a script. It runs `import pdfplumber_tables` and you have no
such module. The tempting next step is `pip install pdfplumber-tables`, and that is
exactly the step a slopsquatter waits for: the model invented the name, someone
registered it, and now it runs their code on your machine.

So before anything is installed, list the imports that are neither in the standard
library nor provided by a distribution you already have. Each one is a dependency a
human must look up, on purpose, in the official documentation of the project the
code claims to use.

What to implement
-----------------

    unknown_imports(code: str, dist_map: Mapping[str, list[str]],
                    stdlib: frozenset[str] = sys.stdlib_module_names) -> list[str]

- `code` is Python source. Parse it with the `ast` module. NEVER execute it: no exec(),
  eval(), import or compile-and-run. The code is untrusted model output.
- `dist_map` maps top-level import names to the distributions that provide them, like
  importlib.metadata.packages_distributions(): {"yaml": ["PyYAML"], "numpy": ["numpy"]}.
  A name is provided when it is a key of dist_map.
- `stdlib` is the set of standard library module names; the default is
  sys.stdlib_module_names (new in Python 3.10). Use the parameter, not sys directly:
  the checks pass their own sets.
- Return the top-level names that are in neither, sorted, each once.

What counts as an import, anywhere in the file (inside functions, classes, try/except,
`if TYPE_CHECKING:` blocks...):

| code                                   | top-level name            |
| import a.b.c                           | a                         |
| import a as b, c                       | a and c                   |
| from a.b import c                      | a                         |
| from . import x / from .a import b     | nothing (relative: part of this package) |
| __import__("a.b")                      | a                         |
| importlib.import_module("a.b")         | a                         |
| import_module("a")   (bare name)       | a                         |
| __import__(name), import_module(f"..") | nothing (not a string literal: cannot know) |
| import_module(".a", package="p")       | nothing (relative)        |

For the three dynamic forms, look at the first positional argument, or at the keyword
argument `name=` when there is no positional one.

Compare names exactly: imports are case-sensitive ("Yaml" is not "yaml"), and a
Cyrillic "rеquests" is a different module from "requests". You do not need to
normalise anything yourself: the parser already applies the NFKC normalisation that
Python uses for identifiers, so `import ｒｅｑｕｅｓｔｓ` (fullwidth letters) arrives as
"requests", which is the module Python would really import.

Imports in code that never runs (`if False:`) count too: the file still names them, and
the next edit may run them. One corner is left out on purpose: inside a class, Python
applies private name mangling to `import __x` and imports `_ClassName__x`; report the
name as written.

Errors:
- `code` that is not a str raises TypeError. (ast.parse also accepts bytes, and then a
  "# coding: ..." line decides how the source is decoded: a known way to hide code.)
- `code` that cannot be parsed raises UnparsableCode (defined below, a ValueError) with
  the line number in `lineno` when Python reports one. Most bad code gives a
  SyntaxError, but a null byte or absurdly deep nesting can make the parser raise
  ValueError, RecursionError or MemoryError instead: all of them mean "not code we can
  check", and none of them may escape as anything else.

Examples
--------

>>> dists = {"yaml": ["PyYAML"], "requests": ["requests"]}
>>> unknown_imports("import os\\nimport yaml\\nfrom pdfplumber_tables import read\\n", dists)
['pdfplumber_tables']
>>> unknown_imports("def f():\\n    import Yaml.loader as y\\n", dists)
['Yaml']
>>> unknown_imports("from . import helpers\\nx = __import__('leftpad_py')\\n", dists)
['leftpad_py']

Why it matters
--------------

OWASP LLM09:2025 (Misinformation) names code that uses libraries that do not exist as
a risk, and recommends secure coding practices and automatic validation of model
output. A list of unknown imports turns "run it and pip install whatever is missing"
into a short list of names to check by hand. It is a static, partial view: code can
still build import names at run time (`__import__(name)`), so treat an empty list as
"nothing obviously missing", not as a guarantee.
"""

from __future__ import annotations

import ast  # noqa: F401  (parse, walk, and the node classes you need)
import sys
from collections.abc import Mapping


class UnparsableCode(ValueError):
    """The code is not Python that this interpreter can parse; `lineno` says where, if known."""

    def __init__(self, message: str, lineno: int | None = None) -> None:
        super().__init__(message)
        self.lineno = lineno


def unknown_imports(
    code: str,
    dist_map: Mapping[str, list[str]],
    stdlib: frozenset[str] = sys.stdlib_module_names,
) -> list[str]:
    """Sorted, unique top-level modules imported by `code` that neither stdlib nor dist_map has.

    The code is parsed with `ast`, never run. Raises UnparsableCode if it cannot be parsed.
    """
    # TODO: reject code that is not a str.
    # TODO: ast.parse the code; turn every way parsing can fail into UnparsableCode.
    # TODO: walk every node; collect the top-level names of absolute imports and of
    #       __import__ / importlib.import_module / import_module calls with a str literal.
    # TODO: keep those in neither stdlib nor dist_map; return them sorted, without repeats.
    raise NotImplementedError("TODO: implement unknown_imports")
