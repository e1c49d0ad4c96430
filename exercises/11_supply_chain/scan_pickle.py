r"""Scan a pickle for imports and calls, without ever loading it.

The scenario
------------

Your team wants to try a fine-tuned model from a public model hub. It comes as
`pytorch_model.bin`: a ZIP archive whose `data.pkl` is a Python pickle. Loading a
pickle runs a small stack machine, and two of its instructions are "import this global"
and "call this with these arguments". Anyone who uploads a model can make those
instructions import `os.system` and call it. The Python documentation says it plainly:
never unpickle data from an untrusted or unauthenticated source.

So before anything loads the file, a scanner reads the instructions (the opcodes) and
reports every import and call that is not on an allow-list of harmless globals. It
reads; it never executes. That is what you build here, with `pickletools.genops`,
which walks the opcodes of a pickle without running any of them.

What to implement
-----------------

    scan_pickle(data: bytes, allow: set[tuple[str, str]]) -> list[Finding]

Walk `pickletools.genops(data)`; it yields `(opcode, arg, pos)` for each instruction,
where `opcode.name` is a name such as "GLOBAL" and `arg` is the decoded argument. Never
call `pickle.loads`, `pickle.load` or an `Unpickler` on `data`.

Return the findings in the order of the opcodes that cause them (`Finding` is defined
below; `detail` is free text for humans, the checks ignore it):

- Finding("import", module, name) for each import whose (module, name) pair is not in
  `allow`. Three opcodes import:
    - GLOBAL (protocols 0-3) and INST: `arg` is "module name", one space between.
    - STACK_GLOBAL (protocol 4+): pops the name, then the module, from the stack. They
      were pushed earlier as strings (opcodes in STRING_OPCODES), often with the memo
      in between (see below). If either is not a string you know, you cannot name the
      import: report ("import", "?", "?").
    - EXT1, EXT2, EXT4 import a global by a registry number, with no name at all:
      report ("import", "?", "?").
- Finding("call", module, name) for each call whose callable is not an allow-listed
  global. REDUCE calls the item 2 below the top of the stack, NEWOBJ the item 2 below,
  NEWOBJ_EX the item 3 below, OBJ the first item above the topmost MARK, and INST the
  class it names. If the callable is not a global you know (say, the result of an
  earlier call), report ("call", "?", "?").
- Finding("malformed", "", "") when the data is not a complete, consistent pickle:
  genops raises (empty, truncated or garbage input; catch the exception), or the
  opcodes pop from an empty stack, need a MARK that is not there, or read a memo slot
  never written. Stop scanning there, keep every finding made so far, and put the
  malformed finding last. Never let an exception escape.

To know what REDUCE calls, or which strings STACK_GLOBAL takes, keep a model of the
unpickler's stack: push the string for a string opcode, a marker of your own for MARK,
an "imported module.name" value for an import, and an "unknown" value for anything
else. Every opcode describes its own effect: `opcode.stack_before` lists what it pops
(bottom to top) and `opcode.stack_after` what it pushes. If `pickletools.markobject`
is in `stack_before`, the opcode pops everything down to and including the topmost
MARK, then the items listed before the mark. That one rule covers the opcodes you do
not handle yourself.

The memo is the unpickler's scratch storage. PUT, BINPUT and LONG_BINPUT store the top
of the stack in the slot `arg`; MEMOIZE stores it in slot `len(memo)`; GET, BINGET and
LONG_BINGET push the stored value again; DUP pushes a copy of the top. The standard
pickler uses the memo all the time, and an attacker can use it to hide a name: store
"os" and "system", push some harmless strings, then BINGET the stored ones just before
STACK_GLOBAL. A scanner that looks only at the last strings it saw names the decoys.

Allow-list entries are exact (module, name) pairs: ("collections", "OrderedDict") does
not allow ("collections", "OrderedDict.fromkeys") or ("collections.abc", ...). Names
are compared as written in the pickle: protocols 0-2 write some Python 2 names (the
builtins module as "__builtin__"), which the unpickler maps; your scanner does not need
to, because a name that is not on the allow-list is reported anyway.

Examples
--------

>>> scan_pickle(pickle.dumps({"w": [1.0, 2.0]}), set())
[]
>>> class Evil:
...     def __reduce__(self):
...         return (print, ("this runs when the pickle is loaded",))
>>> [(f.kind, f.module, f.name) for f in scan_pickle(pickle.dumps(Evil(), protocol=4), set())]
[('import', 'builtins', 'print'), ('call', 'builtins', 'print')]
>>> state_dict = pickle.dumps(collections.OrderedDict(w=[1.0]), protocol=4)
>>> scan_pickle(state_dict, {("collections", "OrderedDict")})
[]
>>> [f.kind for f in scan_pickle(b"\x80\x04\x8c\x08builtins", set())]
['malformed']

Why it matters
--------------

OWASP LLM03:2025 (Supply Chain) and LLM04:2025 (Data and Model Poisoning) both name
malicious pickled models; MITRE ATLAS lists the technique as AML.T0010, AI Supply Chain
Compromise. In 2024 JFrog reported about a hundred models on Hugging Face with
malicious payloads, and in 2025 ReversingLabs found two that slipped past the hub's
scanner (they called the trick nullifAI): the payload sat at the start of a pickle
that was broken right after it. The unpickler had already run the payload by the time
it hit the damage. So: deny by default, fail closed on anything you cannot name, and
keep the findings you made before the data went bad.

A scanner is one layer. Prefer formats that cannot carry code (safetensors, the next
exercise), load pickles only with a restricted unpickler such as PyTorch's
`weights_only=True`, and check signatures before you load anything.
"""

from __future__ import annotations

import collections  # noqa: F401  (used in the examples)
import pickle  # noqa: F401  (used in the examples; never call pickle.loads on `data`)
import pickletools  # noqa: F401  (genops, markobject)
from typing import NamedTuple


class Finding(NamedTuple):
    """One thing the scanner reports. `kind` is "import", "call" or "malformed"."""

    kind: str
    module: str
    name: str
    detail: str = ""


UNKNOWN = "?"  # module and name of an import or call the scanner cannot name

# Opcodes whose `arg` is a string they push. The protocol 0-2 ones (STRING, BINSTRING,
# SHORT_BINSTRING) become str in the unpickler too, so STACK_GLOBAL accepts them.
STRING_OPCODES = frozenset({
    "UNICODE", "SHORT_BINUNICODE", "BINUNICODE", "BINUNICODE8",
    "STRING", "BINSTRING", "SHORT_BINSTRING",
})
MEMO_PUT_OPCODES = frozenset({"PUT", "BINPUT", "LONG_BINPUT"})  # MEMOIZE stores too
MEMO_GET_OPCODES = frozenset({"GET", "BINGET", "LONG_BINGET"})
EXT_OPCODES = frozenset({"EXT1", "EXT2", "EXT4"})


def scan_pickle(data: bytes, allow: set[tuple[str, str]]) -> list[Finding]:
    """Every import and call in `data` that `allow` does not cover; never unpickles."""
    # TODO: walk pickletools.genops(data) inside try/except, keeping a stack and a memo.
    # TODO: report imports (GLOBAL, STACK_GLOBAL, INST, EXT*) that are not allow-listed.
    # TODO: report calls (REDUCE, NEWOBJ, NEWOBJ_EX, OBJ, INST) of anything not allow-listed.
    # TODO: end with Finding("malformed", "", "") when the stream is broken or inconsistent.
    raise NotImplementedError("TODO: implement scan_pickle")
