"""What ``make run`` runs: honcho over a Procfile, with Ctrl-C a clean stop.

honcho stops every process with SIGTERM on Ctrl-C (each exits 0 once it has shut down
gracefully), then exits with status 130 as a matter of principle, which ``make`` reports as
an error. Here a stop that was asked for is a success; any other status stays what it was.
"""

import sys

from honcho.command import main

STOPPED_BY_CTRL_C = 130

if __name__ == "__main__":
    try:
        main()
    except SystemExit as stop:
        if stop.code == STOPPED_BY_CTRL_C:
            print("Stopped.")
            sys.exit(0)
        raise
