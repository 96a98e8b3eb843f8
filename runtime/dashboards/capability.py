"""Dashboards as a capability (see platform_core.capability): the model and the dashboards API."""

from __future__ import annotations

from platform_core.capability import Capability
from runtime.dashboards import models, views

CAPABILITY = Capability(name="dashboards", api_blueprints=[views.bp], models=[models])
