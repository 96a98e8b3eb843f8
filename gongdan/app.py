"""Assemble the application: every capability, in the order their hook subscriptions run."""

from __future__ import annotations

from typing import Any

from flask import Flask

from designer.drafts import capability as drafts
from designer.templates import capability as templates
from gongdan import observability
from platform_core import core
from platform_core.app import build_app
from platform_core.capability import Capability
from runtime.approvals import capability as approvals
from runtime.automations import capability as automations
from runtime.calendars import capability as calendars
from runtime.dashboards import capability as dashboards
from runtime.intake import capability as intake
from runtime.knowledge import capability as knowledge
from runtime.notify import capability as notify
from runtime.periodic_reports import capability as periodic_reports
from runtime.reports import capability as reports
from runtime.sla import capability as sla
from runtime.tickets import capability as tickets

# Order matters where several capabilities react to the same hook: the SLA clocks of a new ticket
# are written before its automations run, as they would be if the ticket service called both.
CAPABILITIES: tuple[Capability, ...] = (
    core.CAPABILITY,
    notify.CAPABILITY,
    tickets.CAPABILITY,
    calendars.CAPABILITY,
    sla.CAPABILITY,
    automations.CAPABILITY,
    intake.CAPABILITY,
    approvals.CAPABILITY,
    reports.CAPABILITY,
    dashboards.CAPABILITY,
    periodic_reports.CAPABILITY,
    knowledge.CAPABILITY,
    drafts.CAPABILITY,
    templates.CAPABILITY,
    observability.CAPABILITY,
)


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Gongdan WSGI application; ``config`` overrides environment settings (tests)."""
    return build_app(config, CAPABILITIES)
