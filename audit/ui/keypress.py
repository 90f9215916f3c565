""" "Press any key" without the prompt toolkit, so the welcome screen shows at once.

questionary and prompt_toolkit take longer to import than everything else `audit run`
does before its first screen. The welcome screen needs neither: it waits for one key with
the terminal in cbreak mode while they load in a background thread (`load_in_background`).
Ctrl-C still raises KeyboardInterrupt (the terminal keeps sending SIGINT) and Ctrl-D raises
EOFError, as they do at the prompt toolkit's prompts.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import threading

from rich.text import Text

from audit.ui.console import console

try:
    import termios
    import tty
except ImportError:  # pragma: no cover - not on POSIX
    termios = None  # type: ignore[assignment]

_CTRL_D = b"\x04"


def load_in_background(module: str) -> threading.Thread:
    """Start importing `module` in a daemon thread; `join()` it before using the module.

    An import that fails here is left for the ordinary import in the main thread to raise.
    """

    def load() -> None:
        with contextlib.suppress(Exception):
            importlib.import_module(module)

    thread = threading.Thread(target=load, name=f"import {module}", daemon=True)
    thread.start()
    return thread


def press_any_key(message: str) -> None:
    """Show `message` (bold, as the prompts show theirs) and wait for one key press.

    Raises KeyboardInterrupt on Ctrl-C and EOFError on Ctrl-D; the terminal's modes are
    put back whatever happens. Without a terminal, it falls back to the prompt toolkit.
    """
    fd = _terminal()
    if fd is None:
        from audit.ui import prompts

        prompts.press_any_key(message)
        return
    out = console()
    out.print(Text(f" {message} ", style="bold"), end="")
    out.file.flush()
    modes = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # no echo, one key at a time, Ctrl-C kept
        # A key can send several bytes (arrows, function keys): read them all, so none
        # is left for the next prompt.
        pressed = os.read(fd, 64)
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, modes)
        out.print()
    if pressed.startswith(_CTRL_D) or not pressed:
        raise EOFError


def _terminal() -> int | None:
    """The file descriptor of stdin when it is a terminal, else None."""
    if termios is None:
        return None
    try:
        fd = sys.stdin.fileno()
    except (OSError, ValueError):
        return None
    return fd if os.isatty(fd) else None
