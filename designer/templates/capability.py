"""Industry templates as a capability (see platform_core.capability)."""

from __future__ import annotations

from designer.templates.cli import templates as templates_cli
from designer.templates.views import bp
from platform_core.capability import Capability

CAPABILITY = Capability(name="templates", api_blueprints=[bp], commands=[templates_cli])
