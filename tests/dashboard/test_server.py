"""How `serve` starts Streamlit: its flags and environment."""

from pathlib import Path

from dashboard.server import APP, serve, server_environment, streamlit_command


def test_the_command_runs_the_app_headless_on_the_given_address():
    command = streamlit_command(8600, "0.0.0.0", headless=True)
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4] == str(APP)
    flags = dict(zip(command[5::2], command[6::2], strict=True))
    assert flags["--server.port"] == "8600" and flags["--server.address"] == "0.0.0.0"
    assert flags["--server.headless"] == "true" and flags["--browser.gatherUsageStats"] == "false"
    assert dict(zip(streamlit_command(1, "h", headless=False)[5::2], streamlit_command(1, "h", False)[6::2],
                    strict=True))["--server.headless"] == "false"


def test_the_environment_points_at_the_warehouse_and_users_file(tmp_path, monkeypatch):
    monkeypatch.delenv("FEC_USERS_FILE", raising=False)
    env = server_environment(tmp_path / "wh", tmp_path / "users.yaml")
    assert env["FEC_WAREHOUSE_DIR"] == str((tmp_path / "wh").resolve())
    assert env["FEC_USERS_FILE"] == str((tmp_path / "users.yaml").resolve())
    assert str(APP.parent.parent) in env["PYTHONPATH"].split(":")
    assert "FEC_USERS_FILE" not in server_environment(None, None)


def test_serve_returns_the_servers_exit_status(tmp_path, monkeypatch):
    """serve blocks until the server process ends and hands back its status (a stand-in
    process here: the real server is started by the browser test)."""
    monkeypatch.setattr("dashboard.server.streamlit_command",
                        lambda port, host, headless: ["python3", "-c", f"import sys; sys.exit({port})"])
    assert serve(port=3, warehouse_dir=Path(tmp_path)) == 3
