"""The keys, on one screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Markdown

HELP = """\
# Keys

| Where | Key | What it does |
| --- | --- | --- |
| everywhere | `ctrl+p` | command palette: jump to any lesson or exercise by name |
| everywhere | `f1` / `?` | this help |
| everywhere | `ctrl+t` | switch between the light and dark theme |
| everywhere | `escape` | back one step, to the screen you came from (home at the bottom) |
| everywhere | `ctrl+q` | quit (your progress is always saved) |
| home | `enter` | open the focused lesson, or continue where you left off |
| home | `c` | continue: the lesson (as far down as you were) or exercise you had open |
| home | `]` / `[` | select the next / previous lesson; its details show beside the list |
| home | `g` | your progress, per lesson and exercise |
| home | `d` | the doctor: Python, terminal and Ollama, with fixes |
| lesson, exercise | `a` | ask the local AI helper (Ollama) for a hint; `escape` cancels |
| lesson, exercise | `]` / `[` | next / previous: a lesson's text, its exercises, the next lesson |
| lesson | `tab` | move to the next quiz or exercise button (`shift+tab`: the one before) |
| lesson | `enter` | answer the focused quiz, or open the focused exercise |
| quiz | `a`–`d` / `1`–`4` | with the quiz focused: answer (a wrong answer gets a second try) |
| quiz | `s` | with the quiz focused: show the answer |
| exercise | `r` | run the checks now (they also run every time you save) |
| exercise | `c` | show the Checks tab (the last results, without running them again) |
| exercise | `1` … `5` | switch tabs: Checks, Instructions, Hints, Editor, Solution |
| exercise | `pagedown` / `pageup` | scroll the tab shown (in the editor they move its cursor) |
| exercise | `h` | reveal the next hint |
| exercise | `o` | open the file in your editor (`$VISUAL` or `$EDITOR`) |
| exercise | `t` | edit the file here: Enter keeps the indentation, one level more after `:` |
| exercise | `ctrl+s` | save (in the editor tab); the Checks tab then shows the results |
| editor | `escape` | leave the editor; then the keys above work again (in it, they type) |
| exercise | `s` | the reference solution (after a pass, or on purpose) |
| exercise | `x` | reset to the starter (your file is backed up first) |

The mouse works too: click a lesson, a quiz answer, a tab or a button.

Checks run in a separate process with a time limit, so an endless loop in your
code gives a clear verdict instead of a frozen screen. Your progress lives in
`.aisec/progress.json` in your workspace and never contains your code.
"""


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll { width: 90%; max-width: 100; height: 90%;
                                  border: thick $primary; background: $surface; padding: 0 1; }
    """
    BINDINGS = [("escape,q,f1,question_mark", "dismiss", "Close")]

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Markdown(HELP)
