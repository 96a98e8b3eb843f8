"""The knowledge base as a capability (see platform_core.capability): its models and its API."""

from __future__ import annotations

from platform_core.capability import Capability
from runtime.knowledge import models, views

CAPABILITY = Capability(
    name="knowledge",
    api_blueprints=[views.bp],
    models=[models],
)
