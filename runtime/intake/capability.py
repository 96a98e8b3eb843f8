"""Machine-fed intake as a capability (see platform_core.capability)."""

from __future__ import annotations

from platform_core.capability import Capability, PeriodicJob
from runtime.intake import models, services
from runtime.intake.cli import intake_cli
from runtime.intake.views import bp

CAPABILITY = Capability(
    name="intake",
    api_blueprints=[bp],
    commands=[intake_cli],
    periodic_jobs=[
        PeriodicJob(name="purge_intake_log", func=services.purge_calls, interval=86400,
                    description="Delete intake log lines and seen source keys older than INTAKE_LOG_RETENTION_DAYS."),
    ],
    models=[models],
    public_endpoints=frozenset({"intake.receive"}),
)
