"""Automations and surveys as a capability (see platform_core.capability): automations react to the
ticket's life through runtime.tickets.hooks; surveys add the ``survey`` action."""

from __future__ import annotations

from platform_core.capability import Capability
from runtime.automations import models, runner, survey_views
from runtime.automations.surveys import survey_action
from runtime.automations.views import bp
from runtime.tickets import hooks

CAPABILITY = Capability(
    name="automations",
    api_blueprints=[bp, survey_views.bp],
    models=[models],
    subscriptions=[
        (hooks.created, runner.on_created),
        (hooks.changed, runner.on_changed),
        (hooks.comment_added, runner.on_comment_added),
        (hooks.status_changed, runner.on_status_changed),
        (hooks.transitioned, runner.on_transitioned),
    ],
    registrations=[(hooks.ACTIONS, "survey", survey_action)],
    public_endpoints=frozenset({"surveys.check_link", "surveys.answer_by_link"}),
)
