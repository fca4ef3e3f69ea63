"""The background GX import: it loads what the quality step needs, once, and is waited for."""

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_python(code: str) -> subprocess.CompletedProcess:
    # a fresh interpreter: the test process may already have imported GX
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, cwd=REPO,
                          timeout=120)


def test_started_import_loads_gx_and_the_duckdb_patch_on_another_thread():
    done = run_python("""
        import sys, threading
        from checks import prewarm
        assert "great_expectations" not in sys.modules
        prewarm.start_gx_import()
        prewarm.start_gx_import()  # a second start joins the first import
        names = [t.name for t in threading.enumerate() if t.name == "fec-gx-import"]
        prewarm.wait_for_gx_import()
        print(len(names), all(m in sys.modules for m in prewarm.GX_MODULES))
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["1", "True"]


def test_waiting_without_a_start_returns_at_once_and_nothing_is_imported():
    done = run_python("""
        import sys
        from checks import prewarm
        prewarm.wait_for_gx_import()
        print("great_expectations" in sys.modules)
    """)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False"]
