"""Let go of the watchers that widgets no longer on screen left on long-lived objects.

A widget that watches another object (Textual's ``watch`` and ``data_bind``) leaves an
entry ``(widget, callback)`` on the watched object, and Textual drops the entries of
closed widgets only when the watched value next changes (Textual issue #6666, open for
Textual 8). Every lesson screen's Header watches the app's title, which never changes,
and the home screen's Footer is watched by the keys it draws again on every return: so
each visit to a lesson kept its header and footer keys alive, with everything they had
drawn. The garbage collector's full passes grew with them (20 ms to 200 ms over thirty
visits), and landed in the middle of opening the next lesson.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual._styles_cache import StylesCache

# Where textual.reactive._watch keeps an object's watchers: {attribute: [(node, callback)]}.
_WATCHERS = "__watchers"


def forget_closed_watchers(objects: Iterable[Any]) -> int:
    """Drop the watchers of closed nodes from each of ``objects``; how many were dropped.

    A node is closed by the same test Textual applies when a value changes."""
    dropped = 0
    for obj in objects:
        watchers = getattr(obj, _WATCHERS, None)
        if not isinstance(watchers, dict):
            continue
        for entries in watchers.values():
            kept = [(node, callback) for node, callback in entries
                    if not getattr(node, "_closing", False)]
            dropped += len(entries) - len(kept)
            entries[:] = kept
    return dropped


def forget_render_caches() -> None:
    """Empty Textual's one cache keyed by widgets' render caches.

    ``StylesCache.get_inner_outer`` is an ``lru_cache`` on a method, so its keys hold
    up to 1,024 widgets' render caches (every line they drew) after the widgets are
    gone. It only saves making two colour styles again."""
    clear = getattr(getattr(StylesCache, "get_inner_outer", None), "cache_clear", None)
    if clear is not None:
        clear()
