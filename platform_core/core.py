"""The platform core as a capability: identity (users, teams, roles, sessions, tokens), the audit log,
health, and the periodic-job records."""

from __future__ import annotations

from platform_core import audit, backup, housekeeping, jobs, maintenance
from platform_core.auth import models as auth_models
from platform_core.auth.services import purge_expired
from platform_core.auth.views import bp as identity_bp
from platform_core.capability import Capability, PeriodicJob
from platform_core.health import bp as health_bp
from platform_core.metrics import bp as metrics_bp
from platform_core.ops_cli import COMMANDS as OPS_COMMANDS

CAPABILITY = Capability(
    name="platform_core",
    api_blueprints=[identity_bp],
    blueprints=[health_bp, metrics_bp],
    periodic_jobs=[
        PeriodicJob(name="purge_expired_auth", func=purge_expired, interval=600,
                    description="Delete expired browser sessions and login failures older than the throttling window."),
        PeriodicJob(name="housekeeping", func=housekeeping.run, interval=86400,
                    description="Prune expired sessions, old login failures, Idempotency-Keys past their window and "
                                "delivered outbox messages past retention, then ANALYZE / PRAGMA optimize."),
        PeriodicJob(name="backup", func=backup.periodic_backup, interval=86400, writes=False, setting="BACKUP_DIR",
                    description="Write a backup archive to GONGDAN_BACKUP_DIR and prune old ones by the retention."),
    ],
    commands=list(OPS_COMMANDS),
    health_reports={"housekeeping": housekeeping.health_report},
    housekeeping={"auth": purge_expired},
    models=[auth_models, audit, jobs, maintenance],
    public_endpoints=frozenset({"identity.login", "identity.request_password_reset", "identity.check_password_link",
                                "identity.set_password_with_link"}),
)
