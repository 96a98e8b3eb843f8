"""Settings from GONGDAN_* variables, the secret key rules, and the README's table."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from platform_core.config import SETTINGS, ConfigError, ensure_secret_key_file, load_config

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_run_out_of_the_box_in_development(tmp_path):
    config = load_config(str(tmp_path), environ={"GONGDAN_ENV": "development"})
    assert config["DATABASE_URL"] == f"sqlite:///{tmp_path / 'gongdan.db'}"
    assert config["REDIS_URL"] is None
    assert config["UPLOAD_DIR"] == str(tmp_path / "uploads")
    assert config["SECRET_KEY"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    with pytest.raises(ConfigError, match="GONGDAN_SECRET_KEY"):
        load_config(str(tmp_path), environ={})


def test_environment_variables_are_read_and_checked(tmp_path):
    config = load_config(str(tmp_path), environ={
        "GONGDAN_SECRET_KEY": "s", "GONGDAN_DATABASE_URL": "postgresql+psycopg://db/x",
        "GONGDAN_REDIS_URL": "redis://r:6379/1", "GONGDAN_MAX_CONTENT_LENGTH": "2048",
        "GONGDAN_SMTP_STARTTLS": "true"})
    assert config["DATABASE_URL"] == "postgresql+psycopg://db/x"
    assert config["REDIS_URL"] == "redis://r:6379/1"
    assert config["MAX_CONTENT_LENGTH"] == 2048 and config["SMTP_STARTTLS"] is True
    with pytest.raises(ConfigError, match="GONGDAN_MAX_CONTENT_LENGTH"):
        load_config(str(tmp_path), environ={"GONGDAN_SECRET_KEY": "s", "GONGDAN_MAX_CONTENT_LENGTH": "lots"})


def test_the_secret_key_file_is_written_once_with_mode_0600(tmp_path):
    path, created = ensure_secret_key_file(str(tmp_path))
    assert created and stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text()
    assert ensure_secret_key_file(str(tmp_path)) == (path, False) and path.read_text() == key
    assert load_config(str(tmp_path), environ={})["SECRET_KEY"] == key.strip()


def test_readme_documents_every_setting():
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"^\| `GONGDAN_([A-Z_]+)` \|", readme, flags=re.M))
    assert documented == set(SETTINGS)
