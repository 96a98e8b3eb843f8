"""Periodic reports as a capability (see platform_core.capability): the API, the subscriptions' tables and the
hourly job that e-mails them."""

from __future__ import annotations

from platform_core.capability import Capability, PeriodicJob
from runtime.periodic_reports import models
from runtime.periodic_reports.mailing import periodic_send
from runtime.periodic_reports.views import bp

CAPABILITY = Capability(
    name="periodic_reports",
    api_blueprints=[bp],
    models=[models],
    periodic_jobs=[
        PeriodicJob(name="report_subscriptions", func=periodic_send, interval=3600,
                    description="E-mail each report subscription its last ended period, once."),
    ],
)
