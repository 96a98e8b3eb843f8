"""deploy/'s files read as systemd reads them, for the test that runs the units (tests/platform_core/
test_deployment.py) and the load harness that starts the scaled stack from them (bench/load/stack.py): both must
start what an operator would, so they share one reading."""

from __future__ import annotations

import configparser
import shlex
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
INSTALLED_BIN = "/opt/gongdan/.venv/bin/"


def unit(name: str) -> configparser.ConfigParser:
    """A unit file of deploy/systemd."""
    parsed = configparser.ConfigParser(interpolation=None, strict=False)
    parsed.optionxform = str  # systemd's keys are case-sensitive
    parsed.read(DEPLOY / "systemd" / name)
    return parsed


def unit_command(name: str, port: int) -> list[str]:
    """A unit's ExecStart, run from this checkout's virtualenv and on ``port`` instead of 8000."""
    command = shlex.split(unit(name)["Service"]["ExecStart"])
    return [arg.replace(INSTALLED_BIN, str(Path(sys.executable).parent) + "/").replace("8000", str(port))
            for arg in command]


def environment_file() -> dict[str, str]:
    """The settings of deploy/gongdan.env.example (KEY=value lines; # comments)."""
    values = {}
    for line in (DEPLOY / "gongdan.env.example").read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values
