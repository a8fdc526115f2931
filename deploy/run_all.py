"""What ``make run`` runs: honcho over a Procfile, with Ctrl-C a clean stop.

honcho stops every process with SIGTERM on Ctrl-C (each exits 0 once it has shut down
gracefully), then exits with status 130 as a matter of principle. Here a stop that was
asked for is a success: status 0. And Ctrl-C is ours alone: this process takes the
terminal's foreground for the run (as a shell does for a job), so that ``make`` does not
get the interrupt too and report the run as one.
"""

import contextlib
import os
import signal
import sys

from honcho.command import main

STOPPED_BY_CTRL_C = 130


def _take_the_terminal() -> tuple[int, int] | None:
    """Put this process in a group of its own in the terminal's foreground; what to give
    back (the terminal, its former foreground group), or None without a terminal."""
    try:
        terminal = sys.stdin.fileno()
        if not os.isatty(terminal):
            return None
        former = os.tcgetpgrp(terminal)
        os.setpgid(0, 0)
        _foreground(terminal, os.getpgrp())
    except OSError:
        return None
    return terminal, former


def _foreground(terminal: int, group: int) -> None:
    # A process outside the foreground may only change it with SIGTTOU ignored.
    previous = signal.signal(signal.SIGTTOU, signal.SIG_IGN)
    try:
        os.tcsetpgrp(terminal, group)
    finally:
        signal.signal(signal.SIGTTOU, previous)


if __name__ == "__main__":
    taken = _take_the_terminal()
    try:
        main()
    except SystemExit as stop:
        if stop.code == STOPPED_BY_CTRL_C:
            print("Stopped.")
            stop.code = 0
        raise
    finally:
        if taken is not None:
            with contextlib.suppress(OSError):
                _foreground(*taken)
