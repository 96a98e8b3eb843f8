"""Notifications as a capability (see platform_core.capability)."""

from __future__ import annotations

from platform_core.auth.links import email_link
from platform_core.capability import Capability, PeriodicJob
from runtime.notify import account, models, outbox
from runtime.notify.cli import outbox_cli
from runtime.notify.views import bp

CAPABILITY = Capability(
    name="notify",
    api_blueprints=[bp],
    commands=[outbox_cli],
    periodic_jobs=[
        PeriodicJob(name="deliver_outbox", func=outbox.deliver_due, interval=60,
                    description="Send due notification emails, webhooks and chat messages: new ones whose job was lost, "
                                "retries after backoff, and any stuck in sending."),
        PeriodicJob(name="purge_outbox", func=outbox.purge_delivered, interval=86400,
                    description="Delete sent and dead outbox messages older than OUTBOX_RETENTION_DAYS."),
    ],
    health_reports={"outbox": outbox.health_report},
    models=[models],
    housekeeping={"outbox_delivered": outbox.purge_delivered},
    subscriptions=[(email_link, account.email_password_link)],
)
