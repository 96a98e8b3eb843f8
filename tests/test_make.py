"""The README's two commands on a fresh machine: `make test` finds Chromium or installs it
(scripts/ensure_browser.py), and CI relies on that instead of installing it itself."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "ensure_browser.py"


def _load():
    spec = importlib.util.spec_from_file_location("ensure_browser", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def eb():
    return _load()


def _exe(path: Path) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)
    return str(path)


def _never(*_args):
    raise AssertionError("nothing should be installed")


def test_gongdan_browser_wins_and_a_wrong_one_says_so(eb, tmp_path):
    mine = _exe(tmp_path / "my-chrome")
    assert eb.ensure({"GONGDAN_BROWSER": mine, "PATH": ""}, is_root=True, run=_never,
                     cjk_fonts=lambda: True) == mine
    with pytest.raises(eb.NotFound, match=r"GONGDAN_BROWSER=/nope is not an executable file"):
        eb.ensure({"GONGDAN_BROWSER": "/nope", "PATH": ""}, is_root=True, run=_never, cjk_fonts=lambda: True)


def test_chromium_on_path_or_from_playwright_is_found(eb, tmp_path):
    bin_dir = tmp_path / "bin"
    on_path = _exe(bin_dir / "chromium-browser")
    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    assert eb.ensure(env, is_root=False, run=_never, system_paths=(), cjk_fonts=lambda: True) == on_path
    downloaded = _exe(tmp_path / ".cache" / "ms-playwright" / "chromium-1200" / "chrome-linux" / "chrome")
    assert eb.ensure({"PATH": "", "HOME": str(tmp_path)}, is_root=False, run=_never, system_paths=(),
                     cjk_fonts=lambda: True) == downloaded


def test_as_root_with_apt_it_installs_chromium_and_the_cjk_fonts(eb, tmp_path):
    bin_dir = tmp_path / "bin"
    _exe(bin_dir / "apt-get")
    system = tmp_path / "usr-bin-chromium"
    ran = []

    def run(command, environ):
        ran.append(list(command))
        assert environ["DEBIAN_FRONTEND"] == "noninteractive"
        if command[1] == "install":
            _exe(system)  # what the package installs
        return 0

    env = {"PATH": str(bin_dir), "HOME": str(tmp_path)}
    assert eb.ensure(env, is_root=True, run=run, system_paths=(str(system),), cjk_fonts=lambda: True) == str(system)
    assert ran == [["apt-get", "update", "-qq"],
                   ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium", "fonts-noto-cjk"]]


def test_otherwise_one_line_says_exactly_what_to_run(eb, tmp_path):
    bin_dir = tmp_path / "bin"
    _exe(bin_dir / "apt-get")
    with pytest.raises(eb.NotFound) as not_root:
        eb.ensure({"PATH": str(bin_dir), "HOME": str(tmp_path)}, is_root=False, run=_never, system_paths=())
    assert str(not_root.value) == ("The browser tests need Chromium: run `sudo apt-get install chromium fonts-noto-cjk` "
                                   "(or set GONGDAN_BROWSER=/path/to/chromium), then `make test` again")
    with pytest.raises(eb.NotFound) as no_apt:
        eb.ensure({"PATH": str(tmp_path / "empty"), "HOME": str(tmp_path)}, is_root=True, run=_never, system_paths=())
    assert "`.venv/bin/python -m playwright install chromium`" in str(no_apt.value)
    assert "\n" not in str(not_root.value) + str(no_apt.value)


def test_the_script_prints_the_path_alone_or_one_line_and_exit_1(tmp_path):
    found = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=600)
    assert found.returncode == 0, found.stderr
    path = found.stdout.strip()
    assert found.stdout == path + "\n" and os.access(path, os.X_OK)
    wrong = subprocess.run([sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=60,
                           env={**os.environ, "GONGDAN_BROWSER": str(tmp_path / "nothing")})
    assert wrong.returncode == 1 and wrong.stdout == "" and len(wrong.stderr.strip().splitlines()) == 1


def test_make_test_hands_the_browser_to_pytest_and_ci_does_not_install_it_again():
    dry = subprocess.run(["make", "-n", "test"], cwd=ROOT, capture_output=True, text=True, timeout=60,
                         env={**os.environ, "MAKEFLAGS": ""})
    assert dry.returncode == 0, dry.stderr
    assert "scripts/ensure_browser.py" in dry.stdout and 'GONGDAN_BROWSER="$browser"' in dry.stdout
    commands = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in commands if "apt-get" in line or "chromium" in line.lower()]


def test_make_run_listens_where_host_and_port_say_and_the_readme_says_how():
    dry = subprocess.run(["make", "-n", "run", "PORT=8081", "HOST=0.0.0.0"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60, env={**os.environ, "MAKEFLAGS": ""})
    assert dry.returncode == 0, dry.stderr
    assert "gongdan run --host 0.0.0.0 --port 8081" in dry.stdout
    readme = (ROOT / "README.md").read_text()
    assert "`make run PORT=8080`" in readme and "`make run HOST=0.0.0.0`" in readme


def test_installing_the_package_is_quiet_about_its_data_folders(tmp_path):
    """The template folders, the built front end and the definition examples are package data, declared
    as such: building the wheel gives none of setuptools' 'Package would be ignored' warnings (about
    160 lines before), and the wheel still carries every file."""
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", str(tmp_path), str(ROOT)],
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stdout + built.stderr
    output = built.stdout + built.stderr
    assert "is absent from the `packages` configuration" not in output
    assert "BuildBackendWarning" not in output
    import zipfile

    names = zipfile.ZipFile(next(tmp_path.glob("gongdan-*.whl"))).namelist()
    for expected in ("templates_library/it_service_desk/template.json", "templates_library/it_service_desk/it-incident.json",
                     "designer/format/examples/it-incident.json", "designer/format/definition-v1.schema.json",
                     "platform_core/static/dist/index.html"):
        assert expected in names
    assert any(name.startswith("platform_core/static/dist/assets/") for name in names)
    assert not any(name.startswith(("tests/", "frontend/", "bench/")) for name in names)
