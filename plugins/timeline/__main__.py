"""`python -m timeline`: the command line (cli.py), ended without freeing what the command made.

A build of 10,000 events leaves hundreds of thousands of objects, and Python freed them one by one at exit: 0.07 s
after the work was done, in every `make build`. By the time ``main`` returns, every file the command wrote is closed
and every cache saved; what is left to flush is the log and the output streams. Nothing in the plugin may rely on
``atexit``, which this skips (as it skips a tool that does, such as `coverage run -m timeline`).
"""

import logging
import os
import sys

from .cli import main

code = main()
logging.shutdown()
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except (OSError, ValueError):  # a reader that went away, or a closed stream: nothing more can reach it
        pass
os._exit(code)
