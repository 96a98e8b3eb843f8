"""What other capabilities may react to in a ticket's life.

The tickets package sends these; the SLA clocks and automations subscribe through their
``Capability.subscriptions``, wired by the composition root (see platform_core.hooks). Every
receiver runs in the sender's transaction and gets its session; the sender commits.
"""

from __future__ import annotations

from platform_core.hooks import Hook, Registry

creating = Hook(
    "tickets.creating",
    "(session, ticket, now) -> dict | None: a new ticket, validated, prioritised and routed, before its row is "
    "written. Receivers may set its columns (the SLA sets sla_due_at); the dicts they return are added to the "
    "'created' event's details.")
created = Hook(
    "tickets.created",
    "(session, ticket, now): the new ticket's row, its 'created' event, attachments and routing are written.")
changed = Hook(
    "tickets.changed",
    "(session, ticket, now, fields): the ticket was updated by a person or an action; `fields` names the form "
    "fields (and 'priority') whose values changed, empty when only the team or assignee did.")
priority_changed = Hook(
    "tickets.priority_changed",
    "(session, ticket, now, actor_id): the ticket's priority level changed (already set on the ticket).")
assigned = Hook(
    "tickets.assigned",
    "(session, ticket, now, actor_id): the ticket got a new assignee (a person), by routing, an action, an SLA "
    "escalation or by hand (actor_id None: not a person). The workflow takes a transition the definition marks "
    "`\"on\": \"assigned\"`.")
responded = Hook(
    "tickets.responded",
    "(session, ticket, now): the first agent response (a public comment, or the first transition an agent takes).")
public_reply = Hook(
    "tickets.public_reply",
    "(session, ticket, now): staff wrote a public comment (the requester hears from them).")
comment_added = Hook(
    "tickets.comment_added",
    "(session, ticket, comment, now): any comment was added.")
status_changed = Hook(
    "tickets.status_changed",
    "(session, ticket, before_category, now): the ticket entered a new state (already set on the ticket).")
transitioned = Hook(
    "tickets.transitioned",
    "(session, ticket, key, now): a transition was taken and its actions have run.")
loading_page = Hook(
    "tickets.loading_page",
    "(session, tickets): a page of tickets is about to be serialised; load what the view needs in bulk.")
sla_view = Hook(
    "tickets.sla_view",
    "(session, ticket, now) -> list[dict]: the ticket's SLA clocks as the API shows them.")

ACTIONS = Registry(
    "tickets.actions",
    "action kind -> handler(session, user, ticket, action, origin, now) -> list[str] (what failed): the actions "
    "that transitions and automations may take besides the built-in ones (assign, set, notify, comment, "
    "create_child, webhook).")

UPLOADS_HELD = Registry(
    "tickets.uploads_held",
    "holder name -> (session, attachment ids) -> set of those ids it holds: uploads never tied to a ticket that "
    "another capability keeps (the knowledge base's article images), which the orphan purge must not delete.")
