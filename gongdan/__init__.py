"""The composition root: the one package that names every capability and assembles the application.

Everything below it (``platform_core``, ``runtime``, ``designer``) only knows what lies beneath it;
see docs/architecture.md.
"""

from gongdan.app import CAPABILITIES, create_app

__all__ = ["CAPABILITIES", "create_app"]
