"""Notifications: the in-app inbox, the outbox (email, signed webhooks, chat apps), preferences."""
