"""Tickets: create, read, update, transitions, comments, attachments, watchers, links, the history, access."""
