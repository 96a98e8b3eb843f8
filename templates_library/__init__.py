"""Industry templates as data: one folder per template, holding template.json and its ticket-type definitions.

They are read, checked and installed by designer/templates/library.py (its docstring describes the manifest;
docs/templates.md what each template holds), through
``GET /api/v1/templates``, ``POST /api/v1/templates/<key>/install|uninstall`` and ``gongdan templates list|install|uninstall``.
"""
