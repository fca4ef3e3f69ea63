"""Peak memory of the running process, reported on each materialisation.

ru_maxrss is the high-water mark since the process started, so the value attached to a step
is the peak reached by the end of that step; the benchmark reads it back from the event log.
"""

from __future__ import annotations

import resource
import sys


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return round(peak / (1024 * 1024 if sys.platform == "darwin" else 1024), 1)
