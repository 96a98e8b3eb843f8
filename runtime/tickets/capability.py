"""Tickets as a capability (see platform_core.capability)."""

from __future__ import annotations

from platform_core.capability import Capability, PeriodicJob
from runtime.notify.hooks import webhook_finished
from runtime.tickets import history, hooks, models, saved_filters, services, workflow
from runtime.tickets.attachment_views import bp as attachments_bp
from runtime.tickets.attachments import purge_orphan_uploads
from runtime.tickets.portal_views import bp as portal_bp
from runtime.tickets.status_views import bp as status_bp
from runtime.tickets.views import bp as tickets_bp

CAPABILITY = Capability(
    name="tickets",
    api_blueprints=[tickets_bp, attachments_bp, portal_bp, status_bp],
    periodic_jobs=[
        PeriodicJob(name="purge_orphan_uploads", func=purge_orphan_uploads, interval=3600,
                    description="Delete uploads never attached to a ticket within 24 hours, and stray files."),
    ],
    models=[models, saved_filters],
    housekeeping={"idempotency_keys": services.purge_idempotency_keys},
    subscriptions=[(webhook_finished, history.webhook_finished), (hooks.assigned, workflow.on_assigned)],
)
