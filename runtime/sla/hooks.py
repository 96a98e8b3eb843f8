"""What other capabilities may add to the SLA sweep.

The sweep sends ``due`` once per run, after the SLA marks and timers; capabilities with deadlines of their own
(approvals) subscribe through their ``Capability.subscriptions``, so ``gongdan sla sweep --at`` and the periodic
job enforce them with the same clock.
"""

from __future__ import annotations

from platform_core.hooks import Hook

due = Hook(
    "sla.due",
    "(session, now) -> list[dict]: fire what is due at `now`, each exactly once, every item in its own "
    "transaction (the receiver commits); return what fired as {ticket, metric, mark} for the sweep's report.")
