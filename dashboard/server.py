"""Serve the dashboard: `streamlit run dashboard/streamlit_app.py` in a subprocess, configured
through environment variables (FEC_WAREHOUSE_DIR, FEC_USERS_FILE) and Streamlit's own flags.

`fec dashboard` and `fec demo` call `serve`; it blocks until the server exits and returns its
exit status. A separate process keeps Streamlit's runtime (and its signal handling) out of the
caller's."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parent / "streamlit_app.py"
REPO_ROOT = APP.parent.parent


def streamlit_command(port: int, host: str, headless: bool) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", str(APP),
        "--server.port", str(port),
        "--server.address", host,
        "--server.headless", "true" if headless else "false",
        "--server.fileWatcherType", "none",
        "--server.runOnSave", "false",
        "--browser.gatherUsageStats", "false",
        "--client.toolbarMode", "viewer",
        "--theme.base", "light",
    ]


def server_environment(warehouse_dir: Path | None, users_file: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    if warehouse_dir is not None:
        env["FEC_WAREHOUSE_DIR"] = str(Path(warehouse_dir).resolve())
    if users_file is not None:
        env["FEC_USERS_FILE"] = str(Path(users_file).resolve())
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    return env


def serve(port: int = 8501, host: str = "127.0.0.1", warehouse_dir: Path | None = None,
          users_file: Path | None = None, headless: bool = True) -> int:
    """Run the dashboard until it is stopped (Ctrl-C); returns the server's exit status."""
    process = subprocess.Popen(streamlit_command(port, host, headless), cwd=REPO_ROOT,
                               env=server_environment(warehouse_dir, users_file))
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            return process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            return process.wait()
