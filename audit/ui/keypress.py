"""The welcome screen's "press any key" without the prompt toolkit, so it shows at once.

questionary and prompt_toolkit take longer to import than everything else `audit run`
does before its first screen. The welcome screen needs neither: it waits for one key with
the terminal in cbreak mode while they load in a background thread.
Ctrl-C still raises KeyboardInterrupt (the terminal keeps sending SIGINT) and Ctrl-D raises
EOFError, as they do at the prompt toolkit's prompts.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading
from collections.abc import Callable

from rich.text import Text

from audit.ui.console import console

try:
    import termios
    import tty
except ImportError:  # pragma: no cover - not on POSIX
    termios = None  # type: ignore[assignment]

_CTRL_D = b"\x04"


def press_any_key(
    message: str, *, meanwhile: Callable[[], object] | None = None, load: str | None = None
) -> None:
    """Show `message` (bold, as the prompts show theirs) and wait for one key press.

    Once the message shows, `meanwhile` runs (work that need not delay the screen), then
    the module `load` is imported in a background thread while the key is awaited; the
    import is over when this returns or raises. Raises KeyboardInterrupt on Ctrl-C and
    EOFError on Ctrl-D; the terminal's modes are put back whatever happens. Without a
    terminal, it falls back to the prompt toolkit.
    """
    fd = _terminal()
    if fd is None:
        if meanwhile is not None:
            meanwhile()
        from audit.ui import prompts

        prompts.press_any_key(message)
        return
    out = console()
    out.print(Text(f" {message} ", style="bold"), end="")
    out.file.flush()
    try:
        if meanwhile is not None:
            meanwhile()
    except BaseException:
        out.print()  # what is said next starts on its own line
        raise
    # Nothing else is imported until the thread is done: two threads importing at once
    # can meet a module the other has only half imported.
    loading = _load_in_background(load) if load else None
    modes = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # no echo, one key at a time, Ctrl-C kept
        # A key can send several bytes (arrows, function keys): read them all, so none
        # is left for the next prompt.
        pressed = os.read(fd, 64)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, modes)
        out.print()
        if loading is not None:
            loading.join()
    if pressed.startswith(_CTRL_D) or not pressed:
        raise EOFError


def _load_in_background(module: str) -> threading.Thread:
    """Start importing `module` in a daemon thread. An import that fails here is left for
    the ordinary import in the main thread to raise."""

    def load() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module(module)

    thread = threading.Thread(target=load, name=f"import {module}", daemon=True)
    thread.start()
    return thread


def _terminal() -> int | None:
    """The file descriptor of stdin when it is a terminal, else None."""
    if termios is None:
        return None
    try:
        fd = sys.stdin.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None
