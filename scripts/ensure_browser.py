#!/usr/bin/env python3
"""Print the path of a Chromium for the browser tests, installing one first where that is possible.

`make test` (and so `.ci/run`) runs this and hands the path to pytest as GONGDAN_BROWSER:

1. GONGDAN_BROWSER, if set (it must be an executable file);
2. /usr/bin/chromium, or `chromium` / `chromium-browser` on PATH;
3. Chromium that Playwright downloaded (`python -m playwright install chromium`);
4. run as root where apt-get exists: `apt-get install chromium fonts-noto-cjk` (the CJK fonts make
   the Chinese screenshots readable), then 2 again;
5. otherwise exit 1 with one line saying exactly what to run.

Progress goes to stderr; stdout is the path and nothing else.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

SYSTEM_PATHS = ("/usr/bin/chromium",)
NAMES_ON_PATH = ("chromium", "chromium-browser")
PACKAGES = ("chromium", "fonts-noto-cjk")
APT_INSTALL = ("apt-get", "install", "-y", "-qq", "--no-install-recommends", *PACKAGES)


class NotFound(Exception):
    """No browser and no way to install one here; the message says what to run."""


def _executable(path: str | None) -> bool:
    return bool(path) and Path(path).is_file() and os.access(path, os.X_OK)  # type: ignore[arg-type]


def find(environ: Mapping[str, str], system_paths: Sequence[str] = SYSTEM_PATHS) -> str | None:
    """An installed Chromium, or None. GONGDAN_BROWSER set to something that is not one is an error."""
    chosen = environ.get("GONGDAN_BROWSER")
    if chosen:
        if not _executable(chosen):
            raise NotFound(f"GONGDAN_BROWSER={chosen} is not an executable file: point it at Chromium, "
                           "or unset it to use /usr/bin/chromium")
        return chosen
    for path in system_paths:
        if _executable(path):
            return path
    for name in NAMES_ON_PATH:
        found = shutil.which(name, path=environ.get("PATH", os.defpath))
        if found:
            return found
    cache = environ.get("PLAYWRIGHT_BROWSERS_PATH") or os.path.join(environ.get("HOME", "~"), ".cache", "ms-playwright")
    for path in sorted(glob.glob(os.path.join(cache, "chromium-*", "chrome-linux*", "chrome")), reverse=True):
        if _executable(path):
            return path
    return None


def has_cjk_fonts() -> bool:
    """Whether fontconfig knows a font for Chinese (True when that cannot be asked)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    listed = subprocess.run([fc_list, ":lang=zh", "family"], capture_output=True, text=True, check=False)  # noqa: S603
    return listed.returncode != 0 or bool(listed.stdout.strip())


def ensure(environ: Mapping[str, str], *, is_root: bool, run: Callable[[Sequence[str], Mapping[str, str]], int],
           system_paths: Sequence[str] = SYSTEM_PATHS, cjk_fonts: Callable[[], bool] = has_cjk_fonts) -> str:
    """The browser's path, installing it with apt-get first when nothing is found and we are root."""
    has_apt = shutil.which("apt-get", path=environ.get("PATH", os.defpath)) is not None
    quiet = {**environ, "DEBIAN_FRONTEND": "noninteractive"}
    found = find(environ, system_paths)
    if found:
        if not cjk_fonts():
            if is_root and has_apt:
                print("No Chinese fonts: installing fonts-noto-cjk with apt-get …", file=sys.stderr)
                if run(["apt-get", "update", "-qq"], quiet) != 0 or run(
                        ["apt-get", "install", "-y", "-qq", "fonts-noto-cjk"], quiet) != 0:
                    print("Installing fonts-noto-cjk failed: Chinese screenshots will show boxes.", file=sys.stderr)
            else:
                print("No Chinese fonts: Chinese screenshots will show boxes "
                      "(`sudo apt-get install fonts-noto-cjk` fixes that).", file=sys.stderr)
        return found
    if is_root and has_apt:
        print(f"No Chromium for the browser tests; installing {' and '.join(PACKAGES)} with apt-get …",
              file=sys.stderr)
        if run(["apt-get", "update", "-qq"], quiet) == 0 and run(list(APT_INSTALL), quiet) == 0:
            found = find(environ, system_paths)
            if found:
                return found
        raise NotFound("Installing Chromium with apt-get failed (see above): run "
                       f"`apt-get install {' '.join(PACKAGES)}` or set GONGDAN_BROWSER, then `make test` again")
    if has_apt:
        raise NotFound("The browser tests need Chromium: run `sudo apt-get install "
                       f"{' '.join(PACKAGES)}` (or set GONGDAN_BROWSER=/path/to/chromium), then `make test` again")
    raise NotFound("The browser tests need Chromium: run `.venv/bin/python -m playwright install chromium` "
                   "(or set GONGDAN_BROWSER=/path/to/chromium), then `make test` again")


def _run(command: Sequence[str], environ: Mapping[str, str]) -> int:
    """Run apt-get (found on PATH); its output goes to stderr, so stdout stays the path alone."""
    program = shutil.which(command[0], path=environ.get("PATH", os.defpath)) or command[0]
    return subprocess.run([program, *command[1:]], env=dict(environ), stdout=sys.stderr,  # noqa: S603  (fixed commands)
                          check=False).returncode


def main() -> int:
    try:
        path = ensure(os.environ, is_root=os.geteuid() == 0, run=_run)
    except NotFound as problem:
        print(problem, file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
