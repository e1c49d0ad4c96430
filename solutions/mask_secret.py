"""Reference solution for the warm-up exercise `mask_secret`."""

from __future__ import annotations


def mask_secret(secret: str, visible: int = 4, mask_char: str = "*") -> str:
    """Return `secret` with all but (at most) its last `visible` characters masked.

    - Characters are code points, i.e. what `len()` counts: "ключ🔑" has 5.
    - shown = min(visible, len(secret) // 4). The last `shown` characters are kept;
      each character before them becomes one `mask_char`.
    - So the result always has len(secret) characters, `visible=0` masks every
      character, and an empty secret gives "".
    - `visible` below 0 raises ValueError.
    - `secret` that is not a str (bytes, None, ...) raises TypeError.
    - `mask_char` must be a str of exactly one character: "" or "**" raises
      ValueError, a non-str raises TypeError.
    """
    # Refuse to guess: str(b"key") is "b'key'", so converting would mask the wrong
    # text and hide a bug in the caller.
    if not isinstance(secret, str):
        raise TypeError(f"secret must be a str, not {type(secret).__name__}")
    if not isinstance(mask_char, str):
        raise TypeError(f"mask_char must be a str, not {type(mask_char).__name__}")
    # One mask character per hidden character keeps the output as long as the input.
    if len(mask_char) != 1:
        raise ValueError(f"mask_char must be exactly one character, got {mask_char!r}")
    # Negative numbers count from the other end in Python slices; accepting one
    # silently could expose the start of the secret instead of hiding it.
    if visible < 0:
        raise ValueError(f"visible must be 0 or more, got {visible}")

    # The cap: whatever the caller asks for, at most a quarter stays visible.
    # Integer division rounds down, so secrets shorter than 4 characters show nothing.
    shown = min(visible, len(secret) // 4)

    # Slice from a non-negative index: `secret[-shown:]` would be the WHOLE secret
    # when shown == 0, because -0 == 0.
    hidden = len(secret) - shown
    return mask_char * hidden + secret[hidden:]
