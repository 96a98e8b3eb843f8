"""The ``gongdan`` command (console script): the core commands and every capability's own."""

from __future__ import annotations

from gongdan.app import create_app
from platform_core.cli import make_main

main = make_main(create_app)

if __name__ == "__main__":
    main()
