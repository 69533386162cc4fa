"""Allow ``python -m helpers ...``.

SIGTERM and SIGHUP are answered from the first line on (exit 143 / 129, as the command line
promises), also while the command's modules are still being imported; the command itself then
turns them into :class:`helpers.exceptions.Interrupted` and cleans up (``cli.main``).
"""

import signal
import sys


def _stop(signum, _frame):
    raise SystemExit(128 + signum)


for _sig in (signal.SIGTERM, signal.SIGHUP):
    signal.signal(_sig, _stop)

try:
    from helpers.cli import main
except KeyboardInterrupt:
    sys.exit(130)

if __name__ == "__main__":
    raise SystemExit(main())
