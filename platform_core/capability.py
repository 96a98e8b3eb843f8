"""What a capability contributes to the application: one declaration per package, read by the
composition root (``gongdan.app``), which is the only code that names every package.

A capability's ``capability.py`` imports its own views, commands, jobs and models and declares them
here; nothing registers itself at import time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from platform_core.hooks import Hook, Registry


@dataclass(frozen=True)
class PeriodicJob:
    """A job the scheduler runs on a fixed interval (seconds): a plain function taking no arguments,
    run inside an application context, idempotent.

    ``writes``: it changes the database, so it pauses while the instance is read-only (maintenance mode) and
    catches up afterwards. ``setting``: it is scheduled only when that setting is set (``BACKUP_DIR``).
    """

    name: str
    func: Callable[[], Any]
    interval: int
    description: str
    writes: bool = True
    setting: str | None = None


@dataclass(frozen=True)
class Capability:
    """One package's contribution.

    - ``api_blueprints``: flask-smorest blueprints under /api/v1 (documented in the OpenAPI document);
    - ``blueprints``: plain Flask blueprints (health, pages);
    - ``commands``: click commands and groups added to the ``gongdan`` command;
    - ``periodic_jobs``: what the scheduler runs, reported by /healthz;
    - ``health_reports``: sections of /healthz, ``name -> function(session) -> dict`` (informational);
    - ``models``: the modules that define its tables (Alembic's metadata is the union of these);
    - ``subscriptions``: ``(hook, receiver)`` pairs, connected in the order capabilities are listed;
    - ``registrations``: ``(registry, key, handler)`` triples (e.g. action kinds);
    - ``public_endpoints``: API endpoints that need no authentication;
    - ``housekeeping``: ``name -> function() -> rows deleted`` (an int, or a dict of ints), run by the
      housekeeping job (platform_core.housekeeping) in an application context; each commits its own work.
    """

    name: str
    api_blueprints: Sequence[Any] = ()
    blueprints: Sequence[Any] = ()
    commands: Sequence[Any] = ()
    periodic_jobs: Sequence[PeriodicJob] = ()
    health_reports: Mapping[str, Callable[[Any], dict[str, Any]]] = field(default_factory=dict)
    models: Sequence[ModuleType] = ()
    subscriptions: Sequence[tuple[Hook, Callable[..., Any]]] = ()
    registrations: Sequence[tuple[Registry, str, Callable[..., Any]]] = ()
    public_endpoints: frozenset[str] = frozenset()
    housekeeping: Mapping[str, Callable[[], Any]] = field(default_factory=dict)


def wire(capabilities: Sequence[Capability]) -> None:
    """Connect every subscription and registration (idempotent: every app built does it again)."""
    for capability in capabilities:
        for hook, receiver in capability.subscriptions:
            hook.connect(receiver)
        for registry, key, handler in capability.registrations:
            registry.register(key, handler)


def periodic_jobs(capabilities: Sequence[Capability]) -> list[PeriodicJob]:
    """The one list of periodic jobs, in declaration order; names are unique."""
    jobs: list[PeriodicJob] = []
    for capability in capabilities:
        jobs.extend(capability.periodic_jobs)
    names = [job.name for job in jobs]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise ValueError(f"periodic jobs declared twice: {', '.join(duplicates)}")
    return jobs
