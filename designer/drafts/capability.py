"""Ticket-type drafts as a capability (see platform_core.capability)."""

from __future__ import annotations

from designer.drafts import models
from designer.drafts.cli import definitions as definitions_cli
from designer.drafts.views import bp
from platform_core.capability import Capability

CAPABILITY = Capability(name="drafts", api_blueprints=[bp], models=[models],
                        commands=[definitions_cli])
