"""The terminal's state around an interactive session: saved at the start, restored on exit.

`kill` (SIGTERM) or a closed terminal window (SIGHUP) during `audit run` must not leave the
terminal without echo, nor lose the answer being saved: `stop_on_signals` turns those
signals into a `Stopped` exception, which the session handles like Ctrl-C (save, restore,
say so), and `restore` puts back the terminal modes saved by `save`.
"""

from __future__ import annotations

import contextlib
import signal
import sys
from collections.abc import Iterator
from types import FrameType
from typing import Any

try:
    import termios
except ImportError:  # pragma: no cover - not on POSIX
    termios = None  # type: ignore[assignment]

SIGNALS = tuple(s for s in (getattr(signal, "SIGTERM", None), getattr(signal, "SIGHUP", None)) if s)


class Stopped(Exception):  # noqa: N818 - it is an event, like KeyboardInterrupt
    """The process was asked to stop by a signal."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        self.exit_code = 128 + signum
        super().__init__(self.name)


def save() -> Any:
    """The terminal modes of stdin, or None when it is not a terminal."""
    if termios is None:
        return None
    try:
        return termios.tcgetattr(sys.stdin.fileno())
    except (termios.error, OSError, ValueError):
        return None


def restore(state: Any) -> None:
    """Put back modes saved by `save` (echo, line mode); nothing if there were none."""
    if termios is None or state is None:
        return
    with contextlib.suppress(termios.error, OSError, ValueError):
        termios.tcsetattr(sys.stdin.fileno(), termios.TCSADRAIN, state)


def ignore_signals() -> None:
    """Ignore SIGTERM and SIGHUP (while the answers are being saved on the way out)."""
    for number in SIGNALS:
        signal.signal(number, signal.SIG_IGN)


def _raise_stopped(signum: int, _frame: FrameType | None) -> None:
    ignore_signals()  # a second signal must not interrupt the saving of the first
    # Inside a prompt, an exception raised here would land in prompt_toolkit's event loop
    # (which prints it and waits for Enter): end the prompt with it instead. (No prompt can
    # be running if prompt_toolkit is not loaded: it may be loading in another thread.)
    current = sys.modules.get("prompt_toolkit.application.current")
    app = current.get_app_or_none() if current is not None else None
    if app is not None and app.is_running:
        with contextlib.suppress(Exception):  # already exiting: raise below instead
            app.exit(exception=Stopped(signum))
            return
    raise Stopped(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, SIGTERM and SIGHUP raise `Stopped` in the main thread."""
    previous = {number: signal.signal(number, _raise_stopped) for number in SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
