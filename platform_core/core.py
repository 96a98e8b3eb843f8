"""The platform core as a capability: identity (users, teams, roles, sessions, tokens), the audit log,
health, and the periodic-job records."""

from __future__ import annotations

from platform_core import audit, jobs
from platform_core.auth import models as auth_models
from platform_core.auth.services import purge_expired
from platform_core.auth.views import bp as identity_bp
from platform_core.capability import Capability, PeriodicJob
from platform_core.health import bp as health_bp

CAPABILITY = Capability(
    name="platform_core",
    api_blueprints=[identity_bp],
    blueprints=[health_bp],
    periodic_jobs=[
        PeriodicJob(name="purge_expired_auth", func=purge_expired, interval=600,
                    description="Delete expired browser sessions and login failures older than the throttling window."),
    ],
    models=[auth_models, audit, jobs],
    public_endpoints=frozenset({"identity.login", "identity.request_password_reset", "identity.check_password_link",
                                "identity.set_password_with_link"}),
)
