"""The `audit` command's entry point (and `python -m audit`'s).

A command's start-up is mostly imports: tens of thousands of objects (classes, functions,
validators) made at once, nearly all of them kept until the process ends. With the
interpreter's default thresholds the garbage collector's search for reference cycles runs
every 700 new objects and, now and then, walks every object made so far: measured on
`audit diagnose`, a tenth of its time. The `audit` process runs that search less often, as
mypy does for the same reason. Memory is still freed as soon as an object is unused
(reference counting); only cycles wait a little longer. `audit serve`, which runs for
days, goes back to the defaults once started (`default_collection`).
"""

from __future__ import annotations

import gc

# The youngest generation is searched after this many new objects (default 700); the
# older ones after 20 searches of the one below (default 10).
START_UP_THRESHOLDS = (100_000, 20, 20)
DEFAULT_THRESHOLDS = (700, 10, 10)


def main() -> None:
    gc.set_threshold(*START_UP_THRESHOLDS)
    from audit.cli import main as run

    run()


def default_collection() -> None:
    """For a long-running process: what start-up made is kept out of every later search
    (`gc.freeze`), and the collector runs at its usual pace again."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(*DEFAULT_THRESHOLDS)
