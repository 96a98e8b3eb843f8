"""Business calendars as a capability (see platform_core.capability)."""

from __future__ import annotations

from platform_core.capability import Capability
from runtime.calendars import models
from runtime.calendars.cli import calendars_cli
from runtime.calendars.views import bp

CAPABILITY = Capability(name="calendars", api_blueprints=[bp], commands=[calendars_cli], models=[models])
