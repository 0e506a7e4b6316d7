"""`python -m timeline`: the command line (cli.py), ended without freeing what the command made.

A build of 10,000 events leaves hundreds of thousands of objects, and Python freed them one by one at exit: 0.07 s
after the work was done, in every `make build`. By the time ``main`` returns, every file the command wrote is closed
and every cache saved; what is left to flush is the log and the output streams. Nothing in the plugin may rely on
``atexit``, which this skips. Under a profiler or a tracer (`python -m cProfile -m timeline`, `coverage run`) the
command exits as usual, so that they can write what they measured.
"""

import logging
import os
import sys

from .cli import main

code = main()
if sys.getprofile() is not None or sys.gettrace() is not None:
    sys.exit(code)
logging.shutdown()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (OSError, ValueError):  # a reader that went away, or a closed stream: nothing more can reach it
        pass
os._exit(code)
