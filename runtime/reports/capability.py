"""Reports as a capability (see platform_core.capability): the metrics API and the charts of definitions."""

from __future__ import annotations

from platform_core.capability import Capability
from runtime.reports import models
from runtime.reports.views import bp, charts_bp

CAPABILITY = Capability(name="reports", api_blueprints=[bp, charts_bp], models=[models])
