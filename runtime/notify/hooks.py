"""What other capabilities may react to in the notification outbox (subscriptions are wired by the
composition root; receivers run synchronously in the outbox's transaction)."""

from __future__ import annotations

from platform_core.hooks import Hook

webhook_finished = Hook(
    "notify.webhook_finished",
    "(session, message, status, attempt, outcome): an outbox message's attempt ended as 'sent', 'failed' or 'dead' "
    "(its row is updated in the same transaction). The ticket history records webhook deliveries from it.")
