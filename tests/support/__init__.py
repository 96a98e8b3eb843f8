"""Real servers and shared set-ups for tests: an SMTP server, a webhook receiver."""
