"""The names of a defence lab's two scores, as results and progress carry them.

Their own module so that the workspace (and the app's start) can read a lab's
scores without importing the judging code, which brings the gullible model in.
"""

from __future__ import annotations

BLOCKED = "attacks blocked"
USEFUL = "usefulness kept"
