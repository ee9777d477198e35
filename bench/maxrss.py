"""Run ``manage.py ARGS`` in this process and print its peak RSS (kB) as the last stderr line."""

import resource
import runpy
import sys
from pathlib import Path

if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.path.insert(0, str(root))
    sys.argv = ["manage.py", *sys.argv[1:]]
    try:
        runpy.run_path(str(root / "manage.py"), run_name="__main__")
    finally:
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
