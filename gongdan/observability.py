"""What the composition root counts for /metrics from the capabilities' hooks (platform_core.metrics cannot name
them): tickets created and transitions taken, each counted once its transaction commits."""

from __future__ import annotations

from typing import Any

from platform_core.capability import Capability
from platform_core.metrics import count_after_commit
from runtime.tickets import hooks


def _created(session: Any, _ticket: Any, _now: Any) -> None:
    count_after_commit(session, "ticket_created")


def _transitioned(session: Any, _ticket: Any, _key: Any, _now: Any) -> None:
    count_after_commit(session, "ticket_transition")


CAPABILITY = Capability(
    name="observability",
    subscriptions=[(hooks.created, _created), (hooks.transitioned, _transitioned)],
)
