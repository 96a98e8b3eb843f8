"""WSGI entry point: ``gunicorn wsgi:app``."""

from gongdan import create_app

app = create_app()
