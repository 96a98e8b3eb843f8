"""WSGI entry point: ``gunicorn wsgi:app``."""

from platform_core import create_app

app = create_app()
