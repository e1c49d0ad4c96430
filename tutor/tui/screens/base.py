"""Screens of this app: ``self.app`` typed as :class:`~tutor.tui.app.AisecApp`, and the
learner's workspace at hand.

Textual types ``Screen.app`` as any ``App``; the screens here use the course, the
workspace and the navigation methods of ours, so they say which app they run in
(for the type checker only: at run time the property is Textual's own).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from textual.screen import ModalScreen, Screen

if TYPE_CHECKING:
    from textual import getters

    from tutor.learner.workspace import Workspace
    from tutor.tui.app import AisecApp

ResultType = TypeVar("ResultType")


def _workspace(app: AisecApp) -> Workspace:
    if app.workspace is None:  # only the welcome screen runs without one
        raise RuntimeError("this screen needs a workspace; the welcome screen makes one")
    return app.workspace


def _screen_gone(screen: Screen[ResultType]) -> None:
    # Once the screen's widgets have closed, what they watched can let go of them.
    app = screen.app
    if hasattr(app, "release_left_screen"):
        app.call_later(app.release_left_screen)


class AisecScreen(Screen[ResultType]):
    if TYPE_CHECKING:
        app = getters.app(AisecApp)

    def on_unmount(self) -> None:
        _screen_gone(self)

    @property
    def workspace(self) -> Workspace:
        """The learner's workspace (every screen past the welcome screen has one)."""
        return _workspace(self.app)


class AisecModal(ModalScreen[ResultType]):
    if TYPE_CHECKING:
        app = getters.app(AisecApp)

    def on_unmount(self) -> None:
        _screen_gone(self)

    @property
    def workspace(self) -> Workspace:
        return _workspace(self.app)
