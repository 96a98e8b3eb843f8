"""Approvals as a capability (see platform_core.capability): they open and cancel with the ticket's life
(runtime.tickets.hooks), their deadlines are enforced by the SLA sweep (runtime.sla.hooks.due), and their API
includes the public one-click links."""

from __future__ import annotations

from platform_core.capability import Capability
from runtime.approvals import models, services, sweep, views
from runtime.sla import hooks as sla_hooks
from runtime.tickets import hooks

CAPABILITY = Capability(
    name="approvals",
    api_blueprints=[views.bp],
    models=[models],
    subscriptions=[
        (hooks.created, services.on_created),
        (hooks.transitioned, services.on_transitioned),
        (sla_hooks.due, sweep.sweep_due),
    ],
    public_endpoints=frozenset({"approvals.check_link", "approvals.decide_by_link"}),
)
