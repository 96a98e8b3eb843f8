"""The knowledge base as a capability (see platform_core.capability): its models and its API, and the
``create_article_draft`` action of transitions and automations."""

from __future__ import annotations

from platform_core.capability import Capability
from runtime.knowledge import models, views
from runtime.knowledge.drafts import create_article_draft_action
from runtime.tickets import hooks

CAPABILITY = Capability(
    name="knowledge",
    api_blueprints=[views.bp],
    models=[models],
    registrations=[(hooks.ACTIONS, "create_article_draft", create_article_draft_action)],
)
