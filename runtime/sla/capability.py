"""SLA clocks as a capability (see platform_core.capability): they react to the ticket's life through
runtime.tickets.hooks and fire their marks in the periodic sweep."""

from __future__ import annotations

from platform_core.capability import Capability, PeriodicJob
from runtime.sla import clocks, models
from runtime.sla.cli import sla as sla_cli
from runtime.sla.sweep import health_report, periodic_sweep
from runtime.tickets import hooks

CAPABILITY = Capability(
    name="sla",
    commands=[sla_cli],
    periodic_jobs=[
        PeriodicJob(name="sla_sweep", func=periodic_sweep, interval=60,
                    description="Fire due SLA warnings, breaches and escalation levels, and timed automations, each once."),
    ],
    health_reports={"sla_sweep": health_report},
    models=[models],
    subscriptions=[
        (hooks.creating, clocks.on_creating),
        (hooks.created, clocks.on_created),
        (hooks.priority_changed, clocks.on_priority_changed),
        (hooks.responded, clocks.responded),
        (hooks.public_reply, clocks.public_update),
        (hooks.status_changed, clocks.status_changed),
        (hooks.loading_page, clocks.load_clocks),
        (hooks.sla_view, clocks.view),
    ],
)
